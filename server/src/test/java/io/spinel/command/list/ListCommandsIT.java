package io.spinel.command.list;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.LMoveArgs;
import io.lettuce.core.LMPopArgs;
import io.lettuce.core.LPosArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.spinel.testing.Differential;
import io.spinel.testing.RawClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.args.ListDirection;
import redis.clients.jedis.args.ListPosition;

/**
 * The list commands over a socket: random command streams compared byte for byte with a real
 * Redis, the encoding conversions of Redis 7.2 (which the 7.0 oracle does not have, so they are
 * checked against known answers), large lists, and the commands through Jedis and Lettuce.
 */
class ListCommandsIT {
    @RegisterExtension
    static final Differential servers = new Differential();

    private static String[] cmd(String... args) {
        return args;
    }

    @Test
    void randomStreams_sameRepliesAsRedis() {
        Random random = new Random(42);
        for (int round = 0; round < 4; round++) {
            List<String[]> commands = new ArrayList<>();
            commands.add(cmd("FLUSHALL"));
            for (int i = 0; i < 1500; i++) {
                commands.add(randomCommand(random));
            }
            commands.add(cmd("LRANGE", "{l}1", "0", "-1"));
            commands.add(cmd("LRANGE", "{l}2", "0", "-1"));
            servers.assertSameReplies(commands);
        }
    }

    @Test
    void randomStreams_smallNodesAndCompression_sameRepliesAsRedis() {
        Random random = new Random(7);
        servers.assertSameReplies(List.of(cmd("CONFIG", "SET", "list-max-listpack-size", "3"),
                cmd("CONFIG", "SET", "list-compress-depth", "1")));
        try {
            for (int round = 0; round < 2; round++) {
                List<String[]> commands = new ArrayList<>();
                commands.add(cmd("FLUSHALL"));
                for (int i = 0; i < 1500; i++) {
                    commands.add(randomCommand(random));
                }
                commands.add(cmd("LRANGE", "{l}1", "0", "-1"));
                commands.add(cmd("LRANGE", "{l}3", "0", "-1"));
                servers.assertSameReplies(commands);
            }
        } finally {
            servers.assertSameReplies(List.of(cmd("CONFIG", "SET", "list-max-listpack-size", "-2"),
                    cmd("CONFIG", "SET", "list-compress-depth", "0")));
        }
    }

    private static String[] randomCommand(Random random) {
        String key = "{l}" + (1 + random.nextInt(3));
        String other = "{l}" + (1 + random.nextInt(3));
        String element = element(random);
        String index = Integer.toString(random.nextInt(200) - 100);
        String index2 = Integer.toString(random.nextInt(200) - 100);
        String side = random.nextBoolean() ? "LEFT" : "RIGHT";
        return switch (random.nextInt(16)) {
            case 0, 1 -> cmd("LPUSH", key, element, element(random));
            case 2, 3 -> cmd("RPUSH", key, element, element(random), element(random));
            case 4 -> cmd(random.nextBoolean() ? "LPOP" : "RPOP", key, Integer.toString(random.nextInt(4)));
            case 5 -> cmd(random.nextBoolean() ? "LPOP" : "RPOP", key);
            case 6 -> cmd("LRANGE", key, index, index2);
            case 7 -> cmd("LINDEX", key, index);
            case 8 -> cmd("LSET", key, index, element);
            case 9 -> cmd("LINSERT", key, random.nextBoolean() ? "BEFORE" : "AFTER", element(random), element);
            case 10 -> cmd("LREM", key, Integer.toString(random.nextInt(5) - 2), element);
            case 11 -> cmd("LTRIM", key, Integer.toString(random.nextInt(10) - 2), Integer.toString(random.nextInt(300) - 20));
            case 12 -> cmd("LPOS", key, element, "RANK", Integer.toString(random.nextBoolean() ? 1 : -2), "COUNT",
                    Integer.toString(random.nextInt(3)), "MAXLEN", Integer.toString(random.nextInt(50)));
            case 13 -> cmd("LMOVE", key, other, side, random.nextBoolean() ? "LEFT" : "RIGHT");
            case 14 -> cmd("LMPOP", "2", key, other, side, "COUNT", Integer.toString(1 + random.nextInt(3)));
            default -> cmd("LLEN", key);
        };
    }

    private static String element(Random random) {
        int kind = random.nextInt(10);
        if (kind < 4) {
            return Integer.toString(random.nextInt(12) - 2);
        }
        if (kind < 8) {
            return "e" + random.nextInt(10);
        }
        return "x".repeat(100 + random.nextInt(900));
    }

    @Test
    void encoding_countLimitConvertsBothWays() {
        try (RawClient client = new RawClient(servers.spinel().port())) {
            client.call("CONFIG", "SET", "list-max-listpack-size", "4");
            try {
                client.call("DEL", "enc:count");
                client.call("RPUSH", "enc:count", "a", "b", "c", "d");
                assertThat(client.call("OBJECT", "ENCODING", "enc:count")).isEqualTo("$8\r\nlistpack\r\n");
                client.call("RPUSH", "enc:count", "e");
                assertThat(client.call("OBJECT", "ENCODING", "enc:count")).isEqualTo("$9\r\nquicklist\r\n");
                client.call("LPOP", "enc:count", "3");
                // Two nodes ([d] and [e]) remain: only a single node turns back into a listpack.
                assertThat(client.call("OBJECT", "ENCODING", "enc:count")).isEqualTo("$9\r\nquicklist\r\n");
                client.call("LPOP", "enc:count");
                assertThat(client.call("OBJECT", "ENCODING", "enc:count")).isEqualTo("$8\r\nlistpack\r\n");
                assertThat(client.call("LRANGE", "enc:count", "0", "-1")).isEqualTo("*1\r\n$1\r\ne\r\n");
                // LINSERT converts before looking for its pivot, found or not.
                client.call("RPUSH", "enc:count", "f", "g", "h");
                assertThat(client.call("LINSERT", "enc:count", "BEFORE", "nosuch", "x")).isEqualTo(":-1\r\n");
                assertThat(client.call("OBJECT", "ENCODING", "enc:count")).isEqualTo("$9\r\nquicklist\r\n");
            } finally {
                client.call("CONFIG", "SET", "list-max-listpack-size", "-2");
            }
        }
    }

    @Test
    void encoding_sizeLimitConvertsBothWays() {
        try (RawClient client = new RawClient(servers.spinel().port())) {
            client.call("CONFIG", "SET", "list-max-listpack-size", "-1");
            try {
                String big = "x".repeat(1000);
                client.call("DEL", "enc:size");
                // 7 header bytes + 4 entries of 1004 bytes fit in 4096; a fifth does not.
                for (int i = 0; i < 4; i++) {
                    client.call("RPUSH", "enc:size", big);
                }
                assertThat(client.call("OBJECT", "ENCODING", "enc:size")).isEqualTo("$8\r\nlistpack\r\n");
                client.call("RPUSH", "enc:size", big);
                assertThat(client.call("OBJECT", "ENCODING", "enc:size")).isEqualTo("$9\r\nquicklist\r\n");
                client.call("RPOP", "enc:size");
                // One node of 4023 bytes: over half the limit, so it stays a quicklist.
                assertThat(client.call("OBJECT", "ENCODING", "enc:size")).isEqualTo("$9\r\nquicklist\r\n");
                client.call("RPOP", "enc:size", "2");
                assertThat(client.call("OBJECT", "ENCODING", "enc:size")).isEqualTo("$8\r\nlistpack\r\n");
                client.call("LSET", "enc:size", "0", "x".repeat(5000));
                assertThat(client.call("OBJECT", "ENCODING", "enc:size")).isEqualTo("$9\r\nquicklist\r\n");
                client.call("LSET", "enc:size", "0", "small");
                assertThat(client.call("OBJECT", "ENCODING", "enc:size")).isEqualTo("$8\r\nlistpack\r\n");
                assertThat(client.call("LINDEX", "enc:size", "1")).isEqualTo("$1000\r\n" + big + "\r\n");
            } finally {
                client.call("CONFIG", "SET", "list-max-listpack-size", "-2");
            }
        }
    }

    @Test
    void encoding_keepsTtl() {
        try (RawClient client = new RawClient(servers.spinel().port())) {
            client.call("DEL", "enc:ttl");
            client.call("RPUSH", "enc:ttl", "a");
            client.call("EXPIRE", "enc:ttl", "100");
            client.call("RPUSH", "enc:ttl", "x".repeat(9000));
            assertThat(client.call("OBJECT", "ENCODING", "enc:ttl")).isEqualTo("$9\r\nquicklist\r\n");
            assertThat(client.call("TTL", "enc:ttl")).isEqualTo(":100\r\n");
            client.call("RPOP", "enc:ttl");
            assertThat(client.call("OBJECT", "ENCODING", "enc:ttl")).isEqualTo("$8\r\nlistpack\r\n");
            assertThat(client.call("TTL", "enc:ttl")).isEqualTo(":100\r\n");
        }
    }

    @Test
    void copy_compressedQuicklistIsIndependent() {
        try (RawClient client = new RawClient(servers.spinel().port())) {
            client.call("CONFIG", "SET", "list-compress-depth", "1");
            try {
                client.call("DEL", "cp:{a}", "cp:{b}");
                for (int i = 0; i < 20; i++) {
                    client.call("RPUSH", "cp:{a}", "element-" + i + "-" + "y".repeat(1000));
                }
                assertThat(client.call("OBJECT", "ENCODING", "cp:{a}")).isEqualTo("$9\r\nquicklist\r\n");
                String before = client.call("LRANGE", "cp:{a}", "0", "-1");
                assertThat(client.call("COPY", "cp:{a}", "cp:{b}")).isEqualTo(":1\r\n");
                client.call("LSET", "cp:{a}", "10", "changed");
                assertThat(client.call("LRANGE", "cp:{b}", "0", "-1")).isEqualTo(before);
                assertThat(client.call("LINDEX", "cp:{a}", "10")).isEqualTo("$7\r\nchanged\r\n");
                assertThat(client.call("LINDEX", "cp:{b}", "10")).startsWith("$1011\r\nelement-10-yyy");
            } finally {
                client.call("CONFIG", "SET", "list-compress-depth", "0");
            }
        }
    }

    @Test
    void lindex_middleOfMillionElementList() {
        // A generous socket timeout: loading a million elements on a loaded CI machine may take seconds.
        try (Jedis jedis = new Jedis("127.0.0.1", servers.spinel().port(), 60_000)) {
            jedis.del("big");
            Pipeline pipeline = jedis.pipelined();
            String[] batch = new String[1000];
            for (int b = 0; b < 1000; b++) {
                for (int i = 0; i < 1000; i++) {
                    batch[i] = Integer.toString(b * 1000 + i);
                }
                pipeline.rpush("big", batch);
            }
            pipeline.sync();
            assertThat(jedis.llen("big")).isEqualTo(1_000_000L);
            assertThat(jedis.objectEncoding("big")).isEqualTo("quicklist");
            for (int i = 0; i < 200; i++) {
                assertThat(jedis.lindex("big", 500_000 + i)).isEqualTo(Integer.toString(500_000 + i));
            }
            assertThat(jedis.lrange("big", -2, -1)).containsExactly("999998", "999999");
            jedis.ltrim("big", 10, 19);
            assertThat(jedis.lrange("big", 0, -1)).hasSize(10).startsWith("10");
            assertThat(jedis.objectEncoding("big")).isEqualTo("listpack");
            jedis.del("big");
        }
    }

    @Test
    void jedis_commonCommands() {
        try (Jedis jedis = new Jedis("127.0.0.1", servers.spinel().port())) {
            jedis.del("j:{a}", "j:{b}");
            assertThat(jedis.rpush("j:{a}", "1", "2", "3")).isEqualTo(3);
            assertThat(jedis.lpush("j:{a}", "0")).isEqualTo(4);
            assertThat(jedis.lrange("j:{a}", 0, -1)).containsExactly("0", "1", "2", "3");
            assertThat(jedis.linsert("j:{a}", ListPosition.AFTER, "1", "1.5")).isEqualTo(5);
            assertThat(jedis.lpos("j:{a}", "2")).isEqualTo(3);
            assertThat(jedis.lmove("j:{a}", "j:{b}", ListDirection.LEFT, ListDirection.RIGHT)).isEqualTo("0");
            assertThat(jedis.rpop("j:{a}", 2)).containsExactly("3", "2");
            assertThat(jedis.lmpop(ListDirection.LEFT, 5, "j:{a}").getValue()).containsExactly("1", "1.5");
            assertThat(jedis.exists("j:{a}")).isFalse();
            assertThat(jedis.lindex("j:{b}", 0)).isEqualTo("0");
        }
    }

    @Test
    void lettuce_commonCommands() {
        RedisClient redisClient = RedisClient.create("redis://127.0.0.1:" + servers.spinel().port());
        try (StatefulRedisConnection<String, String> connection = redisClient.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            redis.del("lt:{a}", "lt:{b}");
            assertThat(redis.rpush("lt:{a}", "a", "b", "a", "c")).isEqualTo(4);
            assertThat(redis.lpos("lt:{a}", "a", 0, LPosArgs.Builder.rank(-1))).containsExactly(2L, 0L);
            assertThat(redis.lrem("lt:{a}", -1, "a")).isEqualTo(1);
            assertThat(redis.lset("lt:{a}", 0, "A")).isEqualTo("OK");
            assertThat(redis.lmove("lt:{a}", "lt:{b}", LMoveArgs.Builder.rightLeft())).isEqualTo("c");
            assertThat(redis.lmpop(LMPopArgs.Builder.right().count(5), "lt:{a}").getValue()).containsExactly("b", "A");
            assertThat(redis.llen("lt:{b}")).isEqualTo(1);
            assertThat(redis.type("lt:{b}")).isEqualTo("list");
        } finally {
            redisClient.shutdown();
        }
    }

    // ---- blocking commands: two real connections, the same scenario on Spinel and on Redis

    /** Runs {@code scenario} against both servers and asserts the transcripts agree; returns Spinel's. */
    private static String sameOnBoth(BlockingScenario scenario) {
        String ours = scenario.run(servers.spinel().port());
        String theirs = scenario.run(servers.redis().port());
        assertThat(ours).isEqualTo(theirs);
        return ours;
    }

    /** A scenario over several connections to one server, returning a transcript of the replies. */
    @FunctionalInterface
    private interface BlockingScenario {
        String run(int port);
    }

    /** Sends a command without reading its reply, then gives the server time to block the client. */
    private static void sendAndWait(RawClient client, String... command) {
        client.send(RawClient.encode(command));
        pause();
    }

    private static void pause() {
        try {
            Thread.sleep(150);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String reply(RawClient client) {
        return new String(client.readReply(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void blpop_servedInOrderOfBlocking() {
        String transcript = sameOnBoth(port -> {
            try (RawClient first = new RawClient(port); RawClient second = new RawClient(port);
                 RawClient third = new RawClient(port); RawClient pusher = new RawClient(port)) {
                pusher.call("DEL", "bl:{o}", "bl:{p}");
                sendAndWait(first, "BLPOP", "bl:{o}", "0");
                sendAndWait(second, "BRPOP", "bl:{p}", "bl:{o}", "0");
                sendAndWait(third, "BLPOP", "bl:{o}", "0");
                String pushed = pusher.call("RPUSH", "bl:{o}", "a", "b");
                String rest = pusher.call("RPUSH", "bl:{o}", "c");
                return pushed + reply(first) + reply(second) + rest + reply(third) + pusher.call("EXISTS", "bl:{o}");
            }
        });
        assertThat(transcript).isEqualTo(":2\r\n*2\r\n$6\r\nbl:{o}\r\n$1\r\na\r\n*2\r\n$6\r\nbl:{o}\r\n$1\r\nb\r\n"
                + ":1\r\n*2\r\n$6\r\nbl:{o}\r\n$1\r\nc\r\n:0\r\n");
    }

    @Test
    void blpop_timeoutRepliesNullInBothProtocols() {
        String transcript = sameOnBoth(port -> {
            try (RawClient resp2 = new RawClient(port); RawClient resp3 = new RawClient(port)) {
                resp3.call("HELLO", "3");
                StringBuilder out = new StringBuilder();
                for (RawClient client : List.of(resp2, resp3)) {
                    out.append(client.call("BLPOP", "bt:none", "0.05"))
                            .append(client.call("BRPOP", "bt:none", "bt:none2", "0.05"))
                            .append(client.call("BLMOVE", "bt:none", "bt:d", "LEFT", "RIGHT", "0.05"))
                            .append(client.call("BRPOPLPUSH", "bt:none", "bt:d", "0.05"))
                            .append(client.call("BLMPOP", "0.05", "1", "bt:none", "LEFT"))
                            .append(client.call("BLPOP", "bt:none", "-1"))
                            .append(client.call("BLPOP", "bt:none", "x"));
                }
                return out.toString();
            }
        });
        assertThat(transcript).startsWith("*-1\r\n*-1\r\n*-1\r\n*-1\r\n*-1\r\n-ERR timeout is negative\r\n");
        assertThat(transcript).contains("_\r\n_\r\n_\r\n_\r\n_\r\n");
    }

    @Test
    void blpop_lmoveIntoWatchedKeyWakesWaiter() {
        String transcript = sameOnBoth(port -> {
            try (RawClient waiter = new RawClient(port); RawClient mover = new RawClient(port)) {
                mover.call("DEL", "bm:{s}", "bm:{d}", "bm:{e}");
                sendAndWait(waiter, "BLPOP", "bm:{d}", "0");
                mover.call("RPUSH", "bm:{s}", "x", "y");
                String moved = mover.call("LMOVE", "bm:{s}", "bm:{d}", "LEFT", "LEFT");
                String woken = reply(waiter);
                // A BLMOVE waiter's move wakes a waiter on its destination in turn.
                sendAndWait(waiter, "BLPOP", "bm:{e}", "0");
                try (RawClient chained = new RawClient(port)) {
                    sendAndWait(chained, "BLMOVE", "bm:{f}", "bm:{e}", "LEFT", "RIGHT", "0");
                    mover.call("RPUSH", "bm:{f}", "z");
                    return moved + woken + reply(chained) + reply(waiter) + mover.call("EXISTS", "bm:{d}", "bm:{e}", "bm:{f}");
                }
            }
        });
        assertThat(transcript).isEqualTo("$1\r\nx\r\n*2\r\n$6\r\nbm:{d}\r\n$1\r\nx\r\n$1\r\nz\r\n*2\r\n$6\r\nbm:{e}\r\n$1\r\nz\r\n:0\r\n");
    }

    @Test
    void blmpop_countPopsUpToCount() {
        String transcript = sameOnBoth(port -> {
            try (RawClient waiter = new RawClient(port); RawClient pusher = new RawClient(port)) {
                pusher.call("DEL", "bc:{a}", "bc:{b}");
                sendAndWait(waiter, "BLMPOP", "0", "2", "bc:{a}", "bc:{b}", "RIGHT", "COUNT", "2");
                pusher.call("RPUSH", "bc:{b}", "1", "2", "3");
                String woken = reply(waiter);
                return woken + pusher.call("LRANGE", "bc:{b}", "0", "-1")
                        + waiter.call("BLMPOP", "0", "2", "bc:{a}", "bc:{b}", "LEFT", "COUNT", "5")
                        + waiter.call("BLMPOP", "0", "1", "bc:{a}", "LEFT", "COUNT", "0");
            }
        });
        assertThat(transcript).isEqualTo("*2\r\n$6\r\nbc:{b}\r\n*2\r\n$1\r\n3\r\n$1\r\n2\r\n*1\r\n$1\r\n1\r\n"
                + "*2\r\n$6\r\nbc:{b}\r\n*1\r\n$1\r\n1\r\n-ERR count should be greater than 0\r\n");
    }

    @Test
    void blpop_wrongType() {
        String transcript = sameOnBoth(port -> {
            try (RawClient client = new RawClient(port)) {
                client.call("DEL", "bw:{l}", "bw:{s}");
                client.call("SET", "bw:{s}", "x");
                client.call("RPUSH", "bw:{l}", "a");
                return client.call("BLPOP", "bw:{s}", "bw:{l}", "0")
                        + client.call("BLPOP", "bw:{none}", "bw:{l}", "0")
                        + client.call("BLMOVE", "bw:{s}", "bw:{l}", "LEFT", "LEFT", "0")
                        + client.call("RPUSH", "bw:{l}", "b")
                        + client.call("BLMOVE", "bw:{l}", "bw:{s}", "LEFT", "LEFT", "0")
                        + client.call("BLMPOP", "0", "1", "bw:{s}", "LEFT")
                        + client.call("LRANGE", "bw:{l}", "0", "-1");
            }
        });
        assertThat(transcript).startsWith("-WRONGTYPE");
    }

    @Test
    void blmove_wokenWithWrongTypeDestinationRepliesWrongType() {
        try (RawClient waiter = new RawClient(servers.spinel().port()); RawClient other = new RawClient(servers.spinel().port())) {
            other.call("DEL", "bd:{s}", "bd:{d}");
            sendAndWait(waiter, "BLMOVE", "bd:{s}", "bd:{d}", "LEFT", "LEFT", "0");
            other.call("SET", "bd:{d}", "string");
            other.call("RPUSH", "bd:{s}", "a");
            assertThat(reply(waiter)).startsWith("-WRONGTYPE");
            assertThat(other.call("LRANGE", "bd:{s}", "0", "-1")).isEqualTo("*1\r\n$1\r\na\r\n");
        }
    }
}
