package io.spinel.types;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * StreamValue against a plain sorted map of entries: appends across blocks of every size,
 * ranges both ways, deletions and trims; plus the block and radix-tree counts Redis reports.
 */
class StreamValueTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[][] pairs(String... fieldsAndValues) {
        byte[][] out = new byte[fieldsAndValues.length][];
        for (int i = 0; i < out.length; i++) {
            out[i] = b(fieldsAndValues[i]);
        }
        return out;
    }

    private static void add(StreamValue stream, long ms, long seq, long nodeMaxEntries, String... fieldsAndValues) {
        stream.append(new StreamId(ms, seq), pairs(fieldsAndValues), 0, fieldsAndValues.length / 2, 4096,
                nodeMaxEntries);
    }

    private static List<String> ids(List<StreamValue.Entry> entries) {
        List<String> out = new ArrayList<>();
        for (StreamValue.Entry entry : entries) {
            out.add(entry.id().toString());
        }
        return out;
    }

    private static String text(byte[][] fieldsAndValues) {
        StringBuilder out = new StringBuilder();
        for (byte[] value : fieldsAndValues) {
            out.append(new String(value, StandardCharsets.ISO_8859_1)).append(' ');
        }
        return out.toString().trim();
    }

    /** The same random appends, deletions and trims on a stream and on a sorted map agree at every step. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 100, 0})
    void randomOperations_matchASortedMap(long nodeMaxEntries) {
        SplittableRandom random = new SplittableRandom(nodeMaxEntries * 31 + 7);
        StreamValue stream = new StreamValue();
        TreeMap<StreamId, String> model = new TreeMap<>();
        long ms = 1;
        for (int step = 0; step < 2000; step++) {
            int dice = random.nextInt(10);
            if (dice < 6) {
                ms += random.nextInt(3);
                StreamId id = stream.lastId().ms() == ms ? new StreamId(ms, stream.lastId().seq() + 1)
                        : new StreamId(ms, 0);
                String value = Integer.toString(random.nextInt(1000));
                if (random.nextBoolean()) {
                    add(stream, id.ms(), id.seq(), nodeMaxEntries, "f", value, "g", "x");
                    model.put(id, "f " + value + " g x");
                } else {
                    add(stream, id.ms(), id.seq(), nodeMaxEntries, "other", value);
                    model.put(id, "other " + value);
                }
            } else if (dice < 8 && !model.isEmpty()) {
                int pick = random.nextInt(3);
                StreamId victim = pick == 0 ? model.firstKey() : pick == 1 ? model.lastKey()
                        : new StreamId(1 + random.nextLong(ms), random.nextInt(3));
                assertThat(stream.delete(victim)).isEqualTo(model.remove(victim) != null);
            } else if (dice == 8) {
                long maxLen = random.nextInt(40);
                long removed = stream.trim(maxLen, null, false, 0);
                long expected = Math.max(0, model.size() - maxLen);
                assertThat(removed).isEqualTo(expected);
                while (model.size() > maxLen) {
                    model.pollFirstEntry();
                }
            } else {
                StreamId minId = new StreamId(Math.max(1, ms - random.nextInt(20)), 0);
                long removed = stream.trim(0, minId, false, 0);
                long expected = model.headMap(minId).size();
                assertThat(removed).isEqualTo(expected);
                model.headMap(minId).clear();
            }
            stream.refreshFirstId();
            assertThat(stream.length()).isEqualTo(model.size());
            assertThat(stream.lastValidId()).isEqualTo(model.isEmpty() ? StreamId.MIN : model.lastKey());
            if (step % 50 == 0) {
                List<StreamValue.Entry> all = stream.range(StreamId.MIN, StreamId.MAX, false, 0);
                assertThat(ids(all)).containsExactlyElementsOf(model.keySet().stream().map(StreamId::toString).toList());
                for (StreamValue.Entry entry : all) {
                    assertThat(text(entry.fieldsAndValues())).isEqualTo(model.get(entry.id()));
                }
                List<String> reversed = ids(stream.range(StreamId.MIN, StreamId.MAX, true, 0));
                assertThat(reversed).containsExactlyElementsOf(
                        model.descendingKeySet().stream().map(StreamId::toString).toList());
            }
        }
    }

    @Test
    void range_boundsAndCountBothWays() {
        StreamValue stream = new StreamValue();
        for (int i = 1; i <= 10; i++) {
            add(stream, i, 0, 3, "f", Integer.toString(i));
        }
        assertThat(ids(stream.range(new StreamId(3, 0), new StreamId(6, 0), false, 0)))
                .containsExactly("3-0", "4-0", "5-0", "6-0");
        assertThat(ids(stream.range(new StreamId(3, 0), new StreamId(6, 0), true, 2))).containsExactly("6-0", "5-0");
        assertThat(ids(stream.range(new StreamId(3, 1), new StreamId(3, 5), false, 0))).isEmpty();
        assertThat(ids(stream.range(new StreamId(6, 0), new StreamId(3, 0), false, 0))).isEmpty();
        assertThat(stream.get(new StreamId(7, 0)).fieldsAndValues()[1]).isEqualTo(b("7"));
        assertThat(stream.get(new StreamId(7, 1))).isNull();
        assertThat(stream.blockCount()).isEqualTo(4);
    }

    @Test
    void approximateTrim_removesWholeBlocksOnly() {
        StreamValue stream = new StreamValue();
        for (int i = 1; i <= 10; i++) {
            add(stream, i, 0, 3, "f", "v");
        }
        assertThat(stream.trim(5, null, true, 0)).isEqualTo(3);
        assertThat(stream.length()).isEqualTo(7);
        assertThat(stream.trim(0, null, true, 4)).isEqualTo(3); // the limit stops before the second block
        assertThat(stream.firstId()).isEqualTo(new StreamId(7, 0));
    }

    @Test
    void radixTreeNodes_countTheCompressedTrieOfBlockKeys() {
        StreamValue stream = new StreamValue();
        assertThat(stream.radixTreeNodes()).isEqualTo(1);
        add(stream, 1, 1, 1, "a", "1");
        assertThat(stream.radixTreeNodes()).isEqualTo(2);
        add(stream, 1, 2, 1, "a", "1");
        // A compressed node for the 15 shared bytes, a branch on the last one, two leaves.
        assertThat(stream.radixTreeNodes()).isEqualTo(4);
        add(stream, 2, 0, 1, "a", "1");
        assertThat(stream.radixTreeNodes()).isEqualTo(8);
    }

    @Test
    void lag_followsRedisSevenBookkeeping() {
        StreamValue stream = new StreamValue();
        for (int i = 1; i <= 3; i++) {
            add(stream, 1, i, 100, "f", "v");
        }
        StreamValue.ConsumerGroup group = stream.createGroup(b("g"), StreamId.MIN, StreamValue.INVALID_ENTRIES_READ);
        assertThat(stream.lag(group)).isEqualTo(3);
        stream.delivered(group, new StreamId(1, 1));
        assertThat(group.entriesRead).isEqualTo(1);
        stream.delete(new StreamId(1, 2));
        assertThat(stream.lag(group)).isNull(); // a tombstone after the group's last ID
        // As in Redis, the counter goes on by one: no tombstone lies after 1-3, the one before is not seen.
        stream.delivered(group, new StreamId(1, 3));
        assertThat(group.entriesRead).isEqualTo(2);
        assertThat(stream.lag(group)).isEqualTo(1);
    }

    @Test
    void copy_isIndependent() {
        StreamValue stream = new StreamValue();
        add(stream, 1, 1, 100, "f", "v");
        StreamValue.ConsumerGroup group = stream.createGroup(b("g"), StreamId.MIN, 0);
        StreamValue.Consumer consumer = group.createConsumer(b("c"), 5);
        group.deliver(new StreamId(1, 1), consumer, 5);
        StreamValue copy = stream.copy();
        add(copy, 2, 0, 100, "f", "w");
        copy.group(b("g")).acknowledge(new StreamId(1, 1));
        assertThat(stream.length()).isEqualTo(1);
        assertThat(group.pel).hasSize(1);
        assertThat(consumer.pel).hasSize(1);
        assertThat(copy.length()).isEqualTo(2);
        assertThat(copy.group(b("g")).consumers.get(b("c")).pel).isEmpty();
    }
}
