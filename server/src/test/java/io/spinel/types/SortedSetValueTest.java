package io.spinel.types;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both sorted set encodings driven by the same random operations as a plain Java model (a map and
 * a sorted list); after every step the whole order, ranks, score counts and walks are compared.
 */
class SortedSetValueTest {
    static Stream<Named> encodings() {
        return Stream.of(new Named("listpack", PackedSortedSet::new), new Named("skiplist", SkiplistSortedSet::new),
                new Named("converted", () -> {
                    PackedSortedSet packed = new PackedSortedSet();
                    packed.insert(bytes("seed"), 0.5);
                    SkiplistSortedSet converted = new SkiplistSortedSet();
                    packed.forEach(0, false, (m, s) -> {
                        converted.insert(m, s);
                        return true;
                    });
                    converted.remove(bytes("seed"));
                    return converted;
                }));
    }

    /** An encoding with a readable name for the test report. */
    record Named(String name, Supplier<SortedSetValue> factory) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** The model's entry. */
    record Entry(byte[] member, double score) {
    }

    private static final Comparator<Entry> ORDER = (a, b) -> a.score < b.score ? -1 : a.score > b.score ? 1
            : Arrays.compareUnsigned(a.member, b.member);

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest
    @MethodSource("encodings")
    void randomOperations_matchModel(Named encoding) {
        for (long seed = 1; seed <= 6; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            SortedSetValue set = encoding.factory().get();
            Map<String, Double> model = new HashMap<>();
            int members = encoding.name().equals("listpack") ? 40 : 400;
            for (int step = 0; step < 1500; step++) {
                String name = random.nextInt(4) == 0 ? Integer.toString(random.nextInt(members)) : "m" + random.nextInt(members);
                byte[] member = bytes(name);
                double score = switch (random.nextInt(6)) {
                    case 0 -> random.nextInt(-5, 5);
                    case 1 -> random.nextDouble(-100, 100);
                    case 2 -> random.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
                    case 3 -> random.nextBoolean() ? -0.0 : 1e300;
                    default -> random.nextInt(3);
                };
                int op = random.nextInt(10);
                if (op < 5) {
                    if (model.containsKey(name)) {
                        set.update(member, score);
                    } else {
                        set.insert(member, score);
                    }
                    model.put(name, score);
                } else if (op < 7) {
                    assertThat(set.remove(member)).isEqualTo(model.remove(name) != null);
                } else if (op == 7 && !model.isEmpty()) {
                    List<Entry> sorted = sorted(model);
                    int from = random.nextInt(sorted.size());
                    int to = Math.min(sorted.size() - 1, from + random.nextInt(5));
                    set.removeRange(from, to);
                    for (int i = from; i <= to; i++) {
                        model.remove(new String(sorted.get(i).member, StandardCharsets.ISO_8859_1));
                    }
                }
                if (step % 50 == 0 || model.size() < 20) {
                    check(set, model, random);
                }
            }
            check(set, model, random);
            SortedSetValue copy = (SortedSetValue) set.copy();
            check(copy, model, random);
        }
    }

    private static List<Entry> sorted(Map<String, Double> model) {
        List<Entry> entries = new ArrayList<>();
        model.forEach((m, s) -> entries.add(new Entry(bytes(m), s)));
        entries.sort(ORDER);
        return entries;
    }

    private static void check(SortedSetValue set, Map<String, Double> model, SplittableRandom random) {
        List<Entry> expected = sorted(model);
        assertThat(set.size()).isEqualTo(expected.size());
        List<Entry> actual = new ArrayList<>();
        set.forEach(0, false, (m, s) -> actual.add(new Entry(m, s)));
        assertThat(actual).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            Entry e = expected.get(i);
            Entry a = actual.get(i);
            assertThat(a.member()).isEqualTo(e.member());
            // The listpack stores -0 as the integer 0, as Redis's does.
            assertThat(a.score() == e.score()).isTrue();
            assertThat(set.rank(e.member())).isEqualTo(i);
            assertThat(set.score(e.member()) == e.score()).isTrue();
        }
        assertThat(set.rank(bytes("absent"))).isEqualTo(-1);
        assertThat(set.score(bytes("absent"))).isNaN();
        if (!expected.isEmpty()) {
            int from = random.nextInt(expected.size());
            List<Entry> backwards = new ArrayList<>();
            set.forEach(from, true, (m, s) -> backwards.add(new Entry(m, s)));
            assertThat(backwards).hasSize(from + 1);
            assertThat(backwards.get(0).member()).isEqualTo(expected.get(from).member());
            assertThat(backwards.get(from).member()).isEqualTo(expected.get(0).member());
        }
        for (double bound : new double[] {Double.NEGATIVE_INFINITY, -3, -0.0, 0, 1, 2.5, 50, Double.POSITIVE_INFINITY}) {
            long below = expected.stream().filter(e -> e.score() < bound).count();
            long atMost = expected.stream().filter(e -> e.score() <= bound).count();
            assertThat(set.countBelow(bound, false)).isEqualTo(below);
            assertThat(set.countBelow(bound, true)).isEqualTo(atMost);
        }
    }

    @ParameterizedTest
    @MethodSource("encodings")
    void lexRanges_sameScore(Named encoding) {
        SortedSetValue set = encoding.factory().get();
        for (String m : new String[] {"a", "b", "c", "d", "e", "f"}) {
            set.insert(bytes(m), 0);
        }
        assertThat(set.firstInLex(new LexRange(bytes("b"), false, bytes("d"), true))).isEqualTo(1);
        assertThat(set.lastInLex(new LexRange(bytes("b"), false, bytes("d"), true))).isEqualTo(2);
        assertThat(set.firstInLex(new LexRange(bytes("b"), true, LexRange.PLUS, true))).isEqualTo(2);
        assertThat(set.lastInLex(new LexRange(LexRange.MINUS, true, LexRange.PLUS, true))).isEqualTo(5);
        assertThat(set.firstInLex(new LexRange(bytes("x"), false, LexRange.PLUS, true))).isEqualTo(-1);
        assertThat(set.firstInLex(new LexRange(bytes("c"), true, bytes("c"), false))).isEqualTo(-1);
        assertThat(set.lastInLex(new LexRange(LexRange.MINUS, true, bytes("a"), true))).isEqualTo(-1);
    }

    @ParameterizedTest
    @MethodSource("encodings")
    void encodingName(Named encoding) {
        SortedSetValue set = encoding.factory().get();
        assertThat(set.type()).isEqualTo(ValueType.ZSET);
        assertThat(set.encoding()).isEqualTo(encoding.name().equals("listpack") ? "listpack" : "skiplist");
    }
}
