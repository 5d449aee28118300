package io.spinel.types;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ListpackTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Values of every encoding: small and large integers, near-integers, strings of every length class. */
    private static byte[] randomValue(Random random) {
        return switch (random.nextInt(9)) {
            case 0 -> b(Integer.toString(random.nextInt(128)));
            case 1 -> b(Long.toString(random.nextLong()));
            case 2 -> b(Long.toString(random.nextInt(1 << 24) - (1 << 23)));
            case 3 -> b(Integer.toString(random.nextInt()));
            case 4 -> b("0" + random.nextInt(100));
            case 5 -> b("-0");
            case 6 -> new byte[random.nextInt(64)];
            case 7 -> new byte[64 + random.nextInt(300)];
            default -> {
                byte[] big = new byte[random.nextInt(3) == 0 ? 70000 : 200];
                random.nextBytes(big);
                yield big;
            }
        };
    }

    private static void assertSame(Listpack listpack, List<byte[]> model) {
        assertThat(listpack.size()).isEqualTo(model.size());
        int p = listpack.first();
        for (byte[] expected : model) {
            assertThat(listpack.bytesAt(p)).isEqualTo(expected);
            assertThat(listpack.matches(p, expected)).isTrue();
            assertThat(listpack.valueLength(p)).isEqualTo(expected.length);
            p = listpack.next(p);
        }
        assertThat(p).isEqualTo(-1);
        p = listpack.last();
        for (int i = model.size() - 1; i >= 0; i--) {
            assertThat(listpack.bytesAt(p)).isEqualTo(model.get(i));
            p = listpack.prev(p);
        }
        assertThat(p).isEqualTo(-1);
    }

    @Test
    void randomOperations_matchAListModel() {
        Random random = new Random(42);
        for (int round = 0; round < 50; round++) {
            Listpack listpack = new Listpack();
            List<byte[]> model = new ArrayList<>();
            for (int step = 0; step < 200; step++) {
                int op = random.nextInt(10);
                if (op < 6 || model.isEmpty()) {
                    int index = random.nextInt(model.size() + 1);
                    byte[] value = randomValue(random);
                    listpack.insert(index == model.size() ? listpack.end() : listpack.position(index), value);
                    model.add(index, value);
                } else if (op < 8) {
                    int index = random.nextInt(model.size());
                    int n = 1 + random.nextInt(3);
                    listpack.delete(listpack.position(index), n);
                    for (int i = 0; i < n && index < model.size(); i++) {
                        model.remove(index);
                    }
                } else {
                    int index = random.nextInt(model.size());
                    byte[] value = randomValue(random);
                    listpack.replace(listpack.position(index - model.size()), value);
                    model.set(index, value);
                }
            }
            assertSame(listpack, model);
            assertSame(listpack.copyEntries(), model);
        }
    }

    @Test
    void integers_storedCompactlyAndReadBack() {
        Listpack listpack = new Listpack();
        long[] values = {0, 127, 128, -1, 32767, -32768, 8388607, -8388608, Integer.MAX_VALUE, Integer.MIN_VALUE,
            Long.MAX_VALUE, Long.MIN_VALUE};
        for (long value : values) {
            listpack.append(b(Long.toString(value)));
        }
        int p = listpack.first();
        for (long value : values) {
            assertThat(listpack.isInteger(p)).isTrue();
            assertThat(listpack.integerAt(p)).isEqualTo(value);
            p = listpack.next(p);
        }
        Listpack small = new Listpack();
        small.append(b("5"));
        assertThat(small.bytes()).isEqualTo(2);
    }

    @Test
    void find_comparesIntegersAndStringsByValue_withStride() {
        Listpack listpack = new Listpack();
        for (String s : new String[] {"f1", "1", "10", "v", "010", "x", "12", "12"}) {
            listpack.append(b(s));
        }
        assertThat(listpack.find(listpack.first(), b("12"), 2)).isEqualTo(listpack.position(6));
        assertThat(listpack.find(listpack.first(), b("1"), 2)).isEqualTo(-1);
        assertThat(listpack.find(listpack.first(), b("1"), 1)).isEqualTo(listpack.position(1));
        assertThat(listpack.find(listpack.first(), b("010"), 2)).isEqualTo(listpack.position(4));
        assertThat(listpack.find(listpack.first(), b("10"), 1)).isEqualTo(listpack.position(2));
    }
}
