package io.spinel.command.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.protocol.ProtocolVersion;
import io.spinel.server.SpinelServer;
import io.spinel.testing.RawClient;
import io.spinel.testing.RealRedis;
import io.spinel.testing.TestServer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol.Command;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.args.ClientPauseMode;
import redis.clients.jedis.exceptions.JedisDataException;

/** HELLO, AUTH, RESET and CLIENT with real clients, and their error texts against a real Redis. */
class ConnectionCommandsIT {
    private static final List<String> CLIENT_LIST_FIELDS = List.of("id", "addr", "laddr", "fd", "name", "age", "idle",
            "flags", "db", "sub", "psub", "ssub", "multi", "qbuf", "qbuf-free", "argv-mem", "multi-mem", "rbs", "rbp",
            "obl", "oll", "omem", "tot-mem", "events", "cmd", "user", "redir", "resp", "lib-name", "lib-ver");

    private static SpinelServer spinel;
    private static RealRedis redis;

    @BeforeAll
    static void start() {
        spinel = TestServer.start();
        redis = RealRedis.start();
    }

    @AfterAll
    static void stop() {
        spinel.close();
        redis.close();
    }

    static List<List<String>> commands() {
        return List.of(
                List.of("HELLO", "4"),
                List.of("HELLO", "x"),
                List.of("HELLO", "3", "foo"),
                List.of("HELLO", "3", "auth", "a"),
                List.of("HELLO", "2", "AUTH", "nobody", "x"),
                List.of("HELLO", "2", "SETNAME", "a b"),
                List.of("AUTH", "a"),
                List.of("AUTH", "a", "b"),
                List.of("AUTH", "a", "b", "c"),
                List.of("RESET"),
                List.of("CLIENT", "SETNAME", "a b"),
                List.of("CLIENT", "SETNAME", "ok-name"),
                List.of("CLIENT", "GETNAME"),
                List.of("CLIENT", "REPLY", "foo"),
                List.of("CLIENT", "REPLY", "ON"),
                List.of("CLIENT", "PAUSE", "x"),
                List.of("CLIENT", "PAUSE", "-1"),
                List.of("CLIENT", "PAUSE", "10", "foo"),
                List.of("CLIENT", "PAUSE", "10", "write", "x"),
                List.of("CLIENT", "UNPAUSE"),
                List.of("CLIENT", "KILL", "1.2.3.4:5"),
                List.of("CLIENT", "KILL", "ID"),
                List.of("CLIENT", "KILL", "ID", "x"),
                List.of("CLIENT", "KILL", "ID", "99999"),
                List.of("CLIENT", "KILL", "TYPE", "foo"),
                List.of("CLIENT", "KILL", "TYPE", "pubsub"),
                List.of("CLIENT", "KILL", "USER", "nobody"),
                List.of("CLIENT", "KILL", "SKIPME", "maybe"),
                List.of("CLIENT", "KILL", "ID", "1", "SKIPME"),
                List.of("CLIENT", "KILL", "foo", "bar"),
                List.of("CLIENT", "LIST", "TYPE", "x"),
                List.of("CLIENT", "LIST", "ID", "x"),
                List.of("CLIENT", "LIST", "ID", "99999"),
                List.of("CLIENT", "LIST", "foo"),
                List.of("CLIENT", "NO-EVICT", "maybe"),
                List.of("CLIENT", "NO-EVICT", "on"),
                List.of("CLIENT", "NOSUCH"));
    }

    @ParameterizedTest
    @MethodSource("commands")
    void connection_sameReplyAsRedis(List<String> command) {
        String[] args = command.toArray(String[]::new);
        try (RawClient ours = new RawClient(spinel.port()); RawClient theirs = new RawClient(redis.port())) {
            assertThat(ours.call(args)).as(String.join(" ", command)).isEqualTo(theirs.call(args));
        }
    }

    @Test
    void hello_resp2AndResp3MapsAsRedis() {
        try (RawClient ours = new RawClient(spinel.port()); RawClient theirs = new RawClient(redis.port())) {
            for (String version : List.of("3", "2")) {
                String mine = ours.call("HELLO", version);
                String real = theirs.call("HELLO", version);
                assertThat(mask(mine)).isEqualTo(mask(real));
                assertThat(mine).contains("7.2.4");
            }
        }
    }

    /** The reply with its id and version values blanked, the parts that differ by nature. */
    private static String mask(String reply) {
        return reply.replaceAll("id\r\n:\\d+", "id\r\n:N").replaceAll("version\r\n\\$\\d+\r\n[0-9.]+", "version\r\nV");
    }

    @Test
    void hello_jedisResp3AndLettuce() {
        var config = DefaultJedisClientConfig.builder().protocol(RedisProtocol.RESP3).build();
        try (Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", spinel.port()), config)) {
            jedis.set("hello-key", "v");
            assertThat(jedis.get("hello-key")).isEqualTo("v");
            assertThat(jedis.clientInfo()).contains(" resp=3 ");
        }
        RedisClient lettuce = RedisClient.create(RedisURI.create("127.0.0.1", spinel.port()));
        lettuce.setOptions(io.lettuce.core.ClientOptions.builder().protocolVersion(ProtocolVersion.RESP3).build());
        try (StatefulRedisConnection<String, String> connection = lettuce.connect()) {
            assertThat(connection.sync().ping()).isEqualTo("PONG");
            assertThat(connection.sync().clientInfo()).contains(" resp=3 ").contains(" lib-name=Lettuce ");
        } finally {
            lettuce.shutdown();
        }
    }

    @Test
    void auth_withRequirepass() {
        try (SpinelServer secured = TestServer.start("requirepass", "s3cret");
                RawClient raw = new RawClient(secured.port())) {
            assertThat(raw.call("GET", "k")).isEqualTo("-NOAUTH Authentication required.\r\n");
            assertThat(raw.call("HELLO", "3")).startsWith("-NOAUTH HELLO must be called");
            assertThat(raw.call("AUTH", "wrong")).isEqualTo("-WRONGPASS invalid username-password pair or user is disabled.\r\n");
            assertThat(raw.call("AUTH", "default", "s3cret")).isEqualTo("+OK\r\n");
            assertThat(raw.call("RESET")).isEqualTo("+RESET\r\n");
            assertThat(raw.call("PING")).isEqualTo("-NOAUTH Authentication required.\r\n");
            assertThat(raw.call("HELLO", "2", "AUTH", "default", "s3cret", "SETNAME", "me")).startsWith("*14\r\n");
            assertThat(raw.call("CLIENT", "GETNAME")).isEqualTo("$2\r\nme\r\n");
            var config = DefaultJedisClientConfig.builder().password("s3cret").protocol(RedisProtocol.RESP3).build();
            try (Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", secured.port()), config)) {
                assertThat(jedis.ping()).isEqualTo("PONG");
            }
        }
    }

    @Test
    void clientList_fieldsInRedisOrder() {
        try (Jedis a = new Jedis("127.0.0.1", spinel.port()); Jedis b = new Jedis("127.0.0.1", spinel.port())) {
            a.clientSetname("first");
            b.ping();
            String list = a.clientList();
            assertThat(list).endsWith("\n");
            long myId = a.clientId();
            boolean seenSelf = false;
            for (String line : list.split("\n")) {
                Map<String, String> fields = new HashMap<>();
                List<String> names = new java.util.ArrayList<>();
                for (String pair : line.split(" ")) {
                    int eq = pair.indexOf('=');
                    names.add(pair.substring(0, eq));
                    fields.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
                assertThat(names).isEqualTo(CLIENT_LIST_FIELDS);
                if (Long.parseLong(fields.get("id")) == myId) {
                    seenSelf = true;
                    assertThat(fields).containsEntry("name", "first").containsEntry("cmd", "client|list")
                            .containsEntry("flags", "N").containsEntry("db", "0");
                }
            }
            assertThat(seenSelf).isTrue();
            assertThat(a.clientList(b.clientId())).contains("id=" + b.clientId() + " ").doesNotContain("name=first");
        }
    }

    @Test
    void clientKill_byIdAndAddress() {
        try (Jedis killer = new Jedis("127.0.0.1", spinel.port()); RawClient victim = new RawClient(spinel.port());
                RawClient second = new RawClient(spinel.port())) {
            String id = victim.call("CLIENT", "ID").substring(1).trim();
            assertThat(killer.sendCommand(Command.CLIENT, "KILL", "ID", id)).isEqualTo(1L);
            assertThat(victim.closedByServer()).isTrue();
            String info = second.call("CLIENT", "INFO");
            String addr = info.substring(info.indexOf("addr=") + 5, info.indexOf(' ', info.indexOf("addr=")));
            assertThat(killer.clientKill(addr)).isEqualTo("OK");
            assertThat(second.closedByServer()).isTrue();
            assertThat(killer.ping()).isEqualTo("PONG");
        }
    }

    @Test
    void clientReply_offSkipOn() {
        try (RawClient raw = new RawClient(spinel.port())) {
            raw.send(RawClient.encode("CLIENT", "REPLY", "OFF"));
            raw.send(RawClient.encode("SET", "reply-k", "1"));
            raw.send(RawClient.encode("CLIENT", "REPLY", "SKIP"));
            raw.send(RawClient.encode("CLIENT", "REPLY", "ON"));
            assertThat(new String(raw.readReply())).isEqualTo("+OK\r\n");
            raw.send(RawClient.encode("CLIENT", "REPLY", "SKIP"));
            raw.send(RawClient.encode("GET", "reply-k"));
            assertThat(raw.call("GET", "reply-k")).isEqualTo("$1\r\n1\r\n");
        }
    }

    @Test
    void clientPause_writeHoldsWritesUntilUnpause() throws Exception {
        try (Jedis admin = new Jedis("127.0.0.1", spinel.port()); RawClient writer = new RawClient(spinel.port())) {
            assertThat(admin.clientPause(10_000, ClientPauseMode.WRITE)).isEqualTo("OK");
            writer.send(RawClient.encode("SET", "paused-k", "v"));
            Thread.sleep(200);
            assertThat(admin.get("paused-k")).as("reads go on, the write waits").isNull();
            assertThat(admin.clientUnpause()).isEqualTo("OK");
            assertThat(new String(writer.readReply())).isEqualTo("+OK\r\n");
            assertThat(admin.get("paused-k")).isEqualTo("v");
        }
    }

    @Test
    void clientPause_allEndsAtTimeout() {
        try (RawClient admin = new RawClient(spinel.port()); RawClient other = new RawClient(spinel.port())) {
            long start = System.nanoTime();
            assertThat(admin.call("CLIENT", "PAUSE", "300", "ALL")).isEqualTo("+OK\r\n");
            assertThat(other.call("PING")).isEqualTo("+PONG\r\n");
            assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(250);
        }
    }

    @Test
    void clientSetinfo_shownInClientInfo() {
        try (Jedis jedis = new Jedis("127.0.0.1", spinel.port())) {
            assertThat(jedis.sendCommand(Command.CLIENT, "SETINFO", "LIB-NAME", "mylib")).isNotNull();
            assertThat(jedis.clientInfo()).contains(" lib-name=mylib ");
            assertThatThrownBy(() -> jedis.sendCommand(Command.CLIENT, "SETINFO", "LIB-NAME", "a b"))
                    .isInstanceOf(JedisDataException.class).hasMessage("ERR LIB-NAME cannot contain spaces, newlines or special characters.");
            assertThatThrownBy(() -> jedis.sendCommand(Command.CLIENT, "SETINFO", "foo", "a"))
                    .isInstanceOf(JedisDataException.class).hasMessage("ERR Unrecognized option 'foo'");
        }
    }

    @Test
    void clientOutputBufferLimit_closesNormalClient() {
        try (SpinelServer limited = TestServer.start("client-output-buffer-limit", "normal 1kb 0 0");
                RawClient raw = new RawClient(limited.port())) {
            assertThat(raw.call("PING")).isEqualTo("+PONG\r\n");
            raw.send(RawClient.encode("CLIENT", "HELP"));
            assertThat(raw.closedByServer()).isTrue();
        }
    }
}
