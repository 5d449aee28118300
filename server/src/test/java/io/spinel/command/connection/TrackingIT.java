package io.spinel.command.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.support.caching.CacheAccessor;
import io.lettuce.core.support.caching.CacheFrontend;
import io.lettuce.core.support.caching.ClientSideCaching;
import io.spinel.server.SpinelServer;
import io.spinel.testing.RawClient;
import io.spinel.testing.RealRedis;
import io.spinel.testing.TestServer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Client-side caching compared with real Redis: scripts over several connections (t tracks, w
 * writes, r receives redirected invalidations) run on both servers, and the transcripts of
 * replies and push messages must be byte-identical.
 *
 * <p>A script line is {@code <connection> <command...>}; {@code <connection> ~} collects the
 * push messages that connection has received so far (it sends PING and records everything up
 * to the PONG); {@code sleep <ms>} waits. {@code $r} in a command stands for the id of
 * connection r, and ids in replies are printed as {@code $name} so the servers compare equal.
 */
class TrackingIT {
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

    private static void assertSame(String... script) {
        String ours = run(spinel.port(), List.of(script));
        String theirs = run(redis.port(), List.of(script));
        assertThat(ours).isEqualTo(theirs);
    }

    private static String run(int port, List<String> script) {
        Map<String, RawClient> clients = new HashMap<>();
        Map<String, String> ids = new HashMap<>();
        StringBuilder transcript = new StringBuilder();
        try {
            for (String name : List.of("t", "w", "r")) {
                RawClient client = new RawClient(port);
                clients.put(name, client);
                ids.put(name, client.call("CLIENT", "ID").trim().substring(1));
            }
            clients.get("w").call("FLUSHALL");
            for (String line : script) {
                String[] words = line.split(" ");
                if (words[0].equals("sleep")) {
                    Thread.sleep(Long.parseLong(words[1]));
                    continue;
                }
                RawClient client = clients.get(words[0]);
                String reply;
                if (words[1].equals("~")) {
                    Thread.sleep(30); // pushes travel between event loops: let them land before the PING
                    client.send(RawClient.encode("PING"));
                    StringBuilder pushes = new StringBuilder();
                    for (String r = read(client); !r.equals("+PONG\r\n") && !r.startsWith("*2\r\n$4\r\npong"); r = read(client)) {
                        pushes.append(r);
                    }
                    reply = pushes.toString();
                } else {
                    String[] command = new String[words.length - 1];
                    for (int i = 1; i < words.length; i++) {
                        command[i - 1] = words[i].startsWith("$") ? ids.get(words[i].substring(1)) : words[i];
                    }
                    reply = client.call(command);
                    if (command[0].equals("HELLO")) {
                        reply = reply.substring(0, 2); // server name and version differ by design
                    } else if (line.endsWith("CLIENT INFO")) {
                        reply = field(reply, "flags") + " " + field(reply, "redir"); // ids and addresses differ
                    }
                }
                for (Map.Entry<String, String> id : ids.entrySet()) {
                    reply = reply.replace(":" + id.getValue() + "\r\n", ":$" + id.getKey() + "\r\n");
                }
                transcript.append(line).append(" -> ").append(reply).append('\n');
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            clients.values().forEach(RawClient::close);
        }
        return transcript.toString();
    }

    private static String field(String clientInfo, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(" " + name + "=(\\S*)").matcher(clientInfo);
        return m.find() ? name + "=" + m.group(1) : name + " missing";
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String read(RawClient client) {
        return new String(client.readReply(), java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    @Test
    void tracking_defaultModeInvalidatesOncePerRead() {
        assertSame("t HELLO 3", "t CLIENT TRACKING on", "t GET k", "w SET k v", "t ~", "w SET k v2", "t ~",
                "t MGET k k2", "w MSET k 1 k2 2", "t ~", "t GET k", "w DEL k", "t ~", "w SET k 3", "t ~");
    }

    @Test
    void tracking_ownWritesFollowTheReplyUnlessNoloop() {
        assertSame("t HELLO 3", "t CLIENT TRACKING on", "t GET k", "t SET k x", "t ~",
                "t CLIENT TRACKING on noloop", "t GET k", "t SET k y", "t ~", "w SET k z", "t ~");
    }

    @Test
    void tracking_flushSendsNullInvalidation() {
        assertSame("t HELLO 3", "t CLIENT TRACKING on", "t GET k", "w FLUSHALL", "t ~", "t GET k", "t FLUSHDB", "t ~");
    }

    @Test
    void tracking_optinAndOptout() {
        assertSame("t HELLO 3", "t CLIENT TRACKING on optin", "t GET a", "w SET a 1", "t ~",
                "t CLIENT CACHING yes", "t GET a", "w SET a 2", "t ~",
                "t CLIENT CACHING yes", "t PING", "t GET a", "w SET a 3", "t ~",
                "t CLIENT TRACKINGINFO", "t CLIENT TRACKING off", "t CLIENT TRACKING on optout", "t GET b",
                "w SET b 1", "t ~", "t CLIENT CACHING no", "t CLIENT TRACKINGINFO", "t GET b", "w SET b 2", "t ~");
    }

    @Test
    void tracking_broadcastPrefixes() {
        assertSame("t HELLO 3", "t CLIENT TRACKING on bcast prefix a prefix b noloop", "t CLIENT TRACKINGINFO",
                "w SET abc 1", "t ~", "t SET bx 1", "w SET cx 1", "t ~", "w EXPIRE abc 0", "t ~",
                "t CLIENT TRACKING on bcast", "t CLIENT TRACKINGINFO", "t CLIENT TRACKING on bcast prefix ax",
                "t CLIENT TRACKING off", "t CLIENT TRACKING on bcast", "t CLIENT TRACKINGINFO", "w SET zz 1", "t ~");
    }

    @Test
    void tracking_redirectAndBrokenRedirect() {
        assertSame("r HELLO 3", "t CLIENT TRACKING on redirect $r", "t CLIENT GETREDIR", "t CLIENT TRACKINGINFO",
                "t GET k", "w SET k 1", "r ~", "t ~", "t HELLO 3", "t GET k", "r QUIT", "sleep 50", "w SET k 2", "t ~",
                "t CLIENT TRACKINGINFO");
    }

    @Test
    void tracking_redirectToResp2SubscriberOfTheInvalidateChannel() {
        assertSame("r SUBSCRIBE __redis__:invalidate", "t CLIENT TRACKING on redirect $r", "t GET k", "w SET k 1", "r ~",
                "t GET k", "w FLUSHALL", "r ~", "t CLIENT TRACKING on bcast redirect $r", "w SET b 1", "r ~");
    }

    @Test
    void tracking_clientListShowsTrackingState() {
        assertSame("t CLIENT TRACKING on bcast noloop", "t CLIENT INFO", "t CLIENT TRACKING off", "t CLIENT INFO");
    }

    @Test
    void tracking_keysAScriptReadsAreTrackedForItsCaller() {
        assertSame("t HELLO 3", "t CLIENT TRACKING on", "t EVAL return(redis.call('get',KEYS[1])) 1 k", "w SET k 1", "t ~",
                "t EVAL return(redis.call('set',KEYS[1],'x')) 1 j", "w SET j 1", "t ~");
    }

    @Test
    void tracking_expiryInvalidates() {
        assertSame("t HELLO 3", "t CLIENT TRACKING on", "w SET k v PX 100", "t GET k", "sleep 400", "t ~");
    }

    @Test
    void tracking_errorsAndInfoAsRedis() {
        assertSame("t CLIENT TRACKING on prefix a", "t CLIENT TRACKING on bcast prefix a prefix ab",
                "t CLIENT TRACKING on redirect 999999", "t CLIENT TRACKING on redirect abc",
                "t CLIENT TRACKING on optin optout", "t CLIENT TRACKING on bcast optin", "t CLIENT TRACKING foo",
                "t CLIENT TRACKING on blah", "t CLIENT CACHING yes", "t CLIENT GETREDIR", "t CLIENT TRACKINGINFO",
                "t CLIENT TRACKING on optin", "t CLIENT CACHING maybe", "t CLIENT CACHING no", "t CLIENT CACHING yes",
                "t CLIENT TRACKINGINFO", "t CLIENT TRACKING on optout", "t CLIENT TRACKING on bcast",
                "t CLIENT TRACKING on", "t CLIENT CACHING yes", "t CLIENT TRACKING on bcast prefix a",
                "t CLIENT TRACKING off", "t CLIENT TRACKING on bcast prefix a", "t CLIENT TRACKING on bcast prefix abc",
                "t CLIENT TRACKING on bcast prefix b", "t CLIENT TRACKINGINFO", "t CLIENT GETREDIR");
    }

    @Test
    void tracking_lettuceCacheFrontendSeesInvalidations() throws InterruptedException {
        RedisClient lettuce = RedisClient.create("redis://127.0.0.1:" + spinel.port());
        try (StatefulRedisConnection<String, String> cached = lettuce.connect();
                StatefulRedisConnection<String, String> writer = lettuce.connect()) {
            writer.sync().set("user:1", "alice");
            Map<String, String> local = new ConcurrentHashMap<>();
            CacheFrontend<String, String> frontend = ClientSideCaching.enable(CacheAccessor.forMap(local), cached,
                    TrackingArgs.Builder.enabled());
            assertThat(frontend.get("user:1")).isEqualTo("alice");
            assertThat(local).containsEntry("user:1", "alice");

            writer.sync().set("user:1", "bob");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (local.containsKey("user:1") && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(local).doesNotContainKey("user:1");
            assertThat(frontend.get("user:1")).isEqualTo("bob");
            frontend.close();
        } finally {
            lettuce.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }

    @Test
    void tracking_evictionInvalidates() {
        try (SpinelServer cache = TestServer.start("maxmemory", "4mb", "maxmemory-policy", "allkeys-lru");
                RawClient tracker = new RawClient(cache.port());
                RawClient writer = new RawClient(cache.port())) {
            tracker.call("HELLO", "3");
            tracker.call("CLIENT", "TRACKING", "on");
            writer.call("SET", "tracked", "v");
            assertThat(tracker.call("GET", "tracked")).isEqualTo("$1\r\nv\r\n");
            String value = "x".repeat(10_000);
            for (int i = 0; i < 5_000 && writer.call("EXISTS", "tracked").equals(":1\r\n"); i++) {
                writer.call("SET", "filler:" + i, value);
            }
            assertThat(writer.call("EXISTS", "tracked")).as("the tracked key was evicted").isEqualTo(":0\r\n");
            pause(100); // background eviction sends the invalidation from its own thread, just after the removal
            tracker.send(RawClient.encode("PING"));
            StringBuilder pushes = new StringBuilder();
            for (String r = read(tracker); !r.equals("+PONG\r\n"); r = read(tracker)) {
                pushes.append(r);
            }
            assertThat(pushes.toString()).isEqualTo(">2\r\n$10\r\ninvalidate\r\n*1\r\n$7\r\ntracked\r\n");
        }
    }
}
