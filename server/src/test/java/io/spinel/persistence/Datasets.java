package io.spinel.persistence;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import redis.clients.jedis.Jedis;

/**
 * A dataset with every value type in every encoding Redis 7.0 and Spinel share (strings int,
 * embstr, raw, compressible and not; listpack and quicklist lists with a plain node; intset,
 * listpack and hashtable sets; listpack and skiplist sorted sets with special scores; listpack
 * and hashtable hashes; streams of several nodes, with deletions, trims, consumer groups,
 * consumers and pending entries), some keys with expiries, in databases 0 and 1. Built with commands, so
 * the same calls give the same data on Spinel and on Redis.
 */
final class Datasets {
    private Datasets() {
    }

    /** The keys of database 0 that {@link #populate} creates. */
    static final List<String> KEYS = List.of("s:int", "s:bigint", "s:neg", "s:embstr", "s:raw", "s:random", "s:binary",
            "l:small", "l:quick", "l:plain", "set:int", "set:int64", "set:lp", "set:ht", "z:lp", "z:special", "z:skip",
            "h:lp", "h:ht", "h:longvalue", "ttl:s", "ttl:h", "x:plain", "x:groups", "x:trimmed", "x:emptied");

    static void populate(Jedis jedis) {
        SplittableRandom random = new SplittableRandom(7);
        jedis.select(0);
        jedis.set("s:int", "12345");
        jedis.set("s:bigint", "12345678901234");
        jedis.set("s:neg", "-2147483649");
        jedis.set("s:embstr", "hello world");
        jedis.set("s:raw", "x".repeat(300));
        byte[] noise = new byte[200];
        random.nextBytes(noise);
        jedis.set("s:random".getBytes(StandardCharsets.UTF_8), noise);
        jedis.set("s:binary".getBytes(StandardCharsets.UTF_8), new byte[] {0, 1, 2, 0, (byte) 255, 13, 10});
        jedis.rpush("l:small", "a", "1", "-7", "bb", "100000");
        for (int i = 0; i < 2000; i++) {
            jedis.rpush("l:quick", "element-" + i, Integer.toString(i));
        }
        jedis.rpush("l:plain", "head", "y".repeat(10000), "tail");
        jedis.sadd("set:int", "1", "2", "3", "-40000");
        jedis.sadd("set:int64", "1", "9223372036854775807", "-9223372036854775808");
        jedis.sadd("set:lp", "apple", "banana", "7");
        for (int i = 0; i < 300; i++) {
            jedis.sadd("set:ht", "member-" + i);
        }
        jedis.zadd("z:lp", 1, "one");
        jedis.zadd("z:lp", 2.5, "two and a half");
        jedis.zadd("z:lp", -3, "minus three");
        jedis.zadd("z:special", Double.POSITIVE_INFINITY, "inf");
        jedis.zadd("z:special", Double.NEGATIVE_INFINITY, "-inf");
        jedis.zadd("z:special", 0.1, "tenth");
        jedis.zadd("z:special", 1e300, "huge");
        jedis.zadd("z:special", 123456789012345678.0, "large int");
        for (int i = 0; i < 300; i++) {
            jedis.zadd("z:skip", i / 7.0, "m" + i);
        }
        jedis.hset("h:lp", "f1", "v1");
        jedis.hset("h:lp", "f2", "42");
        for (int i = 0; i < 600; i++) {
            jedis.hset("h:ht", "field" + i, "value" + i);
        }
        jedis.hset("h:longvalue", "f", "z".repeat(100));
        jedis.set("ttl:s", "expiring");
        jedis.pexpire("ttl:s", 3_600_000);
        jedis.hset("ttl:h", "a", "b");
        jedis.expire("ttl:h", 7200);
        populateStreams(jedis);
        jedis.select(1);
        jedis.set("db1:s", "in database one");
        jedis.rpush("db1:l", "x", "y");
        jedis.select(0);
    }

    private static Object call(Jedis jedis, String... args) {
        return jedis.sendCommand(() -> args[0].getBytes(StandardCharsets.UTF_8), Arrays.copyOfRange(args, 1, args.length));
    }

    /**
     * Streams with explicit IDs (the same on every server): entries of the master's fields and
     * of others, integer and binary-looking values, more entries than a node holds, XDEL inside
     * and at the edges, approximate and exact trims, groups with pending entries owned by
     * several consumers (claimed, acknowledged), an idle consumer, a group whose entries-read is
     * unknown, and a stream emptied by XDEL that keeps its group.
     */
    private static void populateStreams(Jedis jedis) {
        call(jedis, "XADD", "x:plain", "1-1", "name", "ada", "age", "36");
        call(jedis, "XADD", "x:plain", "1-2", "name", "bob", "age", "-12345678901");
        call(jedis, "XADD", "x:plain", "5-0", "other", "field", "age", "x".repeat(80));
        call(jedis, "XADD", "x:plain", "18446744073709551615-7", "name", "", "age", "0");
        for (int i = 0; i < 350; i++) {
            call(jedis, "XADD", "x:groups", (1000 + i) + "-" + (i % 3), "sensor", Integer.toString(i % 10), "reading", "r" + i);
        }
        call(jedis, "XDEL", "x:groups", "1000-0", "1100-1", "1349-2", "1200-2");
        call(jedis, "XGROUP", "CREATE", "x:groups", "g1", "0");
        call(jedis, "XGROUP", "CREATE", "x:groups", "g2", "1150-0", "ENTRIESREAD", "140");
        call(jedis, "XGROUP", "CREATE", "x:groups", "late", "$");
        call(jedis, "XREADGROUP", "GROUP", "g1", "alice", "COUNT", "5", "STREAMS", "x:groups", ">");
        call(jedis, "XREADGROUP", "GROUP", "g1", "bob", "COUNT", "3", "STREAMS", "x:groups", ">");
        call(jedis, "XREADGROUP", "GROUP", "g2", "carol", "COUNT", "120", "STREAMS", "x:groups", ">");
        call(jedis, "XACK", "x:groups", "g1", "1002-2", "1004-1");
        call(jedis, "XCLAIM", "x:groups", "g1", "bob", "0", "1001-1", "1003-0");
        call(jedis, "XGROUP", "CREATECONSUMER", "x:groups", "g1", "idle");
        call(jedis, "XGROUP", "SETID", "x:groups", "g2", "1160-1");
        call(jedis, "XDEL", "x:groups", "1150-2");
        for (int i = 0; i < 250; i++) {
            call(jedis, "XADD", "x:trimmed", (7 + i) + "-0", "f", Integer.toString(i), "g", "v");
        }
        call(jedis, "XTRIM", "x:trimmed", "MAXLEN", "~", "120");
        call(jedis, "XTRIM", "x:trimmed", "MINID", "135");
        call(jedis, "XADD", "x:emptied", "3-3", "a", "b");
        call(jedis, "XGROUP", "CREATE", "x:emptied", "g", "0");
        call(jedis, "XREADGROUP", "GROUP", "g", "c", "STREAMS", "x:emptied", ">");
        call(jedis, "XDEL", "x:emptied", "3-3");
    }

    /** Every key {@link #populate} creates in database 0. */
    static List<String> keys() {
        return new ArrayList<>(KEYS);
    }
}
