package io.spinel.persistence;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import redis.clients.jedis.Jedis;

/**
 * A dataset with every value type in every encoding Redis 7.0 and Spinel share (strings int,
 * embstr, raw, compressible and not; listpack and quicklist lists with a plain node; intset,
 * listpack and hashtable sets; listpack and skiplist sorted sets with special scores; listpack
 * and hashtable hashes), some keys with expiries, in databases 0 and 1. Built with commands, so
 * the same calls give the same data on Spinel and on Redis.
 */
final class Datasets {
    private Datasets() {
    }

    /** The keys of database 0 that {@link #populate} creates. */
    static final List<String> KEYS = List.of("s:int", "s:bigint", "s:neg", "s:embstr", "s:raw", "s:random", "s:binary",
            "l:small", "l:quick", "l:plain", "set:int", "set:int64", "set:lp", "set:ht", "z:lp", "z:special", "z:skip",
            "h:lp", "h:ht", "h:longvalue", "ttl:s", "ttl:h");

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
        jedis.select(1);
        jedis.set("db1:s", "in database one");
        jedis.rpush("db1:l", "x", "y");
        jedis.select(0);
    }

    /** Every key {@link #populate} creates in database 0. */
    static List<String> keys() {
        return new ArrayList<>(KEYS);
    }
}
