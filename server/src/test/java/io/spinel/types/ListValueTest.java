package io.spinel.types;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Random operations on lists against a java.util model, across fills that make every encoding and conversion happen. */
class ListValueTest {
    private Random random;
    private int fill;
    private int depth;
    private boolean sawCompressed;

    @ParameterizedTest
    @CsvSource({"1,0", "2,0", "5,0", "128,0", "-1,0", "-2,0", "3,1", "40,2", "-1,1"})
    void randomOperations_matchModel(int fillValue, int compressDepth) {
        fill = fillValue;
        depth = compressDepth;
        random = new Random(fillValue * 31L + 7);
        ListValue list = new PackedList();
        List<String> model = new ArrayList<>();
        boolean sawQuicklist = false;
        boolean sawBackToListpack = false;
        for (int step = 0; step < 20_000; step++) {
            String before = list.encoding();
            list = apply(list, model, random.nextInt(10));
            if (list.length() == 0) {
                list = new PackedList();
            }
            sawQuicklist |= list.encoding().equals("quicklist");
            sawBackToListpack |= before.equals("quicklist") && list.encoding().equals("listpack");
            if (step % 97 == 0) {
                check(list, model);
            }
        }
        check(list, model);
        assertThat(sawQuicklist).isTrue();
        assertThat(sawBackToListpack).isTrue();
        assertThat(sawCompressed).isEqualTo(depth > 0);
    }

    private ListValue apply(ListValue list, List<String> model, int op) {
        switch (op) {
            case 0, 1, 2 -> {
                String v = element();
                boolean head = random.nextBoolean();
                list = ListValue.beforeAdding(list, v.length(), 1, fill, depth);
                list.push(head, bytes(v));
                if (head) {
                    model.add(0, v);
                } else {
                    model.add(v);
                }
            }
            case 3, 4 -> {
                boolean head = random.nextBoolean();
                byte[] popped = list.pop(head);
                if (model.isEmpty()) {
                    assertThat(popped).isNull();
                } else {
                    assertThat(text(popped)).isEqualTo(model.remove(head ? 0 : model.size() - 1));
                }
                list = ListValue.afterRemoving(list, fill);
            }
            case 5 -> {
                if (!model.isEmpty()) {
                    int i = random.nextInt(model.size());
                    assertThat(text(list.index(i))).isEqualTo(model.get(i));
                    assertThat(text(list.index(i - model.size()))).isEqualTo(model.get(i));
                    String v = element();
                    list = ListValue.beforeAdding(list, v.length(), 1, fill, depth);
                    assertThat(list.set(i, bytes(v))).isTrue();
                    model.set(i, v);
                    list = ListValue.afterRemoving(list, fill);
                }
                assertThat(list.index(model.size())).isNull();
            }
            case 6 -> {
                String pivot = model.isEmpty() || random.nextInt(5) == 0 ? "nope" : model.get(random.nextInt(model.size()));
                String v = element();
                boolean after = random.nextBoolean();
                list = ListValue.beforeAdding(list, v.length(), 1, fill, depth);
                int at = model.indexOf(pivot);
                assertThat(list.insert(bytes(pivot), bytes(v), after)).isEqualTo(at >= 0);
                if (at >= 0) {
                    model.add(after ? at + 1 : at, v);
                }
            }
            case 7 -> {
                String v = model.isEmpty() ? "x" : model.get(random.nextInt(model.size()));
                int count = random.nextInt(5) - 2;
                long expected = removeFromModel(model, v, count);
                assertThat(list.remove(bytes(v), count)).isEqualTo(expected);
                list = ListValue.afterRemoving(list, fill);
            }
            case 8 -> {
                if (random.nextInt(20) == 0 && !model.isEmpty()) {
                    int fromHead = random.nextInt(Math.min(model.size(), 10) + 1);
                    int fromTail = random.nextInt(Math.min(model.size() - fromHead, 10) + 1);
                    list.trim(fromHead, fromTail);
                    model.subList(0, fromHead).clear();
                    model.subList(model.size() - fromTail, model.size()).clear();
                    list = ListValue.afterRemoving(list, fill);
                }
            }
            default -> {
                if (!model.isEmpty()) {
                    int from = random.nextInt(model.size());
                    boolean forward = random.nextBoolean();
                    ListCursor cursor = list.cursor(from, forward);
                    for (int i = from; i >= 0 && i < model.size(); i += forward ? 1 : -1) {
                        assertThat(cursor.valid()).isTrue();
                        assertThat(text(cursor.bytes())).isEqualTo(model.get(i));
                        cursor.advance();
                    }
                    assertThat(cursor.valid()).isFalse();
                }
            }
        }
        return list;
    }

    private static long removeFromModel(List<String> model, String v, int count) {
        long removed = 0;
        if (count >= 0) {
            for (int i = 0; i < model.size() && (count == 0 || removed < count); ) {
                if (model.get(i).equals(v)) {
                    model.remove(i);
                    removed++;
                } else {
                    i++;
                }
            }
        } else {
            for (int i = model.size() - 1; i >= 0 && removed < -count; i--) {
                if (model.get(i).equals(v)) {
                    model.remove(i);
                    removed++;
                }
            }
        }
        return removed;
    }

    private String element() {
        int kind = random.nextInt(100);
        if (kind < 40) {
            return Integer.toString(random.nextInt(20) - 5);
        }
        if (kind < 50) {
            return Long.toString(random.nextLong() >> random.nextInt(64));
        }
        if (kind == 99) {
            return "L".repeat(9000);
        }
        return "v" + "x".repeat(random.nextInt(kind < 95 ? 20 : 300));
    }

    private void check(ListValue list, List<String> model) {
        if (list instanceof QuickList quick) {
            for (int i = 0; i < quick.nodeCount(); i++) {
                boolean nearEnd = i < depth || i >= quick.nodeCount() - depth;
                if (nearEnd || depth == 0) {
                    assertThat(quick.isCompressed(i)).as("node %d of %d", i, quick.nodeCount()).isFalse();
                }
                sawCompressed |= quick.isCompressed(i);
            }
        }
        assertThat(list.length()).isEqualTo(model.size());
        long total = 0;
        for (int i = 0; i < list.nodeCount(); i++) {
            PackedList node = list.node(i);
            if (list instanceof QuickList) {
                assertThat(node.size()).isPositive();
            }
            total += node.size();
            int bytes = PackedList.EMPTY_BYTES;
            for (int p = node.first(); p >= 0; p = node.next(p)) {
                bytes += PackedList.redisEntrySize(node.bytesAt(p));
            }
            assertThat(node.redisBytes()).isEqualTo(bytes);
        }
        if (list instanceof QuickList) {
            assertThat(total).isEqualTo(model.size());
        }
        List<String> actual = new ArrayList<>();
        if (!model.isEmpty()) {
            ListCursor cursor = list.cursor(0, true);
            while (cursor.valid()) {
                actual.add(text(cursor.bytes()));
                cursor.advance();
            }
        }
        assertThat(actual).isEqualTo(model);
        assertThat(text(list.copy() instanceof ListValue copy && copy.length() > 0 ? copy.index(-1) : null))
                .isEqualTo(model.isEmpty() ? null : model.get(model.size() - 1));
    }

    @Test
    void index_millionElementsInTheMiddle() {
        ListValue list = new PackedList();
        for (int i = 0; i < 1_000_000; i++) {
            list = ListValue.beforeAdding(list, 7, 1, -2, 0);
            list.push(false, bytes("e" + i));
        }
        assertThat(list.encoding()).isEqualTo("quicklist");
        long start = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            assertThat(text(list.index(500_000 + i))).isEqualTo("e" + (500_000 + i));
        }
        assertThat(System.nanoTime() - start).isLessThan(2_000_000_000L);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String text(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.ISO_8859_1);
    }
}
