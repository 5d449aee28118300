package io.spinel.persistence.rdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spinel.config.Config;
import io.spinel.types.StreamId;
import io.spinel.types.StreamValue;
import io.spinel.types.StreamValue.Consumer;
import io.spinel.types.StreamValue.ConsumerGroup;
import io.spinel.types.StreamValue.Entry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Stream values in RDB: types 15 (Redis 5-6) and 21 (Redis 7.2), which no server here writes,
 * built byte by byte from the format's definition (RdbStreamReader's design comment); type 19
 * round trips through the writer; and damaged streams refused with an error naming what.
 * Files from a real Redis 7.0 (type 19, with tombstones) are covered by RdbFileIT.
 */
class RdbStreamTest {
    private final RdbValueReader reader = new RdbValueReader(new Config());

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The listpack of one node whose master ID is {@code master}, master fields "f", "g": entry
     * 1 (master+0) with the master fields, entry 2 (master ms+1, seq 5) with field "other",
     * entry 3 (master ms+2) deleted, with the master fields. Hooks let a test damage it.
     */
    private static byte[] node(long live, long deleted, long lpCountOfFirst, long secondMsDelta) {
        RedisListpack.Builder lp = new RedisListpack.Builder();
        lp.add(live).add(deleted).add(2).add(b("f")).add(b("g")).add(0);
        lp.add(2).add(0).add(0).add(b("1")).add(b("one")).add(lpCountOfFirst);
        lp.add(0).add(secondMsDelta).add(5).add(1).add(b("other")).add(b("v")).add(6);
        lp.add(3).add(2).add(0).add(b("x")).add(b("y")).add(5);
        return lp.build();
    }

    private static byte[] goodNode() {
        return node(2, 1, 5, 1);
    }

    /** A one-node stream with master ID 100-0 of type {@code type}, with a group "g" of consumer "c" owning 100-0. */
    private static byte[] stream(int type, byte[] node, long length, UnaryOperator<RdbOutput> groups) {
        RdbOutput out = new RdbOutput(64, false);
        out.writeLength(1);
        out.writeString(RdbStreamReader.rawId(new StreamId(100, 0)));
        out.writeString(node);
        out.writeLength(length);
        out.writeLength(102);
        out.writeLength(0);
        if (type != RdbFormat.TYPE_STREAM_LISTPACKS) {
            out.writeLength(100);
            out.writeLength(0);
            out.writeLength(102);
            out.writeLength(0);
            out.writeLength(3);
        }
        return groups.apply(out).toByteArray();
    }

    private static RdbOutput oneGroup(RdbOutput out, int type, long entriesRead, StreamId owned) {
        out.writeLength(1);
        out.writeString(b("g"));
        out.writeLength(100);
        out.writeLength(0);
        if (type != RdbFormat.TYPE_STREAM_LISTPACKS) {
            out.writeLength(entriesRead);
        }
        out.writeLength(1);
        out.writeBytes(RdbStreamReader.rawId(new StreamId(100, 0)));
        out.writeLittleEndian(1_700_000_000_123L, 8);
        out.writeLength(4);
        out.writeLength(1);
        out.writeString(b("c"));
        out.writeLittleEndian(1_700_000_000_456L, 8);
        if (type == RdbFormat.TYPE_STREAM_LISTPACKS_3) {
            out.writeLittleEndian(1_700_000_000_400L, 8);
        }
        out.writeLength(owned == null ? 0 : 1);
        if (owned != null) {
            out.writeBytes(RdbStreamReader.rawId(owned));
        }
        return out;
    }

    private StreamValue read(int type, byte[] bytes) throws RdbFormatException {
        RdbInput in = new RdbInput(bytes, 0, bytes.length);
        StreamValue stream = (StreamValue) reader.read(type, in, 0);
        assertThat(in.remaining()).isZero();
        return stream;
    }

    private static List<String> entries(StreamValue stream) {
        return stream.range(StreamId.MIN, StreamId.MAX, false, 0).stream()
                .map(e -> e.id() + " " + String.join(",", java.util.Arrays.stream(e.fieldsAndValues())
                        .map(f -> new String(f, StandardCharsets.US_ASCII)).toList()))
                .toList();
    }

    @Test
    void type21_readsEntriesTombstonesGroupsAndActiveTime() throws RdbFormatException {
        int type = RdbFormat.TYPE_STREAM_LISTPACKS_3;
        StreamValue stream = read(type, stream(type, goodNode(), 2, out -> oneGroup(out, type, -1, new StreamId(100, 0))));
        assertThat(entries(stream)).containsExactly("100-0 f,1,g,one", "101-5 other,v");
        assertThat(stream.lastId()).isEqualTo(new StreamId(102, 0));
        assertThat(stream.firstId()).isEqualTo(new StreamId(100, 0));
        assertThat(stream.maxDeletedId()).isEqualTo(new StreamId(102, 0));
        assertThat(stream.entriesAdded()).isEqualTo(3);
        assertThat(stream.blockCount()).isEqualTo(1);
        ConsumerGroup group = stream.group(b("g"));
        assertThat(group.entriesRead).isEqualTo(StreamValue.INVALID_ENTRIES_READ);
        Consumer consumer = group.consumers.get(b("c"));
        assertThat(consumer.seenTime).isEqualTo(1_700_000_000_456L);
        assertThat(consumer.activeTime).isEqualTo(1_700_000_000_400L);
        assertThat(group.pel.get(new StreamId(100, 0)).consumer).isSameAs(consumer);
        assertThat(group.pel.get(new StreamId(100, 0)).deliveryCount).isEqualTo(4);
        assertThat(group.pel.get(new StreamId(100, 0)).deliveryTime).isEqualTo(1_700_000_000_123L);
    }

    @Test
    void type15_estimatesTheMissingCountersAsRedis() throws RdbFormatException {
        int type = RdbFormat.TYPE_STREAM_LISTPACKS;
        StreamValue stream = read(type, stream(type, goodNode(), 2, out -> oneGroup(out, type, 0, new StreamId(100, 0))));
        assertThat(stream.entriesAdded()).isEqualTo(2);
        assertThat(stream.maxDeletedId()).isEqualTo(StreamId.MIN);
        assertThat(stream.firstId()).isEqualTo(new StreamId(100, 0));
        // The group's last ID is the first entry: entries-read is its distance from the start.
        assertThat(stream.group(b("g")).entriesRead).isEqualTo(1);
        Consumer consumer = stream.group(b("g")).consumers.get(b("c"));
        assertThat(consumer.activeTime).isEqualTo(consumer.seenTime);
    }

    @Test
    void type19_roundTripsThroughTheWriter() throws RdbFormatException {
        int type = RdbFormat.TYPE_STREAM_LISTPACKS_3;
        StreamValue stream = read(type, stream(type, goodNode(), 2, out -> oneGroup(out, type, 7, new StreamId(100, 0))));
        stream.append(new StreamId(-1, -1), new byte[][] {b("f"), b("-9223372036854775808"), b("g"), b("")}, 0, 2, 4096, 100);
        RdbOutput out = new RdbOutput(64, true);
        assertThat(RdbValueWriter.write(out, null, stream)).isEqualTo(RdbFormat.VERSION);
        byte[] bytes = out.toByteArray();
        assertThat(bytes[0]).isEqualTo((byte) RdbFormat.TYPE_STREAM_LISTPACKS_2);
        RdbInput in = new RdbInput(bytes, 1, bytes.length);
        StreamValue copy = (StreamValue) reader.read(RdbFormat.TYPE_STREAM_LISTPACKS_2, in, 0);
        assertThat(entries(copy)).isEqualTo(entries(stream)).hasSize(3);
        assertThat(copy.lastId()).isEqualTo(StreamId.MAX);
        assertThat(copy.entriesAdded()).isEqualTo(stream.entriesAdded());
        assertThat(copy.maxDeletedId()).isEqualTo(stream.maxDeletedId());
        assertThat(copy.blockCount()).isEqualTo(stream.blockCount());
        assertThat(copy.group(b("g")).entriesRead).isEqualTo(7);
        assertThat(copy.group(b("g")).pel.keySet()).containsExactly(new StreamId(100, 0));
        List<Entry> last = copy.range(StreamId.MIN, StreamId.MAX, true, 1);
        assertThat(last.get(0).fieldsAndValues()[1]).isEqualTo(b("-9223372036854775808"));
    }

    @Test
    void entriesReadOfMinusOne_roundTripsAsAnUnsignedLength() throws RdbFormatException {
        int type = RdbFormat.TYPE_STREAM_LISTPACKS_2;
        StreamValue stream = read(type, stream(type, goodNode(), 2, out -> oneGroup(out, type, -1, new StreamId(100, 0))));
        RdbOutput out = new RdbOutput(64, false);
        RdbValueWriter.write(out, null, stream);
        byte[] bytes = out.toByteArray();
        StreamValue copy = (StreamValue) reader.read(type, new RdbInput(bytes, 1, bytes.length), 0);
        assertThat(copy.group(b("g")).entriesRead).isEqualTo(StreamValue.INVALID_ENTRIES_READ);
    }

    private void refused(byte[] bytes, String message) {
        int type = RdbFormat.TYPE_STREAM_LISTPACKS_2;
        assertThatThrownBy(() -> reader.read(type, new RdbInput(bytes, 0, bytes.length), 0))
                .isInstanceOf(RdbFormatException.class).hasMessageContaining(message).hasMessageContaining("at offset");
    }

    @Test
    void damagedStreams_areRefusedNamingWhat() {
        int type = RdbFormat.TYPE_STREAM_LISTPACKS_2;
        UnaryOperator<RdbOutput> group = out -> oneGroup(out, type, 1, new StreamId(100, 0));
        refused(stream(type, node(3, 0, 5, 1), 2, group), "counters 3/0 differ from its 2 live and 1 deleted entries");
        refused(stream(type, node(1, 1, 5, 1), 2, group), "elements after its last entry");
        refused(stream(type, node(3, 1, 5, 1), 2, group), "ends before the entry flags");
        refused(stream(type, node(2, 1, 4, 1), 2, group), "lp-count");
        refused(stream(type, node(2, 1, 5, 3), 2, group), "entry ID 102-0 out of order");
        refused(stream(type, goodNode(), 3, group), "stream length 3 differs from its 2 live entries");
        refused(stream(type, goodNode(), 2, out -> oneGroup(out, type, 1, new StreamId(100, 1))),
                "stream consumer PEL entry 100-1 not in the group's PEL");
        refused(stream(type, goodNode(), 2, out -> oneGroup(out, type, 1, null)), "stream group PEL entry 100-0 without consumer");
        byte[] good = stream(type, goodNode(), 2, group);
        byte[] shortKey = good.clone();
        shortKey[1] = 15;
        refused(shortKey, "stream node key of 15 bytes");
        byte[] badListpack = goodNode();
        badListpack[6] = (byte) 0xE7;
        refused(stream(type, badListpack, 2, group), "listpack entry past its end in stream node 0 listpack");
        byte[] hugeCount = good.clone();
        hugeCount[0] = (byte) 0x80;
        refused(java.util.Arrays.copyOf(hugeCount, 3), "stream listpacks count");
    }
}
