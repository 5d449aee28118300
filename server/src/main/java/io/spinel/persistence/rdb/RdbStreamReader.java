package io.spinel.persistence.rdb;

import io.spinel.types.StreamId;
import io.spinel.types.StreamValue;
import io.spinel.types.StreamValue.Consumer;
import io.spinel.types.StreamValue.ConsumerGroup;
import io.spinel.types.StreamValue.Nack;
import io.spinel.types.StringValue;
import java.util.List;

/**
 * Reads a stream value of RDB type STREAM_LISTPACKS (15, Redis 5-6), STREAM_LISTPACKS_2 (19,
 * Redis 7.0) or STREAM_LISTPACKS_3 (21, Redis 7.2), as Redis's rdbLoadObject defines them.
 *
 * <h2>Layout</h2>
 * The number of listpacks, then per listpack its radix-tree key (the master ID, 16 bytes
 * big-endian) and the listpack. Inside a listpack: the master entry (live count, deleted count,
 * field count, the fields, a 0), then per entry its flags (1 deleted, 2 same fields as the
 * master), the ID as deltas from the master ID, then either the values (flag 2) or the field
 * count and the fields and values alternating, and the entry's element count ("lp-count"). Then the stream's length and last ID; from
 * type 19 the first ID, the largest deleted ID and the entries-added counter. Then the groups:
 * name, last delivered ID, from type 19 the entries-read counter (-1 written as an unsigned
 * length), the group's PEL (16-byte ID, 8-byte delivery time, delivery count), the consumers
 * (name, seen time, from type 21 the active time, the IDs of the PEL entries they own).
 *
 * <h2>Checks</h2>
 * Deeper than Redis's sanitizer, because Spinel's binary searches need a well-formed stream:
 * counts are bounded by the bytes left before allocating; every listpack is validated whole
 * (encodings, back lengths, terminator) and its master entry, entry layout and lp-counts
 * checked; live and deleted entries must match the listpack's counters; IDs ascend strictly
 * across the whole stream, start at or above their node's master ID, and stay at or below the
 * last ID; the length is the sum of live entries; a PEL entry appears once, is owned by exactly
 * one consumer, and a consumer owns only entries of its group's PEL. Errors name what was read
 * and the offset (for a listpack, the offset after it).
 *
 * <p>Stateless; one call per value.
 */
final class RdbStreamReader {
    private static final int FLAG_DELETED = 1;
    private static final int FLAG_SAME_FIELDS = 2;
    /** The raw IDs of PELs: 16 bytes, ms then seq, big-endian (streamEncodeID). */
    private static final int RAW_ID = 16;

    private RdbStreamReader() {
    }

    /** Reads the stream value of RDB type {@code type} (15, 19 or 21). */
    static StreamValue read(int type, RdbInput in) throws RdbFormatException {
        boolean v2 = type != RdbFormat.TYPE_STREAM_LISTPACKS;
        boolean v3 = type == RdbFormat.TYPE_STREAM_LISTPACKS_3;
        StreamValue stream = new StreamValue();
        // A node takes at least its 17-byte key and a 7-byte listpack with its length byte.
        int nodes = in.readCount("stream listpacks count", 25);
        StreamId previous = null;
        long live = 0;
        for (int n = 0; n < nodes; n++) {
            byte[] key = in.readString("stream node key");
            if (key.length != RAW_ID) {
                throw in.error("stream node key of " + key.length + " bytes (a stream ID has 16)");
            }
            StreamId master = rawId(key, 0);
            if (previous != null && master.compareTo(previous) <= 0) {
                throw in.error("stream node " + n + " master ID " + master + " not above the previous entry " + previous);
            }
            byte[] blob = in.readString("stream listpack");
            NodeResult node = readNode(stream, master, blob, in, n);
            live += node.live;
            previous = node.lastId == null ? master : node.lastId;
        }
        long length = in.readLength("stream length");
        StreamId lastId = readId(in, "stream last ID");
        StreamId firstId;
        StreamId maxDeleted = StreamId.MIN;
        long entriesAdded = length;
        if (v2) {
            firstId = readId(in, "stream first ID");
            maxDeleted = readId(in, "stream max deleted ID");
            entriesAdded = in.readLength("stream entries added");
        } else {
            firstId = null;
        }
        if (length != live) {
            throw in.error("stream length " + length + " differs from its " + live + " live entries");
        }
        if (previous != null && previous.compareTo(lastId) > 0) {
            throw in.error("stream entry " + previous + " above the stream's last ID " + lastId);
        }
        if (entriesAdded < length) {
            throw in.error("stream entries added " + entriesAdded + " below its length " + length);
        }
        stream.loadMetadata(length, lastId, firstId == null ? StreamId.MIN : firstId, maxDeleted, entriesAdded);
        if (firstId == null) {
            // Type 15 has no first ID: Redis reads it from the entries (streamGetEdgeID).
            stream.refreshFirstId();
        }
        readGroups(stream, in, v2, v3);
        return stream;
    }

    private record NodeResult(long live, StreamId lastId) {
    }

    /** Validates one node's listpack and loads its entries into {@code stream}. */
    private static NodeResult readNode(StreamValue stream, StreamId master, byte[] blob, RdbInput in, int n)
            throws RdbFormatException {
        String what = "stream node " + n + " listpack";
        List<byte[]> elements;
        try {
            elements = RedisListpack.decode(blob, what);
        } catch (RdbFormatException e) {
            throw in.error(e.getMessage());
        }
        Cursor c = new Cursor(elements, what, in);
        long count = c.integer("live count");
        long deleted = c.integer("deleted count");
        long masterFieldCount = c.integer("master field count");
        if (count < 0 || deleted < 0 || masterFieldCount < 0 || count + deleted > elements.size()
                || masterFieldCount > elements.size()) {
            throw in.error(what + ": impossible master entry counters " + count + "/" + deleted + "/" + masterFieldCount);
        }
        byte[][] masterFields = new byte[(int) masterFieldCount][];
        for (int i = 0; i < masterFields.length; i++) {
            masterFields[i] = c.next("master field");
        }
        if (c.integer("master entry terminator") != 0) {
            throw in.error(what + ": master entry not terminated by 0");
        }
        stream.loadBlock(master, masterFields, (int) count, (int) deleted, blob.length);
        StreamId last = null;
        long liveSeen = 0;
        long deletedSeen = 0;
        for (long e = 0; e < count + deleted; e++) {
            long flags = c.integer("entry flags");
            if ((flags & ~(FLAG_DELETED | FLAG_SAME_FIELDS)) != 0) {
                throw in.error(what + ": entry " + e + " has unknown flags " + flags);
            }
            StreamId id = new StreamId(master.ms() + c.integer("entry ID ms delta"), master.seq() + c.integer("entry ID seq delta"));
            if (id.compareTo(master) < 0 || (last != null && id.compareTo(last) <= 0)) {
                throw in.error(what + ": entry ID " + id + " out of order");
            }
            last = id;
            boolean same = (flags & FLAG_SAME_FIELDS) != 0;
            long fields = same ? masterFieldCount : c.integer("entry field count");
            if (fields < 0 || fields > c.left()) {
                throw in.error(what + ": entry " + id + " field count " + fields + " larger than the listpack");
            }
            byte[][] pairs = new byte[(int) fields * 2][];
            for (int i = 0; i < fields; i++) {
                pairs[2 * i] = same ? masterFields[i] : c.next("entry field");
                pairs[2 * i + 1] = c.next("entry value");
            }
            long expectedCount = same ? fields + 3 : 2 * fields + 4;
            if (c.integer("entry lp-count") != expectedCount) {
                throw in.error(what + ": entry " + id + " lp-count differs from its " + expectedCount + " elements");
            }
            boolean isDeleted = (flags & FLAG_DELETED) != 0;
            if (isDeleted) {
                deletedSeen++;
            } else {
                liveSeen++;
            }
            stream.loadEntry(id, pairs, isDeleted);
        }
        if (c.left() != 0) {
            throw in.error(what + ": " + c.left() + " elements after its last entry");
        }
        if (liveSeen != count || deletedSeen != deleted) {
            throw in.error(what + ": counters " + count + "/" + deleted + " differ from its " + liveSeen
                    + " live and " + deletedSeen + " deleted entries");
        }
        return new NodeResult(count, last);
    }

    /** Walks the decoded elements of one listpack; every read names what it expected. */
    private static final class Cursor {
        private final List<byte[]> elements;
        private final String what;
        private final RdbInput in;
        private int index;

        Cursor(List<byte[]> elements, String what, RdbInput in) {
            this.elements = elements;
            this.what = what;
            this.in = in;
        }

        int left() {
            return elements.size() - index;
        }

        byte[] next(String element) throws RdbFormatException {
            if (index == elements.size()) {
                throw in.error(what + ": ends before the " + element);
            }
            return elements.get(index++);
        }

        long integer(String element) throws RdbFormatException {
            byte[] bytes = next(element);
            Long value = StringValue.parseLong(bytes);
            if (value == null) {
                throw in.error(what + ": " + element + " is not an integer");
            }
            return value;
        }
    }

    private static void readGroups(StreamValue stream, RdbInput in, boolean v2, boolean v3) throws RdbFormatException {
        // A group takes at least a 1-byte name, two 1-byte IDs, a PEL and a consumer count.
        int groups = in.readCount("stream group count", 5);
        for (int g = 0; g < groups; g++) {
            byte[] name = in.readString("stream group name");
            StreamId lastId = readId(in, "stream group last ID");
            long entriesRead = v2 ? in.readUnsignedLength("stream group entries read")
                    : stream.estimateDistanceFromFirstEverEntry(lastId);
            if (entriesRead < StreamValue.INVALID_ENTRIES_READ) {
                throw in.error("stream group entries read " + Long.toUnsignedString(entriesRead) + " out of range");
            }
            ConsumerGroup group = stream.createGroup(name, lastId, entriesRead);
            if (group == null) {
                throw in.error("duplicate stream group name");
            }
            int pending = in.readCount("stream group PEL size", RAW_ID + 9);
            for (int i = 0; i < pending; i++) {
                StreamId id = rawId(in.readBytes(RAW_ID, "stream PEL ID"), 0);
                Nack nack = new Nack(null, in.readLittleEndian(8, "stream PEL delivery time"));
                nack.deliveryCount = in.readLength("stream PEL delivery count");
                if (group.pel.putIfAbsent(id, nack) != null) {
                    throw in.error("duplicate stream PEL entry " + id);
                }
            }
            int consumers = in.readCount("stream consumer count", v3 ? 18 : 10);
            for (int i = 0; i < consumers; i++) {
                byte[] consumerName = in.readString("stream consumer name");
                long seen = in.readLittleEndian(8, "stream consumer seen time");
                Consumer consumer = group.createConsumer(consumerName, seen);
                if (consumer == null) {
                    throw in.error("duplicate stream consumer");
                }
                // Before 7.2's active time, Redis takes the seen time as the best estimate.
                consumer.activeTime = v3 ? in.readLittleEndian(8, "stream consumer active time") : seen;
                int owned = in.readCount("stream consumer PEL size", RAW_ID);
                for (int j = 0; j < owned; j++) {
                    StreamId id = rawId(in.readBytes(RAW_ID, "stream consumer PEL ID"), 0);
                    Nack nack = group.pel.get(id);
                    if (nack == null) {
                        throw in.error("stream consumer PEL entry " + id + " not in the group's PEL");
                    }
                    if (nack.consumer != null) {
                        throw in.error("stream PEL entry " + id + " owned twice");
                    }
                    nack.consumer = consumer;
                    consumer.pel.put(id, nack);
                }
            }
            for (var e : group.pel.entrySet()) {
                if (e.getValue().consumer == null) {
                    throw in.error("stream group PEL entry " + e.getKey() + " without consumer");
                }
            }
        }
    }

    private static StreamId readId(RdbInput in, String what) throws RdbFormatException {
        long ms = in.readUnsignedLength(what);
        return new StreamId(ms, in.readUnsignedLength(what));
    }

    /** The ID of a 16-byte big-endian raw ID at {@code from}. */
    private static StreamId rawId(byte[] raw, int from) {
        return new StreamId(bigEndian(raw, from), bigEndian(raw, from + 8));
    }

    private static long bigEndian(byte[] raw, int from) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (raw[from + i] & 0xff);
        }
        return v;
    }

    /** The 16-byte big-endian raw form of {@code id} (radix-tree keys, PEL IDs). */
    static byte[] rawId(StreamId id) {
        byte[] raw = new byte[RAW_ID];
        for (int i = 0; i < 8; i++) {
            raw[i] = (byte) (id.ms() >>> (56 - 8 * i));
            raw[8 + i] = (byte) (id.seq() >>> (56 - 8 * i));
        }
        return raw;
    }
}
