package io.spinel.command.keys;

import io.spinel.command.Arguments;
import io.spinel.command.Client;
import io.spinel.command.CommandTable;
import io.spinel.command.Errors;
import io.spinel.command.LockMode;
import io.spinel.command.ScanOptions;
import io.spinel.command.ServerContext;
import io.spinel.config.KeyspaceEvents;
import io.spinel.resp.ReplyWriter;
import io.spinel.store.Database;
import io.spinel.store.Effects;
import io.spinel.store.Glob;
import io.spinel.store.Keyspace;
import io.spinel.store.SlotHash;
import io.spinel.store.SlotLocks;
import io.spinel.types.MutableString;
import io.spinel.types.StringValue;
import io.spinel.types.CollectionValue;
import io.spinel.types.ValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * The generic key commands: existence, deletion, renaming, copying between databases, expiry,
 * iteration (KEYS, SCAN, RANDOMKEY), introspection (TYPE, OBJECT) and the keyspace-wide
 * commands (DBSIZE, FLUSHDB, FLUSHALL, SWAPDB), plus WAIT.
 *
 * <h2>Locks</h2>
 * Commands naming their keys run under those keys' slot locks, taken by the dispatcher. A key has
 * the same slot in every database and one lock covers the slot in all of them, so MOVE and
 * COPY ... DB touch the other database under the locks they already hold. KEYS, DBSIZE and the
 * flush and swap commands hold every slot lock. SCAN and RANDOMKEY hold none and lock one slot
 * at a time while they look into it, so they never stall the whole keyspace.
 *
 * <h2>SCAN cursors</h2>
 * A cursor is {@code (inSlotCursor << 14) | slot}: the slot being walked and where to go on inside
 * that slot's table, as {@link Database#scanSlot} returns it: a key hash below which every key of
 * the slot has been returned (0: the slot is done, or not begun when passed in). It holds under
 * any resize of the table, so a key present for the whole scan is returned, and returned once.
 * Slots are walked in ascending order; the scan ends after slot 16383. Empty slots cost a lock
 * round trip each, so a call visits at most {@code max(10 * COUNT, 1024)} of them (Redis bounds
 * empty buckets by 10 * COUNT; the floor lets a nearly empty database finish in a few calls).
 */
public final class KeyCommands {
    private static final int SLOT_BITS = 14;
    private static final int MIN_EMPTY_SLOT_VISITS = 1024;
    /** OBJECT REFCOUNT of a shared object (Redis's OBJ_SHARED_REFCOUNT). */
    private static final long SHARED_REFCOUNT = Integer.MAX_VALUE;
    private static final String[] OBJECT_HELP = {
        "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "ENCODING <key>",
        "    Return the kind of internal representation used in order to store the value",
        "    associated with a <key>.",
        "FREQ <key>",
        "    Return the access frequency index of the <key>. The returned integer is",
        "    proportional to the logarithm of the recent access frequency of the key.",
        "IDLETIME <key>",
        "    Return the idle time of the <key>, that is the approximated number of",
        "    seconds elapsed since the last access to the key.",
        "REFCOUNT <key>",
        "    Return the number of references of the value associated with the specified",
        "    <key>.",
        "HELP",
        "    Prints this help.",
    };

    private final ServerContext server;

    public KeyCommands(ServerContext server) {
        this.server = server;
    }

    /** Binds the key commands' handlers in {@code table}. */
    public void bind(CommandTable table) {
        table.bind("del", this::del);
        table.bind("unlink", this::unlink);
        table.bind("exists", this::exists);
        table.bind("type", this::type);
        table.bind("keys", LockMode.ALL, this::keys);
        table.bind("scan", LockMode.NONE, this::scan);
        table.bind("randomkey", LockMode.NONE, this::randomkey);
        table.bind("rename", this::rename);
        table.bind("renamenx", this::renamenx);
        table.bind("copy", this::copy);
        table.bind("move", this::move);
        table.bind("expire", this::expire);
        table.bind("pexpire", this::pexpire);
        table.bind("expireat", this::expireat);
        table.bind("pexpireat", this::pexpireat);
        table.bind("ttl", this::ttl);
        table.bind("pttl", this::pttl);
        table.bind("expiretime", this::expiretime);
        table.bind("pexpiretime", this::pexpiretime);
        table.bind("persist", this::persist);
        table.bind("touch", this::touch);
        table.bind("object|encoding", this::objectEncoding);
        table.bind("object|freq", this::objectFreq);
        table.bind("object|idletime", this::objectIdletime);
        table.bind("object|refcount", this::objectRefcount);
        table.bind("object|help", this::objectHelp);
        table.bind("dbsize", LockMode.ALL, this::dbsize);
        table.bind("flushdb", LockMode.ALL, this::flushdb);
        table.bind("flushall", LockMode.ALL, this::flushall);
        table.bind("swapdb", LockMode.ALL, this::swapdb);
        table.bind("wait", this::waitCommand);
        table.bind("waitaof", this::waitaofCommand);
    }

    /** DEL key [key ...]: lazily under lazyfree-lazy-user-del (the collector reclaims either way). */
    void del(Client client, byte[][] argv) {
        boolean lazy = server.config().lazyfreeLazyUserDel.value();
        deleteGeneric(client, argv, lazy);
    }

    /** UNLINK key [key ...] */
    void unlink(Client client, byte[][] argv) {
        deleteGeneric(client, argv, true);
    }

    /** DEL and UNLINK: deletes each key that exists ("del" event), replies how many did. */
    private static void deleteGeneric(Client client, byte[][] argv, boolean lazy) {
        Database db = client.db();
        countGeneric(client, argv, key -> {
            if (!db.delete(key, lazy)) {
                return false;
            }
            db.changed(key, KeyspaceEvents.GENERIC, "del");
            return true;
        });
    }

    /** EXISTS key [key ...] */
    void exists(Client client, byte[][] argv) {
        Database db = client.db();
        countGeneric(client, argv, key -> db.getNoTouch(key) != null);
    }

    /** TOUCH key [key ...] */
    void touch(Client client, byte[][] argv) {
        Database db = client.db();
        countGeneric(client, argv, key -> db.get(key) != null);
    }

    /** Applies {@code action} to every key argument and replies how many times it returned true. */
    private static void countGeneric(Client client, byte[][] argv, Predicate<byte[]> action) {
        long count = 0;
        for (int i = 1; i < argv.length; i++) {
            if (action.test(argv[i])) {
                count++;
            }
        }
        client.reply().integer(count);
    }

    /** TYPE key */
    void type(Client client, byte[][] argv) {
        Object value = client.db().getNoTouch(argv[1]);
        client.reply().simple(value == null ? "none" : ValueType.of(value).typeName());
    }

    /** KEYS pattern */
    void keys(Client client, byte[][] argv) {
        Database db = client.db();
        byte[] pattern = argv[1];
        boolean all = Glob.matchesAll(pattern);
        List<byte[]> matched = new ArrayList<>();
        for (int slot = 0; slot < SlotHash.SLOTS; slot++) {
            if (db.sizeOfSlot(slot) == 0) {
                continue;
            }
            for (byte[] key : db.keysOfSlot(slot)) {
                if (all || Glob.matches(pattern, key)) {
                    matched.add(key);
                }
            }
        }
        writeKeys(client.reply(), matched);
    }

    /** Writes {@code keys} as an array of bulk strings. */
    private static void writeKeys(ReplyWriter reply, List<byte[]> keys) {
        reply.array(keys.size());
        for (byte[] key : keys) {
            reply.bulk(key);
        }
    }

    /** SCAN cursor [MATCH pattern] [COUNT count] [TYPE type] */
    void scan(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        Long cursor = ScanOptions.cursor(argv[1], reply);
        if (cursor == null) {
            return;
        }
        ScanOptions options = ScanOptions.parse(argv, 2, ScanOptions.Extra.TYPE, reply);
        if (options == null) {
            return;
        }
        List<byte[]> found = new ArrayList<>();
        long next = scanGeneric(client.db(), cursor, options, found);
        reply.array(2);
        reply.bulk(Long.toUnsignedString(next));
        writeKeys(reply, found);
    }

    /**
     * Walks slots from {@code cursor} until about {@code count} keys were sampled, a bounded
     * number of empty slots was visited, or the last slot is done; adds the live keys that pass
     * the filters to {@code out} and returns the next cursor (0: scan complete). Locks each slot
     * while looking into it; must run without slot locks held by the caller's dispatcher.
     */
    private long scanGeneric(Database db, long cursor, ScanOptions options, List<byte[]> out) {
        SlotLocks locks = server.keyspace().locks();
        int slot = (int) (cursor & (SlotHash.SLOTS - 1));
        long inSlot = cursor >>> SLOT_BITS;
        long count = options.count();
        int perCall = options.batch();
        long maxEmptyVisits = Math.max(MIN_EMPTY_SLOT_VISITS, Math.min(count, Long.MAX_VALUE / 10) * 10);
        long sampled = 0;
        long emptyVisits = 0;
        List<byte[]> batch = new ArrayList<>();
        while (true) {
            batch.clear();
            long nextInSlot;
            locks.lock(slot);
            try {
                nextInSlot = db.scanSlot(slot, inSlot, (int) Math.max(1, perCall - sampled), batch::add);
                for (byte[] key : batch) {
                    if (!options.matches(key)) {
                        continue;
                    }
                    Object value = db.peek(key);
                    if (value == null || (options.filtersType() && ValueType.of(value) != options.type())) {
                        continue;
                    }
                    out.add(key);
                }
            } finally {
                locks.unlock(slot);
            }
            if (batch.isEmpty()) {
                emptyVisits++;
            }
            sampled += batch.size();
            if (nextInSlot != 0) {
                inSlot = nextInSlot;
            } else {
                if (slot == SlotHash.SLOTS - 1) {
                    return 0;
                }
                slot++;
                inSlot = 0;
            }
            if (sampled >= count || emptyVisits >= maxEmptyVisits) {
                return (inSlot << SLOT_BITS) | slot;
            }
        }
    }

    /**
     * RANDOMKEY. Picks a uniformly random slot among the non-empty ones (by random probes, then,
     * when the keyspace is sparse, by walking from a random slot), then a uniformly random key of
     * that slot: so keys in small slots are likelier than in large ones, unlike Redis's uniform
     * bucket choice, which is not uniform over keys either. Expired keys found are reclaimed and
     * another is picked.
     */
    void randomkey(Client client, byte[][] argv) {
        Database db = client.db();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int probe = 0; probe < 64; probe++) {
            byte[] key = liveRandomKey(db, random.nextInt(SlotHash.SLOTS));
            if (key != null) {
                client.reply().bulk(key);
                return;
            }
        }
        int start = random.nextInt(SlotHash.SLOTS);
        for (int i = 0; i < SlotHash.SLOTS; i++) {
            byte[] key = liveRandomKey(db, (start + i) & (SlotHash.SLOTS - 1));
            if (key != null) {
                client.reply().bulk(key);
                return;
            }
        }
        client.reply().nullBulk();
    }

    /**
     * A random live key of {@code slot}, or null when it has none; locks the slot. Each expired
     * pick is deleted by its lookup, so the loop ends.
     */
    private byte[] liveRandomKey(Database db, int slot) {
        SlotLocks locks = server.keyspace().locks();
        locks.lock(slot);
        try {
            while (db.sizeOfSlot(slot) > 0) {
                byte[] key = db.randomKeyOfSlot(slot);
                if (db.peek(key) != null) {
                    return key;
                }
            }
            return null;
        } finally {
            locks.unlock(slot);
        }
    }

    /** RENAME key newkey */
    void rename(Client client, byte[][] argv) {
        renameGeneric(client, argv, false);
    }

    /** RENAMENX key newkey */
    void renamenx(Client client, byte[][] argv) {
        renameGeneric(client, argv, true);
    }

    /** RENAME and RENAMENX: the value moves as is (no copy) and keeps its expiry. */
    private void renameGeneric(Client client, byte[][] argv, boolean nx) {
        Database db = client.db();
        ReplyWriter reply = client.reply();
        byte[] source = argv[1];
        byte[] target = argv[2];
        Object value = db.getForWrite(source);
        if (value == null) {
            reply.error(Errors.NO_SUCH_KEY);
            return;
        }
        if (java.util.Arrays.equals(source, target)) {
            if (nx) {
                reply.integer(0);
            } else {
                reply.ok();
            }
            return;
        }
        long expiresAt = db.expiresAt(source);
        if (nx && db.getForWrite(target) != null) {
            reply.integer(0);
            return;
        }
        db.delete(target); // Redis deletes and adds the target anew: "new" fires even when it existed
        db.set(target, value, expiresAt == Database.NO_EXPIRY ? 0 : expiresAt);
        db.delete(source);
        db.changed(source, KeyspaceEvents.GENERIC, "rename_from");
        db.changed(target, KeyspaceEvents.GENERIC, "rename_to");
        if (nx) {
            reply.integer(1);
        } else {
            reply.ok();
        }
    }

    /** COPY source destination [DB destination-db] [REPLACE] */
    void copy(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        Database source = client.db();
        Database target = source;
        boolean replace = false;
        for (int i = 3; i < argv.length; i++) {
            if (Arguments.is(argv[i], "replace")) {
                replace = true;
            } else if (Arguments.is(argv[i], "db") && i + 1 < argv.length) {
                Long index = Arguments.integer(argv[++i]);
                if (!isInt(reply, index)) {
                    return;
                }
                target = database(index);
                if (target == null) {
                    reply.error(Errors.DB_INDEX_OUT_OF_RANGE);
                    return;
                }
            } else {
                reply.error(Errors.SYNTAX);
                return;
            }
        }
        byte[] key = argv[1];
        byte[] newKey = argv[2];
        if (source == target && java.util.Arrays.equals(key, newKey)) {
            reply.error(Errors.SAME_OBJECT);
            return;
        }
        Object value = source.get(key);
        if (value == null) {
            reply.integer(0);
            return;
        }
        long expiresAt = source.expiresAt(key);
        if (target.getForWrite(newKey) != null && !replace) {
            reply.integer(0);
            return;
        }
        target.delete(newKey); // REPLACE deletes and adds the key anew, as Redis ("new" fires)
        target.set(newKey, duplicate(value), expiresAt == Database.NO_EXPIRY ? 0 : expiresAt);
        target.changed(newKey, KeyspaceEvents.GENERIC, "copy_to");
        reply.integer(1);
    }

    /**
     * An independent copy of a stored value for COPY: immutable values (a byte[] string, a Long)
     * are shared, values that commands modify in place are copied.
     */
    static Object duplicate(Object value) {
        if (value instanceof CollectionValue collection) {
            return collection.copy();
        }
        if (value instanceof MutableString s) {
            return new MutableString(s.toBytes(), s.length());
        }
        if (value instanceof byte[] || value instanceof Long) {
            return value;
        }
        throw new IllegalArgumentException("COPY of an unknown value type: " + value.getClass());
    }

    /**
     * Whether a parsed argument fits a C int, as getIntFromObjectOrReply requires; replies its
     * error when not.
     */
    private static boolean isInt(ReplyWriter reply, Long value) {
        if (value == null) {
            reply.error(Errors.NOT_INTEGER);
            return false;
        }
        if (value != (int) (long) value) {
            reply.error(Errors.NOT_INT32);
            return false;
        }
        return true;
    }

    /** The database numbered {@code index}, or null when there is none. */
    private Database database(long index) {
        Keyspace keyspace = server.keyspace();
        return index >= 0 && index < keyspace.databaseCount() ? keyspace.database((int) index) : null;
    }

    /** MOVE key db */
    void move(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        Long index = Arguments.integer(argv[2]);
        if (!isInt(reply, index)) {
            return;
        }
        Database target = database(index);
        if (target == null) {
            reply.error(Errors.DB_INDEX_OUT_OF_RANGE);
            return;
        }
        Database source = client.db();
        if (target == source) {
            reply.error(Errors.SAME_OBJECT);
            return;
        }
        byte[] key = argv[1];
        Object value = source.getForWrite(key);
        if (value == null) {
            reply.integer(0);
            return;
        }
        long expiresAt = source.expiresAt(key);
        if (target.getForWrite(key) != null) {
            reply.integer(0);
            return;
        }
        target.set(key, value, expiresAt == Database.NO_EXPIRY ? 0 : expiresAt);
        source.delete(key);
        source.changed(key, KeyspaceEvents.GENERIC, "move_from");
        target.changed(key, KeyspaceEvents.GENERIC, "move_to");
        reply.integer(1);
    }

    /** EXPIRE key seconds [NX | XX | GT | LT] */
    void expire(Client client, byte[][] argv) {
        expireGeneric(client, argv, server.clock().millis(), 1000, "expire");
    }

    /** PEXPIRE key milliseconds [NX | XX | GT | LT] */
    void pexpire(Client client, byte[][] argv) {
        expireGeneric(client, argv, server.clock().millis(), 1, "pexpire");
    }

    /** EXPIREAT key unix-time-seconds [NX | XX | GT | LT] */
    void expireat(Client client, byte[][] argv) {
        expireGeneric(client, argv, 0, 1000, "expireat");
    }

    /** PEXPIREAT key unix-time-milliseconds [NX | XX | GT | LT] */
    void pexpireat(Client client, byte[][] argv) {
        expireGeneric(client, argv, 0, 1, "pexpireat");
    }

    /**
     * The EXPIRE family: the time argument times {@code unitMillis} plus {@code baseMillis} is
     * the new absolute expiry; one in the past deletes the key. Replies 1 when the expiry was set
     * (or the key deleted), 0 when the key is absent or the NX/XX/GT/LT condition fails; a key
     * without expiry counts as expiring never (infinitely late) for GT and LT.
     */
    private void expireGeneric(Client client, byte[][] argv, long baseMillis, long unitMillis, String name) {
        ReplyWriter reply = client.reply();
        boolean nx = false;
        boolean xx = false;
        boolean gt = false;
        boolean lt = false;
        for (int i = 3; i < argv.length; i++) {
            if (Arguments.is(argv[i], "nx")) {
                nx = true;
            } else if (Arguments.is(argv[i], "xx")) {
                xx = true;
            } else if (Arguments.is(argv[i], "gt")) {
                gt = true;
            } else if (Arguments.is(argv[i], "lt")) {
                lt = true;
            } else {
                reply.error(Errors.unsupportedOption(cString(argv[i])));
                return;
            }
        }
        if (nx && (xx || gt || lt)) {
            reply.error(Errors.EXPIRE_NX_CONFLICT);
            return;
        }
        if (gt && lt) {
            reply.error(Errors.EXPIRE_GT_LT_CONFLICT);
            return;
        }
        Long time = Arguments.integer(argv[2]);
        if (time == null) {
            reply.error(Errors.NOT_INTEGER);
            return;
        }
        long when = time;
        if (when > Long.MAX_VALUE / unitMillis || when < Long.MIN_VALUE / unitMillis) {
            reply.error(Errors.invalidExpire(name));
            return;
        }
        when *= unitMillis;
        if (when > Long.MAX_VALUE - baseMillis) {
            reply.error(Errors.invalidExpire(name));
            return;
        }
        when += baseMillis;
        Database db = client.db();
        byte[] key = argv[1];
        if (db.getForWrite(key) == null) {
            reply.integer(0);
            return;
        }
        long current = db.expiresAt(key);
        boolean persistent = current == Database.NO_EXPIRY;
        if ((nx && !persistent) || (xx && persistent) || (gt && (persistent || when <= current))
                || (lt && !persistent && when >= current)) {
            reply.integer(0);
            return;
        }
        db.expireAt(key, when);
        boolean exists = db.exists(key);
        db.changed(key, KeyspaceEvents.GENERIC, exists ? "expire" : "del"); // a time already past deletes
        Effects effects = server.keyspace().effects();
        if (!exists) {
            effects.rewrite(Effects.bytes(server.config().lazyfreeLazyExpire.value() ? "UNLINK" : "DEL"), key);
        } else if (effects.active()) { // propagated as PEXPIREAT, an absolute time in ms, with the flags kept
            byte[][] propagated = argv.clone();
            if (!name.equals("pexpireat")) {
                propagated[0] = Effects.bytes("PEXPIREAT");
            }
            propagated[2] = Effects.bytes(when);
            effects.rewrite(propagated);
        }
        reply.integer(1);
    }

    /** The argument as C's %s prints it: up to the first NUL byte. */
    private static String cString(byte[] arg) {
        int end = 0;
        while (end < arg.length && arg[end] != 0) {
            end++;
        }
        return new String(arg, 0, end, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** TTL key */
    void ttl(Client client, byte[][] argv) {
        long ttl = ttlMillis(client.db(), argv[1]);
        client.reply().integer(ttl < 0 ? ttl : (ttl + 500) / 1000);
    }

    /** PTTL key */
    void pttl(Client client, byte[][] argv) {
        client.reply().integer(ttlMillis(client.db(), argv[1]));
    }

    /** EXPIRETIME key */
    void expiretime(Client client, byte[][] argv) {
        long at = expiresAt(client.db(), argv[1]);
        client.reply().integer(at < 0 ? at : (at + 500) / 1000);
    }

    /** PEXPIRETIME key */
    void pexpiretime(Client client, byte[][] argv) {
        client.reply().integer(expiresAt(client.db(), argv[1]));
    }

    /** The TTL of {@code key} as the TTL commands look it up (a keyspace hit or miss, "keymiss" when absent). */
    private static long ttlMillis(Database db, byte[] key) {
        return db.getNoTouch(key) == null ? Database.NO_KEY : db.ttlMillis(key);
    }

    /** The expiry of {@code key} as EXPIRETIME looks it up (a keyspace hit or miss, "keymiss" when absent). */
    private static long expiresAt(Database db, byte[] key) {
        return db.getNoTouch(key) == null ? Database.NO_KEY : db.expiresAt(key);
    }

    /** PERSIST key */
    void persist(Client client, byte[][] argv) {
        boolean persisted = client.db().persist(argv[1]);
        if (persisted) {
            client.db().changed(argv[1], KeyspaceEvents.GENERIC, "persist");
        }
        client.reply().integer(persisted ? 1 : 0);
    }

    /** OBJECT ENCODING key */
    void objectEncoding(Client client, byte[][] argv) {
        Object value = client.db().peek(argv[2]);
        if (value == null) {
            client.reply().nullBulk();
        } else {
            client.reply().bulk(encoding(value));
        }
    }

    /** The encoding name OBJECT ENCODING reports for a stored value. */
    static String encoding(Object value) {
        if (value instanceof CollectionValue collection) {
            return collection.encoding();
        }
        if (StringValue.isString(value)) {
            return StringValue.encoding(value);
        }
        throw new IllegalArgumentException("no encoding name for " + value.getClass());
    }

    /**
     * OBJECT FREQ key: the key's logarithmic access counter, decayed to now. Frequencies are
     * tracked only under an LFU maxmemory-policy; under any other an existing key gets Redis's
     * error for that case.
     */
    void objectFreq(Client client, byte[][] argv) {
        Database db = client.db();
        if (db.peek(argv[2]) == null) {
            client.reply().nullBulk();
        } else if (!server.keyspace().policy().lfu()) {
            client.reply().error(Errors.LFU_NOT_SELECTED);
        } else {
            client.reply().integer(server.keyspace().frequency(db.accessClock(argv[2])));
        }
    }

    /**
     * OBJECT IDLETIME key: seconds since the key was last read or written; not tracked (an
     * error) under an LFU maxmemory-policy.
     */
    void objectIdletime(Client client, byte[][] argv) {
        Database db = client.db();
        if (db.peek(argv[2]) == null) {
            client.reply().nullBulk();
            return;
        }
        if (server.keyspace().policy().lfu()) {
            client.reply().error(Errors.LFU_SELECTED);
            return;
        }
        client.reply().integer(server.keyspace().idleMillis(db.accessClock(argv[2])) / 1000);
    }

    /**
     * OBJECT REFCOUNT key. Values are not reference counted here; the answer is what Redis gives
     * for the same value: its shared-object count for the shared integers 0..9999, else 1.
     */
    void objectRefcount(Client client, byte[][] argv) {
        Object value = client.db().peek(argv[2]);
        if (value == null) {
            client.reply().nullBulk();
        } else {
            boolean shared = value instanceof Long l && l >= 0 && l < 10000;
            client.reply().integer(shared ? SHARED_REFCOUNT : 1);
        }
    }

    /** OBJECT HELP */
    void objectHelp(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        reply.array(OBJECT_HELP.length);
        for (String line : OBJECT_HELP) {
            reply.simple(line);
        }
    }

    /** DBSIZE: keys in the database, counting expired ones not reclaimed yet, as Redis does. */
    void dbsize(Client client, byte[][] argv) {
        client.reply().integer(client.db().size());
    }

    /** FLUSHDB [ASYNC | SYNC]: both are instant, the old tables are left to the collector. */
    void flushdb(Client client, byte[][] argv) {
        if (flushModeValid(client, argv)) {
            server.keyspace().databaseChanged(client.db()); // before: watchers of keys that exist are touched
            client.db().clear(flushLazily(argv));
            server.blocking().databaseChanged(client.db());
            server.tracking().flushed();
            client.reply().ok();
        }
    }

    /** FLUSHALL [ASYNC | SYNC] */
    void flushall(Client client, byte[][] argv) {
        if (flushModeValid(client, argv)) {
            Keyspace keyspace = server.keyspace();
            keyspace.databaseChanged(null);
            boolean lazy = flushLazily(argv);
            for (int i = 0; i < keyspace.databaseCount(); i++) {
                keyspace.database(i).clear(lazy);
                server.blocking().databaseChanged(keyspace.database(i));
            }
            server.tracking().flushed();
            client.reply().ok();
        }
    }

    /** Whether a valid FLUSHALL/FLUSHDB frees lazily: ASYNC, or no mode and lazyfree-lazy-user-flush. */
    private boolean flushLazily(byte[][] argv) {
        return argv.length == 2 ? Arguments.is(argv[1], "async") : server.config().lazyfreeLazyUserFlush.value();
    }

    /** Checks the optional ASYNC/SYNC argument; replies the syntax error when it is wrong. */
    private static boolean flushModeValid(Client client, byte[][] argv) {
        if (argv.length == 1 || (argv.length == 2 && (Arguments.is(argv[1], "async") || Arguments.is(argv[1], "sync")))) {
            return true;
        }
        client.reply().error(Errors.SYNTAX);
        return false;
    }

    /** SWAPDB index1 index2 */
    void swapdb(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        Long first = Arguments.integer(argv[1]);
        if (first == null || first != (int) (long) first) {
            reply.error(Errors.INVALID_FIRST_DB);
            return;
        }
        Long second = Arguments.integer(argv[2]);
        if (second == null || second != (int) (long) second) {
            reply.error(Errors.INVALID_SECOND_DB);
            return;
        }
        if (database(first) == null || database(second) == null) {
            reply.error(Errors.DB_INDEX_OUT_OF_RANGE);
            return;
        }
        // Before and after: a watched key present on either side of the swap changed.
        server.keyspace().databaseChanged(database(first));
        server.keyspace().databaseChanged(database(second));
        server.keyspace().swap(first.intValue(), second.intValue());
        server.keyspace().databaseChanged(database(first));
        server.keyspace().databaseChanged(database(second));
        server.blocking().databaseChanged(database(first));
        server.blocking().databaseChanged(database(second));
        reply.ok();
    }

    /**
     * WAIT numreplicas timeout (the method is not named wait, which is Object's). There are no
     * replicas, so 0 replicas acknowledged; asking for more than 0 blocks until the timeout
     * (0: forever), as Redis does when replicas are missing.
     */
    void waitCommand(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        Long replicas = Arguments.integer(argv[1]);
        if (replicas == null) {
            reply.error(Errors.NOT_INTEGER);
            return;
        }
        Long timeout = waitTimeout(client, argv[2]);
        if (timeout == null) {
            return;
        }
        if (replicas <= 0) {
            reply.integer(0);
            return;
        }
        server.blocking().block(client, timeout, r -> r.integer(0));
    }

    /** WAIT's and WAITAOF's timeout in milliseconds, or null after replying Redis's error. */
    private Long waitTimeout(Client client, byte[] argument) {
        ReplyWriter reply = client.reply();
        Long timeout = Arguments.integer(argument);
        if (timeout == null) {
            reply.error(Errors.TIMEOUT_NOT_INTEGER);
        } else if (timeout < 0) {
            reply.error(Errors.TIMEOUT_NEGATIVE);
        } else if (timeout > Long.MAX_VALUE - server.clock().millis()) {
            reply.error(Errors.TIMEOUT_OUT_OF_RANGE);
        } else {
            return timeout;
        }
        return null;
    }

    /**
     * WAITAOF numlocal numreplicas timeout: waits until this client's writes are fsynced to the
     * AOF (numlocal 1) and acknowledged by numreplicas replicas, and answers how many of each
     * are. Spinel has no replicas, so a wait for any times out with 0 of them. A local wait is
     * answered at once when the log is on disk past the client's last command (always under
     * appendfsync always once its reply left; under everysec within the next second), else the
     * server cron wakes it after the fsync that covers it.
     */
    void waitaofCommand(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        Long local = Arguments.integer(argv[1]);
        if (local == null) {
            reply.error(Errors.NOT_INTEGER);
            return;
        }
        if (local < 0 || local > 1) {
            reply.error("ERR value is out of range, value must between 0 and 1");
            return;
        }
        Long replicas = Arguments.integer(argv[2]);
        if (replicas == null) {
            reply.error(Errors.NOT_INTEGER);
            return;
        }
        if (replicas < 0) {
            reply.error("ERR value is out of range, must be positive");
            return;
        }
        Long timeout = waitTimeout(client, argv[3]);
        if (timeout == null) {
            return;
        }
        if (local > 0 && !server.config().appendonly.value()) {
            reply.error("ERR WAITAOF cannot be used when numlocal is set but appendonly is disabled.");
            return;
        }
        long offset = client.aofOffset();
        if (localAcks(offset) >= local && replicas == 0) {
            waitaofReply(reply, localAcks(offset));
            return;
        }
        if (replicas == 0) {
            server.aofWaiters().add(client, offset);
        }
        server.blocking().block(client, timeout, r -> {
            server.aofWaiters().remove(client);
            waitaofReply(r, localAcks(offset));
        });
    }

    /** 1 when the AOF is on disk up to {@code offset}, else 0 (always 0 while the AOF is off). */
    private int localAcks(long offset) {
        return server.snapshots().aofFsyncedOffset() >= offset ? 1 : 0;
    }

    private static void waitaofReply(ReplyWriter reply, int local) {
        reply.array(2);
        reply.integer(local);
        reply.integer(0);
    }
}
