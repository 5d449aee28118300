package io.spinel.command.string;

import io.spinel.command.Arguments;
import io.spinel.command.Client;
import io.spinel.command.CommandTable;
import io.spinel.command.Errors;
import io.spinel.command.ServerContext;
import io.spinel.config.KeyspaceEvents;
import io.spinel.resp.ReplyWriter;
import io.spinel.store.Database;
import io.spinel.store.Effects;
import io.spinel.types.LongDouble;
import io.spinel.types.MutableString;
import io.spinel.types.StringValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The string commands (Redis's t_string.c): reading, writing, counters, ranges and LCS.
 *
 * <h2>Values</h2>
 * Values written whole are stored through {@link StringValue#of}, so canonical integers become
 * Longs ("int") as Redis's tryObjectEncoding makes them. APPEND and SETRANGE turn an existing
 * value into a {@link MutableString} ("raw") and modify it in place, as Redis unshares and grows
 * the sds. INCRBYFLOAT stores its printed result as plain bytes, never as an integer: Redis
 * creates that object without trying the int encoding.
 *
 * <h2>Expiry</h2>
 * SET, GETSET and MSET clear a key's time to live (unless SET ... KEEPTTL); the commands that
 * modify a value (INCR family, INCRBYFLOAT, APPEND, SETRANGE) keep it through
 * {@link Database#replace}. Relative times are turned into absolute Unix milliseconds once, at
 * the start of the command.
 *
 * <h2>Order of checks</h2>
 * The order in which arguments, key type and limits are checked decides which error a client sees
 * when several apply; each handler follows Redis's order, which the differential tests pin down.
 */
public final class StringCommands {
    private static final int NX = 1;
    private static final int XX = 1 << 1;
    private static final int GET = 1 << 2;
    private static final int KEEPTTL = 1 << 3;
    private static final int PERSIST = 1 << 4;
    private static final int EX = 1 << 5;
    private static final int PX = 1 << 6;
    private static final int EXAT = 1 << 7;
    private static final int PXAT = 1 << 8;
    private static final int ANY_EXPIRE = EX | PX | EXAT | PXAT;
    /**
     * The longest string a command may build here whatever proto-max-bulk-len says: a Java array
     * holds fewer than 2^31 bytes, and {@link MutableString} adds up to 1 MB of spare room.
     */
    public static final long JAVA_MAX_LENGTH = Integer.MAX_VALUE - (2L << 20);
    private static final byte[] EMPTY = new byte[0];
    private static final byte[] SET = Effects.bytes("SET");
    private static final byte[] DEL = Effects.bytes("DEL");
    private static final byte[] UNLINK = Effects.bytes("UNLINK");
    private static final byte[] PEXPIREAT = Effects.bytes("PEXPIREAT");
    private static final byte[] PERSIST_ARG = Effects.bytes("PERSIST");
    private static final byte[] PXAT_ARG = Effects.bytes("PXAT");
    private static final byte[] KEEPTTL_ARG = Effects.bytes("KEEPTTL");

    private final ServerContext server;

    public StringCommands(ServerContext server) {
        this.server = server;
    }

    /** Binds the string commands' handlers in {@code table}. */
    public void bind(CommandTable table) {
        table.bind("append", this::append);
        table.bind("decr", this::decr);
        table.bind("decrby", this::decrby);
        table.bind("get", this::get);
        table.bind("getdel", this::getdel);
        table.bind("getex", this::getex);
        table.bind("getrange", this::getrange);
        table.bind("getset", this::getset);
        table.bind("incr", this::incr);
        table.bind("incrby", this::incrby);
        table.bind("incrbyfloat", this::incrbyfloat);
        table.bind("lcs", this::lcs);
        table.bind("mget", this::mget);
        table.bind("mset", this::mset);
        table.bind("msetnx", this::msetnx);
        table.bind("psetex", this::psetex);
        table.bind("set", this::set);
        table.bind("setex", this::setex);
        table.bind("setnx", this::setnx);
        table.bind("setrange", this::setrange);
        table.bind("strlen", this::strlen);
        table.bind("substr", this::getrange);
    }

    /** Writes a string value as a bulk reply without copying it. */
    static void writeString(ReplyWriter reply, Object value) {
        if (value instanceof byte[] bytes) {
            reply.bulk(bytes);
        } else if (value instanceof MutableString s) {
            reply.bulk(s.buffer(), 0, s.length());
        } else {
            reply.bulk(StringValue.bytes(value));
        }
    }

    /** GET key */
    void get(Client client, byte[][] argv) {
        getGeneric(client, argv[1]);
    }

    /**
     * Replies the string at {@code key} or null (a read lookup: hit/miss statistics); returns
     * false after replying WRONGTYPE, so that callers stop.
     */
    private static boolean getGeneric(Client client, byte[] key) {
        Object value = client.db().get(key);
        if (value == null) {
            client.reply().nullBulk();
        } else if (!StringValue.isString(value)) {
            client.reply().error(Errors.WRONGTYPE);
            return false;
        } else {
            writeString(client.reply(), value);
        }
        return true;
    }

    /** SET key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL] */
    void set(Client client, byte[][] argv) {
        Options options = Options.parse(client, argv, 3, true);
        if (options != null) {
            setGeneric(client, argv, options.flags, argv[1], argv[2], options.expire, "set", false);
        }
    }

    /** SETNX key value */
    void setnx(Client client, byte[][] argv) {
        setGeneric(client, argv, NX, argv[1], argv[2], null, "setnx", true);
    }

    /** SETEX key seconds value */
    void setex(Client client, byte[][] argv) {
        setGeneric(client, argv, EX, argv[1], argv[3], argv[2], "setex", false);
    }

    /** PSETEX key milliseconds value */
    void psetex(Client client, byte[][] argv) {
        setGeneric(client, argv, PX, argv[1], argv[3], argv[2], "psetex", false);
    }

    /**
     * The SET family: validates the expiry, replies the old value for GET, honours NX/XX and
     * stores. Replies +OK (or :1 when {@code integerReply}) on success, null (or :0) when NX/XX
     * stops it, nothing more when GET already replied.
     */
    private void setGeneric(Client client, byte[][] argv, int flags, byte[] key, byte[] value, byte[] expire,
            String command, boolean integerReply) {
        Database db = client.db();
        long expiresAt = 0;
        if (expire != null) {
            expiresAt = expiresAtMillis(client, command, flags, expire);
            if (expiresAt == 0) {
                return;
            }
        }
        if ((flags & GET) != 0 && !getGeneric(client, key)) {
            return;
        }
        // Only NX and XX need to know whether the key exists: for a plain SET the lookup would be
        // a second probe of the table, and db.set expires lazily and touches the key just as it does.
        boolean found = (flags & (NX | XX)) != 0 && db.getForWrite(key) != null;
        if (((flags & NX) != 0 && found) || ((flags & XX) != 0 && !found)) {
            if ((flags & GET) == 0) {
                if (integerReply) {
                    client.reply().integer(0);
                } else {
                    client.reply().nullBulk();
                }
            }
            return;
        }
        if (expire != null) {
            db.set(key, StringValue.of(value), expiresAt);
            db.changed(key, KeyspaceEvents.STRING, "set");
            db.event(key, KeyspaceEvents.GENERIC, "expire");
            if (server.keyspace().effects().active()) { // any expiry travels as SET key value PXAT ms, as in Redis
                server.keyspace().effects().rewrite(SET, key, value, PXAT_ARG, Effects.bytes(expiresAt));
            }
        } else {
            db.set(key, StringValue.of(value), (flags & KEEPTTL) != 0);
            db.changed(key, KeyspaceEvents.STRING, "set");
        }
        if ((flags & GET) != 0 && expire == null && server.keyspace().effects().active()) {
            server.keyspace().effects().rewrite(withoutGet(argv)); // the old value is nobody's business downstream
        }
        if ((flags & GET) == 0) {
            if (integerReply) {
                client.reply().integer(1);
            } else {
                client.reply().ok();
            }
        }
    }

    /** SET's arguments without its GET option, as Redis propagates a SET ... GET. */
    private static byte[][] withoutGet(byte[][] argv) {
        List<byte[]> kept = new ArrayList<>(argv.length);
        for (int j = 0; j < argv.length; j++) {
            if (j < 3 || !Arguments.is(argv[j], "get")) {
                kept.add(argv[j]);
            }
        }
        return kept.toArray(new byte[0][]);
    }

    /**
     * The options of SET (from argument 3) or GETEX (from argument 2): flags and the expiry
     * argument, if any.
     */
    private record Options(int flags, byte[] expire) {
        /**
         * Parses the options, accepting the combinations Redis accepts (a repeated flag is fine,
         * a repeated expiry unit takes the last value, two different units clash); null after
         * replying a syntax error.
         */
        static Options parse(Client client, byte[][] argv, int from, boolean set) {
            int flags = 0;
            byte[] expire = null;
            for (int j = from; j < argv.length; j++) {
                byte[] option = argv[j];
                int unit = expireUnit(option);
                if (set && Arguments.is(option, "nx") && (flags & XX) == 0) {
                    flags |= NX;
                } else if (set && Arguments.is(option, "xx") && (flags & NX) == 0) {
                    flags |= XX;
                } else if (set && Arguments.is(option, "get")) {
                    flags |= GET;
                } else if (set && Arguments.is(option, "keepttl") && (flags & (PERSIST | ANY_EXPIRE)) == 0) {
                    flags |= KEEPTTL;
                } else if (!set && Arguments.is(option, "persist") && (flags & (KEEPTTL | ANY_EXPIRE)) == 0) {
                    flags |= PERSIST;
                } else if (unit != 0 && (flags & (KEEPTTL | PERSIST | (ANY_EXPIRE & ~unit))) == 0
                        && j + 1 < argv.length) {
                    flags |= unit;
                    expire = argv[++j];
                } else {
                    client.reply().error(Errors.SYNTAX);
                    return null;
                }
            }
            return new Options(flags, expire);
        }

        private static int expireUnit(byte[] option) {
            if (Arguments.is(option, "ex")) {
                return EX;
            } else if (Arguments.is(option, "px")) {
                return PX;
            } else if (Arguments.is(option, "exat")) {
                return EXAT;
            } else if (Arguments.is(option, "pxat")) {
                return PXAT;
            }
            return 0;
        }
    }

    /**
     * The absolute expiry in Unix ms that {@code expire} names under the unit in {@code flags};
     * 0 after replying an error (not an integer, not positive, or overflowing when scaled to ms
     * or made absolute).
     */
    private long expiresAtMillis(Client client, String command, int flags, byte[] expire) {
        Long value = Arguments.integer(expire);
        if (value == null) {
            client.reply().error(Errors.NOT_INTEGER);
            return 0;
        }
        boolean seconds = (flags & (EX | EXAT)) != 0;
        long millis = value;
        if (millis <= 0 || (seconds && millis > Long.MAX_VALUE / 1000)) {
            client.reply().error(Errors.invalidExpire(command));
            return 0;
        }
        if (seconds) {
            millis *= 1000;
        }
        if ((flags & (EX | PX)) != 0) {
            // Wraps to negative on overflow, as the C addition does, and is rejected below.
            millis += server.clock().millis();
        }
        if (millis <= 0) {
            client.reply().error(Errors.invalidExpire(command));
            return 0;
        }
        return millis;
    }

    /** GETEX key [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | PERSIST] */
    void getex(Client client, byte[][] argv) {
        Options options = Options.parse(client, argv, 2, false);
        if (options == null) {
            return;
        }
        Database db = client.db();
        byte[] key = argv[1];
        Object value = db.get(key);
        if (value == null) {
            client.reply().nullBulk();
            return;
        }
        if (!StringValue.isString(value)) {
            client.reply().error(Errors.WRONGTYPE);
            return;
        }
        long expiresAt = 0;
        if (options.expire != null) {
            expiresAt = expiresAtMillis(client, "getex", options.flags, options.expire);
            if (expiresAt == 0) {
                return;
            }
        }
        writeString(client.reply(), value);
        if (options.expire != null) {
            // An EXAT/PXAT already past deletes the key, as Redis does.
            db.expireAt(key, expiresAt);
            boolean exists = db.exists(key);
            db.changed(key, KeyspaceEvents.GENERIC, exists ? "expire" : "del");
            if (server.keyspace().effects().active()) {
                server.keyspace().effects().rewrite(exists ? new byte[][] {PEXPIREAT, key, Effects.bytes(expiresAt)}
                        : new byte[][] {server.config().lazyfreeLazyExpire.value() ? UNLINK : DEL, key});
            }
        } else if ((options.flags & PERSIST) != 0 && db.persist(key)) {
            db.changed(key, KeyspaceEvents.GENERIC, "persist");
            server.keyspace().effects().rewrite(PERSIST_ARG, key);
        }
    }

    /** GETDEL key */
    void getdel(Client client, byte[][] argv) {
        Object value = client.db().get(argv[1]);
        if (value == null) {
            client.reply().nullBulk();
        } else if (!StringValue.isString(value)) {
            client.reply().error(Errors.WRONGTYPE);
        } else {
            writeString(client.reply(), value);
            client.db().delete(argv[1]);
            client.db().changed(argv[1], KeyspaceEvents.GENERIC, "del");
            server.keyspace().effects().rewrite(DEL, argv[1]);
        }
    }

    /** GETSET key value */
    void getset(Client client, byte[][] argv) {
        if (getGeneric(client, argv[1])) {
            client.db().set(argv[1], StringValue.of(argv[2]), false);
            client.db().changed(argv[1], KeyspaceEvents.STRING, "set");
        }
    }

    /** MGET key [key ...] */
    void mget(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        reply.array(argv.length - 1);
        for (int j = 1; j < argv.length; j++) {
            Object value = client.db().get(argv[j]);
            if (value == null || !StringValue.isString(value)) {
                reply.nullBulk();
            } else {
                writeString(reply, value);
            }
        }
    }

    /** MSET key value [key value ...] */
    void mset(Client client, byte[][] argv) {
        if (argv.length % 2 == 0) {
            client.reply().error(Errors.wrongArity("mset"));
            return;
        }
        setAll(client.db(), argv);
        client.reply().ok();
    }

    /** MSETNX key value [key value ...] */
    void msetnx(Client client, byte[][] argv) {
        if (argv.length % 2 == 0) {
            client.reply().error(Errors.wrongArity("msetnx"));
            return;
        }
        Database db = client.db();
        for (int j = 1; j < argv.length; j += 2) {
            if (db.getForWrite(argv[j]) != null) {
                client.reply().integer(0);
                return;
            }
        }
        setAll(db, argv);
        client.reply().integer(1);
    }

    /** Stores every key/value pair of an MSET-style argument list, clearing their TTLs; a repeated key keeps its last value. */
    private static void setAll(Database db, byte[][] argv) {
        for (int j = 1; j < argv.length; j += 2) {
            db.set(argv[j], StringValue.of(argv[j + 1]), false);
            db.changed(argv[j], KeyspaceEvents.STRING, "set");
        }
    }

    /** INCR key */
    void incr(Client client, byte[][] argv) {
        incrDecrGeneric(client, argv[1], 1);
    }

    /** DECR key */
    void decr(Client client, byte[][] argv) {
        incrDecrGeneric(client, argv[1], -1);
    }

    /** INCRBY key increment */
    void incrby(Client client, byte[][] argv) {
        Long increment = Arguments.integer(argv[2]);
        if (increment == null) {
            client.reply().error(Errors.NOT_INTEGER);
            return;
        }
        incrDecrGeneric(client, argv[1], increment);
    }

    /** DECRBY key decrement */
    void decrby(Client client, byte[][] argv) {
        Long decrement = Arguments.integer(argv[2]);
        if (decrement == null) {
            client.reply().error(Errors.NOT_INTEGER);
            return;
        }
        if (decrement == Long.MIN_VALUE) {
            client.reply().error(Errors.DECREMENT_OVERFLOW);
            return;
        }
        incrDecrGeneric(client, argv[1], -decrement);
    }

    /**
     * Adds {@code increment} to the integer at {@code key} (0 when absent), keeping its TTL, and
     * replies the new value; errors when the value is not an integer or the sum overflows.
     */
    private static void incrDecrGeneric(Client client, byte[] key, long increment) {
        Database db = client.db();
        Object value = db.getForWrite(key);
        long current = 0;
        if (value != null) {
            if (!StringValue.isString(value)) {
                client.reply().error(Errors.WRONGTYPE);
                return;
            }
            // A longer string is no integer; checking first avoids copying a large mutable one.
            Long parsed = StringValue.length(value) > 20 ? null : StringValue.asLong(value);
            if (parsed == null) {
                client.reply().error(Errors.NOT_INTEGER);
                return;
            }
            current = parsed;
        }
        if (StringValue.sumOverflows(current, increment)) {
            client.reply().error(Errors.OVERFLOW);
            return;
        }
        long result = current + increment;
        if (value == null) {
            db.set(key, StringValue.of(result), false);
        } else {
            db.replace(key, StringValue.of(result));
        }
        db.changed(key, KeyspaceEvents.STRING, "incrby");
        client.reply().integer(result);
    }

    /** INCRBYFLOAT key increment */
    void incrbyfloat(Client client, byte[][] argv) {
        Database db = client.db();
        byte[] key = argv[1];
        Object value = db.getForWrite(key);
        if (value != null && !StringValue.isString(value)) {
            client.reply().error(Errors.WRONGTYPE);
            return;
        }
        LongDouble current = value == null ? LongDouble.ZERO : asLongDouble(value);
        LongDouble increment = current == null ? null : LongDouble.parse(argv[2]);
        if (increment == null) {
            client.reply().error(Errors.NOT_FLOAT);
            return;
        }
        LongDouble sum = current.add(increment);
        if (!sum.isFinite()) {
            client.reply().error(Errors.NAN_OR_INFINITY);
            return;
        }
        byte[] text = sum.toHumanString().getBytes(StandardCharsets.ISO_8859_1);
        if (value == null) {
            db.set(key, text, false);
        } else {
            db.replace(key, text);
        }
        db.changed(key, KeyspaceEvents.STRING, "incrbyfloat");
        // Propagated as the value it produced, so that float formatting never differs downstream.
        server.keyspace().effects().rewrite(SET, key, text, KEEPTTL_ARG);
        client.reply().bulk(text);
    }

    /** A stored string as a long double, or null when it is not a valid float. */
    private static LongDouble asLongDouble(Object value) {
        if (value instanceof Long l) {
            return LongDouble.of(l);
        }
        if (StringValue.length(value) >= LongDouble.MAX_CHARS) {
            return null;
        }
        return LongDouble.parse(StringValue.bytes(value));
    }

    /** APPEND key value */
    void append(Client client, byte[][] argv) {
        Database db = client.db();
        byte[] key = argv[1];
        byte[] tail = argv[2];
        Object value = db.getForWrite(key);
        if (value == null) {
            db.set(key, StringValue.of(tail), false);
            db.changed(key, KeyspaceEvents.STRING, "append");
            client.reply().integer(tail.length);
            return;
        }
        if (!StringValue.isString(value)) {
            client.reply().error(Errors.WRONGTYPE);
            return;
        }
        if (!checkLength(client, StringValue.length(value), tail.length)) {
            return;
        }
        MutableString string = mutable(db, key, value);
        string.append(tail);
        db.changed(key, KeyspaceEvents.STRING, "append");
        client.reply().integer(string.length());
    }

    /** SETRANGE key offset value */
    void setrange(Client client, byte[][] argv) {
        Long offset = Arguments.integer(argv[2]);
        if (offset == null) {
            client.reply().error(Errors.NOT_INTEGER);
            return;
        }
        if (offset < 0) {
            client.reply().error(Errors.OFFSET_OUT_OF_RANGE);
            return;
        }
        Database db = client.db();
        byte[] key = argv[1];
        byte[] data = argv[3];
        Object value = db.getForWrite(key);
        if (value != null && !StringValue.isString(value)) {
            client.reply().error(Errors.WRONGTYPE);
            return;
        }
        if (data.length == 0) {
            // Nothing to write: no key is created and no limit applies.
            client.reply().integer(value == null ? 0 : StringValue.length(value));
            return;
        }
        if (!checkLength(client, offset, data.length)) {
            return;
        }
        MutableString string;
        if (value == null) {
            string = new MutableString(EMPTY, (int) (offset + data.length));
            db.set(key, string, false);
        } else {
            string = mutable(db, key, value);
        }
        string.write((int) (long) offset, data);
        db.changed(key, KeyspaceEvents.STRING, "setrange");
        client.reply().integer(string.length());
    }

    /**
     * The value at {@code key} as a mutable string, converting it in place (TTL kept) when needed,
     * as Redis's dbUnshareStringValue does for every command that modifies a string in place.
     */
    public static MutableString mutable(Database db, byte[] key, Object value) {
        if (value instanceof MutableString string) {
            return string;
        }
        byte[] bytes = StringValue.bytes(value);
        MutableString string = new MutableString(bytes, bytes.length);
        db.replace(key, string);
        return string;
    }

    /**
     * Whether a string of {@code size + extra} bytes may be built (proto-max-bulk-len, and what a
     * Java array holds); replies the error when not. Checked before anything is allocated.
     */
    private boolean checkLength(Client client, long size, long extra) {
        long limit = Math.min(server.config().protoMaxBulkLen.value(), JAVA_MAX_LENGTH);
        if (size > limit - extra) {
            client.reply().error(Errors.STRING_TOO_LONG);
            return false;
        }
        return true;
    }

    /** GETRANGE key start end (and SUBSTR key start end) */
    void getrange(Client client, byte[][] argv) {
        Long start = Arguments.integer(argv[2]);
        Long end = start == null ? null : Arguments.integer(argv[3]);
        if (end == null) {
            client.reply().error(Errors.NOT_INTEGER);
            return;
        }
        Object value = client.db().get(argv[1]);
        if (value == null) {
            client.reply().bulk(EMPTY);
            return;
        }
        if (!StringValue.isString(value)) {
            client.reply().error(Errors.WRONGTYPE);
            return;
        }
        long length = StringValue.length(value);
        long from = start;
        long to = end;
        if (from < 0 && to < 0 && from > to) {
            client.reply().bulk(EMPTY);
            return;
        }
        if (from < 0) {
            from = Math.max(0, length + from);
        }
        if (to < 0) {
            to = Math.max(0, length + to);
        }
        to = Math.min(to, length - 1);
        if (from > to || length == 0) {
            client.reply().bulk(EMPTY);
            return;
        }
        int offset = (int) from;
        int count = (int) (to - from + 1);
        if (value instanceof byte[] bytes) {
            client.reply().bulk(bytes, offset, count);
        } else if (value instanceof MutableString string) {
            client.reply().bulk(string.buffer(), offset, count);
        } else {
            client.reply().bulk(StringValue.bytes(value), offset, count);
        }
    }

    /** STRLEN key */
    void strlen(Client client, byte[][] argv) {
        Object value = client.db().get(argv[1]);
        if (value == null) {
            client.reply().integer(0);
        } else if (!StringValue.isString(value)) {
            client.reply().error(Errors.WRONGTYPE);
        } else {
            client.reply().integer(StringValue.length(value));
        }
    }

    /** LCS key1 key2 [LEN] [IDX] [MINMATCHLEN min-match-len] [WITHMATCHLEN] */
    void lcs(Client client, byte[][] argv) {
        Object first = client.db().get(argv[1]);
        Object second = client.db().get(argv[2]);
        if ((first != null && !StringValue.isString(first)) || (second != null && !StringValue.isString(second))) {
            client.reply().error(Errors.LCS_NOT_STRINGS);
            return;
        }
        boolean len = false;
        boolean idx = false;
        boolean withMatchLen = false;
        long minMatchLen = 0;
        for (int j = 3; j < argv.length; j++) {
            byte[] option = argv[j];
            if (Arguments.is(option, "idx")) {
                idx = true;
            } else if (Arguments.is(option, "len")) {
                len = true;
            } else if (Arguments.is(option, "withmatchlen")) {
                withMatchLen = true;
            } else if (Arguments.is(option, "minmatchlen") && j + 1 < argv.length) {
                Long parsed = Arguments.integer(argv[++j]);
                if (parsed == null) {
                    client.reply().error(Errors.NOT_INTEGER);
                    return;
                }
                minMatchLen = Math.max(0, parsed);
            } else {
                client.reply().error(Errors.SYNTAX);
                return;
            }
        }
        if (idx && len) {
            client.reply().error(Errors.LCS_IDX_AND_LEN);
            return;
        }
        byte[] a = first == null ? EMPTY : StringValue.bytes(first);
        byte[] b = second == null ? EMPTY : StringValue.bytes(second);
        long cells = (long) (a.length + 1) * (b.length + 1);
        if (cells * Integer.BYTES > server.config().protoMaxBulkLen.value()) {
            client.reply().error(Errors.LCS_TABLE_TOO_LARGE);
            return;
        }
        int[] table;
        try {
            table = cells > Integer.MAX_VALUE - 8 ? null : new int[(int) cells];
        } catch (OutOfMemoryError e) {
            table = null;
        }
        if (table == null) {
            client.reply().error(Errors.LCS_ALLOCATION_FAILED);
            return;
        }
        LcsTable lcs = new LcsTable(a, b, table);
        if (len) {
            client.reply().integer(lcs.length());
        } else if (idx) {
            lcs.writeMatches(client.reply(), minMatchLen, withMatchLen);
        } else {
            client.reply().bulk(lcs.subsequence());
        }
    }

    /**
     * The dynamic programming table of a longest common subsequence: cell (i, j) holds the LCS
     * length of the first i bytes of {@code a} and the first j bytes of {@code b}. Walking it back
     * from the end yields the subsequence and the matching ranges in the order Redis emits them
     * (last range first).
     */
    private static final class LcsTable {
        private final byte[] a;
        private final byte[] b;
        private final int[] cells;
        private final int width;

        LcsTable(byte[] a, byte[] b, int[] cells) {
            this.a = a;
            this.b = b;
            this.cells = cells;
            this.width = b.length + 1;
            for (int i = 1; i <= a.length; i++) {
                for (int j = 1; j <= b.length; j++) {
                    cells[i * width + j] = a[i - 1] == b[j - 1]
                            ? cell(i - 1, j - 1) + 1
                            : Math.max(cell(i - 1, j), cell(i, j - 1));
                }
            }
        }

        int cell(int i, int j) {
            return cells[i * width + j];
        }

        int length() {
            return cell(a.length, b.length);
        }

        /** The common subsequence itself, found by the same walk as the ranges. */
        byte[] subsequence() {
            byte[] result = new byte[length()];
            walk(result, null);
            return result;
        }

        /**
         * Writes the IDX reply: a map (a flat array in RESP2) of "matches", the ranges of at least
         * {@code minMatchLen} bytes as [[aStart, aEnd], [bStart, bEnd](, length)], and "len".
         */
        void writeMatches(ReplyWriter reply, long minMatchLen, boolean withMatchLen) {
            List<int[]> ranges = new ArrayList<>();
            walk(new byte[length()], ranges);
            List<int[]> kept = new ArrayList<>();
            for (int[] range : ranges) {
                if (range[1] - range[0] + 1 >= minMatchLen) {
                    kept.add(range);
                }
            }
            reply.map(2);
            reply.bulk("matches");
            reply.array(kept.size());
            for (int[] range : kept) {
                reply.array(withMatchLen ? 3 : 2);
                reply.array(2);
                reply.integer(range[0]);
                reply.integer(range[1]);
                reply.array(2);
                reply.integer(range[2]);
                reply.integer(range[3]);
                if (withMatchLen) {
                    reply.integer(range[1] - range[0] + 1);
                }
            }
            reply.bulk("len");
            reply.integer(length());
        }

        /**
         * Walks back from the table's last cell, filling {@code result} from its end and adding
         * each maximal run of consecutive matches to {@code ranges} (when not null) as
         * {aStart, aEnd, bStart, bEnd}. A match steps diagonally, so consecutive matches are
         * always adjacent in both strings; a run ends at a non-matching step or at the start of
         * either string. On a tie between going up and going left, the walk goes left, as Redis's.
         */
        private void walk(byte[] result, List<int[]> ranges) {
            int i = a.length;
            int j = b.length;
            int remaining = result.length;
            int[] run = null;
            while (i > 0 && j > 0) {
                if (a[i - 1] == b[j - 1]) {
                    result[--remaining] = a[i - 1];
                    if (run == null) {
                        run = new int[] {i - 1, i - 1, j - 1, j - 1};
                    } else {
                        run[0] = i - 1;
                        run[2] = j - 1;
                    }
                    i--;
                    j--;
                    if (i == 0 || j == 0) {
                        addRun(ranges, run);
                        run = null;
                    }
                } else {
                    if (cell(i - 1, j) > cell(i, j - 1)) {
                        i--;
                    } else {
                        j--;
                    }
                    if (run != null) {
                        addRun(ranges, run);
                        run = null;
                    }
                }
            }
        }

        private static void addRun(List<int[]> ranges, int[] run) {
            if (ranges != null) {
                ranges.add(run);
            }
        }
    }
}
