package io.spinel.persistence.rdb;

import io.spinel.types.CollectionValue;
import io.spinel.types.HashValue;
import io.spinel.types.IntSet;
import io.spinel.types.ListCursor;
import io.spinel.types.ListValue;
import io.spinel.types.MutableString;
import io.spinel.types.PackedHash;
import io.spinel.types.PackedSortedSet;
import io.spinel.types.Score;
import io.spinel.types.SetValue;
import io.spinel.types.SkiplistSortedSet;
import io.spinel.types.SortedSetValue;
import io.spinel.types.StreamId;
import io.spinel.types.StreamValue;
import io.spinel.types.StreamValue.BlockView;
import io.spinel.types.StreamValue.Consumer;
import io.spinel.types.StreamValue.ConsumerGroup;
import io.spinel.types.StreamValue.Entry;
import io.spinel.types.StreamValue.Nack;
import java.util.Arrays;
import java.util.Map;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Serializes one stored value as an RDB object (type byte, then the value), in the types Redis
 * 7.0 loads, except for hashes with field expiries, which only Redis 7.4's types can hold.
 *
 * <h2>Type choices</h2>
 * <ul>
 *   <li>strings: raw, integer-encoded or LZF, as rdbSaveRawString chooses;</li>
 *   <li>lists: QUICKLIST_2, one node per Spinel node (listpack or plain);</li>
 *   <li>sets: SET_INTSET for an intset, else the plain SET type (SET_LISTPACK is 7.2's and 7.0
 *       would refuse it);</li>
 *   <li>sorted sets: ZSET_LISTPACK for the listpack encoding, else ZSET_2;</li>
 *   <li>hashes: HASH_LISTPACK or HASH without field expiries; HASH_LISTPACK_EX or HASH_METADATA
 *       (Redis 7.4, RDB 12) when some field has an expiry;</li>
 *   <li>streams: STREAM_LISTPACKS_2 (7.0's; 7.2's STREAM_LISTPACKS_3 adds only the consumers'
 *       active time, which 7.0 cannot read), one listpack per Spinel block.</li>
 * </ul>
 * {@link #write} returns the RDB version the value needs, so that a file or DUMP payload is
 * stamped 10 unless one of its values needs 12. Stateless; the output buffer is the caller's.
 */
public final class RdbValueWriter {
    private RdbValueWriter() {
    }

    /**
     * Writes {@code value}'s type byte, then {@code key} (a file's record; null for a DUMP
     * payload, which has none), then the value; returns the RDB version the value needs.
     */
    public static int write(RdbOutput out, byte[] key, Object value) {
        switch (value) {
            case byte[] bytes -> {
                type(out, RdbFormat.TYPE_STRING, key);
                out.writeString(bytes);
            }
            case Long number -> {
                type(out, RdbFormat.TYPE_STRING, key);
                out.writeInteger(number);
            }
            case MutableString string -> {
                type(out, RdbFormat.TYPE_STRING, key);
                out.writeString(string.buffer(), 0, string.length());
            }
            case ListValue list -> writeList(out, key, list);
            case SetValue set -> writeSet(out, key, set);
            case SortedSetValue zset -> writeSortedSet(out, key, zset);
            case HashValue hash -> {
                return writeHash(out, key, hash);
            }
            case StreamValue stream -> writeStream(out, key, stream);
            case CollectionValue other -> throw new IllegalArgumentException("no RDB serialization for " + other.type().typeName());
            default -> throw new IllegalArgumentException("not a stored value: " + value.getClass());
        }
        return RdbFormat.VERSION;
    }

    private static void type(RdbOutput out, int type, byte[] key) {
        out.writeByte(type);
        if (key != null) {
            out.writeString(key);
        }
    }

    private static void writeList(RdbOutput out, byte[] key, ListValue list) {
        type(out, RdbFormat.TYPE_LIST_QUICKLIST_2, key);
        int nodes = list.nodeCount();
        out.writeLength(nodes);
        ListCursor cursor = list.cursor(0, true);
        for (int i = 0; i < nodes; i++) {
            var node = list.node(i);
            int count = node.size();
            if (node.plain()) {
                out.writeLength(RdbFormat.QUICKLIST_NODE_PLAIN);
                out.writeString(cursor.bytes());
                cursor.advance();
                continue;
            }
            RedisListpack.Builder packed = new RedisListpack.Builder();
            for (int j = 0; j < count; j++) {
                packed.add(cursor.bytes());
                cursor.advance();
            }
            out.writeLength(RdbFormat.QUICKLIST_NODE_PACKED);
            out.writeString(packed.build());
        }
    }

    private static void writeSet(RdbOutput out, byte[] key, SetValue set) {
        if (set instanceof IntSet ints) {
            type(out, RdbFormat.TYPE_SET_INTSET, key);
            out.writeString(RedisIntset.encode(ints));
            return;
        }
        type(out, RdbFormat.TYPE_SET, key);
        out.writeLength(set.size());
        for (Iterator<byte[]> it = set.iterator(); it.hasNext(); ) {
            out.writeString(it.next());
        }
    }

    private static void writeSortedSet(RdbOutput out, byte[] key, SortedSetValue zset) {
        if (zset instanceof PackedSortedSet) {
            RedisListpack.Builder packed = new RedisListpack.Builder();
            zset.forEach(0, false, (member, score) -> {
                packed.add(member);
                if (score == Math.rint(score) && Math.abs(score) < 9007199254740992.0) {
                    packed.add((long) score);
                } else {
                    packed.add(Score.format(score).getBytes(StandardCharsets.US_ASCII));
                }
                return true;
            });
            type(out, RdbFormat.TYPE_ZSET_LISTPACK, key);
            out.writeString(packed.build());
            return;
        }
        SkiplistSortedSet skiplist = (SkiplistSortedSet) zset;
        type(out, RdbFormat.TYPE_ZSET_2, key);
        out.writeLength(skiplist.size());
        skiplist.forEach(0, false, (member, score) -> {
            out.writeString(member);
            out.writeBinaryDouble(score);
            return true;
        });
    }

    /** One field of a hash with its expiry (0: none), for the expiring types. */
    private record Field(byte[] name, byte[] value, long expiresAt) {
    }

    private static int writeHash(RdbOutput out, byte[] key, HashValue hash) {
        long minExpire = hash.earliestElementExpiry();
        boolean packed = hash instanceof PackedHash;
        if (minExpire == Long.MAX_VALUE) {
            if (packed) {
                RedisListpack.Builder blob = new RedisListpack.Builder();
                hash.forEach((field, value) -> blob.add(field).add(value));
                type(out, RdbFormat.TYPE_HASH_LISTPACK, key);
                out.writeString(blob.build());
            } else {
                type(out, RdbFormat.TYPE_HASH, key);
                out.writeLength(hash.fieldCount());
                hash.forEach((field, value) -> {
                    out.writeString(field);
                    out.writeString(value);
                });
            }
            return RdbFormat.VERSION;
        }
        List<Field> fields = new ArrayList<>(hash.fieldCount());
        hash.forEach((field, value) -> fields.add(new Field(field, value, hash.expiryOf(field))));
        if (packed) {
            // Redis keeps a listpackex ordered by expiry, fields without one last.
            fields.sort((a, b) -> Long.compareUnsigned(a.expiresAt - 1, b.expiresAt - 1));
            RedisListpack.Builder blob = new RedisListpack.Builder();
            for (Field f : fields) {
                blob.add(f.name).add(f.value).add(f.expiresAt);
            }
            type(out, RdbFormat.TYPE_HASH_LISTPACK_EX, key);
            out.writeLittleEndian(minExpire, 8);
            out.writeString(blob.build());
        } else {
            type(out, RdbFormat.TYPE_HASH_METADATA, key);
            out.writeLittleEndian(minExpire, 8);
            out.writeLength(fields.size());
            for (Field f : fields) {
                out.writeLength(f.expiresAt == 0 ? 0 : f.expiresAt - minExpire + 1);
                out.writeString(f.name);
                out.writeString(f.value);
            }
        }
        return RdbFormat.VERSION_FIELD_TTL;
    }

    /**
     * A stream as STREAM_LISTPACKS_2 (rdbSaveObject's layout, described in {@link RdbStreamReader}).
     * Spinel keeps no tombstones, so each listpack holds the block's live entries and a deleted
     * count of 0: Redis's sanitizer requires the counters to match the entries present.
     */
    private static void writeStream(RdbOutput out, byte[] key, StreamValue stream) {
        type(out, RdbFormat.TYPE_STREAM_LISTPACKS_2, key);
        int blocks = stream.blockCount();
        out.writeLength(blocks);
        for (int b = 0; b < blocks; b++) {
            BlockView block = stream.blockView(b);
            out.writeString(RdbStreamReader.rawId(block.master()));
            out.writeString(streamListpack(block));
        }
        out.writeLength(stream.length());
        writeId(out, stream.lastId());
        writeId(out, stream.firstId());
        writeId(out, stream.maxDeletedId());
        out.writeLength(stream.entriesAdded());
        out.writeLength(stream.groups().size());
        for (ConsumerGroup group : stream.groups().values()) {
            out.writeString(group.name);
            writeId(out, group.lastId);
            out.writeLength(group.entriesRead);
            out.writeLength(group.pel.size());
            for (Map.Entry<StreamId, Nack> e : group.pel.entrySet()) {
                out.writeBytes(RdbStreamReader.rawId(e.getKey()));
                out.writeLittleEndian(e.getValue().deliveryTime, 8);
                out.writeLength(e.getValue().deliveryCount);
            }
            out.writeLength(group.consumers.size());
            for (Consumer consumer : group.consumers.values()) {
                out.writeString(consumer.name);
                out.writeLittleEndian(consumer.seenTime, 8);
                out.writeLength(consumer.pel.size());
                for (StreamId id : consumer.pel.keySet()) {
                    out.writeBytes(RdbStreamReader.rawId(id));
                }
            }
        }
    }

    private static void writeId(RdbOutput out, StreamId id) {
        out.writeLength(id.ms());
        out.writeLength(id.seq());
    }

    /** One block as Redis's stream listpack: the master entry, then each entry with its lp-count. */
    private static byte[] streamListpack(BlockView block) {
        byte[][] masterFields = block.masterFields();
        RedisListpack.Builder packed = new RedisListpack.Builder();
        packed.add(block.entries().size()).add(0).add(masterFields.length);
        for (byte[] field : masterFields) {
            packed.add(field);
        }
        packed.add(0);
        for (Entry entry : block.entries()) {
            byte[][] pairs = entry.fieldsAndValues();
            int fields = pairs.length / 2;
            boolean same = fields == masterFields.length;
            for (int i = 0; same && i < fields; i++) {
                same = Arrays.equals(pairs[2 * i], masterFields[i]);
            }
            packed.add(same ? 2 : 0);
            packed.add(entry.id().ms() - block.master().ms());
            packed.add(entry.id().seq() - block.master().seq());
            if (!same) {
                packed.add(fields);
            }
            for (int i = 0; i < fields; i++) {
                if (!same) {
                    packed.add(pairs[2 * i]);
                }
                packed.add(pairs[2 * i + 1]);
            }
            packed.add(same ? fields + 3 : 2 * fields + 4);
        }
        return packed.build();
    }
}
