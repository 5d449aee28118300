package io.spinel.types;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both sorted set encodings driven by the same random operations as a plain Java model (a map and
 * a sorted list); after every step the whole order, ranks, score counts and walks are compared.
 */
class SortedSetValueTest {
    static Stream<Named> encodings() {
        return Stream.of(new Named("listpack", PackedSortedSet::new), new Named("skiplist", SkiplistSortedSet::new),
                new Named("skiplist with nodes of 8", () -> new SkiplistSortedSet(8)),
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

    /**
     * Members loaded in ascending order (as a load or a copy inserts them: full nodes), then removed
     * in runs and then in random order, so nodes merge and even out down to a single leaf.
     */
    @Test
    void ascendingLoad_thenRemovals_matchModel() {
        for (int capacity : new int[] {4, 8, 64}) {
            SplittableRandom random = new SplittableRandom(capacity);
            SkiplistSortedSet set = new SkiplistSortedSet(capacity);
            Map<String, Double> model = new HashMap<>();
            List<String> names = new ArrayList<>();
            for (int i = 0; i < 3000; i++) {
                String name = String.format("m%05d", i);
                set.insert(bytes(name), i / 3);
                model.put(name, (double) (i / 3));
                names.add(name);
            }
            check(set, model, random);
            // The ascending load filled every node, so the members under one inner node above the
            // leaves are a run of capacity^2: every third such run loses all but two members
            // first, which leaves inner nodes of one child beside full ones.
            int run = capacity * capacity;
            for (int i = 0; i < names.size(); i++) {
                if (i / run % 3 == 1 && i % run >= 2) {
                    assertThat(set.remove(bytes(names.get(i)))).isTrue();
                    model.remove(names.get(i));
                }
            }
            names.removeIf(name -> !model.containsKey(name));
            check(set, model, random);
            Collections.shuffle(names, new Random(capacity));
            for (int i = 0; i < names.size(); i++) {
                assertThat(set.remove(bytes(names.get(i)))).isTrue();
                model.remove(names.get(i));
                if (i % 500 == 0 || model.size() < 40) {
                    check(set, model, random);
                }
            }
            assertThat(set.size()).isZero();
        }
    }

    /** Lex ranges on a deep tree of one score, after removals left bounds that are no longer members. */
    @Test
    void lexRanges_deepTree_matchModel() {
        SplittableRandom random = new SplittableRandom(7);
        SkiplistSortedSet set = new SkiplistSortedSet(8);
        List<String> members = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String name = Integer.toString(random.nextInt(100_000));
            if (!members.contains(name)) {
                members.add(name);
                set.insert(bytes(name), 1);
            }
        }
        for (int i = 0; i < 150; i++) {
            set.remove(bytes(members.remove(random.nextInt(members.size()))));
        }
        List<byte[]> sorted = new ArrayList<>(members.stream().map(SortedSetValueTest::bytes).toList());
        sorted.sort(Arrays::compareUnsigned);
        for (int i = 0; i < 300; i++) {
            byte[] min = bytes(Integer.toString(random.nextInt(100_000)));
            byte[] max = bytes(Integer.toString(random.nextInt(100_000)));
            LexRange range = new LexRange(min, random.nextBoolean(), max, random.nextBoolean());
            long first = -1;
            long last = -1;
            for (int r = 0; r < sorted.size(); r++) {
                if (range.aboveMin(sorted.get(r)) && range.belowMax(sorted.get(r))) {
                    first = first < 0 ? r : first;
                    last = r;
                }
            }
            assertThat(set.firstInLex(range)).as("first in %s", range).isEqualTo(first);
            assertThat(set.lastInLex(range)).as("last in %s", range).isEqualTo(last);
        }
    }

    /** Long random churn on a deep tree of small nodes, so inner nodes also merge and even out. */
    @Test
    void randomChurn_smallNodes_matchModel() {
        SplittableRandom random = new SplittableRandom(11);
        SkiplistSortedSet set = new SkiplistSortedSet(8);
        Map<String, Double> model = new HashMap<>();
        for (int step = 0; step < 60_000; step++) {
            // The population swings between about 100 and 3,000 members.
            boolean growing = (step / 10_000) % 2 == 0;
            String name = "m" + random.nextInt(4000);
            if (random.nextInt(10) < (growing ? 7 : 3)) {
                double score = random.nextInt(50);
                if (model.containsKey(name)) {
                    set.update(bytes(name), score);
                } else {
                    set.insert(bytes(name), score);
                }
                model.put(name, score);
            } else {
                assertThat(set.remove(bytes(name))).isEqualTo(model.remove(name) != null);
            }
            if (step % 2500 == 0) {
                check(set, model, random);
            }
        }
        check(set, model, random);
    }
}
