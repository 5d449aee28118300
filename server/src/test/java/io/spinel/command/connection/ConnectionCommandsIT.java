package io.spinel.command.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.protocol.ProtocolVersion;
import io.spinel.server.SpinelServer;
import io.spinel.testing.Differential;
import io.spinel.testing.RawClient;
import io.spinel.testing.RealRedis;
import io.spinel.testing.TestServer;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol.Command;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.args.ClientPauseMode;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * HELLO, AUTH, RESET, QUIT and CLIENT with real clients, and their error texts against a real
 * Redis; the connection limits (timeout, maxclients, protected-mode) against Redis started alike.
 */
class ConnectionCommandsIT {
    private static final List<String> CLIENT_LIST_FIELDS = List.of("id", "addr", "laddr", "fd", "name", "age", "idle",
            "flags", "db", "sub", "psub", "ssub", "multi", "qbuf", "qbuf-free", "argv-mem", "multi-mem", "rbs", "rbp",
            "obl", "oll", "omem", "tot-mem", "events", "cmd", "user", "redir", "resp", "lib-name", "lib-ver");

    @RegisterExtension
    static final Differential servers = new Differential();

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
        servers.assertSameReply(command.toArray(String[]::new));
    }

    @Test
    void hello_resp2AndResp3MapsAsRedis() {
        try (RawClient ours = new RawClient(servers.spinel().port()); RawClient theirs = new RawClient(servers.redis().port())) {
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
        try (Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", servers.spinel().port()), config)) {
            jedis.set("hello-key", "v");
            assertThat(jedis.get("hello-key")).isEqualTo("v");
            assertThat(jedis.clientInfo()).contains(" resp=3 ");
        }
        RedisClient lettuce = RedisClient.create(RedisURI.create("127.0.0.1", servers.spinel().port()));
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
    void auth_requirepassWithLettuceAndJedis() {
        try (SpinelServer secured = TestServer.start("requirepass", "s3cret")) {
            for (ProtocolVersion version : List.of(ProtocolVersion.RESP2, ProtocolVersion.RESP3)) {
                RedisClient lettuce = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(secured.port())
                        .withPassword("s3cret".toCharArray()).build());
                lettuce.setOptions(io.lettuce.core.ClientOptions.builder().protocolVersion(version).build());
                try (StatefulRedisConnection<String, String> connection = lettuce.connect()) {
                    assertThat(connection.sync().set("auth-k", "v")).as(version.name()).isEqualTo("OK");
                } finally {
                    lettuce.shutdown();
                }
            }
            var config = DefaultJedisClientConfig.builder().password("s3cret").protocol(RedisProtocol.RESP2).build();
            try (Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", secured.port()), config)) {
                assertThat(jedis.get("auth-k")).isEqualTo("v");
            }
            var wrong = DefaultJedisClientConfig.builder().password("nope").build();
            assertThatThrownBy(() -> {
                try (Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", secured.port()), wrong)) {
                    jedis.ping();
                }
            }).hasMessageContaining("WRONGPASS invalid username-password pair or user is disabled.");
        }
    }

    @Test
    void quit_closesAfterOk() {
        for (int port : new int[] {servers.spinel().port(), servers.redis().port()}) {
            try (RawClient client = new RawClient(port)) {
                client.send(RawClient.encode("QUIT"));
                client.send(RawClient.encode("PING"));
                assertThat(new String(client.readReply())).as("port " + port).isEqualTo("+OK\r\n");
                assertThat(client.closedByServer()).as("port " + port).isTrue();
            }
        }
    }

    @Test
    void timeout_closesIdleClientsButNotActiveOrBlockedOnes() throws Exception {
        try (SpinelServer ours = TestServer.start("timeout", "1"); RealRedis theirs = RealRedis.start("--timeout", "1")) {
            assertThat(idleClients(ours.port())).isEqualTo(idleClients(theirs.port()))
                    .containsExactly("idle closed", "active +PONG\r\n", "blocked :0\r\n");
        }
    }

    /**
     * With {@code timeout 1}: what happens within 3 s to an idle client, to one that sends PING
     * every 200 ms, and to one blocked in WAIT for 3 s.
     */
    private static List<String> idleClients(int port) throws InterruptedException {
        try (RawClient idle = new RawClient(port); RawClient active = new RawClient(port);
                RawClient blocked = new RawClient(port)) {
            assertThat(idle.call("PING")).isEqualTo("+PONG\r\n");
            blocked.send(RawClient.encode("WAIT", "1", "3000"));
            long end = System.nanoTime() + 3_000_000_000L;
            String lastPong = null;
            while (System.nanoTime() < end) {
                lastPong = active.call("PING");
                Thread.sleep(200);
            }
            byte[] waited = blocked.readReply();
            return List.of(idle.closedByServer() ? "idle closed" : "idle open", "active " + lastPong,
                    "blocked " + (waited == null ? "closed" : new String(waited)));
        }
    }

    @Test
    void maxclients_refusesTheConnectionOverTheLimit() {
        try (SpinelServer ours = TestServer.start("maxclients", "1"); RealRedis theirs = RealRedis.start("--maxclients", "1")) {
            assertThat(refusedOverLimit(ours.port())).isEqualTo(refusedOverLimit(theirs.port()))
                    .isEqualTo("-ERR max number of clients reached\r\n<closed>");
        }
    }

    /** What a second client gets from a server whose one allowed client is connected. */
    private static String refusedOverLimit(int port) {
        try (RawClient first = firstClient(port); RawClient second = new RawClient(port)) {
            second.send(RawClient.encode("PING"));
            byte[] reply = second.readReply();
            return (reply == null ? "" : new String(reply)) + (second.closedByServer() ? "<closed>" : "<open>");
        }
    }

    /**
     * The one client a maxclients-1 server accepts. The server may still count the connection its
     * start-up check made (a closed connection is forgotten asynchronously), so retry for a while.
     */
    private static RawClient firstClient(int port) {
        for (int attempt = 0; ; attempt++) {
            RawClient client = new RawClient(port);
            String reply = client.call("PING");
            if (reply.equals("+PONG\r\n") || attempt == 100) {
                assertThat(reply).isEqualTo("+PONG\r\n");
                return client;
            }
            client.close();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void protectedMode_refusesNonLoopbackClients() throws Exception {
        InetAddress external = nonLoopbackAddress();
        Assumptions.assumeTrue(external != null, "no non-loopback IPv4 address on this machine");
        try (SpinelServer ours = TestServer.start("bind", "*"); RealRedis theirs = RealRedis.start("--bind", "*")) {
            String refusal = greeting(external, theirs.port());
            assertThat(refusal).startsWith("-DENIED Redis is running in protected mode").endsWith("\r\n");
            assertThat(greeting(external, ours.port())).isEqualTo(refusal);
            try (RawClient local = new RawClient(ours.port())) {
                assertThat(local.call("PING")).isEqualTo("+PONG\r\n");
            }
        }
    }

    /** A non-loopback IPv4 address of this machine, or null. */
    private static InetAddress nonLoopbackAddress() throws IOException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp() && !nic.isLoopback()) {
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet4Address) {
                        return address;
                    }
                }
            }
        }
        return null;
    }

    /** Everything a server sends to a new connection from {@code address} before closing it. */
    private static String greeting(InetAddress address, int port) throws IOException {
        try (Socket socket = new Socket(address, port)) {
            socket.setSoTimeout(5_000);
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void clientList_fieldsInRedisOrder() {
        try (Jedis a = new Jedis("127.0.0.1", servers.spinel().port()); Jedis b = new Jedis("127.0.0.1", servers.spinel().port())) {
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
        try (Jedis killer = new Jedis("127.0.0.1", servers.spinel().port()); RawClient victim = new RawClient(servers.spinel().port());
                RawClient second = new RawClient(servers.spinel().port())) {
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
        try (RawClient raw = new RawClient(servers.spinel().port())) {
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
        try (Jedis admin = new Jedis("127.0.0.1", servers.spinel().port()); RawClient writer = new RawClient(servers.spinel().port())) {
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
        try (RawClient admin = new RawClient(servers.spinel().port()); RawClient other = new RawClient(servers.spinel().port())) {
            long start = System.nanoTime();
            assertThat(admin.call("CLIENT", "PAUSE", "300", "ALL")).isEqualTo("+OK\r\n");
            assertThat(other.call("PING")).isEqualTo("+PONG\r\n");
            assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(250);
        }
    }

    @Test
    void clientSetinfo_shownInClientInfo() {
        try (Jedis jedis = new Jedis("127.0.0.1", servers.spinel().port())) {
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
