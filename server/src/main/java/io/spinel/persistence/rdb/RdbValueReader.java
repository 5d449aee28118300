package io.spinel.persistence.rdb;

import io.spinel.config.Config;
import io.spinel.types.HashValue;
import io.spinel.types.IntSet;
import io.spinel.types.ListValue;
import io.spinel.types.PackedExpiringHash;
import io.spinel.types.PackedHash;
import io.spinel.types.PackedList;
import io.spinel.types.PackedSortedSet;
import io.spinel.types.Score;
import io.spinel.types.SetValue;
import io.spinel.types.SkiplistSortedSet;
import io.spinel.types.SortedSetValue;
import io.spinel.types.StringValue;
import io.spinel.types.TableHash;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one RDB object of a given type (every type of RDB versions 6 to 12 except modules) and
 * builds the Spinel value for it, in the encoding the configuration's thresholds give a value of
 * that size, as Redis converts on load.
 *
 * <h2>Checks</h2>
 * Every count is checked against the bytes left before anything is allocated; packed blobs are
 * validated whole (sizes, entry encodings, terminators, intset order); duplicate set members,
 * hash fields and sorted-set members, NaN scores and odd pair counts are errors. A collection
 * that is empty once read (every hash field expired, an empty blob) reads as null: the file
 * loader skips such a key, RESTORE refuses it, as Redis does.
 *
 * <p>Streams are read by {@link RdbStreamReader}. Not thread-safe; one per load.
 */
public final class RdbValueReader {
    private final long hashMaxEntries;
    private final long hashMaxValue;
    private final int listFill;
    private final int listCompressDepth;
    private final SetValue.Limits setLimits;
    private final long zsetMaxEntries;
    private final long zsetMaxValue;

    /** A reader building values at {@code config}'s encoding thresholds. */
    public RdbValueReader(Config config) {
        this.hashMaxEntries = config.hashMaxListpackEntries.value();
        this.hashMaxValue = config.hashMaxListpackValue.value();
        this.listFill = (int) config.listMaxListpackSize.value();
        this.listCompressDepth = (int) Math.min(config.listCompressDepth.value(), Integer.MAX_VALUE);
        this.setLimits = new SetValue.Limits(config.setMaxIntsetEntries.value(), config.setMaxListpackEntries.value(),
                config.setMaxListpackValue.value());
        this.zsetMaxEntries = config.zsetMaxListpackEntries.value();
        this.zsetMaxValue = config.zsetMaxListpackValue.value();
    }

    /** Whether {@code type} is a value type byte (as opposed to an opcode or garbage). */
    public static boolean isValueType(int type) {
        return (type >= 0 && type <= 7) || (type >= 9 && type <= 25);
    }

    /**
     * Reads the value of RDB type {@code type}; hash fields expired at {@code now} are dropped.
     * Returns null for a collection left empty.
     */
    public Object read(int type, RdbInput in, long now) throws RdbFormatException {
        return switch (type) {
            case RdbFormat.TYPE_STRING -> StringValue.of(in.readString("string value"));
            case RdbFormat.TYPE_LIST -> list(strings(in, "list"));
            case RdbFormat.TYPE_LIST_ZIPLIST -> list(Ziplist.decode(in.readString("list ziplist"), "list ziplist"));
            case RdbFormat.TYPE_LIST_QUICKLIST -> list(quicklist(in, false));
            case RdbFormat.TYPE_LIST_QUICKLIST_2 -> list(quicklist(in, true));
            case RdbFormat.TYPE_SET -> set(strings(in, "set"), in);
            case RdbFormat.TYPE_SET_INTSET -> intset(in);
            case RdbFormat.TYPE_SET_LISTPACK -> set(RedisListpack.decode(in.readString("set listpack"), "set listpack"), in);
            case RdbFormat.TYPE_ZSET, RdbFormat.TYPE_ZSET_2 -> sortedSet(in, type == RdbFormat.TYPE_ZSET_2);
            case RdbFormat.TYPE_ZSET_ZIPLIST -> packedSortedSet(Ziplist.decode(in.readString("zset ziplist"), "zset ziplist"), in);
            case RdbFormat.TYPE_ZSET_LISTPACK -> packedSortedSet(RedisListpack.decode(in.readString("zset listpack"), "zset listpack"), in);
            case RdbFormat.TYPE_HASH -> hash(strings(in, "hash", 2), null, now, in);
            case RdbFormat.TYPE_HASH_ZIPMAP -> hash(Zipmap.decode(in.readString("hash zipmap"), "hash zipmap"), null, now, in);
            case RdbFormat.TYPE_HASH_ZIPLIST -> hash(Ziplist.decode(in.readString("hash ziplist"), "hash ziplist"), null, now, in);
            case RdbFormat.TYPE_HASH_LISTPACK -> hash(RedisListpack.decode(in.readString("hash listpack"), "hash listpack"), null, now, in);
            case RdbFormat.TYPE_HASH_METADATA_PRE_GA, RdbFormat.TYPE_HASH_METADATA -> hashMetadata(in, type == RdbFormat.TYPE_HASH_METADATA, now);
            case RdbFormat.TYPE_HASH_LISTPACK_EX_PRE_GA, RdbFormat.TYPE_HASH_LISTPACK_EX -> hashListpackEx(in, type == RdbFormat.TYPE_HASH_LISTPACK_EX, now);
            case RdbFormat.TYPE_MODULE_PRE_GA, RdbFormat.TYPE_MODULE_2 ->
                    throw in.error("module value (type " + type + "): Spinel loads no modules");
            case RdbFormat.TYPE_STREAM_LISTPACKS, RdbFormat.TYPE_STREAM_LISTPACKS_2, RdbFormat.TYPE_STREAM_LISTPACKS_3 -> RdbStreamReader.read(type, in);
            default -> throw in.error("unknown value type " + type);
        };
    }


    private static List<byte[]> strings(RdbInput in, String what) throws RdbFormatException {
        return strings(in, what, 1);
    }

    /** A count of groups of {@code group} strings, then the strings. */
    private static List<byte[]> strings(RdbInput in, String what, int group) throws RdbFormatException {
        int count = in.readCount(what + " length", group);
        long total = (long) count * group;
        List<byte[]> out = new ArrayList<>((int) Math.min(total, 1 << 16));
        for (long i = 0; i < total; i++) {
            out.add(in.readString(what + " element"));
        }
        return out;
    }

    private static List<byte[]> quicklist(RdbInput in, boolean v2) throws RdbFormatException {
        String what = v2 ? "quicklist" : "quicklist (ziplist nodes)";
        int nodes = in.readCount(what + " node count", v2 ? 2 : 1);
        List<byte[]> elements = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            if (!v2) {
                elements.addAll(Ziplist.decode(in.readString(what + " node"), what + " node"));
                continue;
            }
            long container = in.readLength(what + " node container");
            byte[] blob = in.readString(what + " node");
            if (container == RdbFormat.QUICKLIST_NODE_PLAIN) {
                elements.add(blob);
            } else if (container == RdbFormat.QUICKLIST_NODE_PACKED) {
                elements.addAll(RedisListpack.decode(blob, what + " node"));
            } else {
                throw in.error("unknown quicklist node container " + container);
            }
        }
        return elements;
    }

    /** The list RPUSH of {@code elements} to a new key builds. */
    private ListValue list(List<byte[]> elements) {
        if (elements.isEmpty()) {
            return null;
        }
        long bytes = 0;
        for (byte[] element : elements) {
            bytes += element.length;
        }
        ListValue list = ListValue.beforeAdding(new PackedList(), bytes, elements.size(), listFill, listCompressDepth);
        for (byte[] element : elements) {
            list.push(false, element);
        }
        return list;
    }

    private SetValue intset(RdbInput in) throws RdbFormatException {
        long[] values = RedisIntset.decode(in.readString("set intset"), "set intset");
        if (values.length <= setLimits.maxIntsetEntries()) {
            IntSet ints = new IntSet();
            for (long v : values) {
                ints.addInteger(v);
            }
            return ints;
        }
        List<byte[]> members = new ArrayList<>(values.length);
        for (long v : values) {
            members.add(RedisListpack.decimal(v));
        }
        return set(members, in);
    }

    private SetValue set(List<byte[]> members, RdbInput in) throws RdbFormatException {
        if (members.isEmpty()) {
            return null;
        }
        SetValue set = SetValue.create(members.get(0), members.size(), setLimits);
        for (byte[] member : members) {
            int before = set.size();
            set = set.add(member, setLimits);
            if (set.size() == before) {
                throw in.error("duplicate set member");
            }
        }
        return set;
    }

    private SortedSetValue sortedSet(RdbInput in, boolean binary) throws RdbFormatException {
        int count = in.readCount("zset length", binary ? 9 : 2);
        List<byte[]> members = new ArrayList<>(Math.min(count, 1 << 16));
        double[] scores = new double[count];
        for (int i = 0; i < count; i++) {
            members.add(in.readString("zset member"));
            scores[i] = binary ? in.readBinaryDouble("zset score") : in.readStringDouble("zset score");
        }
        return sortedSet(members, scores, in);
    }

    private SortedSetValue packedSortedSet(List<byte[]> entries, RdbInput in) throws RdbFormatException {
        if (entries.size() % 2 != 0) {
            throw in.error("odd number of entries in packed zset");
        }
        List<byte[]> members = new ArrayList<>(entries.size() / 2);
        double[] scores = new double[entries.size() / 2];
        for (int i = 0; i < entries.size(); i += 2) {
            members.add(entries.get(i));
            scores[i / 2] = Score.parse(entries.get(i + 1));
        }
        return sortedSet(members, scores, in);
    }

    private SortedSetValue sortedSet(List<byte[]> members, double[] scores, RdbInput in) throws RdbFormatException {
        if (members.isEmpty()) {
            return null;
        }
        int longest = 0;
        for (byte[] member : members) {
            longest = Math.max(longest, member.length);
        }
        SortedSetValue set = members.size() <= zsetMaxEntries && longest <= zsetMaxValue
                ? new PackedSortedSet() : new SkiplistSortedSet();
        for (int i = 0; i < members.size(); i++) {
            if (Double.isNaN(scores[i])) {
                throw in.error("NaN or unreadable zset score");
            }
            if (!Double.isNaN(set.score(members.get(i)))) {
                throw in.error("duplicate zset member");
            }
            set.insert(members.get(i), scores[i]);
        }
        if (set instanceof PackedSortedSet packed) {
            packed.trim();
        }
        return set;
    }

    private HashValue hashMetadata(RdbInput in, boolean withMinimum, long now) throws RdbFormatException {
        long minExpire = withMinimum ? in.readLittleEndian(8, "hash minimum field expiry") : 0;
        int count = in.readCount("hash length", 3);
        List<byte[]> entries = new ArrayList<>(Math.min(count, 1 << 16) * 2);
        long[] expiries = new long[count];
        for (int i = 0; i < count; i++) {
            long ttl = in.readLength("hash field expiry");
            expiries[i] = ttl == 0 ? 0 : withMinimum ? ttl + minExpire - 1 : ttl;
            entries.add(in.readString("hash field"));
            entries.add(in.readString("hash value"));
        }
        return hash(entries, expiries, now, in);
    }

    private HashValue hashListpackEx(RdbInput in, boolean withMinimum, long now) throws RdbFormatException {
        if (withMinimum) {
            in.readLittleEndian(8, "hash minimum field expiry");
        }
        List<byte[]> triples = RedisListpack.decode(in.readString("hash listpackex"), "hash listpackex");
        if (triples.size() % 3 != 0) {
            throw in.error("hash listpackex entries not in triples");
        }
        List<byte[]> entries = new ArrayList<>(triples.size() / 3 * 2);
        long[] expiries = new long[triples.size() / 3];
        for (int i = 0; i < triples.size(); i += 3) {
            entries.add(triples.get(i));
            entries.add(triples.get(i + 1));
            Long at = StringValue.parseLong(triples.get(i + 2));
            if (at == null || at < 0) {
                throw in.error("bad hash field expiry");
            }
            expiries[i / 3] = at;
        }
        return hash(entries, expiries, now, in);
    }

    /**
     * The hash of the alternating fields and values in {@code entries}, with the fields' expiries
     * (null: none); fields expired by {@code now} are dropped.
     */
    private HashValue hash(List<byte[]> entries, long[] expiries, long now, RdbInput in) throws RdbFormatException {
        if (entries.size() % 2 != 0) {
            throw in.error("odd number of entries in hash");
        }
        int fields = entries.size() / 2;
        int live = 0;
        boolean anyExpiry = false;
        boolean small = fields <= hashMaxEntries;
        for (int i = 0; i < fields; i++) {
            long at = expiries == null ? 0 : expiries[i];
            if (at != 0 && at <= now) {
                continue;
            }
            live++;
            anyExpiry |= at != 0;
            small &= entries.get(2 * i).length <= hashMaxValue && entries.get(2 * i + 1).length <= hashMaxValue;
        }
        HashValue hash = !small ? new TableHash() : anyExpiry ? new PackedExpiringHash() : new PackedHash();
        for (int i = 0; i < fields; i++) {
            long at = expiries == null ? 0 : expiries[i];
            byte[] field = entries.get(2 * i);
            if (at != 0 && at <= now) {
                if (hash.get(field) != null) {
                    throw in.error("duplicate hash field");
                }
                continue;
            }
            if (!hash.put(field, entries.get(2 * i + 1), false)) {
                throw in.error("duplicate hash field");
            }
            if (at != 0) {
                hash.expireAt(field, at);
            }
        }
        if (live == 0) {
            return null;
        }
        if (hash instanceof PackedHash packed) {
            packed.trim();
        }
        return hash;
    }
}
