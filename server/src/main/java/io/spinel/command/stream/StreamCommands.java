package io.spinel.command.stream;

import io.spinel.command.Arguments;
import io.spinel.command.Blocking;
import io.spinel.command.Client;
import io.spinel.command.CommandTable;
import io.spinel.command.Errors;
import io.spinel.command.ServerContext;
import io.spinel.config.KeyspaceEvents;
import io.spinel.resp.ReplyWriter;
import io.spinel.store.Database;
import io.spinel.store.Effects;
import io.spinel.types.StreamId;
import io.spinel.types.StreamValue;
import io.spinel.types.StreamValue.Consumer;
import io.spinel.types.StreamValue.ConsumerGroup;
import io.spinel.types.StreamValue.Entry;
import io.spinel.types.StreamValue.Nack;
import io.spinel.types.ValueType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * The stream commands (Redis's t_stream.c): entries, consumer groups, blocking reads.
 *
 * <h2>Order of checks</h2>
 * Which error a client sees when several apply follows each Redis command: XADD and XTRIM parse
 * their options before looking the key up; XDEL, XACK and XCLAIM look the key up first; XRANGE
 * parses its IDs and COUNT first; XREAD parses everything, then checks each key's type and
 * group in argument order.
 *
 * <h2>Keyspace events</h2>
 * As in Redis: XADD, XDEL, XTRIM and XSETID signal the key as modified and publish their event;
 * XGROUP's subcommands and consumer creation (by XREADGROUP, XCLAIM, XAUTOCLAIM too) only
 * publish theirs; XACK, XCLAIM and XAUTOCLAIM publish nothing else. XGROUP DESTROY signals the
 * key so that blocked XREADGROUPs answer NOGROUP.
 *
 * <h2>Blocking</h2>
 * XREAD and XREADGROUP with BLOCK run their read as a {@link Blocking.Attempt}: XREAD waits for
 * a stream to get an entry after the ID it gave ({@code $} is resolved when it blocks);
 * XREADGROUP waits on any change of its keys, because deleting the key, changing its type or
 * destroying the group answer it with an error, as in Redis 7.2.
 */
public final class StreamCommands {
    private static final int TRIM_NONE = 0;
    private static final int TRIM_MAXLEN = 1;
    private static final int TRIM_MINID = 2;
    private static final long LISTPACK_MAX_SIZE = 1L << 30;
    private static final String[] XGROUP_HELP = {
        "XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "CREATE <key> <groupname> <id|$> [option]",
        "    Create a new consumer group. Options are:",
        "    * MKSTREAM",
        "      Create the empty stream if it does not exist.",
        "    * ENTRIESREAD entries_read",
        "      Set the group's entries_read counter (internal use).",
        "CREATECONSUMER <key> <groupname> <consumer>",
        "    Create a new consumer in the specified group.",
        "DELCONSUMER <key> <groupname> <consumer>",
        "    Remove the specified consumer.",
        "DESTROY <key> <groupname>",
        "    Remove the specified group.",
        "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
        "    Set the current group ID and entries_read counter.",
    };
    private static final String[] XINFO_HELP = {
        "XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "CONSUMERS <key> <groupname>",
        "    Show consumers of <groupname>.",
        "GROUPS <key>",
        "    Show the stream consumer groups.",
        "STREAM <key> [FULL [COUNT <count>]",
        "    Show information about the stream.",
    };

    private final ServerContext server;

    public StreamCommands(ServerContext server) {
        this.server = server;
    }

    /** Binds the stream commands' handlers in {@code table}. */
    public void bind(CommandTable table) {
        table.bind("xack", this::xack);
        table.bind("xadd", this::xadd);
        table.bind("xautoclaim", this::xautoclaim);
        table.bind("xclaim", this::xclaim);
        table.bind("xdel", this::xdel);
        table.bind("xgroup|create", this::xgroupCreate);
        table.bind("xgroup|createconsumer", this::xgroupCreateconsumer);
        table.bind("xgroup|delconsumer", this::xgroupDelconsumer);
        table.bind("xgroup|destroy", this::xgroupDestroy);
        table.bind("xgroup|help", (client, argv) -> help(client.reply(), XGROUP_HELP));
        table.bind("xgroup|setid", this::xgroupSetid);
        table.bind("xinfo|consumers", this::xinfoConsumers);
        table.bind("xinfo|groups", this::xinfoGroups);
        table.bind("xinfo|help", (client, argv) -> help(client.reply(), XINFO_HELP));
        table.bind("xinfo|stream", this::xinfoStream);
        table.bind("xlen", this::xlen);
        table.bind("xpending", this::xpending);
        table.bind("xrange", (client, argv) -> xrangeGeneric(client, argv, false));
        table.bind("xread", (client, argv) -> xreadGeneric(client, argv, false));
        table.bind("xreadgroup", (client, argv) -> xreadGeneric(client, argv, true));
        table.bind("xrevrange", (client, argv) -> xrangeGeneric(client, argv, true));
        table.bind("xsetid", this::xsetid);
        table.bind("xtrim", this::xtrim);
    }

    private long now() {
        return server.clock().millis();
    }

    /** A HELP reply as Redis's addReplyHelp writes it. */
    private static void help(ReplyWriter reply, String[] lines) {
        reply.array(lines.length + 2);
        for (String line : lines) {
            reply.simple(line);
        }
        reply.simple("HELP");
        reply.simple("    Prints this help.");
    }

    // ---- lookups and replies

    /** Returned by {@link #lookup} after it replied WRONGTYPE; never stored. */
    private static final StreamValue WRONG_TYPE = new StreamValue();
    /** Returned by {@link #xgroupStream} for a missing key that XGROUP CREATE ... MKSTREAM will create. */
    private static final StreamValue MISSING = new StreamValue();

    /** The stream at {@code key}, null when absent, {@link #WRONG_TYPE} after replying WRONGTYPE. */
    private static StreamValue lookup(Database db, ReplyWriter reply, byte[] key, boolean write) {
        Object value = write ? db.getForWrite(key) : db.get(key);
        if (value == null) {
            return null;
        }
        if (!(value instanceof StreamValue stream)) {
            reply.error(Errors.WRONGTYPE);
            return WRONG_TYPE;
        }
        return stream;
    }

    /**
     * A name for an error message as Redis's %s prints it: up to its first NUL byte (the
     * connection's error writer turns newlines into spaces).
     */
    private static String text(byte[] arg) {
        int end = 0;
        while (end < arg.length && arg[end] != 0) {
            end++;
        }
        return Arguments.text(end == arg.length ? arg : Arrays.copyOf(arg, end));
    }

    private static void writeId(ReplyWriter reply, StreamId id) {
        reply.bulk(id.toString());
    }

    private static void writeEntry(ReplyWriter reply, Entry entry) {
        reply.array(2);
        writeId(reply, entry.id());
        reply.array(entry.fieldsAndValues().length);
        for (byte[] value : entry.fieldsAndValues()) {
            reply.bulk(value);
        }
    }

    private static void writeEntries(ReplyWriter reply, List<Entry> entries) {
        reply.array(entries.size());
        for (Entry entry : entries) {
            writeEntry(reply, entry);
        }
    }

    /** A 64-bit integer argument, or null after replying {@code error}. */
    private static Long integer(ReplyWriter reply, byte[] arg, String error) {
        Long value = Arguments.integer(arg);
        if (value == null) {
            reply.error(error);
        }
        return value;
    }

    private static StreamId strictId(ReplyWriter reply, byte[] arg) {
        StreamId id = StreamIds.strict(arg);
        if (id == null) {
            reply.error(Errors.STREAM_INVALID_ID);
        }
        return id;
    }

    /**
     * The IDs {@code argv[from..]}, all parsed before the command changes anything (so that it
     * runs all or nothing); null after replying an error.
     */
    private static StreamId[] strictIds(ReplyWriter reply, byte[][] argv, int from) {
        StreamId[] ids = new StreamId[argv.length - from];
        for (int j = from; j < argv.length; j++) {
            ids[j - from] = strictId(reply, argv[j]);
            if (ids[j - from] == null) {
                return null;
            }
        }
        return ids;
    }

    /** A range's start (exclusive with {@code (}, then moved up by one); null after replying an error. */
    private static StreamId startBound(ReplyWriter reply, byte[] arg) {
        StreamIds.Bound bound = StreamIds.bound(arg, 0);
        if (bound == null) {
            reply.error(Errors.STREAM_INVALID_ID);
            return null;
        }
        StreamId id = bound.exclusive() ? bound.id().next() : bound.id();
        if (id == null) {
            reply.error(Errors.STREAM_INVALID_START);
        }
        return id;
    }

    /** A range's end (exclusive with {@code (}, then moved down by one); null after replying an error. */
    private static StreamId endBound(ReplyWriter reply, byte[] arg) {
        StreamIds.Bound bound = StreamIds.bound(arg, -1);
        if (bound == null) {
            reply.error(Errors.STREAM_INVALID_ID);
            return null;
        }
        StreamId id = bound.exclusive() ? bound.id().previous() : bound.id();
        if (id == null) {
            reply.error(Errors.STREAM_INVALID_END);
        }
        return id;
    }

    // ---- XADD and XTRIM

    /** The options XADD and XTRIM share (streamAddTrimArgs). */
    private static final class TrimArguments {
        int strategy = TRIM_NONE;
        long maxLen;
        StreamId minId;
        boolean approx;
        long limit;
        boolean noMkStream;
        StreamId id;
        boolean seqGiven = true;
        /** Where XADD's ID is (the index after the options). */
        int idPosition;
        /** Where the MAXLEN or MINID threshold is (0: none), for the propagation of an approximate trim. */
        int thresholdPosition;
    }

    /** Parses XADD's or XTRIM's options as streamParseAddOrTrimArgsOrReply; null after replying an error. */
    private TrimArguments parseTrimArguments(ReplyWriter reply, byte[][] argv, boolean xadd) {
        TrimArguments args = new TrimArguments();
        boolean limitGiven = false;
        int i = 2;
        for (; i < argv.length; i++) {
            int more = argv.length - 1 - i;
            byte[] opt = argv[i];
            if (xadd && opt.length == 1 && opt[0] == '*') {
                break;
            } else if (Arguments.is(opt, "maxlen") && more > 0 || Arguments.is(opt, "minid") && more > 0) {
                if (args.strategy != TRIM_NONE) {
                    reply.error(Errors.STREAM_MAXLEN_MINID);
                    return null;
                }
                boolean maxLen = Arguments.is(opt, "maxlen");
                args.approx = false;
                byte[] next = argv[i + 1];
                if (more >= 2 && next.length == 1 && next[0] == '~') {
                    args.approx = true;
                    i++;
                } else if (more >= 2 && next.length == 1 && next[0] == '=') {
                    i++;
                }
                args.thresholdPosition = i + 1;
                if (maxLen) {
                    Long value = integer(reply, argv[i + 1], Errors.NOT_INTEGER);
                    if (value == null) {
                        return null;
                    }
                    if (value < 0) {
                        reply.error(Errors.STREAM_MAXLEN_NEGATIVE);
                        return null;
                    }
                    args.maxLen = value;
                    args.strategy = TRIM_MAXLEN;
                } else {
                    args.minId = strictId(reply, argv[i + 1]);
                    if (args.minId == null) {
                        return null;
                    }
                    args.strategy = TRIM_MINID;
                }
                i++;
            } else if (Arguments.is(opt, "limit") && more > 0) {
                Long value = integer(reply, argv[i + 1], Errors.NOT_INTEGER);
                if (value == null) {
                    return null;
                }
                if (value < 0) {
                    reply.error(Errors.STREAM_LIMIT_NEGATIVE);
                    return null;
                }
                args.limit = value;
                limitGiven = true;
                i++;
            } else if (xadd && Arguments.is(opt, "nomkstream")) {
                args.noMkStream = true;
            } else if (xadd) {
                StreamIds.Parsed parsed = StreamIds.parse(opt, 0, true, true);
                if (parsed == null) {
                    reply.error(Errors.STREAM_INVALID_ID);
                    return null;
                }
                args.id = parsed.id();
                args.seqGiven = parsed.seqGiven();
                break;
            } else {
                reply.error(Errors.SYNTAX);
                return null;
            }
        }
        args.idPosition = i;
        if (args.limit != 0 && args.strategy == TRIM_NONE) {
            reply.error(Errors.STREAM_LIMIT_NO_STRATEGY);
            return null;
        }
        if (!xadd && args.strategy == TRIM_NONE) {
            reply.error(Errors.XTRIM_NO_STRATEGY);
            return null;
        }
        if (limitGiven) {
            if (!args.approx) {
                reply.error(Errors.STREAM_LIMIT_NO_APPROX);
                return null;
            }
        } else if (args.approx) {
            long limit = 100 * server.config().streamNodeMaxEntries.value();
            args.limit = limit <= 0 || limit > 10000 ? 10000 : limit;
        } else {
            args.limit = 0;
        }
        return args;
    }

    private static long trim(StreamValue stream, TrimArguments args) {
        if (args.strategy == TRIM_NONE) {
            return 0;
        }
        return stream.trim(args.maxLen, args.strategy == TRIM_MINID ? args.minId : null, args.approx, args.limit);
    }

    /** XADD key [NOMKSTREAM] [MAXLEN | MINID [= | ~] threshold [LIMIT count]] * | id field value [field value ...] */
    void xadd(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        TrimArguments args = parseTrimArguments(reply, argv, true);
        if (args == null) {
            return;
        }
        int fieldPosition = args.idPosition + 1;
        int rest = argv.length - fieldPosition;
        if (rest < 2 || rest % 2 == 1) {
            reply.error(Errors.wrongArity("xadd"));
            return;
        }
        if (args.id != null && args.seqGiven && args.id.isZero()) {
            reply.error(Errors.XADD_ID_ZERO);
            return;
        }
        Database db = client.db();
        byte[] key = argv[1];
        StreamValue stream = lookup(db, reply, key, true);
        if (stream == WRONG_TYPE) {
            return;
        }
        boolean created = false;
        if (stream == null) {
            if (args.noMkStream) {
                reply.nullBulk();
                return;
            }
            stream = new StreamValue();
            created = true;
        }
        StreamId last = stream.lastId();
        if (last.equals(StreamId.MAX)) {
            reply.error(Errors.STREAM_EXHAUSTED);
            storeCreated(db, key, stream, created);
            return;
        }
        StreamId id = newId(stream, args);
        if (id == null || id.compareTo(last) <= 0) {
            reply.error(Errors.XADD_ID_TOO_SMALL);
            storeCreated(db, key, stream, created);
            return;
        }
        long total = 0;
        for (int i = fieldPosition; i < argv.length; i++) {
            total += argv[i].length;
        }
        if (total > LISTPACK_MAX_SIZE) {
            reply.error(Errors.STREAM_ELEMENTS_TOO_LARGE);
            storeCreated(db, key, stream, created);
            return;
        }
        stream.append(id, argv, fieldPosition, rest / 2, server.config().streamNodeMaxBytes.value(),
                server.config().streamNodeMaxEntries.value());
        storeCreated(db, key, stream, created);
        writeId(reply, id);
        db.changed(key, KeyspaceEvents.STREAM, "xadd");
        if (trim(stream, args) > 0) {
            db.event(key, KeyspaceEvents.STREAM, "xtrim");
        }
        if (server.keyspace().effects().active()) {
            byte[][] propagated = argv.clone();
            if (args.id == null || !args.seqGiven) { // the ID this XADD generated, as Redis propagates it
                propagated[args.idPosition] = id.toString().getBytes(StandardCharsets.US_ASCII);
            }
            exactTrim(propagated, stream, args);
            server.keyspace().effects().rewrite(propagated);
        }
        db.signalReady(key);
    }

    /**
     * Rewrites an approximate trim (~) in {@code propagated} as the exact one it amounted to (=
     * the stream's length, or its first ID), so that replaying it trims the same entries.
     */
    private static void exactTrim(byte[][] propagated, StreamValue stream, TrimArguments args) {
        if (!args.approx) {
            return;
        }
        propagated[args.thresholdPosition - 1] = new byte[] {'='};
        if (args.strategy == TRIM_MAXLEN) {
            propagated[args.thresholdPosition] = Long.toString(stream.length()).getBytes(StandardCharsets.US_ASCII);
        } else {
            StreamId first = stream.length() == 0 ? stream.lastId().next() : stream.firstId();
            propagated[args.thresholdPosition] = (first == null ? stream.lastId() : first).toString().getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** Stores a stream XADD created (Redis creates the key before it can fail on the ID). */
    private static void storeCreated(Database db, byte[] key, StreamValue stream, boolean created) {
        if (created) {
            db.set(key, stream, 0);
        }
    }

    /** The ID XADD gives its entry (streamAppendItem); null when the sequence would overflow. */
    private StreamId newId(StreamValue stream, TrimArguments args) {
        StreamId last = stream.lastId();
        if (args.id == null) {
            long ms = now();
            if (Long.compareUnsigned(ms, last.ms()) > 0) {
                return new StreamId(ms, 0);
            }
            return last.next();
        }
        if (args.seqGiven) {
            return args.id;
        }
        if (last.ms() == args.id.ms()) {
            return last.seq() == -1 ? null : new StreamId(last.ms(), last.seq() + 1);
        }
        return args.id;
    }

    /** XTRIM key MAXLEN | MINID [= | ~] threshold [LIMIT count] */
    void xtrim(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        TrimArguments args = parseTrimArguments(reply, argv, false);
        if (args == null) {
            return;
        }
        StreamValue stream = lookup(client.db(), reply, argv[1], true);
        if (stream == WRONG_TYPE) {
            return;
        }
        if (stream == null) {
            reply.integer(0);
            return;
        }
        long deleted = trim(stream, args);
        if (deleted > 0) {
            client.db().changed(argv[1], KeyspaceEvents.STREAM, "xtrim");
            if (args.approx && server.keyspace().effects().active()) {
                byte[][] propagated = argv.clone();
                exactTrim(propagated, stream, args);
                server.keyspace().effects().rewrite(propagated);
            }
        }
        reply.integer(deleted);
    }

    // ---- reading entries

    /** XRANGE key start end [COUNT count] and XREVRANGE key end start [COUNT count]. */
    private void xrangeGeneric(Client client, byte[][] argv, boolean reverse) {
        ReplyWriter reply = client.reply();
        byte[] startArg = reverse ? argv[3] : argv[2];
        byte[] endArg = reverse ? argv[2] : argv[3];
        StreamId startId = startBound(reply, startArg);
        if (startId == null) {
            return;
        }
        StreamId endId = endBound(reply, endArg);
        if (endId == null) {
            return;
        }
        long count = -1;
        for (int j = 4; j < argv.length; j++) {
            if (Arguments.is(argv[j], "count") && j + 1 < argv.length) {
                Long value = integer(reply, argv[j + 1], Errors.NOT_INTEGER);
                if (value == null) {
                    return;
                }
                count = Math.max(0, value);
                j++;
            } else {
                reply.error(Errors.SYNTAX);
                return;
            }
        }
        StreamValue stream = lookup(client.db(), reply, argv[1], false);
        if (stream == WRONG_TYPE) {
            return;
        }
        if (stream == null) {
            reply.array(0);
            return;
        }
        if (count == 0) {
            reply.nullArray();
            return;
        }
        writeEntries(reply, stream.range(startId, endId, reverse, Math.max(count, 0)));
    }

    /** XLEN key */
    void xlen(Client client, byte[][] argv) {
        StreamValue stream = lookup(client.db(), client.reply(), argv[1], false);
        if (stream != WRONG_TYPE) {
            client.reply().integer(stream == null ? 0 : stream.length());
        }
    }

    /** XDEL key id [id ...] */
    void xdel(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        StreamValue stream = lookup(client.db(), reply, argv[1], true);
        if (stream == WRONG_TYPE) {
            return;
        }
        if (stream == null) {
            reply.integer(0);
            return;
        }
        StreamId[] ids = strictIds(reply, argv, 2);
        if (ids == null) {
            return;
        }
        int deleted = 0;
        boolean firstDeleted = false;
        for (StreamId id : ids) {
            if (stream.delete(id)) {
                firstDeleted |= id.equals(stream.firstId());
                deleted++;
            }
        }
        if (deleted > 0) {
            if (stream.length() == 0 || firstDeleted) {
                stream.refreshFirstId();
            }
            client.db().changed(argv[1], KeyspaceEvents.STREAM, "xdel");
        }
        reply.integer(deleted);
    }

    /** XSETID key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id] */
    void xsetid(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        StreamId id = strictId(reply, argv[2]);
        if (id == null) {
            return;
        }
        long entriesAdded = -1;
        StreamId maxDeleted = StreamId.MIN;
        for (int i = 3; i < argv.length; i += 2) {
            boolean more = i + 1 < argv.length;
            if (Arguments.is(argv[i], "entriesadded") && more) {
                Long value = integer(reply, argv[i + 1], Errors.NOT_INTEGER);
                if (value == null) {
                    return;
                }
                if (value < 0) {
                    reply.error(Errors.XSETID_ENTRIES_ADDED_NEGATIVE);
                    return;
                }
                entriesAdded = value;
            } else if (Arguments.is(argv[i], "maxdeletedid") && more) {
                maxDeleted = strictId(reply, argv[i + 1]);
                if (maxDeleted == null) {
                    return;
                }
                if (id.compareTo(maxDeleted) < 0) {
                    reply.error(Errors.XSETID_BELOW_GIVEN_MAX_DELETED);
                    return;
                }
            } else {
                reply.error(Errors.SYNTAX);
                return;
            }
        }
        Object value = client.db().getForWrite(argv[1]);
        if (value == null) {
            reply.error(Errors.NO_SUCH_KEY);
            return;
        }
        if (!(value instanceof StreamValue stream)) {
            reply.error(Errors.WRONGTYPE);
            return;
        }
        if (id.compareTo(stream.maxDeletedId()) < 0) { // Redis 7.2; 7.0 did not check it
            reply.error(Errors.XSETID_BELOW_MAX_DELETED);
            return;
        }
        if (stream.length() > 0) {
            if (id.compareTo(stream.lastValidId()) < 0) {
                reply.error(Errors.XSETID_BELOW_TOP);
                return;
            }
            if (entriesAdded != -1 && stream.length() > entriesAdded) {
                reply.error(Errors.XSETID_ENTRIES_ADDED_BELOW_LENGTH);
                return;
            }
        }
        stream.setId(id, entriesAdded, maxDeleted);
        client.db().changed(argv[1], KeyspaceEvents.STREAM, "xsetid");
        reply.ok();
    }

    // ---- XREAD and XREADGROUP

    /** A parsed XREAD / XREADGROUP. */
    private record ReadRequest(byte[][] keys, StreamId[] ids, long count, boolean noAck, byte[] group,
                               byte[] consumer, long timeout) {
    }

    /**
     * XREAD [COUNT count] [BLOCK milliseconds] STREAMS key [key ...] id [id ...] and
     * XREADGROUP GROUP group consumer [COUNT count] [BLOCK milliseconds] [NOACK] STREAMS key [key ...] id [id ...]
     */
    private void xreadGeneric(Client client, byte[][] argv, boolean xreadgroup) {
        ReplyWriter reply = client.reply();
        ReadRequest request = parseRead(client, argv, xreadgroup);
        if (request == null) {
            return;
        }
        Blocking.Attempt attempt = (db, out) -> readAttempt(db, out, request);
        if (attempt.serve(client.db(), reply)) {
            return;
        }
        if (request.timeout == -1) {
            reply.nullArray();
            return;
        }
        server.blocking().block(client, request.keys, request.keys, ValueType.STREAM, xreadgroup, request.timeout,
                attempt, ReplyWriter::nullArray);
    }

    /** Parses an XREAD or XREADGROUP and resolves {@code $}; null after replying an error. */
    private ReadRequest parseRead(Client client, byte[][] argv, boolean xreadgroup) {
        ReplyWriter reply = client.reply();
        String name = xreadgroup ? "xreadgroup" : "xread";
        long timeout = -1;
        long count = 0;
        int streamsArg = 0;
        int streamsCount = 0;
        boolean noAck = false;
        byte[] group = null;
        byte[] consumer = null;
        for (int i = 1; i < argv.length; i++) {
            int more = argv.length - i - 1;
            byte[] opt = argv[i];
            if (Arguments.is(opt, "block") && more > 0) {
                i++;
                Long value = integer(reply, argv[i], Errors.TIMEOUT_NOT_INTEGER);
                if (value == null) {
                    return null;
                }
                if (value < 0) {
                    reply.error(Errors.TIMEOUT_NEGATIVE);
                    return null;
                }
                if (value > 0 && value > Long.MAX_VALUE - now()) {
                    reply.error(Errors.TIMEOUT_OUT_OF_RANGE);
                    return null;
                }
                timeout = value;
            } else if (Arguments.is(opt, "count") && more > 0) {
                i++;
                Long value = integer(reply, argv[i], Errors.NOT_INTEGER);
                if (value == null) {
                    return null;
                }
                count = Math.max(0, value);
            } else if (Arguments.is(opt, "streams") && more > 0) {
                streamsArg = i + 1;
                streamsCount = argv.length - streamsArg;
                if (streamsCount % 2 != 0) {
                    reply.error(Errors.unbalancedStreams(name, xreadgroup ? '>' : '$'));
                    return null;
                }
                streamsCount /= 2;
                break;
            } else if (Arguments.is(opt, "group") && more >= 2) {
                if (!xreadgroup) {
                    reply.error(Errors.XREAD_GROUP_OPTION);
                    return null;
                }
                group = argv[i + 1];
                consumer = argv[i + 2];
                i += 2;
            } else if (Arguments.is(opt, "noack")) {
                if (!xreadgroup) {
                    reply.error(Errors.XREAD_NOACK_OPTION);
                    return null;
                }
                noAck = true;
            } else {
                reply.error(Errors.SYNTAX);
                return null;
            }
        }
        if (streamsArg == 0) {
            reply.error(Errors.SYNTAX);
            return null;
        }
        if (xreadgroup && group == null) {
            reply.error(Errors.XREADGROUP_MISSING_GROUP);
            return null;
        }
        byte[][] keys = Arrays.copyOfRange(argv, streamsArg, streamsArg + streamsCount);
        StreamId[] ids = new StreamId[streamsCount];
        Database db = client.db();
        for (int i = 0; i < streamsCount; i++) {
            byte[] key = keys[i];
            byte[] idArg = argv[streamsArg + streamsCount + i];
            Object value = db.get(key);
            if (value != null && !(value instanceof StreamValue)) {
                reply.error(Errors.WRONGTYPE);
                return null;
            }
            StreamValue stream = (StreamValue) value;
            if (group != null && (stream == null || stream.group(group) == null)) {
                reply.error(Errors.noGroupForXreadgroup(text(key), text(group)));
                return null;
            }
            if (idArg.length == 1 && idArg[0] == '$') {
                if (xreadgroup) {
                    reply.error(Errors.XREADGROUP_DOLLAR);
                    return null;
                }
                ids[i] = stream == null ? StreamId.MIN : stream.lastId();
                continue;
            }
            if (idArg.length == 1 && idArg[0] == '>') {
                if (!xreadgroup) {
                    reply.error(Errors.XREAD_GREATER_ID);
                    return null;
                }
                ids[i] = StreamId.MAX;
                continue;
            }
            if (!xreadgroup && idArg.length == 1 && idArg[0] == '+') {
                // Redis 7.4's XREAD +: the last entry; on an empty stream, like $.
                ids[i] = stream == null ? StreamId.MIN
                        : stream.length() == 0 ? stream.lastId() : stream.lastValidId().previous();
                continue;
            }
            ids[i] = strictId(reply, idArg);
            if (ids[i] == null) {
                return null;
            }
        }
        return new ReadRequest(keys, ids, count, noAck, group, consumer, timeout);
    }

    /**
     * Serves an XREAD or XREADGROUP from every stream that has something for it, as Redis's
     * xreadCommand does, or writes nothing and returns false. The type and group checks that
     * {@link #parseRead} made are made again for a retry after blocking: the key may be gone, or
     * hold something else; XREAD then keeps waiting, XREADGROUP answers the error.
     */
    private boolean readAttempt(Database db, ReplyWriter reply, ReadRequest request) {
        int n = request.keys.length;
        if (request.group != null) {
            server.keyspace().effects().suppress(); // XREADGROUP travels as the XCLAIMs of what it delivered
        }
        StreamValue[] streams = new StreamValue[n];
        ConsumerGroup[] groups = new ConsumerGroup[n];
        for (int i = 0; i < n; i++) {
            Object value = db.get(request.keys[i]);
            if (value != null && !(value instanceof StreamValue)) {
                if (request.group == null) {
                    return false;
                }
                reply.error(Errors.WRONGTYPE);
                return true;
            }
            streams[i] = (StreamValue) value;
            if (request.group != null) {
                groups[i] = streams[i] == null ? null : streams[i].group(request.group);
                if (groups[i] == null) {
                    reply.error(Errors.noGroupForXreadgroup(text(request.keys[i]),
                            text(request.group)));
                    return true;
                }
            }
        }
        long now = now();
        List<byte[]> servedKeys = new ArrayList<>();
        List<List<Entry>> served = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StreamValue stream = streams[i];
            if (stream == null) {
                continue;
            }
            StreamId after = request.ids[i];
            if (groups[i] != null) {
                ConsumerGroup group = groups[i];
                Consumer consumer = group.consumers.get(request.consumer);
                if (consumer == null) {
                    consumer = group.createConsumer(request.consumer, now);
                    db.event(request.keys[i], KeyspaceEvents.STREAM, "xgroup-createconsumer");
                    if (request.noAck && server.keyspace().effects().active()) { // no XCLAIM will create it downstream
                        server.keyspace().effects().emit(db.index(), bytes("XGROUP"), bytes("CREATECONSUMER"), request.keys[i],
                                request.group, request.consumer);
                    }
                }
                consumer.seenTime = now;
                if (!after.equals(StreamId.MAX)) {
                    servedKeys.add(request.keys[i]);
                    served.add(history(stream, consumer, after, request.count, now));
                } else if (stream.length() > 0 && stream.lastValidId().compareTo(group.lastId) > 0) {
                    servedKeys.add(request.keys[i]);
                    served.add(deliverNew(db.index(), request.keys[i], stream, group, consumer, request.count, request.noAck, now));
                }
            } else if (stream.length() > 0 && stream.lastValidId().compareTo(after) > 0) {
                servedKeys.add(request.keys[i]);
                StreamId start = after.next();
                served.add(stream.range(start, StreamId.MAX, false, request.count));
            }
        }
        if (servedKeys.isEmpty()) {
            return false;
        }
        boolean resp3 = reply.resp3();
        if (resp3) {
            reply.map(servedKeys.size());
        } else {
            reply.array(servedKeys.size());
        }
        for (int i = 0; i < servedKeys.size(); i++) {
            if (!resp3) {
                reply.array(2);
            }
            reply.bulk(servedKeys.get(i));
            List<Entry> entries = served.get(i);
            reply.array(entries.size());
            for (Entry entry : entries) {
                if (entry.fieldsAndValues() == null) {
                    reply.array(2);
                    writeId(reply, entry.id());
                    reply.nullArray();
                } else {
                    writeEntry(reply, entry);
                }
            }
        }
        return true;
    }

    /**
     * Delivers the entries after the group's last ID to {@code consumer} (XREADGROUP {@code >}),
     * propagated as Redis does: one XCLAIM per entry that goes pending, or the group's new last
     * ID (XGROUP SETID) under NOACK.
     */
    private List<Entry> deliverNew(int dbIndex, byte[] key, StreamValue stream, ConsumerGroup group, Consumer consumer, long count,
                                   boolean noAck, long now) {
        Effects effects = server.keyspace().effects();
        StreamId start = group.lastId.next();
        List<Entry> entries = start == null ? List.of() : stream.range(start, StreamId.MAX, false, count);
        for (Entry entry : entries) {
            stream.delivered(group, entry.id());
            if (!noAck) {
                group.deliver(entry.id(), consumer, now);
                propagateClaim(dbIndex, key, group, consumer.name, entry.id(), group.pel.get(entry.id()));
            }
            consumer.activeTime = now;
        }
        if (noAck && !entries.isEmpty() && effects.active()) {
            effects.emit(dbIndex, bytes("XGROUP"), bytes("SETID"), key, group.name, bytes(group.lastId.toString()),
                    bytes("ENTRIESREAD"), bytes(Long.toString(group.entriesRead)));
        }
        return entries;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The consumer's pending entries after {@code after} (XREADGROUP with an ID), each delivered
     * once more; an entry deleted from the stream comes with null fields.
     */
    private static List<Entry> history(StreamValue stream, Consumer consumer, StreamId after, long count, long now) {
        List<Entry> out = new ArrayList<>();
        StreamId start = after.next();
        if (start == null) {
            return out;
        }
        for (Map.Entry<StreamId, Nack> pending : consumer.pel.tailMap(start, true).entrySet()) {
            if (count != 0 && out.size() >= count) {
                break;
            }
            Entry entry = stream.get(pending.getKey());
            Nack nack = pending.getValue();
            nack.deliveryTime = now;
            nack.deliveryCount++;
            out.add(entry != null ? entry : new Entry(pending.getKey(), null));
        }
        return out;
    }

    // ---- consumer groups

    /**
     * The stream XGROUP's subcommands work on: null after replying an error (WRONGTYPE, or the
     * key missing unless {@code mayBeMissing}, when it returns {@link #MISSING}).
     */
    private static StreamValue xgroupStream(Client client, byte[][] argv, boolean mayBeMissing) {
        StreamValue stream = lookup(client.db(), client.reply(), argv[2], true);
        if (stream == WRONG_TYPE) {
            return null;
        }
        if (stream == null && !mayBeMissing) {
            client.reply().error(Errors.XGROUP_NO_KEY);
            return null;
        }
        return stream == null ? MISSING : stream;
    }

    private static ConsumerGroup requireGroup(Client client, StreamValue stream, byte[][] argv) {
        ConsumerGroup group = stream.group(argv[3]);
        if (group == null) {
            client.reply().error(Errors.noGroupForKey(text(argv[3]), text(argv[2])));
        }
        return group;
    }

    /** XGROUP CREATE key group id | $ [MKSTREAM] [ENTRIESREAD entries-read] */
    void xgroupCreate(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        boolean mkStream = false;
        long entriesRead = StreamValue.INVALID_ENTRIES_READ;
        for (int i = 5; i < argv.length; ) {
            if (Arguments.is(argv[i], "mkstream")) {
                mkStream = true;
                i++;
            } else if (Arguments.is(argv[i], "entriesread") && i + 1 < argv.length) {
                Long value = integer(reply, argv[i + 1], Errors.NOT_INTEGER);
                if (value == null) {
                    return;
                }
                if (value < 0 && value != StreamValue.INVALID_ENTRIES_READ) {
                    reply.error(Errors.ENTRIESREAD_INVALID);
                    return;
                }
                entriesRead = value;
                i += 2;
            } else {
                reply.error(Errors.subcommandSyntax(text(argv[1]), "xgroup"));
                return;
            }
        }
        StreamValue stream = xgroupStream(client, argv, mkStream);
        if (stream == null) {
            return;
        }
        if (argv.length > 8) {
            reply.error(Errors.subcommandSyntax(text(argv[1]), "xgroup"));
            return;
        }
        boolean missing = stream == MISSING;
        StreamId id;
        if (argv[4].length == 1 && argv[4][0] == '$') {
            id = missing ? StreamId.MIN : stream.lastId();
        } else {
            id = strictId(reply, argv[4]);
            if (id == null) {
                return;
            }
        }
        Database db = client.db();
        if (missing) {
            stream = new StreamValue();
            db.set(argv[2], stream, 0);
            db.changed(argv[2], KeyspaceEvents.STREAM, "xgroup-create");
            stream.createGroup(argv[3], id, entriesRead);
            reply.ok();
            return;
        }
        if (stream.createGroup(argv[3], id, entriesRead) == null) {
            reply.error(Errors.BUSYGROUP);
            return;
        }
        reply.ok();
        db.event(argv[2], KeyspaceEvents.STREAM, "xgroup-create");
        db.changedGroups();
    }

    /** XGROUP SETID key group id | $ [ENTRIESREAD entries-read] */
    void xgroupSetid(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        long entriesRead = StreamValue.INVALID_ENTRIES_READ;
        // Redis parses the options first, each in turn, and checks the argument count after.
        for (int i = 5; i < argv.length; i++) {
            if (!Arguments.is(argv[i], "entriesread") || i + 1 >= argv.length) {
                reply.error(Errors.subcommandSyntax(text(argv[1]), "xgroup"));
                return;
            }
            Long value = integer(reply, argv[++i], Errors.NOT_INTEGER);
            if (value == null) {
                return;
            }
            if (value < 0 && value != StreamValue.INVALID_ENTRIES_READ) {
                reply.error(Errors.ENTRIESREAD_INVALID);
                return;
            }
            entriesRead = value;
        }
        if (argv.length != 5 && argv.length != 7) {
            reply.error(Errors.subcommandSyntax(text(argv[1]), "xgroup"));
            return;
        }
        StreamValue stream = xgroupStream(client, argv, false);
        ConsumerGroup group = stream == null ? null : requireGroup(client, stream, argv);
        if (group == null) {
            return;
        }
        StreamId id;
        if (argv[4].length == 1 && argv[4][0] == '$') {
            id = stream.lastId();
        } else {
            StreamIds.Parsed parsed = StreamIds.parse(argv[4], 0, false, false);
            if (parsed == null) {
                reply.error(Errors.STREAM_INVALID_ID);
                return;
            }
            id = parsed.id();
        }
        group.lastId = id;
        group.entriesRead = entriesRead;
        reply.ok();
        client.db().event(argv[2], KeyspaceEvents.STREAM, "xgroup-setid");
        client.db().changedGroups();
    }

    /** XGROUP DESTROY key group */
    void xgroupDestroy(Client client, byte[][] argv) {
        StreamValue stream = xgroupStream(client, argv, false);
        if (stream == null) {
            return;
        }
        if (!stream.destroyGroup(argv[3])) {
            client.reply().integer(0);
            return;
        }
        client.reply().integer(1);
        client.db().event(argv[2], KeyspaceEvents.STREAM, "xgroup-destroy");
        client.db().changedGroups();
        client.db().signalReady(argv[2]);
    }

    /** XGROUP CREATECONSUMER key group consumer */
    void xgroupCreateconsumer(Client client, byte[][] argv) {
        StreamValue stream = xgroupStream(client, argv, false);
        ConsumerGroup group = stream == null ? null : requireGroup(client, stream, argv);
        if (group == null) {
            return;
        }
        boolean created = group.createConsumer(argv[4], now()) != null;
        client.reply().integer(created ? 1 : 0);
        if (created) {
            client.db().event(argv[2], KeyspaceEvents.STREAM, "xgroup-createconsumer");
            client.db().changedGroups();
        }
    }

    /** XGROUP DELCONSUMER key group consumer */
    void xgroupDelconsumer(Client client, byte[][] argv) {
        StreamValue stream = xgroupStream(client, argv, false);
        ConsumerGroup group = stream == null ? null : requireGroup(client, stream, argv);
        if (group == null) {
            return;
        }
        Consumer consumer = group.consumers.get(argv[4]);
        if (consumer == null) {
            client.reply().integer(0);
            return;
        }
        client.reply().integer(group.deleteConsumer(consumer));
        client.db().event(argv[2], KeyspaceEvents.STREAM, "xgroup-delconsumer");
        client.db().changedGroups();
    }

    /** The stream and group for XACK-like lookups: null when either is missing or after WRONGTYPE. */
    private static ConsumerGroup groupOf(Client client, byte[] key, byte[] groupName, boolean[] wrongType) {
        StreamValue stream = lookup(client.db(), client.reply(), key, false);
        if (stream == WRONG_TYPE) {
            wrongType[0] = true;
            return null;
        }
        return stream == null ? null : stream.group(groupName);
    }

    /** XACK key group id [id ...] */
    void xack(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        boolean[] wrongType = new boolean[1];
        ConsumerGroup group = groupOf(client, argv[1], argv[2], wrongType);
        if (wrongType[0]) {
            return;
        }
        if (group == null) {
            reply.integer(0);
            return;
        }
        StreamId[] ids = strictIds(reply, argv, 3);
        if (ids == null) {
            return;
        }
        int acknowledged = 0;
        for (StreamId id : ids) {
            if (group.acknowledge(id)) {
                acknowledged++;
            }
        }
        if (acknowledged > 0) {
            client.db().changedGroups();
        }
        reply.integer(acknowledged);
    }

    /** XPENDING key group [[IDLE min-idle-time] start end count [consumer]] */
    void xpending(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        int argc = argv.length;
        if (argc != 3 && (argc < 6 || argc > 9)) {
            reply.error(Errors.SYNTAX);
            return;
        }
        long minIdle = 0;
        long count = 0;
        StreamId startId = null;
        StreamId endId = null;
        byte[] consumerName = null;
        if (argc >= 6) {
            int startIndex = 3;
            if (Arguments.is(argv[3], "idle")) {
                Long value = integer(reply, argv[4], Errors.NOT_INTEGER);
                if (value == null) {
                    return;
                }
                minIdle = value;
                if (argc < 8) {
                    reply.error(Errors.SYNTAX);
                    return;
                }
                startIndex += 2;
            }
            Long value = integer(reply, argv[startIndex + 2], Errors.NOT_INTEGER);
            if (value == null) {
                return;
            }
            count = Math.max(0, value);
            startId = startBound(reply, argv[startIndex]);
            if (startId == null) {
                return;
            }
            endId = endBound(reply, argv[startIndex + 1]);
            if (endId == null) {
                return;
            }
            if (startIndex + 3 < argc) {
                consumerName = argv[startIndex + 3];
            }
        }
        boolean[] wrongType = new boolean[1];
        ConsumerGroup group = groupOf(client, argv[1], argv[2], wrongType);
        if (wrongType[0]) {
            return;
        }
        if (group == null) {
            reply.error(Errors.noKeyOrGroup(text(argv[1]), text(argv[2])));
            return;
        }
        if (argc == 3) {
            pendingSummary(reply, group);
            return;
        }
        NavigableMap<StreamId, Nack> pel = group.pel;
        if (consumerName != null) {
            Consumer consumer = group.consumers.get(consumerName);
            if (consumer == null) {
                reply.array(0);
                return;
            }
            pel = consumer.pel;
        }
        long now = now();
        List<Map.Entry<StreamId, Nack>> out = new ArrayList<>();
        if (startId.compareTo(endId) <= 0) {
            for (Map.Entry<StreamId, Nack> e : pel.subMap(startId, true, endId, true).entrySet()) {
                if (out.size() >= count) {
                    break;
                }
                if (minIdle != 0 && now - e.getValue().deliveryTime < minIdle) {
                    continue;
                }
                out.add(e);
            }
        }
        reply.array(out.size());
        for (Map.Entry<StreamId, Nack> e : out) {
            Nack nack = e.getValue();
            reply.array(4);
            writeId(reply, e.getKey());
            reply.bulk(nack.consumer.name);
            reply.integer(Math.max(0, now - nack.deliveryTime));
            reply.integer(nack.deliveryCount);
        }
    }

    private static void pendingSummary(ReplyWriter reply, ConsumerGroup group) {
        reply.array(4);
        reply.integer(group.pel.size());
        if (group.pel.isEmpty()) {
            reply.nullBulk();
            reply.nullBulk();
            reply.nullArray();
            return;
        }
        writeId(reply, group.pel.firstKey());
        writeId(reply, group.pel.lastKey());
        List<Consumer> owners = new ArrayList<>();
        for (Consumer consumer : group.consumers.values()) {
            if (!consumer.pel.isEmpty()) {
                owners.add(consumer);
            }
        }
        reply.array(owners.size());
        for (Consumer consumer : owners) {
            reply.array(2);
            reply.bulk(consumer.name);
            reply.bulk(consumer.pel.size());
        }
    }

    /** The consumer named {@code name}, created (with its event) when missing, marked seen now. */
    private static Consumer seenConsumer(Client client, byte[] key, ConsumerGroup group, byte[] name, long now) {
        Consumer consumer = group.consumers.get(name);
        if (consumer == null) {
            consumer = group.createConsumer(name, now);
            client.db().event(key, KeyspaceEvents.STREAM, "xgroup-createconsumer");
        }
        consumer.seenTime = now;
        return consumer;
    }

    /**
     * XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms] [TIME unix-time-milliseconds]
     * [RETRYCOUNT count] [FORCE] [JUSTID] [LASTID lastid]
     */
    void xclaim(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        StreamValue stream = lookup(client.db(), reply, argv[1], false);
        if (stream == WRONG_TYPE) {
            return;
        }
        ConsumerGroup group = stream == null ? null : stream.group(argv[2]);
        if (group == null) {
            reply.error(Errors.noKeyOrGroup(text(argv[1]), text(argv[2])));
            return;
        }
        Long minIdleArg = integer(reply, argv[4], Errors.XCLAIM_MIN_IDLE);
        if (minIdleArg == null) {
            return;
        }
        long minIdle = Math.max(0, minIdleArg);
        List<StreamId> ids = new ArrayList<>();
        int j = 5;
        for (; j < argv.length; j++) {
            StreamId id = StreamIds.strict(argv[j]);
            if (id == null) {
                break;
            }
            ids.add(id);
        }
        long now = now();
        long retryCount = -1;
        long deliveryTime = -1;
        boolean force = false;
        boolean justId = false;
        StreamId lastId = StreamId.MIN;
        for (; j < argv.length; j++) {
            boolean more = j + 1 < argv.length;
            byte[] opt = argv[j];
            if (Arguments.is(opt, "force")) {
                force = true;
            } else if (Arguments.is(opt, "justid")) {
                justId = true;
            } else if (Arguments.is(opt, "idle") && more) {
                Long value = integer(reply, argv[++j], Errors.XCLAIM_IDLE);
                if (value == null) {
                    return;
                }
                deliveryTime = now - value;
            } else if (Arguments.is(opt, "time") && more) {
                Long value = integer(reply, argv[++j], Errors.XCLAIM_TIME);
                if (value == null) {
                    return;
                }
                deliveryTime = value;
            } else if (Arguments.is(opt, "retrycount") && more) {
                Long value = integer(reply, argv[++j], Errors.XCLAIM_RETRYCOUNT);
                if (value == null) {
                    return;
                }
                retryCount = value;
            } else if (Arguments.is(opt, "lastid") && more) {
                lastId = strictId(reply, argv[++j]);
                if (lastId == null) {
                    return;
                }
            } else {
                reply.error(Errors.unrecognizedXclaimOption(text(opt)));
                return;
            }
        }
        server.keyspace().effects().suppress(); // propagated as the claims it made, below
        boolean lastIdMoved = lastId.compareTo(group.lastId) > 0;
        if (lastIdMoved) {
            group.lastId = lastId;
        }
        if (deliveryTime == -1 || deliveryTime < 0 || deliveryTime > now) {
            deliveryTime = now;
        }
        Consumer consumer = seenConsumer(client, argv[1], group, argv[3], now);
        List<Object> out = new ArrayList<>();
        int dbIndex = client.db().index();
        for (StreamId id : ids) {
            Nack nack = group.pel.get(id);
            Entry entry = stream.get(id);
            if (entry == null) {
                if (nack != null) {
                    propagateClaim(dbIndex, argv[1], group, nack.consumer == null ? argv[3] : nack.consumer.name, id, nack);
                    lastIdMoved = false; // the XCLAIM carries it
                    group.acknowledge(id);
                    client.db().changedGroups();
                }
                continue;
            }
            if (force && nack == null) {
                nack = new Nack(null, now);
                group.pel.put(id, nack);
            }
            if (nack == null) {
                continue;
            }
            if (nack.consumer != null && minIdle != 0 && now - nack.deliveryTime < minIdle) {
                continue;
            }
            nack.deliveryTime = deliveryTime;
            if (retryCount >= 0) {
                nack.deliveryCount = retryCount;
            } else if (!justId) {
                nack.deliveryCount++;
            }
            group.transfer(id, nack, consumer);
            out.add(justId ? id : entry);
            consumer.activeTime = now;
            propagateClaim(dbIndex, argv[1], group, argv[3], id, nack);
            lastIdMoved = false;
            client.db().changedGroups();
        }
        if (lastIdMoved && server.keyspace().effects().active()) {
            server.keyspace().effects().emit(dbIndex, bytes("XGROUP"), bytes("SETID"), argv[1], group.name,
                    bytes(group.lastId.toString()), bytes("ENTRIESREAD"), bytes(Long.toString(group.entriesRead)));
            client.db().changedGroups();
        }
        writeClaimed(reply, out);
    }

    /**
     * Propagates the claim of pending entry {@code id} by {@code consumer} as the XCLAIM that
     * recreates it exactly (streamPropagateXCLAIM): its delivery time and count, forced, with the
     * group's last ID.
     */
    private void propagateClaim(int dbIndex, byte[] key, ConsumerGroup group, byte[] consumer, StreamId id, Nack nack) {
        Effects effects = server.keyspace().effects();
        if (effects.active()) {
            effects.emit(dbIndex, bytes("XCLAIM"), key, group.name, consumer, bytes("0"), bytes(id.toString()),
                    bytes("TIME"), bytes(Long.toString(nack.deliveryTime)), bytes("RETRYCOUNT"), bytes(Long.toString(nack.deliveryCount)),
                    bytes("FORCE"), bytes("JUSTID"), bytes("LASTID"), bytes(group.lastId.toString()));
        }
    }

    private static void writeClaimed(ReplyWriter reply, List<Object> claimed) {
        reply.array(claimed.size());
        for (Object item : claimed) {
            if (item instanceof StreamId id) {
                writeId(reply, id);
            } else {
                writeEntry(reply, (Entry) item);
            }
        }
    }

    /** XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID] */
    void xautoclaim(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        Long minIdleArg = integer(reply, argv[4], Errors.XAUTOCLAIM_MIN_IDLE);
        if (minIdleArg == null) {
            return;
        }
        long minIdle = Math.max(0, minIdleArg);
        StreamId startId = startBound(reply, argv[5]);
        if (startId == null) {
            return;
        }
        long count = 100;
        boolean justId = false;
        for (int j = 6; j < argv.length; j++) {
            boolean more = j + 1 < argv.length;
            if (Arguments.is(argv[j], "count") && more) {
                Long value = Arguments.integer(argv[j + 1]);
                if (value == null || value < 1 || value > Long.MAX_VALUE / 16) {
                    reply.error(Errors.XAUTOCLAIM_COUNT);
                    return;
                }
                count = value;
                j++;
            } else if (Arguments.is(argv[j], "justid")) {
                justId = true;
            } else {
                reply.error(Errors.SYNTAX);
                return;
            }
        }
        StreamValue stream = lookup(client.db(), reply, argv[1], false);
        if (stream == WRONG_TYPE) {
            return;
        }
        ConsumerGroup group = stream == null ? null : stream.group(argv[2]);
        if (group == null) {
            reply.error(Errors.noKeyOrGroup(text(argv[1]), text(argv[2])));
            return;
        }
        long now = now();
        server.keyspace().effects().suppress(); // propagated as the claims it made, below
        int dbIndex = client.db().index();
        Consumer consumer = seenConsumer(client, argv[1], group, argv[3], now);
        long attempts = count * 10;
        List<Object> claimed = new ArrayList<>();
        List<StreamId> deleted = new ArrayList<>();
        StreamId cursor = startId;
        StreamId next = null;
        while (true) {
            Map.Entry<StreamId, Nack> pending = group.pel.ceilingEntry(cursor);
            if (pending == null) {
                break;
            }
            if (attempts-- == 0 || count == 0) {
                next = pending.getKey();
                break;
            }
            StreamId id = pending.getKey();
            Nack nack = pending.getValue();
            StreamId after = id.next();
            Entry entry = stream.get(id);
            if (entry == null) {
                propagateClaim(dbIndex, argv[1], group, nack.consumer == null ? argv[3] : nack.consumer.name, id, nack);
                group.acknowledge(id);
                client.db().changedGroups();
                deleted.add(id);
                count--;
            } else if (minIdle == 0 || now - nack.deliveryTime >= minIdle) {
                nack.deliveryTime = now;
                if (!justId) {
                    nack.deliveryCount++;
                }
                group.transfer(id, nack, consumer);
                propagateClaim(dbIndex, argv[1], group, argv[3], id, nack);
                client.db().changedGroups();
                claimed.add(justId ? id : entry);
                count--;
                consumer.activeTime = now;
            }
            if (after == null) {
                break;
            }
            cursor = after;
        }
        reply.array(3);
        writeId(reply, next == null ? StreamId.MIN : next);
        writeClaimed(reply, claimed);
        reply.array(deleted.size());
        for (StreamId id : deleted) {
            writeId(reply, id);
        }
    }

    // ---- XINFO

    /** XINFO CONSUMERS key group */
    void xinfoConsumers(Client client, byte[][] argv) {
        StreamValue stream = xinfoStreamOf(client, argv[2]);
        if (stream == null) {
            return;
        }
        ConsumerGroup group = stream.group(argv[3]);
        if (group == null) {
            client.reply().error(Errors.noGroupForKey(text(argv[3]), text(argv[2])));
            return;
        }
        ReplyWriter reply = client.reply();
        long now = now();
        reply.array(group.consumers.size());
        for (Consumer consumer : group.consumers.values()) {
            reply.map(4);
            reply.bulk("name");
            reply.bulk(consumer.name);
            reply.bulk("pending");
            reply.integer(consumer.pel.size());
            reply.bulk("idle");
            reply.integer(Math.max(0, now - consumer.seenTime));
            reply.bulk("inactive");
            reply.integer(consumer.activeTime == -1 ? -1 : now - consumer.activeTime);
        }
    }

    /** XINFO GROUPS key */
    void xinfoGroups(Client client, byte[][] argv) {
        StreamValue stream = xinfoStreamOf(client, argv[2]);
        if (stream == null) {
            return;
        }
        ReplyWriter reply = client.reply();
        reply.array(stream.groups().size());
        for (ConsumerGroup group : stream.groups().values()) {
            reply.map(6);
            reply.bulk("name");
            reply.bulk(group.name);
            reply.bulk("consumers");
            reply.integer(group.consumers.size());
            reply.bulk("pending");
            reply.integer(group.pel.size());
            reply.bulk("last-delivered-id");
            writeId(reply, group.lastId);
            writeEntriesReadAndLag(reply, stream, group);
        }
    }

    private static void writeEntriesReadAndLag(ReplyWriter reply, StreamValue stream, ConsumerGroup group) {
        reply.bulk("entries-read");
        if (group.entriesRead != StreamValue.INVALID_ENTRIES_READ) {
            reply.integer(group.entriesRead);
        } else {
            reply.nullBulk();
        }
        reply.bulk("lag");
        Long lag = stream.lag(group);
        if (lag == null) {
            reply.nullBulk();
        } else {
            reply.integer(lag);
        }
    }

    /** XINFO STREAM key [FULL [COUNT count]] */
    void xinfoStream(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        int options = argv.length - 3;
        boolean full = options > 0;
        long count = 10;
        if (full) {
            if ((options != 1 && options != 3) || !Arguments.is(argv[3], "full")
                    || (options == 3 && !Arguments.is(argv[4], "count"))) {
                if (xinfoStreamOf(client, argv[2]) != null) {
                    reply.error(Errors.subcommandSyntax(text(argv[1]), "xinfo"));
                }
                return;
            }
        }
        StreamValue stream = xinfoStreamOf(client, argv[2]);
        if (stream == null) {
            return;
        }
        if (options == 3) {
            Long value = integer(reply, argv[5], Errors.NOT_INTEGER);
            if (value == null) {
                return;
            }
            count = value < 0 ? 10 : value;
        }
        reply.map(full ? 9 : 10);
        reply.bulk("length");
        reply.integer(stream.length());
        reply.bulk("radix-tree-keys");
        reply.integer(stream.blockCount());
        reply.bulk("radix-tree-nodes");
        reply.integer(stream.radixTreeNodes());
        reply.bulk("last-generated-id");
        writeId(reply, stream.lastId());
        reply.bulk("max-deleted-entry-id");
        writeId(reply, stream.maxDeletedId());
        reply.bulk("entries-added");
        reply.integer(stream.entriesAdded());
        reply.bulk("recorded-first-entry-id");
        writeId(reply, stream.firstId());
        if (!full) {
            reply.bulk("groups");
            reply.integer(stream.groups().size());
            List<Entry> first = stream.range(StreamId.MIN, StreamId.MAX, false, 1);
            reply.bulk("first-entry");
            if (first.isEmpty()) {
                reply.nullBulk();
            } else {
                writeEntry(reply, first.get(0));
            }
            List<Entry> last = stream.range(StreamId.MIN, StreamId.MAX, true, 1);
            reply.bulk("last-entry");
            if (last.isEmpty()) {
                reply.nullBulk();
            } else {
                writeEntry(reply, last.get(0));
            }
            return;
        }
        reply.bulk("entries");
        writeEntries(reply, stream.range(StreamId.MIN, StreamId.MAX, false, count));
        reply.bulk("groups");
        reply.array(stream.groups().size());
        for (ConsumerGroup group : stream.groups().values()) {
            reply.map(7);
            reply.bulk("name");
            reply.bulk(group.name);
            reply.bulk("last-delivered-id");
            writeId(reply, group.lastId);
            writeEntriesReadAndLag(reply, stream, group);
            reply.bulk("pel-count");
            reply.integer(group.pel.size());
            reply.bulk("pending");
            writePendingFull(reply, group.pel, count, true);
            reply.bulk("consumers");
            reply.array(group.consumers.size());
            for (Consumer consumer : group.consumers.values()) {
                reply.map(5);
                reply.bulk("name");
                reply.bulk(consumer.name);
                reply.bulk("seen-time");
                reply.integer(consumer.seenTime);
                reply.bulk("active-time");
                reply.integer(consumer.activeTime);
                reply.bulk("pel-count");
                reply.integer(consumer.pel.size());
                reply.bulk("pending");
                writePendingFull(reply, consumer.pel, count, false);
            }
        }
    }

    /**
     * The first {@code count} (0: all) pending entries of a PEL as XINFO STREAM FULL lists them:
     * ID, the owner's name when {@code withOwner}, delivery time, delivery count.
     */
    private static void writePendingFull(ReplyWriter reply, NavigableMap<StreamId, Nack> pel, long count,
                                         boolean withOwner) {
        int size = (int) (count == 0 ? pel.size() : Math.min(count, pel.size()));
        reply.array(size);
        int written = 0;
        for (Map.Entry<StreamId, Nack> e : pel.entrySet()) {
            if (written++ == size) {
                break;
            }
            reply.array(withOwner ? 4 : 3);
            writeId(reply, e.getKey());
            if (withOwner) {
                reply.bulk(e.getValue().consumer.name);
            }
            reply.integer(e.getValue().deliveryTime);
            reply.integer(e.getValue().deliveryCount);
        }
    }

    /** The stream XINFO's subcommands read; null after replying "no such key" or WRONGTYPE. */
    private static StreamValue xinfoStreamOf(Client client, byte[] key) {
        StreamValue stream = lookup(client.db(), client.reply(), key, false);
        if (stream == null) {
            client.reply().error(Errors.NO_SUCH_KEY);
            return null;
        }
        return stream == WRONG_TYPE ? null : stream;
    }
}
