package io.spinel.command.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.spinel.server.SpinelServer;
import io.spinel.testing.Differential;
import io.spinel.testing.RawClient;
import io.spinel.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.JedisShardedPubSub;
import redis.clients.jedis.Protocol;

/**
 * Pub/sub over sockets: confirmations, messages, subscribed mode and PUBSUB introspection
 * compared byte for byte with a real Redis in RESP2 and RESP3; Jedis and Lettuce subscribers.
 */
class PubSubCommandsIT {
    @RegisterExtension
    static final Differential servers = new Differential();

    /** Sends one command and reads {@code replies} replies, appended to the transcript. */
    private static void exchange(StringBuilder transcript, RawClient client, int replies, String... command) {
        client.send(RawClient.encode(command));
        transcript.append(String.join(" ", command)).append(" ->");
        for (int i = 0; i < replies; i++) {
            transcript.append(' ').append(new String(client.readReply(), java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        transcript.append('\n');
    }

    @Test
    void subscribe_confirmationsAndSubscribedMode() {
        servers.assertSame((client, protocol) -> {
            StringBuilder out = new StringBuilder();
            exchange(out, client, 1, "UNSUBSCRIBE");
            exchange(out, client, 1, "PUNSUBSCRIBE");
            exchange(out, client, 1, "SUNSUBSCRIBE");
            exchange(out, client, 2, "SUBSCRIBE", "a", "b");
            exchange(out, client, 1, "SUBSCRIBE", "a");
            exchange(out, client, 1, "SSUBSCRIBE", "x");
            exchange(out, client, 2, "PSUBSCRIBE", "p*", "q?");
            exchange(out, client, 1, "GET", "x");
            exchange(out, client, 1, "ECHO", "x");
            exchange(out, client, 1, "PING");
            exchange(out, client, 1, "PING", "hi");
            exchange(out, client, 1, "SUNSUBSCRIBE", "zz");
            exchange(out, client, 1, "UNSUBSCRIBE", "b");
            exchange(out, client, 1, "PUNSUBSCRIBE", "q?");
            exchange(out, client, 1, "SUNSUBSCRIBE");
            exchange(out, client, 1, "UNSUBSCRIBE", "a");
            exchange(out, client, 1, "PUNSUBSCRIBE", "p*");
            exchange(out, client, 1, "PING");
            exchange(out, client, 1, "SUBSCRIBE", "c");
            exchange(out, client, 1, "RESET");
            exchange(out, client, 1, "PING");
            exchange(out, client, 1, "PUBSUB", "NUMSUB", "c");
            return out.toString();
        });
    }

    @Test
    void publish_messagesToChannelAndPatternSubscribers() {
        servers.assertSame((subscriber, protocol) -> {
            StringBuilder out = new StringBuilder();
            int port = subscriber.port();
            exchange(out, subscriber, 2, "SUBSCRIBE", "news", "other");
            exchange(out, subscriber, 2, "PSUBSCRIBE", "n*", "x");
            exchange(out, subscriber, 1, "SSUBSCRIBE", "news");
            try (RawClient publisher = new RawClient(port)) {
                exchange(out, publisher, 1, "PUBLISH", "news", "hello");
                exchange(out, publisher, 1, "PUBLISH", "nothing", "m2");
                exchange(out, publisher, 1, "PUBLISH", "nobody", "");
                exchange(out, publisher, 1, "SPUBLISH", "news", "sharded");
                exchange(out, publisher, 1, "SPUBLISH", "n1", "none");
                exchange(out, publisher, 1, "PUBSUB", "NUMSUB", "news", "other", "none");
                exchange(out, publisher, 1, "PUBSUB", "SHARDNUMSUB", "news", "none");
                exchange(out, publisher, 1, "PUBSUB", "NUMPAT");
                exchange(out, publisher, 1, "PUBSUB", "CHANNELS", "n*");
                exchange(out, publisher, 1, "PUBSUB", "SHARDCHANNELS");
                exchange(out, publisher, 1, "PUBSUB", "SHARDCHANNELS", "x*");
                exchange(out, publisher, 1, "PUBSUB", "NUMSUB");
                exchange(out, publisher, 1, "PUBSUB", "HELP");
                exchange(out, publisher, 1, "PUBSUB", "NOSUCH");
            }
            out.append("received:");
            for (int i = 0; i < 5; i++) {
                out.append(' ').append(new String(subscriber.readReply(), java.nio.charset.StandardCharsets.ISO_8859_1));
            }
            exchange(out, subscriber, 1, "UNSUBSCRIBE", "other");
            exchange(out, subscriber, 1, "PUNSUBSCRIBE", "x");
            return out.toString();
        });
    }

    @Test
    void publish_toItselfInResp3_pushComesBeforeTheReply() {
        servers.assertSame(Differential.Protocol.RESP3, (client, protocol) -> {
            StringBuilder out = new StringBuilder();
            exchange(out, client, 1, "SUBSCRIBE", "self");
            exchange(out, client, 2, "PUBLISH", "self", "m");
            exchange(out, client, 1, "GET", "nokey");
            exchange(out, client, 1, "UNSUBSCRIBE");
            return out.toString();
        });
    }

    @Test
    void clientList_showsSubscriptionCountsAndType() {
        try (SpinelServer server = TestServer.start(); RawClient subscriber = new RawClient(server.port());
                RawClient other = new RawClient(server.port())) {
            subscriber.call("SUBSCRIBE", "a");
            subscriber.send(RawClient.encode("SUBSCRIBE", "b"));
            subscriber.readReply();
            subscriber.call("PSUBSCRIBE", "p*");
            subscriber.call("SSUBSCRIBE", "s");
            String list = other.call("CLIENT", "LIST", "TYPE", "pubsub");
            assertThat(list).contains("flags=P ").contains("sub=2 psub=1 ssub=1");
            assertThat(other.call("CLIENT", "LIST", "TYPE", "normal")).contains("cmd=client|list").doesNotContain("sub=2");
            assertThat(other.call("INFO", "clients")).contains("pubsub_clients:1\r\n");
            assertThat(other.call("INFO", "stats")).contains("pubsub_channels:2\r\n", "pubsub_patterns:1\r\n",
                    "pubsubshard_channels:1\r\n");
            assertThat(other.call("CLIENT", "KILL", "TYPE", "pubsub")).isEqualTo(":1\r\n");
        }
    }

    @Test
    void timeout_leavesSubscribersConnected() throws Exception {
        try (SpinelServer server = TestServer.start("timeout", "1"); RawClient subscriber = new RawClient(server.port());
                RawClient idle = new RawClient(server.port())) {
            subscriber.call("SUBSCRIBE", "a");
            idle.call("PING");
            Thread.sleep(3_000);
            idle.send(RawClient.encode("PING"));
            assertThat(idle.readReply()).as("the idle client was closed").isNull();
            try (RawClient publisher = new RawClient(server.port())) {
                assertThat(publisher.call("PUBLISH", "a", "still here")).isEqualTo(":1\r\n");
            }
            assertThat(new String(subscriber.readReply())).endsWith("still here\r\n");
        }
    }

    /**
     * As in Redis, no message follows the confirmation of an unsubscription, even when a
     * publisher on another event loop picked the subscriber before it unsubscribed.
     */
    @Test
    void noMessageAfterUnsubscribeConfirmation() throws Exception {
        try (SpinelServer server = TestServer.start(); RawClient subscriber = new RawClient(server.port());
                RawClient publisher = new RawClient(server.port())) {
            java.util.concurrent.atomic.AtomicBoolean publishing = new java.util.concurrent.atomic.AtomicBoolean(true);
            Thread thread = new Thread(() -> {
                while (publishing.get()) {
                    publisher.call("PUBLISH", "news", "x");
                }
            });
            thread.start();
            try {
                for (int i = 0; i < 2_000; i++) {
                    String[][] rounds = {{"SUBSCRIBE", "news"}, {"PSUBSCRIBE", "n*"}};
                    String[] unsubscribe = i % 2 == 0 ? new String[] {"UNSUBSCRIBE"} : new String[] {"PUNSUBSCRIBE"};
                    String[] round = rounds[i % 2];
                    subscriber.send(RawClient.encode(round));
                    readUntil(subscriber, round[0].toLowerCase());
                    subscriber.send(RawClient.encode(unsubscribe));
                    readUntil(subscriber, unsubscribe[0].toLowerCase());
                    assertThat(subscriber.call("PING")).isEqualTo("+PONG\r\n");
                }
            } finally {
                publishing.set(false);
                thread.join();
            }
        }
    }

    /** Reads replies, skipping messages, up to the confirmation of {@code kind}. */
    private static void readUntil(RawClient client, String kind) {
        while (true) {
            String reply = new String(client.readReply(), java.nio.charset.StandardCharsets.ISO_8859_1);
            if (reply.contains("\r\n" + kind + "\r\n")) {
                return;
            }
            assertThat(reply).containsAnyOf("\r\nmessage\r\n", "\r\npmessage\r\n");
        }
    }

    @Test
    void jedis_subscribeAndPatternSubscribe() throws Exception {
        try (SpinelServer server = TestServer.start(); Jedis subscriber = new Jedis("127.0.0.1", server.port(), 10_000);
                Jedis publisher = new Jedis("127.0.0.1", server.port(), 10_000)) {
            List<String> received = new CopyOnWriteArrayList<>();
            CountDownLatch subscribed = new CountDownLatch(2);
            JedisPubSub listener = new JedisPubSub() {
                @Override
                public void onMessage(String channel, String message) {
                    received.add(channel + "=" + message);
                    if (message.equals("last")) {
                        unsubscribe();
                        punsubscribe();
                    }
                }

                @Override
                public void onPMessage(String pattern, String channel, String message) {
                    received.add(pattern + ":" + channel + "=" + message);
                }

                @Override
                public void onSubscribe(String channel, int count) {
                    subscribed.countDown();
                }

                @Override
                public void onPSubscribe(String pattern, int count) {
                    subscribed.countDown();
                }
            };
            Thread thread = new Thread(() -> subscriber.subscribe(listener, "jobs"));
            thread.start();
            assertThat(waitUntil(() -> publisher.pubsubNumSub("jobs").get("jobs") == 1)).isTrue();
            listener.psubscribe("j*");
            assertThat(subscribed.await(5, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 100; i++) {
                assertThat(publisher.publish("jobs", "m" + i)).isEqualTo(2);
            }
            publisher.publish("jobs", "last");
            thread.join(5_000);
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                expected.add("jobs=m" + i);
                expected.add("j*:jobs=m" + i);
            }
            expected.add("jobs=last");
            assertThat(received.subList(0, expected.size())).isEqualTo(expected);
            assertThat(subscriber.ping()).isEqualTo("PONG");
        }
    }

    @Test
    void jedis_shardedSubscribe() throws Exception {
        try (SpinelServer server = TestServer.start(); Jedis subscriber = new Jedis("127.0.0.1", server.port(), 10_000);
                Jedis publisher = new Jedis("127.0.0.1", server.port(), 10_000)) {
            List<String> received = new CopyOnWriteArrayList<>();
            CountDownLatch subscribed = new CountDownLatch(1);
            JedisShardedPubSub listener = new JedisShardedPubSub() {
                @Override
                public void onSMessage(String channel, String message) {
                    received.add(channel + "=" + message);
                    if (message.equals("last")) {
                        sunsubscribe();
                    }
                }

                @Override
                public void onSSubscribe(String channel, int count) {
                    subscribed.countDown();
                }
            };
            Thread thread = new Thread(() -> listener.proceed(subscriber.getConnection(), "orders{7}"));
            thread.start();
            assertThat(subscribed.await(5, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 50; i++) {
                assertThat(publisher.sendCommand(Protocol.Command.SPUBLISH, "orders{7}", "m" + i)).isEqualTo(1L);
            }
            assertThat(publisher.sendCommand(Protocol.Command.PUBLISH, "orders{7}", "not sharded")).isEqualTo(0L);
            publisher.sendCommand(Protocol.Command.SPUBLISH, "orders{7}", "last");
            thread.join(5_000);
            assertThat(thread.isAlive()).isFalse();
            assertThat(received).hasSize(51).startsWith("orders{7}=m0", "orders{7}=m1").endsWith("orders{7}=last");
        }
    }

    @Test
    void lettuce_resp3PubSubAndShardedPubSub() throws Exception {
        try (SpinelServer server = TestServer.start()) {
            RedisClient redis = RedisClient.create(RedisURI.create("127.0.0.1", server.port()));
            try (StatefulRedisPubSubConnection<String, String> subscriber = redis.connectPubSub();
                    var publisher = redis.connect()) {
                BlockingQueue<String> received = new LinkedBlockingQueue<>();
                subscriber.addListener(new RedisPubSubAdapter<>() {
                    @Override
                    public void message(String channel, String message) {
                        received.add(channel + "=" + message);
                    }

                    @Override
                    public void smessage(String channel, String message) {
                        received.add("s:" + channel + "=" + message);
                    }
                });
                subscriber.sync().subscribe("events");
                subscriber.sync().ssubscribe("shard{1}");
                assertThat(subscriber.sync().ping()).isEqualTo("PONG");
                assertThat(subscriber.sync().get("k")).isNull(); // RESP3: ordinary commands still allowed
                assertThat(publisher.sync().publish("events", "e1")).isEqualTo(1);
                assertThat(publisher.sync().spublish("shard{1}", "s1")).isEqualTo(1);
                assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("events=e1");
                assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("s:shard{1}=s1");
                assertThat(publisher.sync().pubsubShardChannels()).containsExactly("shard{1}");
                subscriber.sync().sunsubscribe("shard{1}");
                assertThat(publisher.sync().spublish("shard{1}", "s2")).isEqualTo(0);
            } finally {
                redis.shutdown();
            }
        }
    }

    private static boolean waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(10);
        }
        return false;
    }
}
