package io.spinel.types;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The set value across its encodings: random operations checked against a java.util model after
 * each step, under several thresholds, and every conversion Redis 7.2 makes.
 */
class SetValueTest {
    private static final SetValue.Limits DEFAULTS = new SetValue.Limits(512, 128, 64);

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static SetValue filled(SetValue.Limits limits, String... members) {
        SetValue set = SetValue.create(b(members[0]), members.length, limits);
        for (String member : members) {
            set = set.add(b(member), limits);
        }
        return set;
    }

    static Stream<Arguments> configurations() {
        List<Arguments> out = new ArrayList<>();
        SetValue.Limits[] limits = {DEFAULTS, new SetValue.Limits(8, 4, 5), new SetValue.Limits(0, 0, 0),
            new SetValue.Limits(20, 50, 3), new SetValue.Limits(3, 200, 64)};
        for (SetValue.Limits l : limits) {
            for (long seed = 1; seed <= 4; seed++) {
                out.add(Arguments.of(l, seed));
            }
        }
        return out.stream();
    }

    /** A member from a small pool mixing integers of every width, near-integers and strings. */
    private static byte[] randomMember(SplittableRandom random, boolean integersOnly) {
        int kind = integersOnly ? random.nextInt(4) : random.nextInt(8);
        return b(switch (kind) {
            case 0 -> Integer.toString(random.nextInt(-40, 40));
            case 1 -> Integer.toString(random.nextInt(-70000, 70000));
            case 2 -> Long.toString(random.nextLong());
            case 3 -> Long.toString(random.nextBoolean() ? Long.MAX_VALUE - random.nextInt(3) : Long.MIN_VALUE + random.nextInt(3));
            case 4 -> "m" + random.nextInt(60);
            case 5 -> "0" + random.nextInt(10);
            case 6 -> "x".repeat(random.nextInt(0, 10));
            default -> " " + random.nextInt(5);
        });
    }

    @ParameterizedTest
    @MethodSource("configurations")
    void randomOperations_matchModel(SetValue.Limits limits, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        boolean integersOnly = seed % 2 == 0;
        byte[] first = randomMember(random, integersOnly);
        SetValue set = SetValue.create(first, 1, limits);
        Set<ByteBuffer> model = new HashSet<>();
        for (int step = 0; step < 3000; step++) {
            byte[] member = randomMember(random, integersOnly);
            int op = random.nextInt(10);
            if (op < 6) {
                int before = set.size();
                set = set.add(member, limits);
                assertThat(set.size() > before).isEqualTo(model.add(ByteBuffer.wrap(member)));
            } else if (op < 8) {
                assertThat(set.remove(member)).isEqualTo(model.remove(ByteBuffer.wrap(member)));
            } else {
                assertThat(set.contains(member)).isEqualTo(model.contains(ByteBuffer.wrap(member)));
            }
            assertSameMembers(set, model);
            assertEncodingAllowed(set, limits);
        }
    }

    private static void assertSameMembers(SetValue set, Set<ByteBuffer> model) {
        assertThat(set.size()).isEqualTo(model.size());
        Set<ByteBuffer> seen = new HashSet<>();
        set.iterator().forEachRemaining(m -> seen.add(ByteBuffer.wrap(m)));
        assertThat(seen).isEqualTo(model);
        if (!model.isEmpty()) {
            assertThat(model).contains(ByteBuffer.wrap(set.randomMember(new SplittableRandom(7))));
        }
        SetValue copy = set.copy();
        assertThat(copy.encoding()).isEqualTo(set.encoding());
        assertThat(copy.size()).isEqualTo(set.size());
    }

    /** Sets only grow into larger encodings, so an encoding says what has been true at some point. */
    private static void assertEncodingAllowed(SetValue set, SetValue.Limits limits) {
        if (set instanceof IntSet) {
            assertThat((long) set.size()).isLessThanOrEqualTo(limits.maxIntsetEntries());
            set.iterator().forEachRemaining(m -> assertThat(StringValue.parseLong(m)).isNotNull());
        } else if (set instanceof PackedSet) {
            assertThat((long) set.size()).isLessThanOrEqualTo(limits.maxListpackEntries());
        }
    }

    @Test
    void intset_ascendingWithWidthUpgrades() {
        IntSet set = new IntSet();
        set.addInteger(5);
        assertThat(set.width()).isEqualTo(2);
        set.addInteger(-70000);
        assertThat(set.width()).isEqualTo(4);
        set.addInteger(Long.MAX_VALUE);
        set.addInteger(3);
        assertThat(set.width()).isEqualTo(8);
        assertThat(set.addInteger(3)).isFalse();
        List<String> members = new ArrayList<>();
        set.iterator().forEachRemaining(m -> members.add(new String(m, StandardCharsets.US_ASCII)));
        assertThat(members).containsExactly("-70000", "3", "5", "9223372036854775807");
        assertThat(set.removeInteger(Long.MAX_VALUE)).isTrue();
        assertThat(set.width()).isEqualTo(8);
        assertThat(set.containsInteger(-70000)).isTrue();
        assertThat(set.contains(b("0005"))).isFalse();
        assertThat(set.memoryUsage(0)).isEqualTo(24 + 16 + 24);
    }

    @Test
    void create_choosesEncodingBySizeHintAndFirstMember() {
        assertThat(SetValue.create(b("1"), 1, DEFAULTS)).isInstanceOf(IntSet.class);
        assertThat(SetValue.create(b("a"), 1, DEFAULTS)).isInstanceOf(PackedSet.class);
        assertThat(SetValue.create(b("1"), 513, DEFAULTS)).isInstanceOf(TableSet.class);
        assertThat(SetValue.create(b("1"), 200, new SetValue.Limits(100, 300, 64))).isInstanceOf(PackedSet.class);
        assertThat(SetValue.create(b("a"), 129, DEFAULTS)).isInstanceOf(TableSet.class);
    }

    @Test
    void intsetWithString_becomesListpackWhenSmallElseHashtable() {
        assertThat(filled(DEFAULTS, "3", "1", "2", "a").encoding()).isEqualTo("listpack");
        SetValue packed = filled(DEFAULTS, "3", "1", "2", "a");
        List<String> order = new ArrayList<>();
        packed.iterator().forEachRemaining(m -> order.add(new String(m, StandardCharsets.US_ASCII)));
        assertThat(order).containsExactly("1", "2", "3", "a");
        String[] many = new String[130];
        for (int i = 0; i < 129; i++) {
            many[i] = Integer.toString(i);
        }
        many[129] = "a";
        assertThat(filled(DEFAULTS, many).encoding()).isEqualTo("hashtable");
        // A number longer than set-max-listpack-value keeps the set out of a listpack.
        assertThat(filled(new SetValue.Limits(512, 128, 3), "12345", "a").encoding()).isEqualTo("hashtable");
        assertThat(filled(DEFAULTS, "1", "x".repeat(65)).encoding()).isEqualTo("hashtable");
    }

    @Test
    void thresholds_convertExactlyPastTheLimit() {
        SetValue.Limits small = new SetValue.Limits(4, 3, 5);
        assertThat(filled(small, "1", "2", "3", "4").encoding()).isEqualTo("intset");
        assertThat(filled(small, "1", "2", "3", "4", "5").encoding()).isEqualTo("hashtable");
        assertThat(filled(small, "a", "b", "c").encoding()).isEqualTo("listpack");
        assertThat(filled(small, "a", "b", "c", "d").encoding()).isEqualTo("hashtable");
        assertThat(filled(small, "a", "bbbbb").encoding()).isEqualTo("listpack");
        assertThat(filled(small, "a", "bbbbbb").encoding()).isEqualTo("hashtable");
    }

    @Test
    void reserve_convertsForLargeBatches() {
        SetValue packed = filled(DEFAULTS, "a");
        assertThat(packed.reserve(128, DEFAULTS)).isSameAs(packed);
        assertThat(packed.reserve(129, DEFAULTS).encoding()).isEqualTo("hashtable");
        SetValue ints = filled(DEFAULTS, "1");
        assertThat(ints.reserve(513, DEFAULTS).encoding()).isEqualTo("hashtable");
        assertThat(ints.reserve(513, DEFAULTS).contains(b("1"))).isTrue();
    }

    @Test
    void compacted_turnsIntegerSetsIntoIntsets() {
        SetValue table = new TableSet();
        for (int i = 0; i < 10; i++) {
            table = table.add(b(Integer.toString(i * 1000)), DEFAULTS);
        }
        SetValue compact = table.compacted(true, DEFAULTS);
        assertThat(compact.encoding()).isEqualTo("intset");
        TreeSet<Long> values = new TreeSet<>();
        compact.iterator().forEachRemaining(m -> values.add(StringValue.parseLong(m)));
        assertThat(values).hasSize(10).contains(9000L);
        assertThat(table.compacted(false, DEFAULTS)).isSameAs(table);
        assertThat(table.compacted(true, new SetValue.Limits(5, 128, 64))).isSameAs(table);
    }

    @Test
    void tableScan_returnsEveryMemberOnce() {
        SetValue set = new TableSet();
        for (int i = 0; i < 1000; i++) {
            set = set.add(b("member" + i), DEFAULTS);
        }
        Set<ByteBuffer> seen = new HashSet<>();
        long cursor = 0;
        do {
            cursor = ((TableSet) set).scan(cursor, 10, m -> assertThat(seen.add(ByteBuffer.wrap(m))).isTrue());
        } while (cursor != 0);
        assertThat(seen).hasSize(1000);
    }
}
