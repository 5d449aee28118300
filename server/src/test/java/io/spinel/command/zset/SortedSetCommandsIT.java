package io.spinel.command.zset;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.spinel.testing.Differential;
import io.spinel.testing.RawClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.resps.Tuple;

/**
 * The sorted set commands over a socket: raw replies compared with a real Redis (both encodings,
 * RESP2 and RESP3), blocking pops with two connections, the Redis 7.2 forms the 7.0 oracle does
 * not have (checked against their documented replies), and Jedis and Lettuce round trips.
 */
class SortedSetCommandsIT {
    @RegisterExtension
    static final Differential servers = new Differential();

    private static String[] cmd(String line) {
        return line.split(" ");
    }

    @Test
    void zadd_largeSet_sameRangesAsRedis() {
        List<String[]> commands = new ArrayList<>();
        commands.add(cmd("DEL it:big"));
        SplittableRandom random = new SplittableRandom(42);
        for (int batch = 0; batch < 10; batch++) {
            List<String> args = new ArrayList<>(List.of("ZADD", "it:big"));
            for (int i = 0; i < 100; i++) {
                args.add(Integer.toString(random.nextInt(-50, 50)));
                args.add("m" + random.nextInt(400));
            }
            commands.add(args.toArray(String[]::new));
        }
        commands.add(cmd("OBJECT ENCODING it:big"));
        commands.add(cmd("ZCARD it:big"));
        commands.add(cmd("ZRANGE it:big 100 120 WITHSCORES"));
        commands.add(cmd("ZRANGE it:big -30 -20 REV WITHSCORES"));
        commands.add(cmd("ZRANK it:big m17"));
        commands.add(cmd("ZREVRANK it:big m17"));
        commands.add(cmd("ZCOUNT it:big (-10 10"));
        commands.add(cmd("ZRANGEBYSCORE it:big (-3 3 WITHSCORES LIMIT 2 7"));
        commands.add(cmd("ZREVRANGEBYSCORE it:big 3 (-3 LIMIT 1 5"));
        commands.add(cmd("ZREMRANGEBYSCORE it:big 40 +inf"));
        commands.add(cmd("ZREMRANGEBYRANK it:big 0 9"));
        commands.add(cmd("ZPOPMIN it:big 3"));
        commands.add(cmd("ZPOPMAX it:big 3"));
        commands.add(cmd("ZINCRBY it:big 1000 m17"));
        commands.add(cmd("ZRANGE it:big -1 -1 WITHSCORES"));
        commands.add(cmd("ZRANGESTORE it:dst it:big 0 9"));
        commands.add(cmd("OBJECT ENCODING it:dst"));
        commands.add(cmd("ZUNIONSTORE it:u 2 it:big it:dst WEIGHTS 1 2 AGGREGATE MAX"));
        commands.add(cmd("OBJECT ENCODING it:u"));
        commands.add(cmd("ZRANGE it:u 0 20 WITHSCORES"));
        commands.add(cmd("ZCARD it:big"));
        servers.assertSameReplies(commands);
    }

    /**
     * A random stream of writes, ranges and pops on two sets of a few thousand members (one of
     * them with every score 0, for the lex forms), so the skiplist encoding's nodes split, merge
     * and even out; every reply and both sets' final contents compared with Redis's.
     */
    @Test
    void randomOperations_largeSets_sameAsRedis() {
        SplittableRandom random = new SplittableRandom(2026);
        List<String[]> commands = new ArrayList<>();
        commands.add(cmd("DEL it:rz it:rl"));
        for (int batch = 0; batch < 30; batch++) {
            List<String> scored = new ArrayList<>(List.of("ZADD", "it:rz"));
            List<String> lex = new ArrayList<>(List.of("ZADD", "it:rl"));
            for (int i = 0; i < 100; i++) {
                scored.add(randomScore(random));
                scored.add("m" + random.nextInt(4000));
                lex.add("0");
                lex.add(String.format("w%04d", random.nextInt(4000)));
            }
            commands.add(scored.toArray(String[]::new));
            commands.add(lex.toArray(String[]::new));
        }
        String[] flags = {"", "NX", "XX", "GT", "LT", "CH", "XX CH", "GT CH", "INCR"};
        for (int step = 0; step < 800; step++) {
            String member = "m" + random.nextInt(4000);
            String word = String.format("w%04d", random.nextInt(4000));
            int a = random.nextInt(-300, 300);
            int b = a + random.nextInt(0, 40);
            String line = switch (random.nextInt(16)) {
                case 0, 1 -> ("ZADD it:rz " + flags[random.nextInt(flags.length)] + " " + randomScore(random) + " " + member)
                        .replace("  ", " ");
                case 2 -> "ZREM it:rz " + member + " m" + random.nextInt(4000);
                case 3 -> "ZINCRBY it:rz " + randomScore(random) + " " + member;
                case 4 -> "ZRANGE it:rz " + random.nextInt(3000) + " " + random.nextInt(3000) + " WITHSCORES";
                case 5 -> "ZRANGE it:rz " + (-1 - random.nextInt(50)) + " " + (-1 - random.nextInt(10)) + " REV WITHSCORES";
                case 6 -> "ZRANGEBYSCORE it:rz (" + a + " " + b + " WITHSCORES LIMIT " + random.nextInt(5) + " " + random.nextInt(-1, 20);
                case 7 -> "ZREVRANGEBYSCORE it:rz " + b + " (" + a + " LIMIT " + random.nextInt(5) + " 10";
                case 8 -> "ZCOUNT it:rz " + a + " (" + b;
                case 9 -> "ZRANK it:rz " + member;
                case 10 -> "ZREVRANK it:rz " + member;
                case 11 -> "ZREMRANGEBYRANK it:rz " + random.nextInt(2000) + " " + random.nextInt(2000);
                case 12 -> "ZPOPMIN it:rz " + random.nextInt(1, 8);
                case 13 -> "ZRANGEBYLEX it:rl [" + word + " (w" + (random.nextInt(4000) + 100) + " LIMIT 0 15";
                case 14 -> "ZLEXCOUNT it:rl (" + word + " +";
                default -> random.nextBoolean() ? "ZREMRANGEBYLEX it:rl [" + word + " (" + word + "5"
                        : "ZADD it:rl 0 " + word;
            };
            commands.add(cmd(line));
        }
        commands.add(cmd("ZRANGE it:rz 0 -1 WITHSCORES"));
        commands.add(cmd("ZRANGE it:rl 0 -1"));
        commands.add(cmd("OBJECT ENCODING it:rz"));
        servers.assertSameReplies(commands);
    }

    private static String randomScore(SplittableRandom random) {
        return switch (random.nextInt(8)) {
            case 0 -> random.nextInt(-300, 300) + ".5";
            case 1 -> random.nextBoolean() ? "+inf" : "-inf";
            default -> Integer.toString(random.nextInt(-300, 300));
        };
    }

    @Test
    void lexRanges_largeSet_sameAsRedis() {
        List<String[]> commands = new ArrayList<>();
        commands.add(cmd("DEL it:lex"));
        List<String> args = new ArrayList<>(List.of("ZADD", "it:lex"));
        for (int i = 0; i < 300; i++) {
            args.add("0");
            args.add(String.format("w%04d", i * 7 % 300));
        }
        commands.add(args.toArray(String[]::new));
        commands.add(cmd("ZRANGEBYLEX it:lex [w0100 (w0110"));
        commands.add(cmd("ZREVRANGEBYLEX it:lex (w0110 [w0100 LIMIT 2 3"));
        commands.add(cmd("ZLEXCOUNT it:lex [w0100 +"));
        commands.add(cmd("ZLEXCOUNT it:lex - (w0000"));
        commands.add(cmd("ZREMRANGEBYLEX it:lex - [w0149"));
        commands.add(cmd("ZRANGE it:lex 0 3"));
        commands.add(cmd("ZCARD it:lex"));
        servers.assertSameReplies(commands);
    }

    @Test
    void encodingLimits_configured_convertLikeRedis() {
        List<String[]> commands = List.of(
                cmd("CONFIG SET zset-max-listpack-entries 3"),
                cmd("CONFIG SET zset-max-listpack-value 4"),
                cmd("DEL it:e it:f it:g"),
                cmd("ZADD it:e 1 a 2 b 3 c"),
                cmd("OBJECT ENCODING it:e"),
                cmd("ZADD it:e 4 d"),
                cmd("OBJECT ENCODING it:e"),
                cmd("ZADD it:f 1 abcde"),
                cmd("OBJECT ENCODING it:f"),
                cmd("ZADD it:g 1 abcd"),
                cmd("OBJECT ENCODING it:g"),
                cmd("ZINTERSTORE it:g 1 it:e"),
                cmd("OBJECT ENCODING it:g"),
                cmd("ZRANGESTORE it:g it:e 0 1"),
                cmd("OBJECT ENCODING it:g"),
                cmd("CONFIG SET zset-max-listpack-entries 128"),
                cmd("CONFIG SET zset-max-listpack-value 64"));
        servers.assertSameReplies(commands);
    }

    /** The transcript of three clients blocked on one key, fed by a fourth. */
    private static String servedInOrder(int port) {
        try (RawClient first = new RawClient(port); RawClient second = new RawClient(port);
                RawClient third = new RawClient(port); RawClient control = new RawClient(port)) {
            control.call("DEL", "it:bq", "it:bq2");
            first.send(RawClient.encode("BZPOPMIN", "it:bq", "it:bq2", "0"));
            waitUntilBlocked(control, 1);
            second.send(RawClient.encode("BZPOPMAX", "it:bq", "0"));
            waitUntilBlocked(control, 2);
            third.send(RawClient.encode("BZMPOP", "0", "1", "it:bq", "MIN", "COUNT", "2"));
            waitUntilBlocked(control, 3);
            StringBuilder out = new StringBuilder();
            out.append(control.call("ZADD", "it:bq", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e"));
            out.append(new String(first.readReply(), java.nio.charset.StandardCharsets.ISO_8859_1));
            out.append(new String(second.readReply(), java.nio.charset.StandardCharsets.ISO_8859_1));
            out.append(new String(third.readReply(), java.nio.charset.StandardCharsets.ISO_8859_1));
            out.append(control.call("ZRANGE", "it:bq", "0", "-1", "WITHSCORES"));
            return out.toString();
        }
    }

    private static void waitUntilBlocked(RawClient control, int count) {
        for (int i = 0; i < 500; i++) {
            if (control.call("INFO", "clients").contains("blocked_clients:" + count)) {
                return;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Test
    void bzpopmin_servedInBlockingOrder() {
        String ours = servedInOrder(servers.spinel().port());
        String theirs = servedInOrder(servers.redis().port());
        assertThat(ours).isEqualTo(theirs).contains("$1\r\na\r\n");
    }

    @Test
    void bzpopmin_timeoutAndErrors_sameAsRedis() {
        servers.assertSameReplies(List.of(
                cmd("DEL it:t"),
                cmd("BZPOPMIN it:t 0.05"),
                cmd("BZPOPMAX it:t it:t2 0.05"),
                cmd("BZMPOP 0.05 2 it:t it:t2 MAX COUNT 3"),
                cmd("BZPOPMIN it:t x"),
                cmd("BZPOPMIN it:t -1"),
                cmd("BZMPOP x 1 it:t MIN"),
                cmd("BZMPOP 0 0 it:t MIN"),
                cmd("BZMPOP 0 1 it:t MIN COUNT 0"),
                cmd("SET it:t v"),
                cmd("BZPOPMIN it:t 0"),
                cmd("BZMPOP 0 1 it:t MAX"),
                cmd("DEL it:t"),
                cmd("ZADD it:t 1.5 a 2 b 3 c"),
                cmd("BZPOPMIN it:t 0"),
                cmd("BZPOPMAX it:x it:t 0"),
                cmd("BZMPOP 0 1 it:t MIN COUNT 5"),
                cmd("EXISTS it:t")));
    }

    /** A client blocked on a key that first receives a string, then a sorted set. */
    private static String wakeScenario(int port, boolean resp3) {
        try (RawClient blocked = new RawClient(port); RawClient control = new RawClient(port)) {
            control.call("DEL", "it:w");
            if (resp3) {
                blocked.call("HELLO", "3");
            }
            blocked.send(RawClient.encode("BZPOPMIN", "it:w", "0"));
            waitUntilBlocked(control, 1);
            StringBuilder out = new StringBuilder();
            out.append(control.call("SET", "it:w", "string"));
            out.append(control.call("DEL", "it:w"));
            out.append(control.call("ZADD", "it:w", "0.5", "z"));
            out.append(new String(blocked.readReply(), java.nio.charset.StandardCharsets.ISO_8859_1));
            out.append(control.call("EXISTS", "it:w"));
            return out.toString();
        }
    }

    @Test
    void bzpopmin_wakesOnlyForSortedSets() {
        for (boolean resp3 : new boolean[] {false, true}) {
            String ours = wakeScenario(servers.spinel().port(), resp3);
            String theirs = wakeScenario(servers.redis().port(), resp3);
            assertThat(ours).isEqualTo(theirs).contains("z");
        }
    }

    @Test
    void zrank_withScore_as72() {
        try (RawClient client = new RawClient(servers.spinel().port())) {
            client.call("DEL", "it:r");
            client.call("ZADD", "it:r", "1.5", "a", "2", "b");
            assertThat(client.call("ZRANK", "it:r", "b", "WITHSCORE")).isEqualTo("*2\r\n:1\r\n$1\r\n2\r\n");
            assertThat(client.call("ZREVRANK", "it:r", "b", "withscore")).isEqualTo("*2\r\n:0\r\n$1\r\n2\r\n");
            assertThat(client.call("ZRANK", "it:r", "x", "WITHSCORE")).isEqualTo("*-1\r\n");
            assertThat(client.call("ZRANK", "it:none", "x", "WITHSCORE")).isEqualTo("*-1\r\n");
            assertThat(client.call("ZRANK", "it:r", "a", "WITHSCORES")).isEqualTo("-ERR syntax error\r\n");
            client.call("HELLO", "3");
            assertThat(client.call("ZRANK", "it:r", "a", "WITHSCORE")).isEqualTo("*2\r\n:0\r\n,1.5\r\n");
            assertThat(client.call("ZRANK", "it:r", "x", "WITHSCORE")).isEqualTo("_\r\n");
        }
    }

    @Test
    void scores_printedWithShortestDigits_as72() {
        try (RawClient client = new RawClient(servers.spinel().port())) {
            client.call("DEL", "it:p");
            client.call("ZADD", "it:p", "0.1", "a", "1.5e-7", "b", "1e21", "c", "3.0", "d");
            assertThat(client.call("ZRANGE", "it:p", "0", "-1", "WITHSCORES")).isEqualTo(
                    "*8\r\n$1\r\nb\r\n$6\r\n1.5e-7\r\n$1\r\na\r\n$3\r\n0.1\r\n$1\r\nd\r\n$1\r\n3\r\n$1\r\nc\r\n$5\r\n1e+21\r\n");
            assertThat(client.call("ZINCRBY", "it:p", "0.2", "a")).isEqualTo("$19\r\n0.30000000000000004\r\n");
            client.call("HELLO", "3");
            assertThat(client.call("ZSCORE", "it:p", "a")).isEqualTo(",0.30000000000000004\r\n");
            assertThat(client.call("ZMSCORE", "it:p", "d", "x")).isEqualTo("*2\r\n,3\r\n_\r\n");
        }
    }

    @Test
    void zscan_returnsEveryMemberOfBothEncodings() {
        try (Jedis jedis = new Jedis("127.0.0.1", servers.spinel().port())) {
            jedis.del("it:scan");
            for (int i = 0; i < 300; i++) {
                jedis.zadd("it:scan", i, "m" + i);
            }
            java.util.Set<String> seen = new java.util.HashSet<>();
            String cursor = "0";
            do {
                var page = jedis.zscan("it:scan", cursor);
                page.getResult().forEach(t -> seen.add(t.getElement()));
                cursor = page.getCursor();
            } while (!cursor.equals("0"));
            assertThat(seen).hasSize(300);
            jedis.del("it:small");
            jedis.zadd("it:small", Map.of("a", 1.0, "b", 2.0));
            assertThat(jedis.zscan("it:small", "0").getResult()).extracting(Tuple::getElement).containsExactly("a", "b");
        }
    }

    @Test
    void jedis_commonCommands() {
        try (Jedis jedis = new Jedis("127.0.0.1", servers.spinel().port())) {
            jedis.del("it:j");
            assertThat(jedis.zadd("it:j", Map.of("a", 1.0, "b", 2.5, "c", 3.0))).isEqualTo(3);
            assertThat(jedis.zscore("it:j", "b")).isEqualTo(2.5);
            assertThat(jedis.zincrby("it:j", 1, "a")).isEqualTo(2.0);
            assertThat(jedis.zrangeWithScores("it:j", 0, -1)).extracting(Tuple::getElement).containsExactly("a", "b", "c");
            assertThat(jedis.zrank("it:j", "c")).isEqualTo(2);
            assertThat(jedis.zcount("it:j", "(2", "+inf")).isEqualTo(2);
            assertThat(jedis.zpopmin("it:j").getElement()).isEqualTo("a");
            assertThat(jedis.zcard("it:j")).isEqualTo(2);
        }
    }

    @Test
    void lettuce_resp3_scoredValues() {
        RedisClient redisClient = RedisClient.create("redis://127.0.0.1:" + servers.spinel().port());
        try (StatefulRedisConnection<String, String> connection = redisClient.connect()) {
            RedisCommands<String, String> commands = connection.sync();
            commands.del("it:l");
            commands.zadd("it:l", 1.5, "a", 2.0, "b");
            assertThat(commands.zscore("it:l", "a")).isEqualTo(1.5);
            List<ScoredValue<String>> range = commands.zrangeWithScores("it:l", 0, -1);
            assertThat(range).extracting(ScoredValue::getValue).containsExactly("a", "b");
            assertThat(range).extracting(ScoredValue::getScore).containsExactly(1.5, 2.0);
            assertThat(commands.zpopmax("it:l").getValue()).isEqualTo("b");
            assertThat(commands.bzpopmin(1, "it:l").getValue().getValue()).isEqualTo("a");
            assertThat(commands.exists("it:l")).isZero();
        } finally {
            redisClient.shutdown();
        }
    }
}
