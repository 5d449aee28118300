package io.spinel.command.list;

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
import io.spinel.types.ListCursor;
import io.spinel.types.ListValue;
import io.spinel.types.PackedList;
import io.spinel.types.ValueType;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The list commands (Redis's t_list.c): pushes and pops at both ends, access by index, ranges,
 * search, moves between lists, and their blocking forms.
 *
 * <h2>Encodings</h2>
 * A command that adds elements first asks {@link ListValue#beforeAdding} for the value to store
 * (a listpack may become a quicklist), and one that removes or replaces elements afterwards asks
 * {@link ListValue#afterRemoving} (a one-node quicklist may become a listpack); a changed value
 * is stored with {@link Database#replace}, which keeps the key's TTL. A list left empty is
 * deleted. The conversion points are Redis 7.2's, so OBJECT ENCODING answers as Redis does.
 *
 * <h2>Blocking forms</h2>
 * BLPOP, BRPOP, BLMPOP, BLMOVE and BRPOPLPUSH run the same attempt as their non-blocking form
 * (which replies nothing when every watched list is empty) and, when it cannot serve them, hand
 * it to {@link Blocking}, which retries it when a list arrives at a watched key; the timeout
 * reply is the null array, for the moves as well, as in Redis.
 *
 * <h2>Order of checks</h2>
 * Each handler parses arguments and looks the key up in the order Redis does, which decides
 * the reply when several things are wrong (LINDEX and LSET look the key up before parsing the
 * index, LRANGE and LREM the other way round); the differential tests pin that down.
 */
public final class ListCommands {
    private static final boolean HEAD = true;
    private static final boolean TAIL = false;

    private final ServerContext server;

    public ListCommands(ServerContext server) {
        this.server = server;
    }

    /** Binds the list commands' handlers in {@code table}. */
    public void bind(CommandTable table) {
        table.bind("blmove", this::blmove);
        table.bind("blmpop", this::blmpop);
        table.bind("blpop", this::blpop);
        table.bind("brpop", this::brpop);
        table.bind("brpoplpush", this::brpoplpush);
        table.bind("lindex", this::lindex);
        table.bind("linsert", this::linsert);
        table.bind("llen", this::llen);
        table.bind("lmove", this::lmove);
        table.bind("lmpop", this::lmpop);
        table.bind("lpop", this::lpop);
        table.bind("lpos", this::lpos);
        table.bind("lpush", this::lpush);
        table.bind("lpushx", this::lpushx);
        table.bind("lrange", this::lrange);
        table.bind("lrem", this::lrem);
        table.bind("lset", this::lset);
        table.bind("ltrim", this::ltrim);
        table.bind("rpop", this::rpop);
        table.bind("rpoplpush", this::rpoplpush);
        table.bind("rpush", this::rpush);
        table.bind("rpushx", this::rpushx);
    }

    private int fill() {
        return (int) server.config().listMaxListpackSize.value();
    }

    private int compressDepth() {
        return (int) Math.min(server.config().listCompressDepth.value(), Integer.MAX_VALUE);
    }

    /**
     * {@code value} (a key's value, null when absent) as a list; null after replying
     * {@code ifMissing} when it is absent, or WRONGTYPE when it is of another type (Redis's
     * lookupKey...OrReply followed by checkType).
     */
    private static ListValue listOrReply(Object value, ReplyWriter reply, Consumer<ReplyWriter> ifMissing) {
        if (value == null) {
            ifMissing.accept(reply);
            return null;
        }
        if (value instanceof ListValue list) {
            return list;
        }
        reply.error(Errors.WRONGTYPE);
        return null;
    }

    // ---- pushes

    /** LPUSH key element [element ...] */
    void lpush(Client client, byte[][] argv) {
        pushGeneric(client, argv, HEAD, false);
    }

    /** RPUSH key element [element ...] */
    void rpush(Client client, byte[][] argv) {
        pushGeneric(client, argv, TAIL, false);
    }

    /** LPUSHX key element [element ...] */
    void lpushx(Client client, byte[][] argv) {
        pushGeneric(client, argv, HEAD, true);
    }

    /** RPUSHX key element [element ...] */
    void rpushx(Client client, byte[][] argv) {
        pushGeneric(client, argv, TAIL, true);
    }

    /** Pushes argv[2..] at one end; {@code onlyExisting} for the X forms, which never create the key. */
    private void pushGeneric(Client client, byte[][] argv, boolean head, boolean onlyExisting) {
        Database db = client.db();
        Object value = db.getForWrite(argv[1]);
        if (value != null && !(value instanceof ListValue)) {
            client.reply().error(Errors.WRONGTYPE);
            return;
        }
        if (value == null && onlyExisting) {
            client.reply().integer(0);
            return;
        }
        ListValue list = value == null ? new PackedList() : (ListValue) value;
        long addedBytes = 0;
        for (int i = 2; i < argv.length; i++) {
            addedBytes += argv[i].length;
        }
        ListValue stored = ListValue.beforeAdding(list, addedBytes, argv.length - 2, fill(), compressDepth());
        for (int i = 2; i < argv.length; i++) {
            stored.push(head, argv[i]);
        }
        store(db, argv[1], value, stored);
        db.changed(argv[1], KeyspaceEvents.LIST, head ? "lpush" : "rpush");
        client.reply().integer(stored.length());
    }

    /** Stores {@code list} at {@code key} when it is new ({@code before} null) or converted. */
    private static void store(Database db, byte[] key, Object before, ListValue list) {
        if (before == null) {
            db.set(key, list, 0);
        } else if (before != list) {
            db.replace(key, list);
        }
    }

    /**
     * Deletes the key of a list left empty (the "del" event), or stores the listpack a shrunk
     * quicklist becomes.
     */
    private void afterRemoving(Database db, byte[] key, ListValue list) {
        if (list.length() == 0) {
            db.delete(key);
            db.changed(key, KeyspaceEvents.GENERIC, "del");
            return;
        }
        ListValue shrunk = ListValue.afterRemoving(list, fill());
        if (shrunk != list) {
            db.replace(key, shrunk);
        }
    }

    // ---- pops

    /** LPOP key [count] */
    void lpop(Client client, byte[][] argv) {
        popGeneric(client, argv, HEAD);
    }

    /** RPOP key [count] */
    void rpop(Client client, byte[][] argv) {
        popGeneric(client, argv, TAIL);
    }

    /** Pops one element (a bulk reply), or up to argv[2] of them (an array), from one end. */
    private void popGeneric(Client client, byte[][] argv, boolean head) {
        ReplyWriter reply = client.reply();
        if (argv.length > 3) {
            reply.error(Errors.wrongArity(head ? "lpop" : "rpop"));
            return;
        }
        boolean hasCount = argv.length == 3;
        long count = 0;
        if (hasCount) {
            Long parsed = Arguments.integer(argv[2]);
            if (parsed == null || parsed < 0) {
                reply.error(Errors.MUST_BE_POSITIVE);
                return;
            }
            count = parsed;
        }
        ListValue list = listOrReply(client.db().getForWrite(argv[1]), reply,
                hasCount ? ReplyWriter::nullArray : ReplyWriter::nullBulk);
        if (list == null) {
            return;
        }
        if (hasCount && count == 0) {
            reply.array(0);
            return;
        }
        if (!hasCount) {
            reply.bulk(list.pop(head));
        } else {
            popRange(reply, list, head, count);
        }
        client.db().changed(argv[1], KeyspaceEvents.LIST, head ? "lpop" : "rpop");
        afterRemoving(client.db(), argv[1], list);
    }

    /** Pops up to {@code count} elements from one end, replying them as an array in pop order. */
    private static void popRange(ReplyWriter reply, ListValue list, boolean head, long count) {
        int n = (int) Math.min(count, list.length());
        reply.array(n);
        for (int i = 0; i < n; i++) {
            reply.bulk(list.pop(head));
        }
    }

    /** LMPOP numkeys key [key ...] LEFT | RIGHT [COUNT count] */
    void lmpop(Client client, byte[][] argv) {
        MpopArguments parsed = MpopArguments.parse(argv, 1, client.reply());
        if (parsed != null) {
            mpopAttempt(parsed, true, client.db(), client.reply());
        }
    }

    /**
     * Pops from the first non-empty list of {@code parsed.keys}, replying [key, [elements]];
     * returns false with no reply when all are empty, after replying the null array when
     * {@code replyEmpty}. WRONGTYPE at the first key of another type.
     */
    private boolean mpopAttempt(MpopArguments parsed, boolean replyEmpty, Database db, ReplyWriter reply) {
        if (popFirstAttempt(db, reply, parsed.keys, parsed.head, parsed.count)) {
            return true;
        }
        if (replyEmpty) {
            reply.nullArray();
        }
        return false;
    }

    /** The arguments of LMPOP and BLMPOP from numkeys on. */
    record MpopArguments(byte[][] keys, boolean head, long count) {
        /** Parses numkeys at {@code argv[at]} and what follows; null after replying an error. */
        static MpopArguments parse(byte[][] argv, int at, ReplyWriter reply) {
            Long numkeys = Arguments.integer(argv[at]);
            if (numkeys == null || numkeys < 1) {
                reply.error(Errors.NUMKEYS_POSITIVE);
                return null;
            }
            if (numkeys >= argv.length - at - 1) {
                reply.error(Errors.SYNTAX);
                return null;
            }
            int whereAt = at + numkeys.intValue() + 1;
            Boolean head = where(argv[whereAt], reply);
            if (head == null) {
                return null;
            }
            long count = -1;
            for (int j = whereAt + 1; j < argv.length; j++) {
                if (count == -1 && Arguments.is(argv[j], "count") && j + 1 < argv.length) {
                    Long c = Arguments.integer(argv[++j]);
                    if (c == null || c < 1) {
                        reply.error(Errors.COUNT_POSITIVE);
                        return null;
                    }
                    count = c;
                } else {
                    reply.error(Errors.SYNTAX);
                    return null;
                }
            }
            byte[][] keys = Arrays.copyOfRange(argv, at + 1, whereAt);
            return new MpopArguments(keys, head, count == -1 ? 1 : count);
        }
    }

    /** LEFT or RIGHT as head (true) or tail; null after replying a syntax error. */
    private static Boolean where(byte[] arg, ReplyWriter reply) {
        if (Arguments.is(arg, "left")) {
            return HEAD;
        }
        if (Arguments.is(arg, "right")) {
            return TAIL;
        }
        reply.error(Errors.SYNTAX);
        return null;
    }

    // ---- reading

    /** LLEN key */
    void llen(Client client, byte[][] argv) {
        ListValue list = listOrReply(client.db().get(argv[1]), client.reply(), r -> r.integer(0));
        if (list != null) {
            client.reply().integer(list.length());
        }
    }

    /** LINDEX key index */
    void lindex(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        ListValue list = listOrReply(client.db().get(argv[1]), reply, ReplyWriter::nullBulk);
        if (list == null) {
            return;
        }
        Long index = Arguments.integer(argv[2]);
        if (index == null) {
            reply.error(Errors.NOT_INTEGER);
            return;
        }
        byte[] element = list.index(index);
        if (element == null) {
            reply.nullBulk();
        } else {
            reply.bulk(element);
        }
    }

    /** LRANGE key start stop */
    void lrange(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        long[] indexes = indexes(argv, reply);
        if (indexes == null) {
            return;
        }
        ListValue list = listOrReply(client.db().get(argv[1]), reply, r -> r.array(0));
        if (list == null) {
            return;
        }
        long[] range = clamp(indexes, list.length());
        if (range == null) {
            reply.array(0);
            return;
        }
        int n = (int) (range[1] - range[0] + 1);
        reply.array(n);
        ListCursor cursor = list.cursor(range[0], true);
        for (int i = 0; i < n; i++) {
            if (cursor.isInteger()) {
                reply.bulk(cursor.bytes());
            } else {
                reply.bulk(cursor.stringArray(), cursor.stringOffset(), cursor.stringLength());
            }
            cursor.advance();
        }
    }

    /** Parses argv[2] and argv[3] as start and stop indexes; null after replying an error. */
    private static long[] indexes(byte[][] argv, ReplyWriter reply) {
        Long start = Arguments.integer(argv[2]);
        Long stop = Arguments.integer(argv[3]);
        if (start == null || stop == null) {
            reply.error(Errors.NOT_INTEGER);
            return null;
        }
        return new long[] {start, stop};
    }

    /** The indexes [start, stop] (negative from the tail) within a list of {@code length}; null when empty. */
    private static long[] clamp(long[] indexes, long length) {
        long from = indexes[0] < 0 ? Math.max(0, length + indexes[0]) : indexes[0];
        long to = indexes[1] < 0 ? length + indexes[1] : Math.min(indexes[1], length - 1);
        return from > to || from >= length ? null : new long[] {from, to};
    }

    /** LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len] */
    void lpos(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        long rank = 1;
        long count = -1;
        long maxlen = 0;
        for (int j = 3; j < argv.length; j++) {
            boolean more = j + 1 < argv.length;
            if (Arguments.is(argv[j], "rank") && more) {
                Long r = Arguments.integer(argv[++j]);
                if (r == null) {
                    reply.error(Errors.NOT_INTEGER);
                    return;
                }
                if (r == Long.MIN_VALUE) {
                    reply.error(Errors.LONG_RANGE);
                    return;
                }
                if (r == 0) {
                    reply.error(Errors.RANK_ZERO);
                    return;
                }
                rank = r;
            } else if (Arguments.is(argv[j], "count") && more) {
                Long c = Arguments.integer(argv[++j]);
                if (c == null || c < 0) {
                    reply.error(Errors.LPOS_COUNT_NEGATIVE);
                    return;
                }
                count = c;
            } else if (Arguments.is(argv[j], "maxlen") && more) {
                Long m = Arguments.integer(argv[++j]);
                if (m == null || m < 0) {
                    reply.error(Errors.MAXLEN_NEGATIVE);
                    return;
                }
                maxlen = m;
            } else {
                reply.error(Errors.SYNTAX);
                return;
            }
        }
        boolean forward = rank > 0;
        rank = Math.abs(rank);
        Object value = client.db().get(argv[1]);
        if (value == null) {
            if (count != -1) {
                reply.array(0);
            } else {
                reply.nullBulk();
            }
            return;
        }
        if (!(value instanceof ListValue list)) {
            reply.error(Errors.WRONGTYPE);
            return;
        }
        long length = list.length();
        long[] found = new long[count > 0 ? (int) Math.min(count, 64) : 8];
        int foundCount = 0;
        long matches = 0;
        ListCursor cursor = list.cursor(forward ? 0 : -1, forward);
        for (long index = 0; cursor.valid() && (maxlen == 0 || index < maxlen); index++, cursor.advance()) {
            if (!cursor.matches(argv[2])) {
                continue;
            }
            matches++;
            if (matches < rank) {
                continue;
            }
            if (foundCount == found.length) {
                found = Arrays.copyOf(found, found.length * 2);
            }
            found[foundCount++] = forward ? index : length - index - 1;
            if (count == -1 || (count > 0 && foundCount >= count)) {
                break;
            }
        }
        if (count != -1) {
            reply.array(foundCount);
            for (int i = 0; i < foundCount; i++) {
                reply.integer(found[i]);
            }
        } else if (foundCount > 0) {
            reply.integer(found[0]);
        } else {
            reply.nullBulk();
        }
    }

    // ---- changing in the middle

    /** LSET key index element */
    void lset(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        Database db = client.db();
        ListValue list = listOrReply(db.getForWrite(argv[1]), reply, r -> r.error(Errors.NO_SUCH_KEY));
        if (list == null) {
            return;
        }
        Long index = Arguments.integer(argv[2]);
        if (index == null) {
            reply.error(Errors.NOT_INTEGER);
            return;
        }
        ListValue grown = ListValue.beforeAdding(list, argv[3].length, 1, fill(), compressDepth());
        store(db, argv[1], list, grown);
        if (!grown.set(index, argv[3])) {
            reply.error(Errors.INDEX_OUT_OF_RANGE);
            return;
        }
        reply.ok();
        db.changed(argv[1], KeyspaceEvents.LIST, "lset");
        afterRemoving(db, argv[1], grown);
    }

    /** LINSERT key BEFORE | AFTER pivot element */
    void linsert(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        boolean after;
        if (Arguments.is(argv[2], "after")) {
            after = true;
        } else if (Arguments.is(argv[2], "before")) {
            after = false;
        } else {
            reply.error(Errors.SYNTAX);
            return;
        }
        Database db = client.db();
        ListValue list = listOrReply(db.getForWrite(argv[1]), reply, r -> r.integer(0));
        if (list == null) {
            return;
        }
        ListValue grown = ListValue.beforeAdding(list, argv[4].length, 1, fill(), compressDepth());
        store(db, argv[1], list, grown);
        if (grown.insert(argv[3], argv[4], after)) {
            db.changed(argv[1], KeyspaceEvents.LIST, "linsert");
            reply.integer(grown.length());
        } else {
            reply.integer(-1);
        }
    }

    /** LREM key count element */
    void lrem(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        Long count = Arguments.integer(argv[2]);
        if (count == null) {
            reply.error(Errors.NOT_INTEGER);
            return;
        }
        ListValue list = listOrReply(client.db().getForWrite(argv[1]), reply, r -> r.integer(0));
        if (list == null) {
            return;
        }
        long removed = list.remove(argv[3], count);
        if (removed > 0) {
            client.db().changed(argv[1], KeyspaceEvents.LIST, "lrem");
            afterRemoving(client.db(), argv[1], list);
        }
        reply.integer(removed);
    }

    /** LTRIM key start stop */
    void ltrim(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        long[] indexes = indexes(argv, reply);
        if (indexes == null) {
            return;
        }
        ListValue list = listOrReply(client.db().getForWrite(argv[1]), reply, ReplyWriter::ok);
        if (list == null) {
            return;
        }
        long length = list.length();
        long[] range = clamp(indexes, length);
        if (range == null) {
            list.trim(length, 0);
        } else {
            list.trim(range[0], length - range[1] - 1);
        }
        client.db().changed(argv[1], KeyspaceEvents.LIST, "ltrim");
        afterRemoving(client.db(), argv[1], list);
        reply.ok();
    }

    // ---- moves

    /**
     * The bytes a moved element counts for in the destination's conversion check: Redis pops an
     * integer entry as an integer object, which the check does not count, and a string as its length.
     */
    private static long movedBytes(byte[] element) {
        return Arguments.integer(element) != null ? 0 : element.length;
    }

    /** LMOVE source destination LEFT | RIGHT LEFT | RIGHT */
    void lmove(Client client, byte[][] argv) {
        Boolean from = where(argv[3], client.reply());
        if (from == null) {
            return;
        }
        Boolean to = where(argv[4], client.reply());
        if (to != null) {
            moveAttempt(client.db(), client.reply(), argv[1], argv[2], from, to, true);
        }
    }

    /** RPOPLPUSH source destination */
    void rpoplpush(Client client, byte[][] argv) {
        moveAttempt(client.db(), client.reply(), argv[1], argv[2], TAIL, HEAD, true);
    }

    /**
     * Moves one element from an end of {@code source} to an end of {@code destination}, replying
     * it; returns false with no reply when the source is absent, after replying null when
     * {@code replyEmpty}. WRONGTYPE for either key, the source checked first.
     */
    private boolean moveAttempt(Database db, ReplyWriter reply, byte[] source, byte[] destination,
                                boolean fromHead, boolean toHead, boolean replyEmpty) {
        Object sourceValue = db.getForWrite(source);
        if (sourceValue == null) {
            if (replyEmpty) {
                reply.nullBulk();
            }
            return false;
        }
        if (!(sourceValue instanceof ListValue sourceList)) {
            reply.error(Errors.WRONGTYPE);
            return true;
        }
        Object destinationValue = db.getForWrite(destination);
        if (destinationValue != null && !(destinationValue instanceof ListValue)) {
            reply.error(Errors.WRONGTYPE);
            return true;
        }
        byte[] element = sourceList.pop(fromHead);
        if (destinationValue == sourceValue) {
            // Rotation: the element goes back into the same list, which is never empty then.
            ListValue grown = ListValue.beforeAdding(sourceList, movedBytes(element), 1, fill(), compressDepth());
            grown.push(toHead, element);
            store(db, source, sourceValue, grown);
            reply.bulk(element);
            db.changed(source, KeyspaceEvents.LIST, toHead ? "lpush" : "rpush");
            db.changed(source, KeyspaceEvents.LIST, fromHead ? "lpop" : "rpop");
            afterRemoving(db, source, grown);
            return true;
        }
        ListValue target = destinationValue == null ? new PackedList() : (ListValue) destinationValue;
        ListValue grown = ListValue.beforeAdding(target, movedBytes(element), 1, fill(), compressDepth());
        grown.push(toHead, element);
        store(db, destination, destinationValue, grown);
        db.changed(destination, KeyspaceEvents.LIST, toHead ? "lpush" : "rpush");
        db.changed(source, KeyspaceEvents.LIST, fromHead ? "lpop" : "rpop");
        afterRemoving(db, source, sourceList);
        reply.bulk(element);
        return true;
    }

    // ---- blocking forms

    /** BLPOP key [key ...] timeout */
    void blpop(Client client, byte[][] argv) {
        blockingPopGeneric(client, argv, HEAD);
    }

    /** BRPOP key [key ...] timeout */
    void brpop(Client client, byte[][] argv) {
        blockingPopGeneric(client, argv, TAIL);
    }

    /** Pops from the first non-empty list of argv[1..n-1], or blocks until one gets elements. */
    private void blockingPopGeneric(Client client, byte[][] argv, boolean head) {
        long timeout = Blocking.timeoutMillis(argv[argv.length - 1], client.reply(), server.clock().millis());
        if (timeout < 0) {
            return;
        }
        byte[][] keys = Arrays.copyOfRange(argv, 1, argv.length - 1);
        Blocking.Attempt attempt = (db, reply) -> popFirstAttempt(db, reply, keys, head, -1);
        if (!attempt.serve(client.db(), client.reply())) {
            server.blocking().block(client, keys, keys, ValueType.LIST, timeout, attempt, ReplyWriter::nullArray);
        }
    }

    /**
     * Pops from the first non-empty list of {@code keys}, replying [key, element] when
     * {@code count} is -1 (BLPOP), else [key, [up to count elements]] (LMPOP); false with no reply
     * when all are empty. WRONGTYPE at the first key of another type.
     */
    private boolean popFirstAttempt(Database db, ReplyWriter reply, byte[][] keys, boolean head, long count) {
        for (byte[] key : keys) {
            Object value = db.getForWrite(key);
            if (value == null) {
                continue;
            }
            if (!(value instanceof ListValue list)) {
                reply.error(Errors.WRONGTYPE);
                return true;
            }
            reply.array(2);
            reply.bulk(key);
            byte[] pop = Effects.bytes(head ? "LPOP" : "RPOP");
            if (count == -1) {
                reply.bulk(list.pop(head));
                server.keyspace().effects().rewrite(pop, key); // BLPOP travels as LPOP
            } else {
                long popped = Math.min(count, list.length());
                popRange(reply, list, head, count);
                server.keyspace().effects().rewrite(pop, key, Effects.bytes(popped)); // LMPOP as LPOP key count
            }
            db.changed(key, KeyspaceEvents.LIST, head ? "lpop" : "rpop");
            afterRemoving(db, key, list);
            return true;
        }
        return false;
    }

    /** BLMPOP timeout numkeys key [key ...] LEFT | RIGHT [COUNT count] */
    void blmpop(Client client, byte[][] argv) {
        long timeout = Blocking.timeoutMillis(argv[1], client.reply(), server.clock().millis());
        if (timeout < 0) {
            return;
        }
        MpopArguments parsed = MpopArguments.parse(argv, 2, client.reply());
        if (parsed == null) {
            return;
        }
        Blocking.Attempt attempt = (db, reply) -> mpopAttempt(parsed, false, db, reply);
        if (!attempt.serve(client.db(), client.reply())) {
            server.blocking().block(client, parsed.keys(), parsed.keys(), ValueType.LIST, timeout, attempt,
                    ReplyWriter::nullArray);
        }
    }

    /** BLMOVE source destination LEFT | RIGHT LEFT | RIGHT timeout */
    void blmove(Client client, byte[][] argv) {
        Boolean from = where(argv[3], client.reply());
        if (from == null) {
            return;
        }
        Boolean to = where(argv[4], client.reply());
        if (to != null) {
            blockingMoveGeneric(client, argv[1], argv[2], from, to, argv[5],
                    new byte[][] {Effects.bytes("LMOVE"), argv[1], argv[2], argv[3], argv[4]});
        }
    }

    /** BRPOPLPUSH source destination timeout */
    void brpoplpush(Client client, byte[][] argv) {
        blockingMoveGeneric(client, argv[1], argv[2], TAIL, HEAD, argv[3],
                new byte[][] {Effects.bytes("RPOPLPUSH"), argv[1], argv[2]});
    }

    /**
     * Moves an element as LMOVE does, or blocks until {@code source} gets one; propagated as
     * {@code propagated} (LMOVE or RPOPLPUSH).
     */
    private void blockingMoveGeneric(Client client, byte[] source, byte[] destination, boolean fromHead, boolean toHead,
                                     byte[] timeoutArgument, byte[][] propagated) {
        long timeout = Blocking.timeoutMillis(timeoutArgument, client.reply(), server.clock().millis());
        if (timeout < 0) {
            return;
        }
        Blocking.Attempt attempt = (db, reply) -> {
            boolean done = moveAttempt(db, reply, source, destination, fromHead, toHead, false);
            server.keyspace().effects().rewrite(propagated); // propagated only if it moved something
            return done;
        };
        if (!attempt.serve(client.db(), client.reply())) {
            server.blocking().block(client, new byte[][] {source}, new byte[][] {source, destination}, ValueType.LIST,
                    timeout, attempt, ReplyWriter::nullArray);
        }
    }
}
