package io.spinel.command.hash;

import io.spinel.command.Arguments;
import io.spinel.command.Client;
import io.spinel.command.CommandTable;
import io.spinel.command.Errors;
import io.spinel.command.ScanOptions;
import io.spinel.command.ServerContext;
import io.spinel.config.KeyspaceEvents;
import io.spinel.resp.ReplyWriter;
import io.spinel.store.Database;
import io.spinel.store.Effects;
import io.spinel.types.HashValue;
import io.spinel.types.LongDouble;
import io.spinel.types.PackedExpiringHash;
import io.spinel.types.PackedHash;
import io.spinel.types.StringValue;
import io.spinel.types.TableHash;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The hash commands (Redis's t_hash.c), with the hash field expiration commands of Redis
 * 7.4/8.0 (HEXPIRE family, HTTL family, HPERSIST, HGETEX, HSETEX, HGETDEL).
 *
 * <h2>Expired fields</h2>
 * Every handler looks its hash up through {@link #lookup}, which first reclaims the fields whose
 * expiry has passed and deletes the key when none is left, so nothing below ever sees an expired
 * field. Fields nobody touches are reclaimed by the active expire cycle: every expiry a command
 * writes is reported to {@link Database#fieldExpiryWritten}.
 *
 * <h2>Encodings</h2>
 * A new hash is a {@link PackedHash} ("listpack"); the first field expiry turns it into a
 * {@link PackedExpiringHash} ("listpackex"); more than hash-max-listpack-entries fields, or a
 * field or value longer than hash-max-listpack-value bytes, turn either into a
 * {@link TableHash} ("hashtable"). No conversion goes back. A converted hash is stored in place of
 * the old one with {@link Database#replace}, which keeps the key's TTL.
 *
 * <h2>Order of checks</h2>
 * Which error a client sees when several apply follows Redis: the classic commands parse their
 * numbers before looking at the key; the field expiration commands look the key up (WRONGTYPE)
 * first, except HSETEX, which parses all its arguments first.
 */
public final class HashCommands {
    /** What HINCRBYFLOAT propagates as. */
    private static final byte[] HSET = Effects.bytes("HSET");
    /** Returned by {@link #lookup} after it replied WRONGTYPE; never stored. */
    private static final HashValue WRONG_TYPE = new PackedHash();
    /** The largest field expiry Redis accepts (EB_EXPIRE_TIME_MAX, 2^48 - 1 ms). */
    private static final long MAX_EXPIRY_MILLIS = (1L << 48) - 1;
    /** HEXPIRE's per-field replies. */
    private static final int NO_FIELD = -2;
    private static final int CONDITION_NOT_MET = 0;
    private static final int SET = 1;
    private static final int DELETED = 2;

    private final ServerContext server;

    public HashCommands(ServerContext server) {
        this.server = server;
    }

    /** Binds the hash commands' handlers in {@code table}. */
    public void bind(CommandTable table) {
        table.bind("hdel", this::hdel);
        table.bind("hexists", this::hexists);
        table.bind("hexpire", (c, a) -> hexpireGeneric(c, a, now(), 1000, "hexpire"));
        table.bind("hexpireat", (c, a) -> hexpireGeneric(c, a, 0, 1000, "hexpireat"));
        table.bind("hexpiretime", (c, a) -> httlGeneric(c, a, 0, true));
        table.bind("hget", this::hget);
        table.bind("hgetall", this::hgetall);
        table.bind("hgetdel", this::hgetdel);
        table.bind("hgetex", this::hgetex);
        table.bind("hincrby", this::hincrby);
        table.bind("hincrbyfloat", this::hincrbyfloat);
        table.bind("hkeys", this::hkeys);
        table.bind("hlen", this::hlen);
        table.bind("hmget", this::hmget);
        table.bind("hmset", this::hmset);
        table.bind("hpersist", this::hpersist);
        table.bind("hpexpire", (c, a) -> hexpireGeneric(c, a, now(), 1, "hpexpire"));
        table.bind("hpexpireat", (c, a) -> hexpireGeneric(c, a, 0, 1, "hpexpireat"));
        table.bind("hpexpiretime", (c, a) -> httlGeneric(c, a, 0, false));
        table.bind("hpttl", (c, a) -> httlGeneric(c, a, now(), false));
        table.bind("hrandfield", this::hrandfield);
        table.bind("hscan", this::hscan);
        table.bind("hset", this::hset);
        table.bind("hsetex", this::hsetex);
        table.bind("hsetnx", this::hsetnx);
        table.bind("hstrlen", this::hstrlen);
        table.bind("httl", (c, a) -> httlGeneric(c, a, now(), true));
        table.bind("hvals", this::hvals);
    }

    private long now() {
        return server.clock().millis();
    }

    // ---- lookups and storing

    /**
     * The hash at {@code key} (a read lookup with statistics unless {@code write}), its expired
     * fields reclaimed first; null when absent or when the expiry emptied it (the key is then
     * deleted); {@link #WRONG_TYPE} after replying WRONGTYPE.
     */
    private HashValue lookup(Client client, byte[] key, boolean write) {
        Database db = client.db();
        Object value = write ? db.getForWrite(key) : db.get(key);
        if (value == null) {
            return null;
        }
        if (!(value instanceof HashValue hash)) {
            client.reply().error(Errors.WRONGTYPE);
            return WRONG_TYPE;
        }
        long now = now();
        if (hash.earliestElementExpiry() <= now && hash.expireElements(now) > 0) {
            db.changed(key, KeyspaceEvents.HASH, "hexpired");
            if (hash.isEmpty()) {
                db.delete(key);
                db.changed(key, KeyspaceEvents.GENERIC, "del");
                return null;
            }
        }
        return hash;
    }

    /**
     * Makes the outcome of a write visible: stores a new or converted hash under {@code key},
     * deletes the key when the hash is empty, and trims a listpack's spare room (a small hash
     * costs its entries' bytes, as in Redis).
     */
    private static void store(Database db, byte[] key, HashValue original, HashValue hash) {
        if (hash.isEmpty()) {
            if (original != null) {
                db.delete(key);
            }
            return;
        }
        if (hash instanceof PackedHash packed) {
            packed.trim();
        }
        if (original == null) {
            db.set(key, hash, 0L);
        } else if (hash != original) {
            db.replace(key, hash);
        }
    }

    /**
     * Reports fields removed from the hash at {@code key} by {@code event} ("hdel"), and the
     * key's deletion ("del") when that emptied it; after {@link #store}.
     */
    private static void removed(Database db, byte[] key, HashValue hash, String event) {
        db.changed(key, KeyspaceEvents.HASH, event);
        if (hash.isEmpty()) {
            db.changed(key, KeyspaceEvents.GENERIC, "del");
        }
    }

    /** {@code hash} in an encoding that can take {@code field} = {@code value} (hashTypeTryConversion). */
    private HashValue fitting(HashValue hash, byte[] field, byte[] value) {
        long max = server.config().hashMaxListpackValue.value();
        if (hash instanceof PackedHash packed && (field.length > max || value.length > max)) {
            return TableHash.of(packed);
        }
        return hash;
    }

    /** {@code hash}, converted to a hash table if a field added made it too long for a listpack. */
    private HashValue grown(HashValue hash) {
        if (hash instanceof PackedHash packed && packed.fieldCount() > server.config().hashMaxListpackEntries.value()) {
            return TableHash.of(packed);
        }
        return hash;
    }

    /**
     * Sets {@code field} (in an encoding that fits it, converting if needed); returns the hash,
     * possibly a new object. {@code created[0]} counts new fields.
     */
    private HashValue put(HashValue hash, byte[] field, byte[] value, boolean keepTtl, int[] created) {
        HashValue target = fitting(hash, field, value);
        if (target.put(field, value, keepTtl)) {
            created[0]++;
            target = grown(target);
        }
        return target;
    }

    /** {@code hash} in an encoding that can hold field expiries. */
    private static HashValue expiring(HashValue hash) {
        return hash.canExpireFields() ? hash : PackedExpiringHash.of((PackedHash) hash);
    }

    /** A bulk reply, or a null bulk for a missing field. */
    private static void bulkOrNull(ReplyWriter reply, byte[] value) {
        if (value == null) {
            reply.nullBulk();
        } else {
            reply.bulk(value);
        }
    }

    // ---- the classic commands

    /** HSET key field value [field value ...] */
    void hset(Client client, byte[][] argv) {
        hsetGeneric(client, argv, "hset");
    }

    /** HMSET key field value [field value ...] */
    void hmset(Client client, byte[][] argv) {
        hsetGeneric(client, argv, "hmset");
    }

    private void hsetGeneric(Client client, byte[][] argv, String name) {
        if (argv.length % 2 == 1) {
            client.reply().error(Errors.wrongArity(name));
            return;
        }
        byte[] key = argv[1];
        HashValue original = lookup(client, key, true);
        if (original == WRONG_TYPE) {
            return;
        }
        HashValue hash = original == null ? new PackedHash() : original;
        int[] created = new int[1];
        for (int i = 2; i < argv.length; i += 2) {
            hash = put(hash, argv[i], argv[i + 1], false, created);
        }
        store(client.db(), key, original, hash);
        client.db().changed(key, KeyspaceEvents.HASH, "hset");
        if (name.equals("hset")) {
            client.reply().integer(created[0]);
        } else {
            client.reply().ok();
        }
    }

    /** HSETNX key field value */
    void hsetnx(Client client, byte[][] argv) {
        byte[] key = argv[1];
        HashValue original = lookup(client, key, true);
        if (original == WRONG_TYPE) {
            return;
        }
        if (original != null && original.get(argv[2]) != null) {
            client.reply().integer(0);
            return;
        }
        HashValue hash = put(original == null ? new PackedHash() : original, argv[2], argv[3], false, new int[1]);
        store(client.db(), key, original, hash);
        client.db().changed(key, KeyspaceEvents.HASH, "hset");
        client.reply().integer(1);
    }

    /** HGET key field */
    void hget(Client client, byte[][] argv) {
        HashValue hash = lookup(client, argv[1], false);
        if (hash == WRONG_TYPE) {
            return;
        }
        bulkOrNull(client.reply(), hash == null ? null : hash.get(argv[2]));
    }

    /** HMGET key field [field ...] */
    void hmget(Client client, byte[][] argv) {
        HashValue hash = lookup(client, argv[1], false);
        if (hash == WRONG_TYPE) {
            return;
        }
        ReplyWriter reply = client.reply();
        reply.array(argv.length - 2);
        for (int i = 2; i < argv.length; i++) {
            bulkOrNull(reply, hash == null ? null : hash.get(argv[i]));
        }
    }

    /** HDEL key field [field ...] */
    void hdel(Client client, byte[][] argv) {
        byte[] key = argv[1];
        HashValue hash = lookup(client, key, true);
        if (hash == WRONG_TYPE) {
            return;
        }
        int deleted = 0;
        if (hash != null) {
            for (int i = 2; i < argv.length && !hash.isEmpty(); i++) {
                if (hash.remove(argv[i])) {
                    deleted++;
                }
            }
            store(client.db(), key, hash, hash);
            if (deleted > 0) {
                removed(client.db(), key, hash, "hdel");
            }
        }
        client.reply().integer(deleted);
    }

    /** HEXISTS key field */
    void hexists(Client client, byte[][] argv) {
        HashValue hash = lookup(client, argv[1], false);
        if (hash == WRONG_TYPE) {
            return;
        }
        client.reply().integer(hash != null && hash.get(argv[2]) != null ? 1 : 0);
    }

    /** HLEN key */
    void hlen(Client client, byte[][] argv) {
        HashValue hash = lookup(client, argv[1], false);
        if (hash == WRONG_TYPE) {
            return;
        }
        client.reply().integer(hash == null ? 0 : hash.fieldCount());
    }

    /** HSTRLEN key field */
    void hstrlen(Client client, byte[][] argv) {
        HashValue hash = lookup(client, argv[1], false);
        if (hash == WRONG_TYPE) {
            return;
        }
        client.reply().integer(hash == null ? 0 : Math.max(0, hash.valueLength(argv[2])));
    }

    /** HKEYS key */
    void hkeys(Client client, byte[][] argv) {
        hgetallGeneric(client, argv[1], true, false);
    }

    /** HVALS key */
    void hvals(Client client, byte[][] argv) {
        hgetallGeneric(client, argv[1], false, true);
    }

    /** HGETALL key */
    void hgetall(Client client, byte[][] argv) {
        hgetallGeneric(client, argv[1], true, true);
    }

    /** HKEYS, HVALS and HGETALL: fields and values are a map in RESP3, the others arrays. */
    private void hgetallGeneric(Client client, byte[] key, boolean fields, boolean values) {
        HashValue hash = lookup(client, key, false);
        if (hash == WRONG_TYPE) {
            return;
        }
        ReplyWriter reply = client.reply();
        int count = hash == null ? 0 : hash.fieldCount();
        if (fields && values) {
            reply.map(count);
        } else {
            reply.array(count);
        }
        if (hash != null) {
            hash.forEach((field, value) -> {
                if (fields) {
                    reply.bulk(field);
                }
                if (values) {
                    reply.bulk(value);
                }
            });
        }
    }

    /** HINCRBY key field increment */
    void hincrby(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        Long increment = Arguments.integer(argv[3]);
        if (increment == null) {
            reply.error(Errors.NOT_INTEGER);
            return;
        }
        byte[] key = argv[1];
        HashValue original = lookup(client, key, true);
        if (original == WRONG_TYPE) {
            return;
        }
        byte[] current = original == null ? null : original.get(argv[2]);
        long value = 0;
        if (current != null) {
            Long parsed = StringValue.parseLong(current);
            if (parsed == null) {
                reply.error(Errors.HASH_VALUE_NOT_INTEGER);
                return;
            }
            value = parsed;
        }
        if (StringValue.sumOverflows(value, increment)) {
            reply.error(Errors.OVERFLOW);
            return;
        }
        value += increment;
        byte[] text = Long.toString(value).getBytes(StandardCharsets.US_ASCII);
        HashValue hash = put(original == null ? new PackedHash() : original, argv[2], text, true, new int[1]);
        store(client.db(), key, original, hash);
        client.db().changed(key, KeyspaceEvents.HASH, "hincrby");
        reply.integer(value);
    }

    /** HINCRBYFLOAT key field increment */
    void hincrbyfloat(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        LongDouble increment = LongDouble.parse(argv[3]);
        if (increment == null) {
            reply.error(Errors.NOT_FLOAT);
            return;
        }
        if (!increment.isFinite()) {
            reply.error(Errors.VALUE_NAN_OR_INFINITY);
            return;
        }
        byte[] key = argv[1];
        HashValue original = lookup(client, key, true);
        if (original == WRONG_TYPE) {
            return;
        }
        byte[] current = original == null ? null : original.get(argv[2]);
        LongDouble value = LongDouble.ZERO;
        if (current != null) {
            value = current.length >= LongDouble.MAX_CHARS ? null : LongDouble.parse(current);
            if (value == null) {
                reply.error(Errors.HASH_VALUE_NOT_FLOAT);
                return;
            }
        }
        LongDouble sum = value.add(increment);
        if (!sum.isFinite()) {
            reply.error(Errors.NAN_OR_INFINITY);
            return;
        }
        byte[] text = sum.toHumanString().getBytes(StandardCharsets.ISO_8859_1);
        HashValue hash = put(original == null ? new PackedHash() : original, argv[2], text, true, new int[1]);
        store(client.db(), key, original, hash);
        client.db().changed(key, KeyspaceEvents.HASH, "hincrbyfloat");
        server.keyspace().effects().rewrite(HSET, key, argv[2], text); // the value, not the float addition
        reply.bulk(text);
    }

    /** HRANDFIELD key [count [WITHVALUES]] */
    void hrandfield(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        if (argv.length == 2) {
            HashValue hash = lookup(client, argv[1], false);
            if (hash == WRONG_TYPE) {
                return;
            }
            bulkOrNull(reply, hash == null ? null : hash.randomField(ThreadLocalRandom.current()));
            return;
        }
        Long count = Arguments.integer(argv[2]);
        if (count == null) {
            reply.error(Errors.NOT_INTEGER);
            return;
        }
        if (count == Long.MIN_VALUE) {
            reply.error(Errors.LONG_RANGE);
            return;
        }
        boolean withValues = argv.length == 4;
        if (argv.length > 4 || (withValues && !Arguments.is(argv[3], "withvalues"))) {
            reply.error(Errors.SYNTAX);
            return;
        }
        if (withValues && (count < -Long.MAX_VALUE / 2 || count > Long.MAX_VALUE / 2)) {
            reply.error(Errors.OUT_OF_RANGE);
            return;
        }
        HashValue hash = lookup(client, argv[1], false);
        if (hash == WRONG_TYPE) {
            return;
        }
        if (hash == null || count == 0) {
            reply.array(0);
            return;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<byte[]> picked = new ArrayList<>();
        if (count < 0 || count == 1) {
            for (long i = Math.abs(count); i > 0; i--) {
                picked.add(hash.randomField(random));
            }
        } else if (count >= hash.fieldCount()) {
            hash.forEach((field, value) -> picked.add(field));
        } else {
            pickDistinct(hash, (int) (long) count, random, picked);
        }
        writePicked(reply, hash, picked, withValues);
    }

    /** Adds {@code count} distinct random fields of {@code hash} (fewer than it has) to {@code out}. */
    private static void pickDistinct(HashValue hash, int count, ThreadLocalRandom random, List<byte[]> out) {
        int size = hash.fieldCount();
        if (hash instanceof PackedHash || (long) count * 3 > size) {
            // Few to leave out: drop random fields from all of them, as Redis does.
            List<byte[]> all = new ArrayList<>(size);
            hash.forEach((field, value) -> all.add(field));
            while (all.size() > count) {
                int drop = random.nextInt(all.size());
                all.set(drop, all.get(all.size() - 1));
                all.remove(all.size() - 1);
            }
            out.addAll(all);
            return;
        }
        HashSet<String> seen = new HashSet<>();
        while (out.size() < count) {
            byte[] field = hash.randomField(random);
            if (seen.add(Arguments.text(field))) {
                out.add(field);
            }
        }
    }

    /** HRANDFIELD's reply: fields, or field-value pairs (flat in RESP2, nested pairs in RESP3). */
    private static void writePicked(ReplyWriter reply, HashValue hash, List<byte[]> fields, boolean withValues) {
        boolean nested = withValues && reply.resp3();
        reply.array(withValues && !nested ? fields.size() * 2 : fields.size());
        for (byte[] field : fields) {
            if (nested) {
                reply.array(2);
            }
            reply.bulk(field);
            if (withValues) {
                reply.bulk(hash.get(field));
            }
        }
    }

    /** HSCAN key cursor [MATCH pattern] [COUNT count] [NOVALUES] */
    void hscan(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        Long cursor = ScanOptions.cursor(argv[2], reply);
        if (cursor == null) {
            return;
        }
        HashValue hash = lookup(client, argv[1], false);
        if (hash == WRONG_TYPE) {
            return;
        }
        if (hash == null) {
            reply.array(2);
            reply.bulk("0");
            reply.array(0);
            return;
        }
        ScanOptions options = ScanOptions.parse(argv, 3, ScanOptions.Extra.NOVALUES, reply);
        if (options == null) {
            return;
        }
        List<byte[]> found = new ArrayList<>();
        long next = hash.scan(cursor, options.batch(), (field, value) -> {
            if (options.matches(field)) {
                found.add(field);
                if (!options.noValues()) {
                    found.add(value);
                }
            }
        });
        reply.array(2);
        reply.bulk(Long.toUnsignedString(next));
        reply.array(found.size());
        for (byte[] item : found) {
            reply.bulk(item);
        }
    }

    // ---- field expiration

    /**
     * Reads {@code FIELDS numfields field...} starting at {@code at} (the FIELDS keyword's
     * position), with the error texts of the reading commands (HTTL family, HPERSIST, HGETEX,
     * HGETDEL) or, when {@code setter}, HEXPIRE's. Returns the first field's position, or -1
     * after replying an error.
     */
    private static int fieldsAt(Client client, byte[][] argv, int at, boolean setter) {
        ReplyWriter reply = client.reply();
        if (at >= argv.length || !Arguments.is(argv[at], "fields")) {
            reply.error(Errors.FIELDS_MISSING);
            return -1;
        }
        Long count = at + 1 < argv.length ? Arguments.integer(argv[at + 1]) : null;
        if (count == null || count < 1) {
            reply.error(setter ? Errors.NUMFIELDS_NOT_POSITIVE_HEXPIRE : Errors.NUMFIELDS_NOT_POSITIVE);
            return -1;
        }
        if (count != argv.length - at - 2) {
            reply.error(Errors.NUMFIELDS_MISMATCH);
            return -1;
        }
        return at + 2;
    }

    /**
     * Reads an expiry argument as Redis's hash commands do (parseExpireTime): an integer,
     * not negative, times {@code unitMillis} plus {@code baseMillis}, at most 2^48 - 1 ms.
     * Returns -1 after replying an error.
     */
    private static long expiryArgument(Client client, byte[] arg, long baseMillis, long unitMillis, String name) {
        ReplyWriter reply = client.reply();
        Long value = Arguments.integer(arg);
        if (value == null) {
            reply.error(Errors.NOT_INTEGER);
            return -1;
        }
        long when = value;
        if (when < 0) {
            reply.error(Errors.EXPIRE_TIME_NEGATIVE);
            return -1;
        }
        if (unitMillis == 1000) {
            if (when > MAX_EXPIRY_MILLIS / 1000) {
                reply.error(Errors.invalidExpire(name));
                return -1;
            }
            when *= 1000;
        }
        if (when > MAX_EXPIRY_MILLIS - baseMillis) {
            reply.error(Errors.invalidExpire(name));
            return -1;
        }
        return when + baseMillis;
    }

    /**
     * Sets the expiry of an existing field to {@code when} (hashTypeSetEx): a time that has
     * passed deletes the field. Returns {@link #SET} or {@link #DELETED}.
     */
    private int setFieldExpiry(Database db, byte[] key, HashValue hash, byte[] field, long when) {
        if (when <= now()) {
            hash.remove(field);
            return DELETED;
        }
        hash.expireAt(field, when);
        db.fieldExpiryWritten(key, when);
        return SET;
    }

    /**
     * HEXPIRE key seconds [NX | XX | GT | LT] FIELDS numfields field [field ...], and HPEXPIRE,
     * HEXPIREAT, HPEXPIREAT: the time times {@code unitMillis} plus {@code baseMillis} is the new
     * expiry. Replies per field -2 (no such field), 0 (condition not met), 1 (set) or 2 (deleted:
     * the time has passed). A field without expiry counts as expiring never for GT and LT.
     */
    private void hexpireGeneric(Client client, byte[][] argv, long baseMillis, long unitMillis, String name) {
        byte[] key = argv[1];
        HashValue original = lookup(client, key, true);
        if (original == WRONG_TYPE) {
            return;
        }
        long when = expiryArgument(client, argv[2], baseMillis, unitMillis, name);
        if (when < 0) {
            return;
        }
        String condition = Arguments.lower(argv[3]);
        boolean hasCondition = switch (condition) {
            case "nx", "xx", "gt", "lt" -> true;
            default -> false;
        };
        int first = fieldsAt(client, argv, hasCondition ? 4 : 3, true);
        if (first < 0) {
            return;
        }
        ReplyWriter reply = client.reply();
        reply.array(argv.length - first);
        if (original == null) {
            for (int i = first; i < argv.length; i++) {
                reply.integer(NO_FIELD);
            }
            return;
        }
        Database db = client.db();
        HashValue hash = expiring(original);
        int deleted = 0;
        int updated = 0;
        for (int i = first; i < argv.length; i++) {
            long current = hash.expiryOf(argv[i]);
            if (current == HashValue.NO_FIELD) {
                reply.integer(NO_FIELD);
                continue;
            }
            boolean persistent = current == 0;
            boolean met = switch (condition) {
                case "nx" -> persistent;
                case "xx" -> !persistent;
                case "gt" -> !persistent && when > current;
                case "lt" -> persistent || when < current;
                default -> true;
            };
            int outcome = met ? setFieldExpiry(db, key, hash, argv[i], when) : CONDITION_NOT_MET;
            deleted += outcome == DELETED ? 1 : 0;
            updated += outcome == SET ? 1 : 0;
            reply.integer(outcome);
        }
        store(db, key, original, hash);
        if (deleted + updated > 0) {
            removed(db, key, hash, deleted > 0 ? "hdel" : "hexpire");
            Effects effects = server.keyspace().effects();
            if (effects.active()) { // an absolute time in ms, so that a replay sets the same expiry
                byte[][] propagated = argv.clone();
                propagated[0] = Effects.bytes("HPEXPIREAT");
                propagated[2] = Effects.bytes(when);
                effects.rewrite(propagated);
            }
        }
    }

    /**
     * HTTL key FIELDS numfields field [field ...], and HPTTL, HEXPIRETIME, HPEXPIRETIME: per field
     * -2 (no such field), -1 (no expiry) or the time left (relative to {@code baseMillis}; 0 for
     * the absolute forms), in seconds rounded up when {@code seconds}.
     */
    private void httlGeneric(Client client, byte[][] argv, long baseMillis, boolean seconds) {
        perFieldExpiryGeneric(client, argv, false,
                (hash, field, at) -> seconds ? (at + 999 - baseMillis) / 1000 : at - baseMillis);
    }

    /** HPERSIST key FIELDS numfields field [field ...] */
    void hpersist(Client client, byte[][] argv) {
        boolean[] persisted = new boolean[1];
        perFieldExpiryGeneric(client, argv, true, (hash, field, at) -> {
            hash.expireAt(field, 0);
            persisted[0] = true;
            return 1;
        });
        if (persisted[0]) {
            client.db().changed(argv[1], KeyspaceEvents.HASH, "hpersist");
        }
    }

    /** What the HTTL family and HPERSIST answer for a field that has an expiry (and do to it). */
    @FunctionalInterface
    private interface ExpiringFieldReply {
        long reply(HashValue hash, byte[] field, long expiry);
    }

    /**
     * The HTTL family and HPERSIST: {@code key FIELDS numfields field...}, replying per field -2
     * (no such field), -1 (no expiry) or what {@code withExpiry} answers.
     */
    private void perFieldExpiryGeneric(Client client, byte[][] argv, boolean write, ExpiringFieldReply withExpiry) {
        HashValue hash = lookup(client, argv[1], write);
        if (hash == WRONG_TYPE) {
            return;
        }
        int first = fieldsAt(client, argv, 2, false);
        if (first < 0) {
            return;
        }
        ReplyWriter reply = client.reply();
        reply.array(argv.length - first);
        for (int i = first; i < argv.length; i++) {
            long at = hash == null ? HashValue.NO_FIELD : hash.expiryOf(argv[i]);
            if (at == HashValue.NO_FIELD) {
                reply.integer(NO_FIELD);
            } else if (at == 0) {
                reply.integer(-1);
            } else {
                reply.integer(withExpiry.reply(hash, argv[i], at));
            }
        }
    }

    /** HGETDEL key FIELDS numfields field [field ...] */
    void hgetdel(Client client, byte[][] argv) {
        byte[] key = argv[1];
        HashValue hash = lookup(client, key, true);
        if (hash == WRONG_TYPE) {
            return;
        }
        int first = fieldsAt(client, argv, 2, false);
        if (first < 0) {
            return;
        }
        ReplyWriter reply = client.reply();
        reply.array(argv.length - first);
        int deleted = 0;
        for (int i = first; i < argv.length; i++) {
            byte[] value = hash == null ? null : hash.get(argv[i]);
            bulkOrNull(reply, value);
            if (value != null) {
                hash.remove(argv[i]);
                deleted++;
            }
        }
        if (hash != null) {
            store(client.db(), key, hash, hash);
        }
        if (deleted > 0) {
            removed(client.db(), key, hash, "hdel");
        }
    }

    /**
     * HGETEX key [EX seconds | PX milliseconds | EXAT unix-time-seconds |
     * PXAT unix-time-milliseconds | PERSIST] FIELDS numfields field [field ...]
     */
    void hgetex(Client client, byte[][] argv) {
        byte[] key = argv[1];
        HashValue original = lookup(client, key, true);
        if (original == WRONG_TYPE) {
            return;
        }
        String option = Arguments.lower(argv[2]);
        long when = 0;
        boolean persist = option.equals("persist");
        boolean expire = switch (option) {
            case "ex", "px", "exat", "pxat" -> true;
            default -> false;
        };
        int fieldsAt = 2;
        if (expire) {
            long base = option.equals("ex") || option.equals("px") ? now() : 0;
            long unit = option.equals("ex") || option.equals("exat") ? 1000 : 1;
            when = expiryArgument(client, argv[3], base, unit, "hgetex");
            if (when < 0) {
                return;
            }
            fieldsAt = 4;
        } else if (persist) {
            fieldsAt = 3;
        }
        int first = fieldsAt(client, argv, fieldsAt, false);
        if (first < 0) {
            return;
        }
        ReplyWriter reply = client.reply();
        reply.array(argv.length - first);
        if (original == null) {
            for (int i = first; i < argv.length; i++) {
                reply.nullBulk();
            }
            return;
        }
        Database db = client.db();
        HashValue hash = expire || persist ? expiring(original) : original;
        int deleted = 0;
        int updated = 0;
        for (int i = first; i < argv.length; i++) {
            byte[] value = hash.get(argv[i]);
            bulkOrNull(reply, value);
            if (value == null) {
                continue;
            }
            if (expire) {
                deleted += setFieldExpiry(db, key, hash, argv[i], when) == DELETED ? 1 : 0;
                updated++;
            } else if (persist && hash.expiryOf(argv[i]) > 0) {
                hash.expireAt(argv[i], 0);
                updated++;
            }
        }
        store(db, key, original, hash);
        if (deleted > 0) {
            removed(db, key, hash, "hdel");
        } else if (updated > 0) {
            db.changed(key, KeyspaceEvents.HASH, persist ? "hpersist" : "hexpire");
        }
    }

    /**
     * HSETEX key [FNX | FXX] [EX seconds | PX milliseconds | EXAT unix-time-seconds |
     * PXAT unix-time-milliseconds | KEEPTTL] FIELDS numfields field value [field value ...]
     */
    void hsetex(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        boolean fnx = false;
        boolean fxx = false;
        boolean keepTtl = false;
        boolean expire = false;
        long when = 0;
        int first = -1;
        for (int i = 2; i < argv.length && first < 0; i++) {
            String word = Arguments.lower(argv[i]);
            switch (word) {
                case "fields" -> {
                    if (i >= argv.length - 3) {
                        reply.error(Errors.wrongArity("hsetex"));
                        return;
                    }
                    Long count = Arguments.integer(argv[i + 1]);
                    if (count == null || count < 1 || count > Integer.MAX_VALUE) {
                        reply.error(Errors.INVALID_NUMBER_OF_FIELDS);
                        return;
                    }
                    int remaining = argv.length - i - 2;
                    if (remaining % 2 != 0 || count != remaining / 2) {
                        reply.error(Errors.wrongArity("hsetex"));
                        return;
                    }
                    first = i + 2;
                }
                case "ex", "px", "exat", "pxat", "keepttl" -> {
                    if (expire || keepTtl) {
                        reply.error(Errors.HSETEX_EXPIRATION_CONFLICT);
                        return;
                    }
                    if (word.equals("keepttl")) {
                        keepTtl = true;
                        continue;
                    }
                    if (i >= argv.length - 1) {
                        reply.error(Errors.MISSING_EXPIRE_TIME);
                        return;
                    }
                    expire = true;
                    long base = word.equals("ex") || word.equals("px") ? now() : 0;
                    long unit = word.equals("ex") || word.equals("exat") ? 1000 : 1;
                    when = expiryArgument(client, argv[++i], base, unit, "hsetex");
                    if (when < 0) {
                        return;
                    }
                }
                case "fnx", "fxx" -> {
                    if (fnx || fxx) {
                        reply.error(Errors.FNX_FXX_CONFLICT);
                        return;
                    }
                    fnx = word.equals("fnx");
                    fxx = !fnx;
                }
                default -> {
                    reply.error(Errors.unknownArgument(Arguments.text(argv[i])));
                    return;
                }
            }
        }
        byte[] key = argv[1];
        HashValue original = lookup(client, key, true);
        if (original == WRONG_TYPE) {
            return;
        }
        if (original == null && fxx) {
            reply.integer(0);
            return;
        }
        if (fnx || fxx) {
            for (int i = first; i < argv.length; i += 2) {
                boolean exists = original != null && original.get(argv[i]) != null;
                if (exists == fnx) {
                    reply.integer(0);
                    return;
                }
            }
        }
        Database db = client.db();
        HashValue hash = original == null ? new PackedHash() : original;
        int[] created = new int[1];
        int deleted = 0;
        for (int i = first; i < argv.length; i += 2) {
            hash = put(hash, argv[i], argv[i + 1], keepTtl || expire, created);
            if (expire) {
                hash = expiring(hash);
                deleted += setFieldExpiry(db, key, hash, argv[i], when) == DELETED ? 1 : 0;
            }
        }
        store(db, key, original, hash);
        db.changed(key, KeyspaceEvents.HASH, "hset");
        if (deleted > 0) {
            removed(db, key, hash, "hdel");
        } else if (expire) {
            db.changed(key, KeyspaceEvents.HASH, "hexpire");
        }
        reply.integer(1);
    }
}
