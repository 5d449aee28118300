package io.spinel.difftest;

import static org.junit.jupiter.api.Assertions.fail;

import io.spinel.testing.Differential;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Long random streams of list, hash, set, sorted-set and SORT commands on five keys, on Spinel and
 * on a real Redis, each reply pair compared as {@link DifferentialPolicy} says. The encoding limits
 * are 16 entries and lists hold 8 entries per node, and members come from a pool of about 430, so
 * the keys cross between the compact and the table encodings over and over: conversions both ways,
 * quicklist nodes that fill and empty, sorted sets that outgrow a 64-member leaf. A key also
 * changes type (a DEL, RENAME or a store command's destination), so each command meets every
 * other's leftovers; such replacements are drawn rarely, or no key would live long enough to grow.
 *
 * <p>{@link RandomCommandsDifferentialIT} covers every command's argument forms on a few small
 * values; this test covers long histories of the same keys, in RESP2 and RESP3. The seed is random
 * unless {@code -Ddifftest.seed=<n>} is given; a failure prints it with the commands that led there.
 * Left out: OBJECT ENCODING (the 7.0 oracle has no listpack sets or lists), the commands with
 * random replies (SPOP, SRANDMEMBER, HRANDFIELD, ZRANDMEMBER), SORT BY, and lex ranges over
 * members of different scores (lex ranges have a key of their own).
 */
class CollectionStreamsDifferentialIT {
    private static final int STREAMS = 4;
    private static final int STEPS = 4000;
    private static final int REPLACING_EVERY = 60;
    private static final String[] KEYS = {"k1", "k2", "k3", "{t}a", "{t}b"};
    private static final String[] WORDS = {"a", "b", "c", "d", "e", "f", "", "x"};
    /**
     * The key of the lex range commands, whose members all have score 0: on members of different
     * scores, which Redis leaves undefined, its answer depends on the skip list's random levels.
     */
    private static final String LEX_KEY = "lex";

    @RegisterExtension
    static final Differential servers = new Differential()
            .spinelSettings("zset-max-listpack-entries", "16", "set-max-intset-entries", "16",
                    "set-max-listpack-entries", "16", "hash-max-listpack-entries", "16", "list-max-listpack-size", "8",
                    "enable-debug-command", "yes")
            .redisArgs("--zset-max-listpack-entries", "16", "--set-max-intset-entries", "16",
                    "--hash-max-listpack-entries", "16", "--list-max-listpack-size", "8",
                    "--enable-debug-command", "yes");

    @Test
    void longStreamsOnFewKeys_sameAsRedis() {
        long seed = DifferentialSession.seed();
        for (int stream = 0; stream < STREAMS; stream++) {
            SplittableRandom random = new SplittableRandom(seed + stream);
            try (DifferentialSession session = new DifferentialSession(servers.spinel().context().commands(),
                    servers.spinel().port(), servers.redis().port(), protocol(stream))) {
                for (int step = -1; step < STEPS; step++) { // step -1: the FLUSHALL that starts the stream
                    String difference = session.run(step < 0 ? args("FLUSHALL") : args(next(random)));
                    if (difference != null) {
                        fail("Spinel and Redis disagree in stream " + stream + " (" + protocol(stream) + ") at step "
                                + step + " (replay with -Ddifftest.seed=" + seed + ")\n" + difference);
                    }
                }
            }
        }
    }

    /** The next command of a stream: a key replacement once in {@link #REPLACING_EVERY} steps. */
    private static String[] next(SplittableRandom random) {
        List<Function<SplittableRandom, String[]>> commands =
                random.nextInt(REPLACING_EVERY) == 0 ? REPLACING : COMMANDS;
        return commands.get(random.nextInt(commands.size())).apply(random);
    }

    private static final List<Function<SplittableRandom, String[]>> COMMANDS = List.of(
            r -> many(r, "LPUSH", key(r), 1, 60), r -> many(r, "RPUSH", key(r), 1, 60),
            r -> a("LPUSHX", key(r), member(r)), r -> a("RPUSHX", key(r), member(r)),
            r -> a("LPOP", key(r), count(r)), r -> a("RPOP", key(r)),
            r -> a("LRANGE", key(r), index(r), index(r)), r -> a("LINDEX", key(r), index(r)),
            r -> a("LSET", key(r), index(r), member(r)), r -> a("LLEN", key(r)),
            r -> a("LINSERT", key(r), r.nextBoolean() ? "BEFORE" : "AFTER", member(r), member(r)),
            r -> a("LREM", key(r), index(r), member(r)), r -> a("LTRIM", key(r), index(r), index(r)),
            r -> a("LPOS", key(r), member(r), "RANK", nonZero(r), "COUNT", count(r), "MAXLEN", count(r)),
            r -> a("LMOVE", key(r), key(r), end(r, "LEFT", "RIGHT"), end(r, "LEFT", "RIGHT")),
            r -> a("LMPOP", "2", key(r), key(r), end(r, "LEFT", "RIGHT"), "COUNT", Integer.toString(r.nextInt(1, 6))),
            r -> pairs(r, "HSET", key(r), 1, 40), r -> a("HSETNX", key(r), member(r), member(r)),
            r -> a("HGET", key(r), member(r)), r -> a("HMGET", key(r), member(r), member(r)),
            r -> a("HDEL", key(r), member(r), member(r)), r -> a("HEXISTS", key(r), member(r)),
            r -> a("HLEN", key(r)), r -> a("HSTRLEN", key(r), member(r)),
            r -> a("HKEYS", key(r)), r -> a("HVALS", key(r)), r -> a("HGETALL", key(r)),
            r -> a("HINCRBY", key(r), member(r), Integer.toString(r.nextInt(-5, 6))),
            r -> a("HINCRBYFLOAT", key(r), member(r), r.nextBoolean() ? "1.5" : "-0.25"),
            r -> many(r, "SADD", key(r), 1, 60), r -> a("SREM", key(r), member(r), member(r)),
            r -> a("SCARD", key(r)), r -> a("SISMEMBER", key(r), member(r)),
            r -> a("SMISMEMBER", key(r), member(r), member(r)), r -> a("SMOVE", key(r), key(r), member(r)),
            r -> a(end(r, "SINTER", "SUNION", "SDIFF"), key(r), key(r), key(r)),
            r -> a("SINTERCARD", "2", key(r), key(r), "LIMIT", count(r)),
            r -> scored(r, "ZADD", key(r), end(r, "NX", "XX", "GT", "LT", "CH")),
            r -> a("ZINCRBY", key(r), score(r), member(r)), r -> a("ZREM", key(r), member(r), member(r)),
            r -> a("ZCARD", key(r)), r -> a("ZSCORE", key(r), member(r)),
            r -> a("ZMSCORE", key(r), member(r), member(r)),
            r -> a(end(r, "ZRANK", "ZREVRANK"), key(r), member(r)),
            r -> a("ZCOUNT", key(r), bound(r), bound(r)), r -> a("ZLEXCOUNT", LEX_KEY, lex(r), lex(r)),
            r -> a("ZRANGE", key(r), index(r), index(r), "WITHSCORES"),
            r -> a("ZRANGE", key(r), bound(r), bound(r), "BYSCORE", "REV", "LIMIT", index(r), count(r), "WITHSCORES"),
            r -> a("ZRANGE", LEX_KEY, lex(r), lex(r), "BYLEX", "LIMIT", index(r), count(r)),
            r -> a(end(r, "ZRANGEBYSCORE", "ZREVRANGEBYSCORE"), key(r), bound(r), bound(r), "WITHSCORES"),
            r -> a(end(r, "ZRANGEBYLEX", "ZREVRANGEBYLEX"), LEX_KEY, lex(r), lex(r), "LIMIT", index(r), count(r)),
            r -> a("ZREMRANGEBYRANK", key(r), index(r), index(r)),
            r -> a("ZREMRANGEBYSCORE", key(r), bound(r), bound(r)),
            r -> a("ZREMRANGEBYLEX", LEX_KEY, lex(r), lex(r)), r -> many(r, "ZADD", LEX_KEY, 1, 20, "0"),
            r -> a("ZREM", LEX_KEY, member(r)), r -> a(end(r, "ZPOPMIN", "ZPOPMAX"), key(r), count(r)),
            r -> a("ZMPOP", "2", key(r), key(r), end(r, "MIN", "MAX"), "COUNT", Integer.toString(r.nextInt(1, 6))),
            r -> a(end(r, "ZUNION", "ZINTER", "ZDIFF"), "2", key(r), key(r), "WITHSCORES"),
            r -> a("ZINTERCARD", "2", key(r), key(r), "LIMIT", count(r)),
            r -> a("SORT", key(r), "ALPHA", end(r, "ASC", "DESC"), "LIMIT", index(r), count(r)),
            r -> a("SORT_RO", key(r), "ALPHA"), r -> a("TYPE", key(r)), r -> a("EXISTS", key(r)),
            r -> a("DEBUG", "DIGEST-VALUE", key(r)));

    /**
     * Commands that replace or remove a whole key, drawn for one step in {@link #REPLACING_EVERY}:
     * drawn as often as the others, they would leave no key time to grow past the compact
     * encodings.
     */
    private static final List<Function<SplittableRandom, String[]>> REPLACING = List.of(
            r -> a(end(r, "SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"), key(r), key(r), key(r)),
            r -> a("ZRANGESTORE", key(r), key(r), index(r), index(r)),
            r -> a(end(r, "ZUNIONSTORE", "ZINTERSTORE"), key(r), "2", key(r), key(r), "WEIGHTS", "2", "-1",
                    "AGGREGATE", end(r, "SUM", "MIN", "MAX")),
            r -> a("SORT", key(r), "STORE", key(r)), r -> a("DEL", key(r)),
            r -> a("COPY", key(r), key(r), "REPLACE"), r -> a("RENAME", key(r), key(r)));

    /** Even streams speak RESP2, odd ones RESP3 (maps, sets and doubles in the replies). */
    private static Differential.Protocol protocol(int stream) {
        return stream % 2 == 0 ? Differential.Protocol.RESP2 : Differential.Protocol.RESP3;
    }

    private static String[] a(String... args) {
        return args;
    }

    private static String key(SplittableRandom r) {
        return KEYS[r.nextInt(KEYS.length)];
    }

    /** Small integers (intset members, numeric list elements), short words, or one of 200 names. */
    private static String member(SplittableRandom r) {
        int dice = r.nextInt(10);
        if (dice < 3) {
            return Integer.toString(r.nextInt(-5, 31));
        }
        if (dice < 5) {
            String word = WORDS[r.nextInt(WORDS.length)];
            return word.equals("x") ? "x".repeat(r.nextInt(1, 71)) : word; // past 64 bytes: the value limit
        }
        return "m" + r.nextInt(400);
    }

    private static String[] many(SplittableRandom r, String command, String key, int min, int max) {
        return many(r, command, key, min, max, null);
    }

    /** {@code command key} and min..max members, each after {@code score} unless it is null. */
    private static String[] many(SplittableRandom r, String command, String key, int min, int max, String score) {
        List<String> out = new ArrayList<>(List.of(command, key));
        for (int i = r.nextInt(min, max + 1); i > 0; i--) {
            if (score != null) {
                out.add(score);
            }
            out.add(member(r));
        }
        return out.toArray(String[]::new);
    }

    private static String[] pairs(SplittableRandom r, String command, String key, int min, int max) {
        List<String> out = new ArrayList<>(List.of(command, key));
        for (int i = r.nextInt(min, max + 1); i > 0; i--) {
            out.add(member(r));
            out.add(member(r));
        }
        return out.toArray(String[]::new);
    }

    private static String[] scored(SplittableRandom r, String command, String key, String flag) {
        List<String> out = new ArrayList<>(List.of(command, key));
        if (r.nextBoolean()) {
            out.add(flag);
        }
        for (int i = r.nextInt(1, 61); i > 0; i--) {
            out.add(score(r));
            out.add(member(r));
        }
        return out.toArray(String[]::new);
    }

    private static String end(SplittableRandom r, String... choices) {
        return choices[r.nextInt(choices.length)];
    }

    private static String index(SplittableRandom r) {
        return Integer.toString(r.nextInt(-12, 13));
    }

    private static String nonZero(SplittableRandom r) {
        int rank = r.nextInt(1, 4);
        return Integer.toString(r.nextBoolean() ? rank : -rank);
    }

    private static String count(SplittableRandom r) {
        return Integer.toString(r.nextInt(0, 12));
    }

    private static String score(SplittableRandom r) {
        return switch (r.nextInt(8)) {
            case 0 -> r.nextBoolean() ? "inf" : "-inf";
            case 1 -> r.nextInt(-50, 50) + ".25";
            case 2 -> "1e" + r.nextInt(0, 4);
            default -> Integer.toString(r.nextInt(-10, 11));
        };
    }

    private static String bound(SplittableRandom r) {
        return switch (r.nextInt(5)) {
            case 0 -> r.nextBoolean() ? "-inf" : "+inf";
            case 1 -> "(" + r.nextInt(-10, 11);
            default -> score(r);
        };
    }

    private static String lex(SplittableRandom r) {
        return switch (r.nextInt(5)) {
            case 0 -> r.nextBoolean() ? "-" : "+";
            case 1 -> "(" + member(r);
            default -> "[" + member(r);
        };
    }

    private static List<byte[]> args(String... args) {
        List<byte[]> out = new ArrayList<>(args.length);
        for (String arg : args) {
            out.add(DifferentialSession.bytes(arg));
        }
        return out;
    }
}
