package io.spinel.command.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.Consumer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.spinel.store.Database;
import io.spinel.store.KeyspaceListener;
import io.spinel.testing.Differential;
import io.spinel.testing.RawClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XAutoClaimParams;
import redis.clients.jedis.params.XPendingParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.resps.StreamPendingEntry;

/**
 * The stream commands over a socket: blocking reads on several connections compared with a real
 * Redis where Redis 7.0 and 7.2 agree, Redis 7.2's answers to a blocked XREADGROUP whose key or
 * group goes away, a consumer-group life cycle through Jedis, and the common commands through
 * Lettuce. Replies of single commands are compared with Redis by the differential corpus.
 */
class StreamCommandsIT {
    @RegisterExtension
    static final Differential servers = new Differential().spinelSettings("enable-debug-command", "yes")
            .redisArgs("--enable-debug-command", "yes");

    // ---- blocking reads: several connections, the same scenario on Spinel and on Redis

    /** A scenario over several connections to one server, returning a transcript of the replies. */
    @FunctionalInterface
    private interface Scenario {
        String run(int port);
    }

    private static String sameOnBoth(Scenario scenario) {
        String ours = scenario.run(servers.spinel().port());
        String theirs = scenario.run(servers.redis().port());
        assertThat(ours).isEqualTo(theirs);
        return ours;
    }

    /** Sends a command without reading its reply, then gives the server time to block the client. */
    private static void sendAndWait(RawClient client, String... command) {
        client.send(RawClient.encode(command));
        pause(100);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String reply(RawClient client) {
        return new String(client.readReply(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void xread_blockedReadersWokenInTheOrderTheyBlocked() {
        String transcript = sameOnBoth(port -> {
            try (RawClient control = new RawClient(port); RawClient first = new RawClient(port);
                 RawClient second = new RawClient(port); RawClient group1 = new RawClient(port);
                 RawClient group2 = new RawClient(port)) {
                control.call("FLUSHALL");
                control.call("XADD", "s", "1-1", "a", "1");
                control.call("XGROUP", "CREATE", "s", "g", "$");
                sendAndWait(first, "XREAD", "BLOCK", "0", "STREAMS", "s", "$");
                sendAndWait(second, "XREAD", "COUNT", "5", "BLOCK", "0", "STREAMS", "other", "s", "$", "$");
                sendAndWait(group1, "XREADGROUP", "GROUP", "g", "c1", "BLOCK", "0", "STREAMS", "s", ">");
                sendAndWait(group2, "XREADGROUP", "GROUP", "g", "c2", "COUNT", "1", "BLOCK", "0", "STREAMS", "s", ">");
                StringBuilder out = new StringBuilder(control.call("XADD", "s", "2-1", "b", "2"));
                out.append(reply(first)).append(reply(second)).append(reply(group1));
                out.append(control.call("XADD", "s", "3-1", "c", "3"));
                out.append(reply(group2));
                out.append(control.call("XPENDING", "s", "g"));
                return out.toString();
            }
        });
        assertThat(transcript).contains("$2\r\nc1\r\n$1\r\n1", "$2\r\nc2\r\n$1\r\n1");
    }

    @Test
    void xread_timeoutAndStreamsThatRunDry() {
        sameOnBoth(port -> {
            try (RawClient control = new RawClient(port); RawClient reader = new RawClient(port)) {
                control.call("FLUSHALL");
                control.call("XADD", "s", "1-1", "a", "1");
                StringBuilder out = new StringBuilder(reader.call("XREAD", "BLOCK", "50", "STREAMS", "s", "$"));
                control.call("XGROUP", "CREATE", "s", "g", "$");
                out.append(reader.call("XREADGROUP", "GROUP", "g", "c", "BLOCK", "50", "STREAMS", "s", ">"));
                // An ID other than > never blocks: the consumer's (empty) history at once.
                out.append(reader.call("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", "0"));
                // A deleted key does not wake XREAD; the stream created again does.
                sendAndWait(reader, "XREAD", "BLOCK", "0", "STREAMS", "s", "$");
                out.append(control.call("DEL", "s"));
                out.append(control.call("SET", "s", "string"));
                out.append(control.call("DEL", "s"));
                out.append(control.call("XADD", "s", "2-1", "f", "v"));
                out.append(reply(reader));
                return out.toString();
            }
        });
    }

    /**
     * Redis 7.2 runs a blocked XREADGROUP again when its key is deleted, changes type or loses
     * its group, which answers NOGROUP or WRONGTYPE (the 7.0 oracle answers other texts).
     */
    @Test
    void xreadgroup_blockedReaderAnsweredWhenKeyOrGroupGoes() {
        int port = servers.spinel().port();
        String noGroup = "-NOGROUP No such key 's' or consumer group 'g' in XREADGROUP with GROUP option\r\n";
        String[][] actions = {{"DEL", "s"}, {"XGROUP", "DESTROY", "s", "g"}, {"FLUSHALL"}, {"SET", "s", "x"},
            {"FLUSHDB"}};
        String[] expected = {noGroup, noGroup, noGroup,
            "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", noGroup};
        for (int i = 0; i < actions.length; i++) {
            try (RawClient control = new RawClient(port); RawClient reader = new RawClient(port)) {
                control.call("FLUSHALL");
                control.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
                sendAndWait(reader, "XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">");
                control.call(actions[i]);
                assertThat(reply(reader)).as(String.join(" ", actions[i])).isEqualTo(expected[i]);
                assertThat(control.call("INFO", "clients")).contains("blocked_clients:0");
            }
        }
    }

    /**
     * A blocked XREADGROUP whose stream expires is answered without any other command when the
     * active expiry reclaims the key, and by the command that finds it expired when active expiry
     * is off (EXISTS, or an XADD that creates the key again, which has no group then). Redis 7.0
     * answers each of these at the same moment with its own text; Redis 7.2 runs the command
     * again, which answers NOGROUP, as Spinel does.
     */
    @Test
    void xreadgroup_blockedReaderAnsweredWhenItsKeyExpires() {
        String noGroup = "-NOGROUP No such key 's' or consumer group 'g' in XREADGROUP with GROUP option\r\n";
        String[][] lazyTriggers = {null, {"EXISTS", "s"}, {"XADD", "s", "5-5", "f", "v"}};
        String[] redis70 = {"-UNBLOCKED the stream key no longer exists\r\n", "-UNBLOCKED the stream key no longer exists\r\n",
            "-NOGROUP the consumer group this client was blocked on no longer exists\r\n"};
        for (int t = 0; t < lazyTriggers.length; t++) {
            String[] trigger = lazyTriggers[t];
            for (boolean spinel : new boolean[] {true, false}) {
                int port = spinel ? servers.spinel().port() : servers.redis().port();
                try (RawClient control = new RawClient(port); RawClient reader = new RawClient(port)) {
                    control.call("FLUSHALL");
                    control.call("DEBUG", "SET-ACTIVE-EXPIRE", trigger == null ? "1" : "0");
                    control.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
                    control.call("PEXPIRE", "s", "150");
                    sendAndWait(reader, "XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">");
                    pause(200);
                    if (trigger != null) {
                        assertThat(control.call("INFO", "clients")).contains("blocked_clients:1");
                        control.call(trigger);
                    }
                    String what = (spinel ? "Spinel, " : "Redis, ") + (trigger == null ? "active expiry" : String.join(" ", trigger));
                    assertThat(reply(reader)).as(what).isEqualTo(spinel ? noGroup : redis70[t]);
                    assertThat(control.call("INFO", "clients")).as(what).contains("blocked_clients:0");
                    control.call("DEBUG", "SET-ACTIVE-EXPIRE", "1");
                }
            }
        }
    }

    /**
     * A blocked XREADGROUP whose stream is evicted is answered as for any other deletion (Redis
     * 7.2 deletes evicted keys through dbGenericDelete, which signals them). Spinel only: which
     * key goes depends on memory figures; here the stream is the only key with a TTL, under
     * volatile-ttl, and maxmemory is below anything.
     */
    @Test
    void xreadgroup_blockedReaderAnsweredWhenItsKeyIsEvicted() {
        int port = servers.spinel().port();
        try (RawClient control = new RawClient(port); RawClient reader = new RawClient(port)) {
            control.call("FLUSHALL");
            control.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
            control.call("PEXPIRE", "s", "100000");
            sendAndWait(reader, "XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">");
            try {
                control.call("CONFIG", "SET", "maxmemory-policy", "volatile-ttl", "maxmemory", "1");
                control.call("SET", "x", "y");
            } finally {
                control.call("CONFIG", "SET", "maxmemory", "0", "maxmemory-policy", "noeviction");
            }
            assertThat(reply(reader)).isEqualTo("-NOGROUP No such key 's' or consumer group 'g' in XREADGROUP with GROUP option\r\n");
            assertThat(control.call("EXISTS", "s")).isEqualTo(":0\r\n");
            assertThat(control.call("INFO", "clients")).contains("blocked_clients:0");
        }
    }

    /** A blocked XREAD outlives its stream's expiry (active or lazy) and is served by the stream created again. */
    @Test
    void xread_blockedReaderWaitsThroughItsKeysExpiry() {
        sameOnBoth(port -> {
            StringBuilder out = new StringBuilder();
            for (String active : new String[] {"1", "0"}) {
                try (RawClient control = new RawClient(port); RawClient reader = new RawClient(port)) {
                    control.call("FLUSHALL");
                    control.call("DEBUG", "SET-ACTIVE-EXPIRE", active);
                    control.call("XADD", "s", "1-1", "a", "1");
                    control.call("PEXPIRE", "s", "150");
                    sendAndWait(reader, "XREAD", "BLOCK", "0", "STREAMS", "s", "$");
                    pause(400);
                    out.append(control.call("EXISTS", "s"));
                    out.append(control.call("INFO", "clients").contains("blocked_clients:1"));
                    out.append(control.call("XADD", "s", "1-2", "b", "2"));
                    out.append(reply(reader));
                    control.call("DEBUG", "SET-ACTIVE-EXPIRE", "1");
                }
            }
            return out.toString();
        });
    }

    @Test
    void xreadgroup_keyRenamedOverTheBlockedKey() {
        int port = servers.spinel().port();
        try (RawClient control = new RawClient(port); RawClient reader = new RawClient(port)) {
            control.call("FLUSHALL");
            control.call("XGROUP", "CREATE", "{t}s", "g", "$", "MKSTREAM");
            sendAndWait(reader, "XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "{t}s", ">");
            control.call("XGROUP", "CREATE", "{t}s2", "g", "$", "MKSTREAM");
            control.call("XADD", "{t}s2", "100-1", "f1", "v1");
            control.call("RENAME", "{t}s2", "{t}s");
            assertThat(reply(reader)).isEqualTo(
                    "*1\r\n*2\r\n$4\r\n{t}s\r\n*1\r\n*2\r\n$5\r\n100-1\r\n*2\r\n$2\r\nf1\r\n$2\r\nv1\r\n");
        }
    }

    /** Redis 7.4's XREAD +: the last entry of each stream, whatever COUNT says. */
    @Test
    void xread_plusReadsTheLastEntry() {
        try (RawClient client = new RawClient(servers.spinel().port())) {
            client.call("FLUSHALL");
            client.call("XADD", "s", "1-1", "a", "1");
            client.call("XADD", "s", "2-1", "b", "2");
            assertThat(client.call("XREAD", "COUNT", "5", "STREAMS", "s", "none", "+", "+"))
                    .isEqualTo("*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n2-1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n");
            assertThat(client.call("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "+"))
                    .startsWith("-NOGROUP");
        }
    }

    @Test
    void xpendingAndXclaim_idleTimes() {
        try (RawClient client = new RawClient(servers.spinel().port())) {
            client.call("FLUSHALL");
            client.call("XADD", "s", "1-1", "a", "1");
            client.call("XADD", "s", "1-2", "a", "2");
            client.call("XGROUP", "CREATE", "s", "g", "0");
            client.call("XREADGROUP", "GROUP", "g", "c1", "STREAMS", "s", ">");
            long past = System.currentTimeMillis() - 60_000;
            client.call("XCLAIM", "s", "g", "c1", "0", "1-1", "TIME", Long.toString(past), "JUSTID");
            assertThat(client.call("XPENDING", "s", "g", "IDLE", "30000", "-", "+", "10"))
                    .startsWith("*1\r\n*4\r\n$3\r\n1-1\r\n$2\r\nc1\r\n:");
            assertThat(client.call("XCLAIM", "s", "g", "c2", "30000", "1-1", "1-2", "JUSTID"))
                    .isEqualTo("*1\r\n$3\r\n1-1\r\n");
            assertThat(client.call("XINFO", "CONSUMERS", "s", "g")).contains("$2\r\nc2\r\n$7\r\npending\r\n:1\r\n");
            client.call("XCLAIM", "s", "g", "c1", "0", "1-2", "IDLE", "45000", "JUSTID");
            assertThat(client.call("XAUTOCLAIM", "s", "g", "c3", "40000", "0", "JUSTID"))
                    .isEqualTo("*3\r\n$3\r\n0-0\r\n*1\r\n$3\r\n1-2\r\n*0\r\n");
        }
    }

    /** Each command's keyspace events and modification signals, in Redis's order (t_stream.c). */
    @Test
    void keyspaceEvents_asRedisFiresThem() {
        List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        servers.spinel().context().keyspace().addListener(new KeyspaceListener() {
            @Override
            public void keyModified(Database db, byte[] key) {
                if (new String(key, StandardCharsets.ISO_8859_1).equals("ev")) {
                    events.add("modified");
                }
            }

            @Override
            public void keyEvent(Database db, byte[] key, int eventClass, String event) {
                if (new String(key, StandardCharsets.ISO_8859_1).equals("ev")) {
                    events.add(event);
                }
            }
        });
        try (RawClient client = new RawClient(servers.spinel().port())) {
            String[][] commands = {
                {"XGROUP", "CREATE", "ev", "g0", "$", "MKSTREAM"},
                {"XADD", "ev", "1-1", "a", "1"}, {"XADD", "ev", "MAXLEN", "1", "2-1", "a", "2"},
                {"XTRIM", "ev", "MAXLEN", "5"}, {"XTRIM", "ev", "MAXLEN", "0"}, {"XADD", "ev", "3-1", "a", "3"},
                {"XDEL", "ev", "9-9"}, {"XDEL", "ev", "3-1"}, {"XSETID", "ev", "5-0"},
                {"XGROUP", "CREATE", "ev", "g", "0"}, {"XGROUP", "CREATECONSUMER", "ev", "g", "c"},
                {"XGROUP", "SETID", "ev", "g", "0"}, {"XADD", "ev", "6-1", "a", "6"},
                {"XREADGROUP", "GROUP", "g", "c2", "STREAMS", "ev", ">"}, {"XACK", "ev", "g", "6-1"},
                {"XCLAIM", "ev", "g", "c3", "0", "6-1", "FORCE"}, {"XGROUP", "DELCONSUMER", "ev", "g", "c"},
                {"XGROUP", "DESTROY", "ev", "g"}};
            for (String[] command : commands) {
                client.call(command);
                events.add("|");
            }
        }
        assertThat(String.join(" ", events)).isEqualTo("new modified xgroup-create | modified xadd"
                + " | modified xadd xtrim | | modified xtrim"
                + " | modified xadd | | modified xdel | modified xsetid | xgroup-create | xgroup-createconsumer"
                + " | xgroup-setid | modified xadd | xgroup-createconsumer | | xgroup-createconsumer"
                + " | xgroup-delconsumer | xgroup-destroy |");
    }

    // ---- consumer groups through real clients

    /**
     * Three consumers share a group; one dies holding unacknowledged entries, another takes them
     * over with XAUTOCLAIM; blocked readers are woken in the order they blocked.
     */
    @Test
    void jedis_consumerGroupLifeCycle() throws Exception {
        int port = servers.spinel().port();
        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
            jedis.flushAll();
            jedis.xgroupCreate("orders", "workers", StreamEntryID.XGROUP_LAST_ENTRY, true);
            for (int i = 1; i <= 6; i++) {
                jedis.xadd("orders", new StreamEntryID(i, 0), Map.of("order", Integer.toString(i)));
            }
            Map<String, StreamEntryID> undelivered = Map.of("orders", StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY);
            List<Map.Entry<String, List<StreamEntry>>> alice = jedis.xreadGroup("workers", "alice",
                    XReadGroupParams.xReadGroupParams().count(2), undelivered);
            List<Map.Entry<String, List<StreamEntry>>> bob = jedis.xreadGroup("workers", "bob",
                    XReadGroupParams.xReadGroupParams().count(2), undelivered);
            List<Map.Entry<String, List<StreamEntry>>> carol = jedis.xreadGroup("workers", "carol",
                    XReadGroupParams.xReadGroupParams().count(2), undelivered);
            assertThat(alice.get(0).getValue()).extracting(e -> e.getID().toString()).containsExactly("1-0", "2-0");
            assertThat(bob.get(0).getValue()).extracting(e -> e.getID().toString()).containsExactly("3-0", "4-0");
            assertThat(carol.get(0).getValue()).extracting(e -> e.getID().toString()).containsExactly("5-0", "6-0");
            jedis.xack("orders", "workers", new StreamEntryID(1, 0), new StreamEntryID(2, 0));
            jedis.xack("orders", "workers", new StreamEntryID(5, 0));
            // bob dies with 3-0 and 4-0 pending; alice takes them over.
            List<StreamPendingEntry> pending = jedis.xpending("orders", "workers",
                    XPendingParams.xPendingParams().count(10).consumer("bob"));
            assertThat(pending).extracting(p -> p.getID().toString()).containsExactly("3-0", "4-0");
            Map.Entry<StreamEntryID, List<StreamEntry>> claimed = jedis.xautoclaim("orders", "workers", "alice", 0,
                    new StreamEntryID(0, 0), XAutoClaimParams.xAutoClaimParams().count(10));
            assertThat(claimed.getKey().toString()).isEqualTo("0-0");
            assertThat(claimed.getValue()).extracting(e -> e.getID().toString()).containsExactly("3-0", "4-0", "6-0");
            assertThat(claimed.getValue().get(0).getFields()).containsEntry("order", "3");
            assertThat(jedis.xpending("orders", "workers").getConsumerMessageCount()).containsOnly(Map.entry("alice", 3L));
            assertThat(jedis.xgroupDelConsumer("orders", "workers", "bob")).isZero();
            assertThat(jedis.xack("orders", "workers", new StreamEntryID(3, 0), new StreamEntryID(4, 0),
                    new StreamEntryID(6, 0))).isEqualTo(3);
            assertThat(jedis.xinfoGroups("orders").get(0).getPending()).isZero();
            assertThat(jedis.xinfoGroups("orders").get(0).getGroupInfo()).containsEntry("lag", 0L);

            // Blocked readers of the group are served in the order they blocked, one entry each.
            try (RawClient first = new RawClient(port); RawClient second = new RawClient(port)) {
                sendAndWait(first, "XREADGROUP", "GROUP", "workers", "alice", "COUNT", "1", "BLOCK", "0",
                        "STREAMS", "orders", ">");
                sendAndWait(second, "XREADGROUP", "GROUP", "workers", "carol", "COUNT", "1", "BLOCK", "0",
                        "STREAMS", "orders", ">");
                jedis.xadd("orders", new StreamEntryID(7, 0), Map.of("order", "7"));
                jedis.xadd("orders", new StreamEntryID(8, 0), Map.of("order", "8"));
                assertThat(reply(first)).contains("7-0");
                assertThat(reply(second)).contains("8-0");
            }
            assertThat(jedis.xlen("orders")).isEqualTo(8);
            assertThat(jedis.xrange("orders", "(6-0", "+")).extracting(e -> e.getID().toString())
                    .containsExactly("7-0", "8-0");
        }
    }

    @Test
    void lettuce_commonCommands() {
        RedisClient redisClient = RedisClient.create("redis://127.0.0.1:" + servers.spinel().port());
        try (StatefulRedisConnection<String, String> connection = redisClient.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            redis.del("lt:s");
            String first = redis.xadd("lt:s", Map.of("temperature", "21"));
            assertThat(first).matches("\\d+-\\d+");
            redis.xadd("lt:s", XAddArgs.Builder.maxlen(2).exactTrimming(), Map.of("temperature", "22"));
            redis.xadd("lt:s", XAddArgs.Builder.maxlen(2).exactTrimming(), Map.of("temperature", "23"));
            assertThat(redis.xlen("lt:s")).isEqualTo(2);
            List<StreamMessage<String, String>> range = redis.xrange("lt:s", io.lettuce.core.Range.create("-", "+"));
            assertThat(range).extracting(m -> m.getBody().get("temperature")).containsExactly("22", "23");
            assertThat(redis.xgroupCreate(XReadArgs.StreamOffset.from("lt:s", "0"), "g",
                    XGroupCreateArgs.Builder.mkstream())).isEqualTo("OK");
            List<StreamMessage<String, String>> read = redis.xreadgroup(Consumer.from("g", "c"),
                    XReadArgs.StreamOffset.lastConsumed("lt:s"));
            assertThat(read).hasSize(2);
            assertThat(redis.xack("lt:s", "g", read.get(0).getId())).isEqualTo(1);
            assertThat(redis.xpending("lt:s", "g").getCount()).isEqualTo(1);
            assertThat(redis.xtrim("lt:s", 1)).isEqualTo(1);
            assertThat(redis.xdel("lt:s", read.get(1).getId())).isEqualTo(1);
            assertThat(redis.type("lt:s")).isEqualTo("stream");
            assertThat(redis.objectEncoding("lt:s")).isEqualTo("stream");
        } finally {
            redisClient.shutdown();
        }
    }
}
