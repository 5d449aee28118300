package io.spinel.command.zset;

import io.spinel.command.Arguments;
import io.spinel.command.Blocking;
import io.spinel.command.Client;
import io.spinel.command.CommandTable;
import io.spinel.command.Errors;
import io.spinel.command.ScanOptions;
import io.spinel.command.ServerContext;
import io.spinel.config.KeyspaceEvents;
import io.spinel.resp.ReplyWriter;
import io.spinel.store.Database;
import io.spinel.store.Effects;
import io.spinel.types.LexRange;
import io.spinel.types.PackedSortedSet;
import io.spinel.types.Score;
import io.spinel.types.SetValue;
import io.spinel.types.SkiplistSortedSet;
import io.spinel.types.SortedSetValue;
import io.spinel.types.ValueType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The sorted set commands (Redis's t_zset.c): adding and scoring, ranks, ranges by rank, score
 * and lex, removal by range, pops (blocking too), random members, and the union, intersection
 * and difference operations.
 *
 * <h2>Encodings</h2>
 * A new set is a {@link PackedSortedSet} ("listpack") unless the command already knows it will
 * hold more than zset-max-listpack-entries members or a member longer than zset-max-listpack-value
 * bytes (Redis 7.2's zsetTypeCreate hints: ZADD's pair count and first member, a store
 * command's result size; and ZADD of more pairs than the limit converts an existing listpack
 * first, as 7.2's zsetTypeMaybeConvert does); it becomes a {@link SkiplistSortedSet} the moment an add crosses either
 * limit, and never converts back, except that every stored result (ZRANGESTORE, Z*STORE) is
 * built in the encoding its final size and longest member call for.
 *
 * <h2>Ranges</h2>
 * Every range is turned into ranks: a score bound is "how many members score below it", a lex
 * bound is the first (or last) member in range found as Redis finds it (a walk in a listpack, a
 * descent in the skiplist, assuming one shared score); from the start rank a walk emits members
 * while they stay in range and LIMIT allows, exactly as Redis's loops do (a negative offset
 * therefore skips everything, a negative count means no limit).
 *
 * <h2>Order of checks</h2>
 * As in Redis: options, then ranges and numbers, then the key's type; the differential tests pin
 * down which error wins when several apply.
 */
public final class SortedSetCommands {
    private static final int NX = 1;
    private static final int XX = 1 << 1;
    private static final int GT = 1 << 2;
    private static final int LT = 1 << 3;
    private static final int INCR = 1 << 4;
    private static final int CH = 1 << 5;

    private final ServerContext server;

    public SortedSetCommands(ServerContext server) {
        this.server = server;
    }

    /** Binds the sorted set commands' handlers in {@code table}. */
    public void bind(CommandTable table) {
        table.bind("zadd", this::zadd);
        table.bind("zincrby", this::zincrby);
        table.bind("zrem", this::zrem);
        table.bind("zcard", this::zcard);
        table.bind("zscore", this::zscore);
        table.bind("zmscore", this::zmscore);
        table.bind("zrank", this::zrank);
        table.bind("zrevrank", this::zrevrank);
        table.bind("zcount", this::zcount);
        table.bind("zlexcount", this::zlexcount);
        table.bind("zrange", this::zrange);
        table.bind("zrangestore", this::zrangestore);
        table.bind("zrangebyscore", this::zrangebyscore);
        table.bind("zrevrangebyscore", this::zrevrangebyscore);
        table.bind("zrangebylex", this::zrangebylex);
        table.bind("zrevrangebylex", this::zrevrangebylex);
        table.bind("zrevrange", this::zrevrange);
        table.bind("zremrangebyrank", this::zremrangebyrank);
        table.bind("zremrangebyscore", this::zremrangebyscore);
        table.bind("zremrangebylex", this::zremrangebylex);
        table.bind("zpopmin", this::zpopmin);
        table.bind("zpopmax", this::zpopmax);
        table.bind("zmpop", this::zmpop);
        table.bind("bzpopmin", this::bzpopmin);
        table.bind("bzpopmax", this::bzpopmax);
        table.bind("bzmpop", this::bzmpop);
        table.bind("zrandmember", this::zrandmember);
        table.bind("zunion", this::zunion);
        table.bind("zinter", this::zinter);
        table.bind("zdiff", this::zdiff);
        table.bind("zunionstore", this::zunionstore);
        table.bind("zinterstore", this::zinterstore);
        table.bind("zdiffstore", this::zdiffstore);
        table.bind("zintercard", this::zintercard);
        table.bind("zscan", this::zscan);
    }

    // ---- lookups and encodings

    /**
     * The sorted set at {@code key} for reading: null when missing, and also null after replying
     * WRONGTYPE (then {@code wrongType[0]} is set), so callers tell the two apart.
     */
    public static SortedSetValue read(Client client, byte[] key, boolean[] wrongType) {
        Object value = client.db().get(key);
        if (value == null || value instanceof SortedSetValue) {
            return (SortedSetValue) value;
        }
        client.reply().error(Errors.WRONGTYPE);
        wrongType[0] = true;
        return null;
    }

    /** The sorted set at {@code key} for writing, or null when missing; the same WRONGTYPE contract as {@link #read}. */
    private static SortedSetValue write(Client client, byte[] key, boolean[] wrongType) {
        Object value = client.db().getForWrite(key);
        if (value == null || value instanceof SortedSetValue) {
            return (SortedSetValue) value;
        }
        client.reply().error(Errors.WRONGTYPE);
        wrongType[0] = true;
        return null;
    }

    private int maxEntries() {
        return (int) Math.min(Integer.MAX_VALUE, server.config().zsetMaxListpackEntries.value());
    }

    private long maxValue() {
        return server.config().zsetMaxListpackValue.value();
    }

    /** An empty set in the encoding Redis 7.2's zsetTypeCreate picks for these hints. */
    private SortedSetValue create(long sizeHint, long memberLengthHint) {
        if (sizeHint <= maxEntries() && memberLengthHint <= maxValue()) {
            return new PackedSortedSet();
        }
        return new SkiplistSortedSet();
    }

    /**
     * Adds {@code member} (absent) to the set stored at {@code key}, converting a listpack that
     * would exceed its limits first; returns the set now stored (a new object after a conversion).
     */
    private SortedSetValue insert(Database db, byte[] key, SortedSetValue set, byte[] member, double score) {
        if (set instanceof PackedSortedSet && (set.size() + 1L > maxEntries() || member.length > maxValue())) {
            SortedSetValue converted = convert(set);
            // A set a command is still building is not stored yet: the command stores the result.
            db.replace(key, converted);
            set = converted;
        }
        set.insert(member, score);
        return set;
    }

    private static SkiplistSortedSet convert(SortedSetValue set) {
        SkiplistSortedSet converted = new SkiplistSortedSet();
        set.forEach(0, false, (member, score) -> {
            converted.insert(member, score);
            return true;
        });
        return converted;
    }

    /**
     * Stores {@code result} at {@code key} (the keyspace event {@code event}), or deletes the key
     * when the result is empty ("del" if it existed), and replies the size.
     */
    private void store(Client client, byte[] key, Entries result, String event) {
        Database db = client.db();
        if (result.size == 0) {
            if (db.delete(key)) {
                db.changed(key, KeyspaceEvents.GENERIC, "del");
            }
            client.reply().integer(0);
            return;
        }
        int longest = 0;
        for (int i = 0; i < result.size; i++) {
            longest = Math.max(longest, result.members[i].length);
        }
        SortedSetValue set = create(result.size, longest);
        for (int i = 0; i < result.size; i++) {
            set.insert(result.members[i], result.scores[i]);
        }
        if (set instanceof PackedSortedSet packed) {
            packed.trim();
        }
        db.set(key, set, 0);
        db.changed(key, KeyspaceEvents.ZSET, event);
        client.reply().integer(result.size);
    }

    /**
     * Stores the first {@code size} members with their scores (distinct members) as a new set at
     * {@code key}, in the encoding its size and longest member call for, deleting the key when
     * empty, and replies the size: what the store commands of other families (GEOSEARCHSTORE) do.
     * {@code event} is the keyspace event of a store ("geosearchstore").
     */
    public void store(Client client, byte[] key, byte[][] members, double[] scores, int size, String event) {
        Entries result = new Entries();
        for (int i = 0; i < size; i++) {
            result.add(members[i], scores[i]);
        }
        store(client, key, result, event);
    }

    /**
     * Reports members removed from the set at {@code key} by {@code event}, then deletes the key
     * when its set became empty ("del").
     */
    private static void removed(Database db, byte[] key, SortedSetValue set, String event) {
        db.changed(key, KeyspaceEvents.ZSET, event);
        if (set.size() == 0) {
            db.delete(key);
            db.changed(key, KeyspaceEvents.GENERIC, "del");
        }
    }

    // ---- replies

    /** Entries collected for a reply or a store: members with scores, in emission order. */
    private static final class Entries {
        byte[][] members = new byte[8][];
        double[] scores = new double[8];
        int size;

        void add(byte[] member, double score) {
            if (size == members.length) {
                members = Arrays.copyOf(members, size * 2);
                scores = Arrays.copyOf(scores, size * 2);
            }
            members[size] = member;
            scores[size++] = score;
        }

    }

    /**
     * Writes members, with their scores when asked: RESP2 a flat array, RESP3 an array of
     * [member, double] pairs (as Redis 7 does for WITHSCORES).
     */
    private static void replyEntries(ReplyWriter reply, Entries entries, boolean withScores) {
        if (!withScores) {
            reply.array(entries.size);
            for (int i = 0; i < entries.size; i++) {
                reply.bulk(entries.members[i]);
            }
            return;
        }
        boolean pairs = reply.resp3();
        reply.array(pairs ? entries.size : entries.size * 2);
        for (int i = 0; i < entries.size; i++) {
            if (pairs) {
                reply.array(2);
            }
            reply.bulk(entries.members[i]);
            reply.doubleReply(Score.format(entries.scores[i]));
        }
    }

    // ---- ZADD, ZINCRBY, ZREM

    /** ZADD key [NX | XX] [GT | LT] [CH] [INCR] score member [score member ...] */
    public void zadd(Client client, byte[][] argv) {
        int flags = 0;
        int i = 2;
        for (; i < argv.length; i++) {
            byte[] a = argv[i];
            if (Arguments.is(a, "nx")) {
                flags |= NX;
            } else if (Arguments.is(a, "xx")) {
                flags |= XX;
            } else if (Arguments.is(a, "ch")) {
                flags |= CH;
            } else if (Arguments.is(a, "incr")) {
                flags |= INCR;
            } else if (Arguments.is(a, "gt")) {
                flags |= GT;
            } else if (Arguments.is(a, "lt")) {
                flags |= LT;
            } else {
                break;
            }
        }
        addGeneric(client, argv, flags, i);
    }

    /** ZINCRBY key increment member */
    void zincrby(Client client, byte[][] argv) {
        addGeneric(client, argv, INCR, 2);
    }

    /** ZADD and ZINCRBY: {@code first} is the index of the first score. */
    private void addGeneric(Client client, byte[][] argv, int flags, int first) {
        ReplyWriter reply = client.reply();
        int elements = argv.length - first;
        if (elements % 2 != 0 || elements == 0) {
            reply.error(Errors.SYNTAX);
            return;
        }
        elements /= 2;
        if ((flags & NX) != 0 && (flags & XX) != 0) {
            reply.error(Errors.ZADD_NX_XX);
            return;
        }
        if (((flags & NX) != 0 && (flags & (GT | LT)) != 0) || (flags & (GT | LT)) == (GT | LT)) {
            reply.error(Errors.ZADD_GT_LT_NX);
            return;
        }
        boolean incr = (flags & INCR) != 0;
        if (incr && elements > 1) {
            reply.error(Errors.ZADD_INCR_PAIR);
            return;
        }
        double[] scores = new double[elements];
        for (int j = 0; j < elements; j++) {
            scores[j] = Score.parse(argv[first + 2 * j]);
            if (Double.isNaN(scores[j])) {
                reply.error(Errors.NOT_FLOAT);
                return;
            }
        }
        Database db = client.db();
        byte[] key = argv[1];
        boolean[] wrongType = {false};
        SortedSetValue set = write(client, key, wrongType);
        if (wrongType[0]) {
            return;
        }
        boolean created = set == null;
        if (set == null) {
            if ((flags & XX) != 0) {
                if (incr) {
                    reply.nullBulk();
                } else {
                    reply.integer(0);
                }
                return;
            }
            // Redis 7.2 sizes a new set by the pair count and the first member's length.
            set = create(elements, argv[first + 1].length);
        } else if (set instanceof PackedSortedSet && elements > maxEntries()) {
            set = convert(set);
            db.replace(key, set);
        }
        long added = 0;
        long updated = 0;
        long processed = 0;
        double result = 0;
        for (int j = 0; j < elements; j++) {
            byte[] member = argv[first + 2 * j + 1];
            double score = scores[j];
            double current = set.score(member);
            if (Double.isNaN(current)) {
                if ((flags & XX) != 0) {
                    continue;
                }
                set = insert(db, key, set, member, score);
                added++;
                processed++;
                result = score;
                continue;
            }
            if ((flags & NX) != 0) {
                continue;
            }
            if (incr) {
                score += current;
                if (Double.isNaN(score)) {
                    reply.error(Errors.SCORE_NAN);
                    return;
                }
            }
            if (((flags & LT) != 0 && score >= current) || ((flags & GT) != 0 && score <= current)) {
                continue;
            }
            processed++;
            result = score;
            if (score != current) {
                set.update(member, score);
                updated++;
            }
        }
        if (created && set.size() > 0) {
            db.set(key, set, 0);
        }
        if (added + updated > 0) {
            db.changed(key, KeyspaceEvents.ZSET, incr ? "zincr" : "zadd");
        }
        if (incr) {
            if (processed > 0) {
                reply.doubleReply(Score.format(result));
            } else {
                reply.nullBulk();
            }
        } else {
            reply.integer((flags & CH) != 0 ? added + updated : added);
        }
    }

    /** ZREM key member [member ...] */
    void zrem(Client client, byte[][] argv) {
        boolean[] wrongType = {false};
        SortedSetValue set = write(client, argv[1], wrongType);
        if (wrongType[0]) {
            return;
        }
        long removed = 0;
        if (set != null) {
            for (int i = 2; i < argv.length && set.size() > 0; i++) {
                if (set.remove(argv[i])) {
                    removed++;
                }
            }
            if (removed > 0) {
                removed(client.db(), argv[1], set, "zrem");
            }
        }
        client.reply().integer(removed);
    }

    // ---- single-member reads

    /** ZCARD key */
    void zcard(Client client, byte[][] argv) {
        boolean[] wrongType = {false};
        SortedSetValue set = read(client, argv[1], wrongType);
        if (!wrongType[0]) {
            client.reply().integer(set == null ? 0 : set.size());
        }
    }

    /** ZSCORE key member */
    void zscore(Client client, byte[][] argv) {
        boolean[] wrongType = {false};
        SortedSetValue set = read(client, argv[1], wrongType);
        if (wrongType[0]) {
            return;
        }
        double score = set == null ? Double.NaN : set.score(argv[2]);
        if (Double.isNaN(score)) {
            client.reply().nullBulk();
        } else {
            client.reply().doubleReply(Score.format(score));
        }
    }

    /** ZMSCORE key member [member ...] */
    void zmscore(Client client, byte[][] argv) {
        boolean[] wrongType = {false};
        SortedSetValue set = read(client, argv[1], wrongType);
        if (wrongType[0]) {
            return;
        }
        ReplyWriter reply = client.reply();
        reply.array(argv.length - 2);
        for (int i = 2; i < argv.length; i++) {
            double score = set == null ? Double.NaN : set.score(argv[i]);
            if (Double.isNaN(score)) {
                reply.nullBulk();
            } else {
                reply.doubleReply(Score.format(score));
            }
        }
    }

    /** ZRANK key member [WITHSCORE] */
    void zrank(Client client, byte[][] argv) {
        rankGeneric(client, argv, false);
    }

    /** ZREVRANK key member [WITHSCORE] */
    void zrevrank(Client client, byte[][] argv) {
        rankGeneric(client, argv, true);
    }

    private void rankGeneric(Client client, byte[][] argv, boolean reverse) {
        ReplyWriter reply = client.reply();
        if (argv.length > 4 || (argv.length == 4 && !Arguments.is(argv[3], "withscore"))) {
            reply.error(Errors.SYNTAX);
            return;
        }
        boolean withScore = argv.length == 4;
        boolean[] wrongType = {false};
        SortedSetValue set = read(client, argv[1], wrongType);
        if (wrongType[0]) {
            return;
        }
        long rank = set == null ? -1 : set.rank(argv[2]);
        if (rank < 0) {
            if (withScore) {
                reply.nullArray();
            } else {
                reply.nullBulk();
            }
            return;
        }
        if (reverse) {
            rank = set.size() - 1 - rank;
        }
        if (withScore) {
            reply.array(2);
            reply.integer(rank);
            reply.doubleReply(Score.format(set.score(argv[2])));
        } else {
            reply.integer(rank);
        }
    }

    // ---- range parsing

    /** A score range: bounds, each inclusive or exclusive. */
    private record ScoreRange(double min, boolean minExclusive, double max, boolean maxExclusive) {
        /** The range as zslParseRange reads it, or null when a bound is not a float. */
        static ScoreRange parse(byte[] min, byte[] max) {
            boolean minEx = min.length > 0 && min[0] == '(';
            boolean maxEx = max.length > 0 && max[0] == '(';
            double lo = Score.parseBound(min, minEx ? 1 : 0);
            double hi = Score.parseBound(max, maxEx ? 1 : 0);
            if (Double.isNaN(lo) || Double.isNaN(hi)) {
                return null;
            }
            return new ScoreRange(lo, minEx, hi, maxEx);
        }

        /** The rank of the first member not below the minimum. */
        long first(SortedSetValue set) {
            return set.countBelow(min, minExclusive);
        }

        /** The rank of the last member not above the maximum. */
        long last(SortedSetValue set) {
            return set.countBelow(max, !maxExclusive) - 1;
        }

        boolean aboveMin(double score) {
            return minExclusive ? score > min : score >= min;
        }

        boolean belowMax(double score) {
            return maxExclusive ? score < max : score <= max;
        }
    }

    private static LexRange parseLex(byte[] min, byte[] max) {
        LexRange.Bound lo = LexRange.bound(min);
        LexRange.Bound hi = LexRange.bound(max);
        if (lo == null || hi == null) {
            return null;
        }
        return new LexRange(lo.value(), lo.exclusive(), hi.value(), hi.exclusive());
    }

    // ---- ZCOUNT, ZLEXCOUNT

    /** ZCOUNT key min max */
    void zcount(Client client, byte[][] argv) {
        ScoreRange range = ScoreRange.parse(argv[2], argv[3]);
        if (range == null) {
            client.reply().error(Errors.MIN_MAX_NOT_FLOAT);
            return;
        }
        boolean[] wrongType = {false};
        SortedSetValue set = read(client, argv[1], wrongType);
        if (wrongType[0]) {
            return;
        }
        long count = set == null ? 0 : Math.max(0, range.last(set) - range.first(set) + 1);
        client.reply().integer(count);
    }

    /** ZLEXCOUNT key min max */
    void zlexcount(Client client, byte[][] argv) {
        LexRange range = parseLex(argv[2], argv[3]);
        if (range == null) {
            client.reply().error(Errors.MIN_MAX_NOT_LEX);
            return;
        }
        boolean[] wrongType = {false};
        SortedSetValue set = read(client, argv[1], wrongType);
        if (wrongType[0]) {
            return;
        }
        long count = 0;
        if (set instanceof PackedSortedSet) {
            Entries entries = new Entries();
            walkLex(set, range, false, 0, -1, entries);
            count = entries.size;
        } else if (set != null) {
            long first = set.firstInLex(range);
            if (first >= 0) {
                long last = set.lastInLex(range);
                count = last < 0 ? set.size() - first : last - first + 1;
            }
        }
        client.reply().integer(count);
    }

    // ---- ZRANGE family

    /** How a range names its members. */
    private enum By { RANK, SCORE, LEX }

    /** ZRANGE key start stop [BYSCORE | BYLEX] [REV] [LIMIT offset count] [WITHSCORES] */
    void zrange(Client client, byte[][] argv) {
        rangeGeneric(client, argv, 1, null, null, null);
    }

    /** ZRANGESTORE dst src min max [BYSCORE | BYLEX] [REV] [LIMIT offset count] */
    void zrangestore(Client client, byte[][] argv) {
        rangeGeneric(client, argv, 2, argv[1], null, null);
    }

    /** ZRANGEBYSCORE key min max [WITHSCORES] [LIMIT offset count] */
    void zrangebyscore(Client client, byte[][] argv) {
        rangeGeneric(client, argv, 1, null, By.SCORE, false);
    }

    /** ZREVRANGEBYSCORE key max min [WITHSCORES] [LIMIT offset count] */
    void zrevrangebyscore(Client client, byte[][] argv) {
        rangeGeneric(client, argv, 1, null, By.SCORE, true);
    }

    /** ZRANGEBYLEX key min max [LIMIT offset count] */
    void zrangebylex(Client client, byte[][] argv) {
        rangeGeneric(client, argv, 1, null, By.LEX, false);
    }

    /** ZREVRANGEBYLEX key max min [LIMIT offset count] */
    void zrevrangebylex(Client client, byte[][] argv) {
        rangeGeneric(client, argv, 1, null, By.LEX, true);
    }

    /** ZREVRANGE key start stop [WITHSCORES] */
    void zrevrange(Client client, byte[][] argv) {
        rangeGeneric(client, argv, 1, null, By.RANK, true);
    }

    /**
     * Redis's zrangeGenericCommand: {@code keyIndex} is the source key's index, {@code dst} the
     * destination of ZRANGESTORE (null otherwise); {@code by} and {@code reverse} are fixed by
     * the command, or null when its options choose them.
     */
    private void rangeGeneric(Client client, byte[][] argv, int keyIndex, byte[] dst, By by, Boolean reverse) {
        ReplyWriter reply = client.reply();
        boolean store = dst != null;
        boolean withScores = false;
        long offset = 0;
        long limit = -1;
        By chosenBy = by;
        Boolean chosenReverse = reverse;
        for (int j = keyIndex + 3; j < argv.length; j++) {
            int left = argv.length - j - 1;
            if (!store && Arguments.is(argv[j], "withscores")) {
                withScores = true;
            } else if (Arguments.is(argv[j], "limit") && left >= 2) {
                Long o = Arguments.integer(argv[j + 1]);
                Long l = o == null ? null : Arguments.integer(argv[j + 2]);
                if (o == null || l == null) {
                    reply.error(Errors.NOT_INTEGER);
                    return;
                }
                offset = o;
                limit = l;
                j += 2;
            } else if (reverse == null && Arguments.is(argv[j], "rev")) {
                chosenReverse = true;
            } else if (by == null && chosenBy == null && Arguments.is(argv[j], "bylex")) {
                chosenBy = By.LEX;
            } else if (by == null && chosenBy == null && Arguments.is(argv[j], "byscore")) {
                chosenBy = By.SCORE;
            } else {
                reply.error(Errors.SYNTAX);
                return;
            }
        }
        boolean rev = chosenReverse != null && chosenReverse;
        By kind = chosenBy == null ? By.RANK : chosenBy;
        if (limit != -1 && kind == By.RANK) {
            reply.error(Errors.LIMIT_NEEDS_BY);
            return;
        }
        if (withScores && kind == By.LEX) {
            reply.error(Errors.WITHSCORES_WITH_BYLEX);
            return;
        }
        byte[] minArg = argv[keyIndex + 1];
        byte[] maxArg = argv[keyIndex + 2];
        if (rev && kind != By.RANK) {
            byte[] swap = minArg;
            minArg = maxArg;
            maxArg = swap;
        }
        long start = 0;
        long end = 0;
        ScoreRange scores = null;
        LexRange lex = null;
        switch (kind) {
            case RANK -> {
                Long s = Arguments.integer(minArg);
                Long e = s == null ? null : Arguments.integer(maxArg);
                if (s == null || e == null) {
                    reply.error(Errors.NOT_INTEGER);
                    return;
                }
                start = s;
                end = e;
            }
            case SCORE -> {
                scores = ScoreRange.parse(minArg, maxArg);
                if (scores == null) {
                    reply.error(Errors.MIN_MAX_NOT_FLOAT);
                    return;
                }
            }
            case LEX -> {
                lex = parseLex(minArg, maxArg);
                if (lex == null) {
                    reply.error(Errors.MIN_MAX_NOT_LEX);
                    return;
                }
            }
        }
        boolean[] wrongType = {false};
        SortedSetValue set = read(client, argv[keyIndex], wrongType);
        if (wrongType[0]) {
            return;
        }
        Entries entries = new Entries();
        if (set != null) {
            switch (kind) {
                case RANK -> collectRanks(set, start, end, rev, entries);
                case SCORE -> walkScores(set, scores, rev, offset, limit, entries);
                case LEX -> walkLex(set, lex, rev, offset, limit, entries);
            }
        }
        if (store) {
            store(client, dst, entries, "zrangestore");
        } else {
            replyEntries(reply, entries, withScores);
        }
    }

    /** The ranks {@code start..end} (Redis's clamping of negative and large indexes). */
    private static void collectRanks(SortedSetValue set, long start, long end, boolean reverse, Entries out) {
        long length = set.size();
        if (start < 0) {
            start += length;
        }
        if (end < 0) {
            end += length;
        }
        if (start < 0) {
            start = 0;
        }
        if (start > end || start >= length) {
            return;
        }
        if (end >= length) {
            end = length - 1;
        }
        long count = end - start + 1;
        long[] left = {count};
        set.forEach(reverse ? length - 1 - start : start, reverse, (member, score) -> {
            out.add(member, score);
            return --left[0] > 0;
        });
    }

    /** Walks a score range from its first member (last when reversed), with LIMIT's offset and count. */
    private static void walkScores(SortedSetValue set, ScoreRange range, boolean reverse, long offset, long limit,
            Entries out) {
        if (offset < 0 || (offset > 0 && offset >= set.size())) {
            return;
        }
        long from = reverse ? range.last(set) - offset : range.first(set) + offset;
        long[] left = {limit};
        set.forEach(from, reverse, (member, score) -> {
            if (left[0] == 0 || !(reverse ? range.aboveMin(score) : range.belowMax(score))) {
                return false;
            }
            out.add(member, score);
            left[0]--;
            return true;
        });
    }

    /** Walks a lex range from its first member (last when reversed), with LIMIT's offset and count. */
    private static void walkLex(SortedSetValue set, LexRange range, boolean reverse, long offset, long limit,
            Entries out) {
        if (offset < 0) {
            return;
        }
        long edge = reverse ? set.lastInLex(range) : set.firstInLex(range);
        if (edge < 0) {
            return;
        }
        long from = reverse ? edge - offset : edge + offset;
        long[] left = {limit};
        set.forEach(from, reverse, (member, score) -> {
            if (left[0] == 0 || !(reverse ? range.aboveMin(member) : range.belowMax(member))) {
                return false;
            }
            out.add(member, score);
            left[0]--;
            return true;
        });
    }

    // ---- ZREMRANGEBY*

    /** ZREMRANGEBYRANK key start stop */
    void zremrangebyrank(Client client, byte[][] argv) {
        Long start = Arguments.integer(argv[2]);
        Long end = start == null ? null : Arguments.integer(argv[3]);
        if (start == null || end == null) {
            client.reply().error(Errors.NOT_INTEGER);
            return;
        }
        removeRangeGeneric(client, argv[1], "zremrangebyrank", set -> {
            long length = set.size();
            long s = start < 0 ? Math.max(0, start + length) : start;
            long e = end < 0 ? end + length : end;
            if (s > e || s >= length) {
                return null;
            }
            return new long[] {s, Math.min(e, length - 1)};
        });
    }

    /** ZREMRANGEBYSCORE key min max */
    void zremrangebyscore(Client client, byte[][] argv) {
        ScoreRange range = ScoreRange.parse(argv[2], argv[3]);
        if (range == null) {
            client.reply().error(Errors.MIN_MAX_NOT_FLOAT);
            return;
        }
        removeRangeGeneric(client, argv[1], "zremrangebyscore", set -> {
            long first = range.first(set);
            long last = range.last(set);
            return first > last ? null : new long[] {first, last};
        });
    }

    /** ZREMRANGEBYLEX key min max */
    void zremrangebylex(Client client, byte[][] argv) {
        LexRange range = parseLex(argv[2], argv[3]);
        if (range == null) {
            client.reply().error(Errors.MIN_MAX_NOT_LEX);
            return;
        }
        removeRangeGeneric(client, argv[1], "zremrangebylex", set -> {
            Entries entries = new Entries();
            walkLex(set, range, false, 0, -1, entries);
            if (entries.size == 0) {
                return null;
            }
            long first = set.firstInLex(range);
            return new long[] {first, first + entries.size - 1};
        });
    }

    /** Picks the ranks to remove from a set: {first, last}, or null for none. */
    @FunctionalInterface
    private interface RankPicker {
        long[] pick(SortedSetValue set);
    }

    private void removeRangeGeneric(Client client, byte[] key, String event, RankPicker picker) {
        boolean[] wrongType = {false};
        SortedSetValue set = write(client, key, wrongType);
        if (wrongType[0]) {
            return;
        }
        long[] ranks = set == null ? null : picker.pick(set);
        if (ranks == null) {
            client.reply().integer(0);
            return;
        }
        set.removeRange(ranks[0], ranks[1]);
        removed(client.db(), key, set, event);
        client.reply().integer(ranks[1] - ranks[0] + 1);
    }

    // ---- pops

    /** ZPOPMIN key [count] */
    void zpopmin(Client client, byte[][] argv) {
        popCommand(client, argv, false);
    }

    /** ZPOPMAX key [count] */
    void zpopmax(Client client, byte[][] argv) {
        popCommand(client, argv, true);
    }

    private void popCommand(Client client, byte[][] argv, boolean max) {
        if (argv.length > 3) {
            client.reply().error(Errors.SYNTAX);
            return;
        }
        long count = -1;
        if (argv.length == 3) {
            Long parsed = Arguments.integer(argv[2]);
            if (parsed == null || parsed < 0) {
                client.reply().error(Errors.MUST_BE_POSITIVE);
                return;
            }
            count = parsed;
        }
        boolean[] wrongType = {false};
        SortedSetValue set = write(client, argv[1], wrongType);
        if (wrongType[0]) {
            return;
        }
        if (set == null || count == 0) {
            client.reply().array(0);
            return;
        }
        popGeneric(client.db(), client.reply(), argv[1], set, max, count, PopReply.PLAIN);
    }

    /** How a pop's reply is shaped. */
    private enum PopReply {
        /** ZPOPMIN: member, score pairs (flat, or nested pairs in RESP3 when a count was given). */
        PLAIN,
        /** BZPOPMIN: key, member, score in one flat array. */
        KEYED,
        /** ZMPOP and BZMPOP: key, then an array of [member, score] pairs. */
        NESTED
    }

    /**
     * Pops up to {@code count} members (-1: one, with no count given) from the min or max end of
     * the set at {@code key}, deleting the key when it empties, and replies in the {@code shape}
     * of the command (Redis's genericZpopCommand).
     */
    private void popGeneric(Database db, ReplyWriter reply, byte[] key, SortedSetValue set, boolean max,
            long count, PopReply shape) {
        boolean nested = shape == PopReply.NESTED;
        boolean countGiven = count >= 0;
        long n = Math.min(countGiven ? count : 1, set.size());
        Entries popped = new Entries();
        long[] left = {n};
        set.forEach(max ? set.size() - 1 : 0, max, (member, score) -> {
            popped.add(member, score);
            return --left[0] > 0;
        });
        if (max) {
            set.removeRange(set.size() - n, set.size() - 1);
        } else {
            set.removeRange(0, n - 1);
        }
        removed(db, key, set, max ? "zpopmax" : "zpopmin");
        if (shape != PopReply.PLAIN && server.keyspace().effects().active()) { // BZPOP*, ZMPOP, BZMPOP travel as ZPOP*
            byte[] name = Effects.bytes(max ? "ZPOPMAX" : "ZPOPMIN");
            server.keyspace().effects().rewrite(nested ? new byte[][] {name, key, Effects.bytes(n)} : new byte[][] {name, key});
        }
        boolean flat = (!reply.resp3() && !nested) || !countGiven;
        if (nested) {
            reply.array(2);
            reply.bulk(key);
        }
        if (shape == PopReply.KEYED) {
            reply.array(popped.size * 2 + 1);
            reply.bulk(key);
        } else {
            reply.array(flat ? popped.size * 2 : popped.size);
        }
        for (int i = 0; i < popped.size; i++) {
            if (!flat) {
                reply.array(2);
            }
            reply.bulk(popped.members[i]);
            reply.doubleReply(Score.format(popped.scores[i]));
        }
    }

    /** ZMPOP numkeys key [key ...] MIN | MAX [COUNT count] */
    void zmpop(Client client, byte[][] argv) {
        mpopGeneric(client, argv, 1);
    }

    /** BZMPOP timeout numkeys key [key ...] MIN | MAX [COUNT count] */
    void bzmpop(Client client, byte[][] argv) {
        mpopGeneric(client, argv, 2);
    }

    /** BZPOPMIN key [key ...] timeout */
    void bzpopmin(Client client, byte[][] argv) {
        blockingPopGeneric(client, argv[argv.length - 1], Arrays.copyOfRange(argv, 1, argv.length - 1), false, -1,
                PopReply.KEYED);
    }

    /** BZPOPMAX key [key ...] timeout */
    void bzpopmax(Client client, byte[][] argv) {
        blockingPopGeneric(client, argv[argv.length - 1], Arrays.copyOfRange(argv, 1, argv.length - 1), true, -1,
                PopReply.KEYED);
    }

    /**
     * Redis's blockingGenericZpopCommand: pops from the first of {@code keys} holding a set (a
     * key of another type before it is an error), or blocks until one of them receives a sorted
     * set or the timeout passes (then a null array).
     */
    private void blockingPopGeneric(Client client, byte[] timeoutArg, byte[][] keys, boolean max, long count,
            PopReply shape) {
        ReplyWriter reply = client.reply();
        long timeout = Blocking.timeoutMillis(timeoutArg, reply, server.clock().millis());
        if (timeout < 0) {
            return;
        }
        Database db = client.db();
        for (byte[] key : keys) {
            Object value = db.getForWrite(key);
            if (value == null) {
                continue;
            }
            if (!(value instanceof SortedSetValue set)) {
                reply.error(Errors.WRONGTYPE);
                return;
            }
            popGeneric(db, reply, key, set, max, count, shape);
            return;
        }
        server.blocking().block(client, keys, keys, ValueType.ZSET, timeout, (readyDb, readyReply) -> {
            for (byte[] key : keys) {
                if (readyDb.getForWrite(key) instanceof SortedSetValue set) {
                    popGeneric(readyDb, readyReply, key, set, max, count, shape);
                    return true;
                }
            }
            return false;
        }, ReplyWriter::nullArray);
    }

    /** ZMPOP and BZMPOP: {@code numkeysIndex} is 1 or 2 (after BZMPOP's timeout). */
    private void mpopGeneric(Client client, byte[][] argv, int numkeysIndex) {
        ReplyWriter reply = client.reply();
        Long numkeys = Arguments.integer(argv[numkeysIndex]);
        if (numkeys == null || numkeys < 1) {
            reply.error(Errors.NUMKEYS_POSITIVE);
            return;
        }
        long whereIndex = numkeysIndex + 1 + numkeys;
        if (whereIndex >= argv.length) {
            reply.error(Errors.SYNTAX);
            return;
        }
        boolean max;
        if (Arguments.is(argv[(int) whereIndex], "min")) {
            max = false;
        } else if (Arguments.is(argv[(int) whereIndex], "max")) {
            max = true;
        } else {
            reply.error(Errors.SYNTAX);
            return;
        }
        long count = -1;
        for (int j = (int) whereIndex + 1; j < argv.length; j++) {
            boolean more = j + 1 < argv.length;
            if (count == -1 && more && Arguments.is(argv[j], "count")) {
                Long parsed = Arguments.integer(argv[++j]);
                if (parsed == null || parsed < 1) {
                    reply.error(Errors.COUNT_POSITIVE);
                    return;
                }
                count = parsed;
            } else {
                reply.error(Errors.SYNTAX);
                return;
            }
        }
        long finalCount = count == -1 ? 1 : count;
        if (numkeysIndex == 2) {
            blockingPopGeneric(client, argv[1], Arrays.copyOfRange(argv, 3, (int) whereIndex), max, finalCount,
                    PopReply.NESTED);
            return;
        }
        for (int i = 2; i < whereIndex; i++) {
            boolean[] wrongType = {false};
            SortedSetValue set = write(client, argv[i], wrongType);
            if (wrongType[0]) {
                return;
            }
            if (set != null) {
                popGeneric(client.db(), reply, argv[i], set, max, finalCount, PopReply.NESTED);
                return;
            }
        }
        reply.nullArray();
    }

    // ---- ZRANDMEMBER

    /** ZRANDMEMBER key [count [WITHSCORES]] */
    void zrandmember(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        if (argv.length == 2) {
            boolean[] wrongType = {false};
            SortedSetValue set = read(client, argv[1], wrongType);
            if (wrongType[0]) {
                return;
            }
            if (set == null) {
                reply.nullBulk();
                return;
            }
            long rank = ThreadLocalRandom.current().nextLong(set.size());
            set.forEach(rank, false, (member, score) -> {
                reply.bulk(member);
                return false;
            });
            return;
        }
        Long parsed = Arguments.integer(argv[2]);
        if (parsed == null) {
            reply.error(Errors.NOT_INTEGER);
            return;
        }
        if (parsed == Long.MIN_VALUE) {
            reply.error(Errors.LONG_RANGE);
            return;
        }
        if (argv.length > 4 || (argv.length == 4 && !Arguments.is(argv[3], "withscores"))) {
            reply.error(Errors.SYNTAX);
            return;
        }
        boolean withScores = argv.length == 4;
        long count = parsed;
        if (withScores && (count < -Long.MAX_VALUE / 2 || count > Long.MAX_VALUE / 2)) {
            reply.error(Errors.OUT_OF_RANGE);
            return;
        }
        boolean[] wrongType = {false};
        SortedSetValue set = read(client, argv[1], wrongType);
        if (wrongType[0]) {
            return;
        }
        Entries entries = new Entries();
        if (set != null && count != 0) {
            randomMembers(set, count, entries);
        }
        replyEntries(reply, entries, withScores);
    }

    /** {@code |count|} random members: distinct when count is positive, with repeats when negative. */
    private static void randomMembers(SortedSetValue set, long count, Entries out) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int size = set.size();
        if (count < 0) {
            for (long i = 0; i < -count; i++) {
                set.forEach(random.nextLong(size), false, (member, score) -> {
                    out.add(member, score);
                    return false;
                });
            }
            return;
        }
        if (count >= size) {
            set.forEach(0, false, (member, score) -> {
                out.add(member, score);
                return true;
            });
            return;
        }
        Set<Long> ranks = new HashSet<>();
        while (ranks.size() < count) {
            ranks.add(random.nextLong(size));
        }
        for (long rank : ranks) {
            set.forEach(rank, false, (member, score) -> {
                out.add(member, score);
                return false;
            });
        }
    }

    // ---- union, intersection, difference

    private enum SetOp { UNION, INTER, DIFF }

    private enum Aggregate { SUM, MIN, MAX }

    /** ZUNION numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM | MIN | MAX] [WITHSCORES] */
    void zunion(Client client, byte[][] argv) {
        setOpGeneric(client, argv, null, 1, SetOp.UNION, false);
    }

    /** ZINTER numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM | MIN | MAX] [WITHSCORES] */
    void zinter(Client client, byte[][] argv) {
        setOpGeneric(client, argv, null, 1, SetOp.INTER, false);
    }

    /** ZDIFF numkeys key [key ...] [WITHSCORES] */
    void zdiff(Client client, byte[][] argv) {
        setOpGeneric(client, argv, null, 1, SetOp.DIFF, false);
    }

    /** ZUNIONSTORE destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM | MIN | MAX] */
    void zunionstore(Client client, byte[][] argv) {
        setOpGeneric(client, argv, argv[1], 2, SetOp.UNION, false);
    }

    /** ZINTERSTORE destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM | MIN | MAX] */
    void zinterstore(Client client, byte[][] argv) {
        setOpGeneric(client, argv, argv[1], 2, SetOp.INTER, false);
    }

    /** ZDIFFSTORE destination numkeys key [key ...] */
    void zdiffstore(Client client, byte[][] argv) {
        setOpGeneric(client, argv, argv[1], 2, SetOp.DIFF, false);
    }

    /** ZINTERCARD numkeys key [key ...] [LIMIT limit] */
    void zintercard(Client client, byte[][] argv) {
        setOpGeneric(client, argv, null, 1, SetOp.INTER, true);
    }

    /** One input of a set operation: the set (null when the key is missing) and its weight. */
    private record Source(SortedSetValue set, double weight) {
        int size() {
            return set == null ? 0 : set.size();
        }
    }

    /** Redis's zunionInterDiffGenericCommand. */
    private void setOpGeneric(Client client, byte[][] argv, byte[] dst, int numkeysIndex, SetOp op,
            boolean cardinalityOnly) {
        ReplyWriter reply = client.reply();
        Long setnum = Arguments.integer(argv[numkeysIndex]);
        if (setnum == null) {
            reply.error(Errors.NOT_INTEGER);
            return;
        }
        if (setnum < 1) {
            reply.error(Errors.atLeastOneInputKey(Arguments.lower(argv[0])));
            return;
        }
        if (setnum > argv.length - (numkeysIndex + 1)) {
            reply.error(Errors.SYNTAX);
            return;
        }
        int n = (int) (long) setnum;
        SortedSetValue[] sets = new SortedSetValue[n];
        int j = numkeysIndex + 1;
        for (int i = 0; i < n; i++, j++) {
            Object value = client.db().get(argv[j]); // a read lookup even for the STORE forms (key-miss events), as in Redis
            if (value instanceof SetValue set) {
                sets[i] = scoredOnes(set);
                continue;
            }
            if (value != null && !(value instanceof SortedSetValue)) {
                reply.error(Errors.WRONGTYPE);
                return;
            }
            sets[i] = (SortedSetValue) value;
        }
        double[] weights = new double[n];
        Arrays.fill(weights, 1);
        Aggregate aggregate = Aggregate.SUM;
        boolean withScores = false;
        long limit = 0;
        int remaining = argv.length - j;
        while (remaining > 0) {
            if (op != SetOp.DIFF && !cardinalityOnly && remaining >= n + 1 && Arguments.is(argv[j], "weights")) {
                j++;
                remaining--;
                for (int i = 0; i < n; i++, j++, remaining--) {
                    weights[i] = Score.parse(argv[j]);
                    if (Double.isNaN(weights[i])) {
                        reply.error(Errors.WEIGHT_NOT_FLOAT);
                        return;
                    }
                }
            } else if (op != SetOp.DIFF && !cardinalityOnly && remaining >= 2 && Arguments.is(argv[j], "aggregate")) {
                byte[] a = argv[j + 1];
                if (Arguments.is(a, "sum")) {
                    aggregate = Aggregate.SUM;
                } else if (Arguments.is(a, "min")) {
                    aggregate = Aggregate.MIN;
                } else if (Arguments.is(a, "max")) {
                    aggregate = Aggregate.MAX;
                } else {
                    reply.error(Errors.SYNTAX);
                    return;
                }
                j += 2;
                remaining -= 2;
            } else if (dst == null && !cardinalityOnly && Arguments.is(argv[j], "withscores")) {
                j++;
                remaining--;
                withScores = true;
            } else if (cardinalityOnly && remaining >= 2 && Arguments.is(argv[j], "limit")) {
                Long parsed = Arguments.integer(argv[j + 1]);
                if (parsed == null || parsed < 0) {
                    reply.error(Errors.LIMIT_NEGATIVE);
                    return;
                }
                limit = parsed;
                j += 2;
                remaining -= 2;
            } else {
                reply.error(Errors.SYNTAX);
                return;
            }
        }
        List<Source> sources = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            sources.add(new Source(sets[i], weights[i]));
        }
        if (op != SetOp.DIFF) {
            sources.sort(Comparator.comparingInt(Source::size));
        }
        if (cardinalityOnly) {
            client.reply().integer(interCard(sources, limit));
            return;
        }
        SkiplistSortedSet result = switch (op) {
            case UNION -> union(sources, aggregate);
            case INTER -> inter(sources, aggregate);
            case DIFF -> diff(sources);
        };
        Entries entries = new Entries();
        result.forEach(0, false, (member, score) -> {
            entries.add(member, score);
            return true;
        });
        if (dst != null) {
            store(client, dst, entries, switch (op) {
                case UNION -> "zunionstore";
                case INTER -> "zinterstore";
                case DIFF -> "zdiffstore";
            });
        } else {
            replyEntries(reply, entries, withScores);
        }
    }

    /** A plain set as an input of a set operation: every member with the score 1, as Redis reads it. */
    private static SortedSetValue scoredOnes(SetValue set) {
        SkiplistSortedSet scored = new SkiplistSortedSet();
        for (Iterator<byte[]> it = set.iterator(); it.hasNext(); ) {
            scored.insert(it.next(), 1);
        }
        return scored;
    }

    /** Redis's zunionInterAggregate: SUM turns inf + -inf (NaN) into 0. */
    private static double aggregate(double target, double value, Aggregate aggregate) {
        return switch (aggregate) {
            case SUM -> {
                double sum = target + value;
                yield Double.isNaN(sum) ? 0 : sum;
            }
            case MIN -> value < target ? value : target;
            case MAX -> value > target ? value : target;
        };
    }

    private static double weighted(double score, double weight) {
        double value = score * weight;
        return Double.isNaN(value) ? 0 : value;
    }

    private static SkiplistSortedSet union(List<Source> sources, Aggregate aggregate) {
        SkiplistSortedSet result = new SkiplistSortedSet();
        for (Source source : sources) {
            if (source.size() == 0) {
                continue;
            }
            source.set().forEach(0, false, (member, score) -> {
                double value = weighted(score, source.weight());
                double existing = result.score(member);
                if (Double.isNaN(existing)) {
                    result.insert(member, value);
                } else {
                    double combined = aggregate(existing, value, aggregate);
                    if (Double.compare(combined, existing) != 0) {
                        result.update(member, combined);
                    }
                }
                return true;
            });
        }
        return result;
    }

    private static SkiplistSortedSet inter(List<Source> sources, Aggregate aggregate) {
        SkiplistSortedSet result = new SkiplistSortedSet();
        Source first = sources.get(0);
        if (first.size() == 0) {
            return result;
        }
        first.set().forEach(0, false, (member, score) -> {
            double value = weighted(score, first.weight());
            for (int i = 1; i < sources.size(); i++) {
                Source other = sources.get(i);
                double s = other.set() == null ? Double.NaN : other.set().score(member);
                if (Double.isNaN(s)) {
                    return true;
                }
                value = aggregate(value, s * other.weight(), aggregate);
            }
            result.insert(member, value);
            return true;
        });
        return result;
    }

    private static SkiplistSortedSet diff(List<Source> sources) {
        SkiplistSortedSet result = new SkiplistSortedSet();
        Source first = sources.get(0);
        if (first.size() == 0) {
            return result;
        }
        first.set().forEach(0, false, (member, score) -> {
            for (int i = 1; i < sources.size(); i++) {
                SortedSetValue other = sources.get(i).set();
                if (other != null && !Double.isNaN(other.score(member))) {
                    return true;
                }
            }
            result.insert(member, score);
            return true;
        });
        return result;
    }

    private static long interCard(List<Source> sources, long limit) {
        Source first = sources.get(0);
        if (first.size() == 0) {
            return 0;
        }
        long[] count = {0};
        first.set().forEach(0, false, (member, score) -> {
            for (int i = 1; i < sources.size(); i++) {
                SortedSetValue other = sources.get(i).set();
                if (other == null || Double.isNaN(other.score(member))) {
                    return true;
                }
            }
            count[0]++;
            return limit == 0 || count[0] < limit;
        });
        return count[0];
    }

    // ---- ZSCAN

    /** ZSCAN key cursor [MATCH pattern] [COUNT count] */
    void zscan(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        Long cursor = ScanOptions.cursor(argv[2], reply);
        if (cursor == null) {
            return;
        }
        boolean[] wrongType = {false};
        SortedSetValue set = read(client, argv[1], wrongType);
        if (wrongType[0]) {
            return;
        }
        if (set == null) {
            reply.array(2);
            reply.bulk("0");
            reply.array(0);
            return;
        }
        ScanOptions options = ScanOptions.parse(argv, 3, ScanOptions.Extra.NONE, reply);
        if (options == null) {
            return;
        }
        Entries found = new Entries();
        long next = 0;
        if (set instanceof SkiplistSortedSet skiplist) {
            List<byte[]> members = new ArrayList<>();
            next = skiplist.scan(cursor, options.batch(), members::add);
            for (byte[] member : members) {
                found.add(member, skiplist.score(member));
            }
        } else {
            set.forEach(0, false, (member, score) -> {
                found.add(member, score);
                return true;
            });
        }
        reply.array(2);
        reply.bulk(Long.toUnsignedString(next));
        int matched = 0;
        for (int i = 0; i < found.size; i++) {
            if (options.matches(found.members[i])) {
                matched++;
            }
        }
        reply.array(2 * matched);
        for (int i = 0; i < found.size; i++) {
            if (options.matches(found.members[i])) {
                reply.bulk(found.members[i]);
                reply.bulk(Score.format(found.scores[i]));
            }
        }
    }
}
