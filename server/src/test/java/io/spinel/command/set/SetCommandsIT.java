package io.spinel.command.set;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.spinel.testing.Differential;
import io.spinel.testing.RawClient;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The set commands over a socket: through Jedis and Lettuce (RESP3: SMEMBERS is a set), the
 * Redis 7.2 encodings and their conversions (the 7.0 oracle names small sets differently, so
 * these are checked on Spinel alone), random picks and pops compared with Redis by count and
 * type, and the rest compared byte for byte.
 */
class SetCommandsIT {
    @RegisterExtension
    static final Differential servers = new Differential();

    private static RawClient spinel() {
        return new RawClient(servers.spinel().port());
    }

    @Test
    void jedis_commonCommands() {
        try (Jedis jedis = new Jedis("127.0.0.1", servers.spinel().port())) {
            assertThat(jedis.sadd("j:a", "x", "y", "z")).isEqualTo(3);
            assertThat(jedis.sadd("j:a", "x", "w")).isEqualTo(1);
            assertThat(jedis.scard("j:a")).isEqualTo(4);
            assertThat(jedis.smembers("j:a")).containsExactlyInAnyOrder("x", "y", "z", "w");
            assertThat(jedis.sismember("j:a", "y")).isTrue();
            assertThat(jedis.smismember("j:a", "y", "q")).containsExactly(true, false);
            assertThat(jedis.srem("j:a", "w", "q")).isEqualTo(1);
            assertThat(jedis.smove("j:a", "j:b", "x")).isEqualTo(1);
            assertThat(jedis.sinter("j:a", "j:b")).isEmpty();
            assertThat(jedis.sunion("j:a", "j:b")).containsExactlyInAnyOrder("x", "y", "z");
            assertThat(jedis.sdiff("j:a", "j:b")).containsExactlyInAnyOrder("y", "z");
            assertThat(jedis.sunionstore("j:c", "j:a", "j:b")).isEqualTo(3);
            assertThat(jedis.sinterstore("j:d", "j:a", "j:c")).isEqualTo(2);
            assertThat(jedis.sdiffstore("j:e", "j:c", "j:a")).isEqualTo(1);
            assertThat(jedis.sintercard("j:c", "j:a")).isEqualTo(2);
            assertThat(jedis.sintercard(1, "j:c", "j:a")).isEqualTo(1);
            assertThat(jedis.srandmember("j:c")).isIn("x", "y", "z");
            assertThat(jedis.srandmember("j:c", -5)).hasSize(5);
            assertThat(jedis.spop("j:c", 2)).hasSize(2);
            assertThat(jedis.spop("j:c")).isIn("x", "y", "z");
            assertThat(jedis.exists("j:c")).isFalse();
        }
    }

    @Test
    void lettuce_resp3MembersAreASet() {
        RedisClient lettuce = RedisClient.create("redis://127.0.0.1:" + servers.spinel().port());
        try (StatefulRedisConnection<String, String> connection = lettuce.connect()) {
            RedisCommands<String, String> sync = connection.sync();
            assertThat(sync.sadd("l:a", "1", "2", "3", "a")).isEqualTo(4);
            assertThat(sync.smembers("l:a")).containsExactlyInAnyOrder("1", "2", "3", "a");
            assertThat(sync.sinter("l:a", "l:a")).hasSize(4);
            assertThat(sync.spop("l:a", 10)).hasSize(4);
            assertThat(sync.smembers("l:a")).isEmpty();
        } finally {
            lettuce.shutdown(0, 2, TimeUnit.SECONDS);
        }
        try (RawClient client = spinel()) {
            client.call("HELLO", "3");
            client.call("SADD", "l:b", "1", "2");
            assertThat(client.call("SMEMBERS", "l:b")).isEqualTo("~2\r\n$1\r\n1\r\n$1\r\n2\r\n");
            assertThat(client.call("SRANDMEMBER", "l:b", "5")).startsWith("*2\r\n");
            assertThat(client.call("SPOP", "l:missing", "2")).isEqualTo("~0\r\n");
            assertThat(client.call("SPOP", "l:missing")).isEqualTo("_\r\n");
        }
    }

    @Test
    void smembers_intsetIsAscending() {
        try (RawClient client = spinel()) {
            client.call("SADD", "asc:a", "30", "-5", "100000", "7");
            assertThat(client.call("SMEMBERS", "asc:a"))
                    .isEqualTo("*4\r\n$2\r\n-5\r\n$1\r\n7\r\n$2\r\n30\r\n$6\r\n100000\r\n");
        }
    }

    @Test
    void encodings_followRedis72() {
        try (RawClient client = spinel()) {
            client.call("SADD", "enc:a", "1", "2");
            assertThat(client.call("OBJECT", "ENCODING", "enc:a")).contains("intset");
            client.call("SADD", "enc:a", "x");
            assertThat(client.call("OBJECT", "ENCODING", "enc:a")).contains("listpack");
            assertThat(client.call("SMEMBERS", "enc:a")).isEqualTo("*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\nx\r\n");
            client.call("SADD", "enc:b", "a");
            assertThat(client.call("OBJECT", "ENCODING", "enc:b")).contains("listpack");
            client.call("SADD", "enc:b", "b".repeat(65));
            assertThat(client.call("OBJECT", "ENCODING", "enc:b")).contains("hashtable");
            // A batch larger than the listpack limit converts first, even when its members are duplicates.
            client.call("SADD", "enc:c", "a");
            List<String> batch = new ArrayList<>(List.of("SADD", "enc:c"));
            for (int i = 0; i < 129; i++) {
                batch.add("a");
            }
            client.call(batch.toArray(new String[0]));
            assertThat(client.call("OBJECT", "ENCODING", "enc:c")).contains("hashtable");
            assertThat(client.call("SCARD", "enc:c")).isEqualTo(":1\r\n");
            try {
                client.call("CONFIG", "SET", "set-max-listpack-entries", "2");
                client.call("SADD", "enc:d", "a", "b");
                assertThat(client.call("OBJECT", "ENCODING", "enc:d")).contains("listpack");
                client.call("SADD", "enc:d", "c");
                assertThat(client.call("OBJECT", "ENCODING", "enc:d")).contains("hashtable");
            } finally {
                client.call("CONFIG", "SET", "set-max-listpack-entries", "128");
            }
        }
    }

    @Test
    void storeForms_resultEncodings() {
        try (RawClient client = spinel()) {
            client.call("SADD", "{st}a", "1", "2", "3", "x");
            client.call("SADD", "{st}b", "1", "2", "x", "y");
            client.call("SINTERSTORE", "{st}i", "{st}a", "{st}b");
            assertThat(client.call("OBJECT", "ENCODING", "{st}i")).contains("listpack");
            client.call("SREM", "{st}b", "x");
            client.call("SINTERSTORE", "{st}i", "{st}a", "{st}b");
            assertThat(client.call("OBJECT", "ENCODING", "{st}i")).contains("intset");
            client.call("SUNIONSTORE", "{st}u", "{st}a", "{st}b");
            assertThat(client.call("OBJECT", "ENCODING", "{st}u")).contains("listpack");
            client.call("SDIFFSTORE", "{st}d", "{st}a", "{st}b");
            assertThat(client.call("OBJECT", "ENCODING", "{st}d")).contains("listpack");
            assertThat(client.call("SMEMBERS", "{st}d")).isEqualTo("*2\r\n$1\r\n3\r\n$1\r\nx\r\n");
        }
    }

    @Test
    void sdiffstore_algorithmDecidesTheEncoding() {
        try (RawClient client = spinel()) {
            List<String> first = new ArrayList<>(List.of("SADD", "{alg}a"));
            List<String> second = new ArrayList<>(List.of("SADD", "{alg}b"));
            List<String> third = new ArrayList<>(List.of("SADD", "{alg}c"));
            for (int i = 0; i < 150; i++) {
                first.add("m" + i);
                (i < 15 ? second : i < 30 ? third : new ArrayList<String>()).add("m" + i);
            }
            client.call(first.toArray(new String[0]));
            client.call(second.toArray(new String[0]));
            client.call(third.toArray(new String[0]));
            // Two small sets to subtract: copying the first set and removing is cheaper, and the
            // copy went past the listpack limit before shrinking.
            assertThat(client.call("SDIFFSTORE", "{alg}d", "{alg}a", "{alg}b", "{alg}c")).isEqualTo(":120\r\n");
            assertThat(client.call("OBJECT", "ENCODING", "{alg}d")).contains("hashtable");
            client.call("SUNIONSTORE", "{alg}bc", "{alg}b", "{alg}c");
            // One set of 30 to subtract: walking the first set adds only the 120 survivors.
            assertThat(client.call("SDIFFSTORE", "{alg}e", "{alg}a", "{alg}bc")).isEqualTo(":120\r\n");
            assertThat(client.call("OBJECT", "ENCODING", "{alg}e")).contains("listpack");
        }
    }

    @Test
    void conversion_keepsTtl() {
        try (RawClient client = spinel()) {
            client.call("SADD", "ttl:a", "1");
            client.call("EXPIRE", "ttl:a", "1000");
            client.call("SADD", "ttl:a", "x");
            client.call("SADD", "ttl:a", "y".repeat(100));
            assertThat(client.call("OBJECT", "ENCODING", "ttl:a")).contains("hashtable");
            assertThat(client.call("TTL", "ttl:a")).isNotEqualTo(":-1\r\n");
        }
    }

    @Test
    void spop_everyStrategyKeepsTheRest() {
        try (RawClient client = spinel(); Jedis jedis = new Jedis("127.0.0.1", servers.spinel().port())) {
            for (String kind : List.of("int", "str", "big")) {
                for (int count : new int[] {1, 3, 15, 19}) {
                    String key = "pop:" + kind + count;
                    Set<String> all = new HashSet<>();
                    int size = kind.equals("big") ? 300 : 20;
                    for (int i = 0; i < size; i++) {
                        all.add(kind.equals("int") ? Integer.toString(i * 7) : "m" + i);
                    }
                    jedis.sadd(key, all.toArray(new String[0]));
                    int popCount = kind.equals("big") ? count * 15 : count;
                    Set<String> popped = jedis.spop(key, popCount);
                    assertThat(popped).hasSize(popCount);
                    Set<String> rest = jedis.smembers(key);
                    assertThat(rest).hasSize(size - popCount).doesNotContainAnyElementsOf(popped);
                    Set<String> union = new HashSet<>(rest);
                    union.addAll(popped);
                    assertThat(union).isEqualTo(all);
                    assertThat(client.call("SCARD", key)).isEqualTo(":" + (size - popCount) + "\r\n");
                }
            }
        }
    }

    @Test
    void srandmember_countsAndDistinctness() {
        try (Jedis jedis = new Jedis("127.0.0.1", servers.spinel().port())) {
            for (String key : List.of("rand:small", "rand:big", "rand:int")) {
                int size = key.equals("rand:big") ? 500 : 20;
                for (int i = 0; i < size; i++) {
                    jedis.sadd(key, key.equals("rand:int") ? Integer.toString(i) : "m" + i);
                }
                for (int count : new int[] {1, 2, 6, 7, 19, 20, 25, 150}) {
                    List<String> picked = jedis.srandmember(key, count);
                    assertThat(picked).hasSize(Math.min(count, size)).doesNotHaveDuplicates();
                    assertThat(jedis.srandmember(key, -count)).hasSize(count);
                }
                assertThat(jedis.scard(key)).isEqualTo(size);
            }
        }
    }

    @Test
    void randomReplies_sameShapeAsRedis() {
        servers.assertSame((client, protocol) -> {
            String p = protocol + ":";
            StringBuilder out = new StringBuilder();
            client.call("SADD", p + "r", "1", "2", "3", "4", "5");
            client.call("SADD", p + "s", "a", "b", "c", "d", "e");
            for (String key : List.of(p + "r", p + "s")) {
                for (String count : List.of("1", "3", "5", "9", "-3", "-9")) {
                    out.append(shape(client.call("SRANDMEMBER", key, count))).append('\n');
                }
                out.append(shape(client.call("SRANDMEMBER", key))).append('\n');
                out.append(shape(client.call("SPOP", key, "2"))).append('\n');
                out.append(shape(client.call("SPOP", key))).append('\n');
                out.append(client.call("SCARD", key));
                out.append(shape(client.call("SPOP", key, "9"))).append('\n');
                out.append(client.call("EXISTS", key));
            }
            return out.toString();
        });
    }

    /** A reply with every bulk string's contents blanked: its type and element count. */
    private static String shape(String reply) {
        Matcher m = Pattern.compile("\\$(\\d+)\\r\\n").matcher(reply);
        StringBuilder out = new StringBuilder();
        int from = 0;
        while (m.find(from)) {
            out.append(reply, from, m.start()).append("$?");
            from = m.end() + Integer.parseInt(m.group(1)) + 2;
        }
        return out.append(reply.substring(from)).toString();
    }

    @Test
    void sscan_coversLargeSetsWithMatch() {
        try (Jedis jedis = new Jedis("127.0.0.1", servers.spinel().port())) {
            for (int i = 0; i < 1000; i++) {
                jedis.sadd("scan:a", "m" + i);
            }
            Set<String> seen = new HashSet<>();
            String cursor = ScanParams.SCAN_POINTER_START;
            int calls = 0;
            do {
                ScanResult<String> page = jedis.sscan("scan:a", cursor, new ScanParams().match("m1*").count(50));
                seen.addAll(page.getResult());
                cursor = page.getCursor();
                calls++;
            } while (!cursor.equals("0"));
            assertThat(calls).isGreaterThan(5);
            assertThat(seen).hasSize(111).allMatch(m -> m.startsWith("m1"));
            jedis.sadd("scan:b", "1", "2", "3");
            assertThat(jedis.sscan("scan:b", "0").getResult()).containsExactly("1", "2", "3");
        }
    }

    @Test
    void wrongTypeAndErrors_sameAsRedis() {
        servers.assertSameReplies(List.of(
                new String[] {"SET", "err:s", "x"},
                new String[] {"SADD", "err:s", "a"},
                new String[] {"SINTERCARD", "2", "err:missing", "err:s"},
                new String[] {"SUNIONSTORE", "err:d", "err:s"},
                new String[] {"SADD", "err:a", "1", "2"},
                new String[] {"SMOVE", "err:a", "err:s", "1"},
                new String[] {"SMEMBERS", "err:a"},
                new String[] {"SPOP", "err:a", "-2"},
                new String[] {"SRANDMEMBER", "err:a", "-9223372036854775808"},
                new String[] {"SINTERCARD", "0", "err:a"},
                new String[] {"DEL", "err:s", "err:a"}));
    }
}
