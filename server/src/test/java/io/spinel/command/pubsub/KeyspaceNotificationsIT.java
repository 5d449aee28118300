package io.spinel.command.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinel.server.SpinelServer;
import io.spinel.testing.RawClient;
import io.spinel.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keyspace notifications over sockets: the class letters select what is published, channel
 * names carry the database, expiry (lazy and active) is reported, and a RESP3 client gets its
 * notifications as pushes between its replies. (Event names and order per command are compared
 * with Redis by NotificationsDifferentialIT.)
 */
class KeyspaceNotificationsIT {
    /** Reads messages until the one published on "mark" (which the subscriber must receive), returning "channel payload" lines. */
    private static List<String> until(RawClient subscriber) {
        List<String> out = new ArrayList<>();
        while (true) {
            String[] lines = new String(subscriber.readReply(), StandardCharsets.ISO_8859_1).split("\r\n", -1);
            String channel = lines[lines.length - 4];
            if (channel.equals("mark")) {
                return out;
            }
            out.add(channel + " " + lines[lines.length - 2]);
        }
    }

    private static RawClient subscriber(int port, String... patterns) {
        RawClient subscriber = new RawClient(port);
        subscriber.call("SUBSCRIBE", "mark");
        for (String pattern : patterns) {
            subscriber.call("PSUBSCRIBE", pattern);
        }
        return subscriber;
    }

    @Test
    void disabled_publishesNothing() {
        try (SpinelServer server = TestServer.start(); RawClient subscriber = subscriber(server.port(), "__key*");
                RawClient client = new RawClient(server.port())) {
            client.call("RPUSH", "list", "a");
            client.call("PUBLISH", "mark", "");
            assertThat(until(subscriber)).isEmpty();
        }
    }

    @Test
    void classLetters_selectChannelsAndEvents() {
        try (SpinelServer server = TestServer.start("notify-keyspace-events", "Kl");
                RawClient subscriber = subscriber(server.port(), "__key*");
                RawClient client = new RawClient(server.port())) {
            client.call("SELECT", "3");
            client.call("RPUSH", "list", "a");
            client.call("SADD", "set", "a");
            client.call("PUBLISH", "mark", "");
            assertThat(until(subscriber)).containsExactly("__keyspace@3__:list rpush");
            assertThat(client.call("CONFIG", "SET", "notify-keyspace-events", "Es")).isEqualTo("+OK\r\n");
            client.call("RPUSH", "list", "b");
            client.call("SADD", "set", "b");
            client.call("PUBLISH", "mark", "");
            assertThat(until(subscriber)).containsExactly("__keyevent@3__:sadd set");
        }
    }

    @Test
    void expiredKeys_areReportedLazilyAndActively() throws Exception {
        try (SpinelServer server = TestServer.start("notify-keyspace-events", "Ex");
                RawClient subscriber = subscriber(server.port(), "__keyevent@0__:expired");
                RawClient client = new RawClient(server.port())) {
            client.call("RPUSH", "lazy", "a");
            client.call("PEXPIRE", "lazy", "20");
            client.call("RPUSH", "active", "a");
            client.call("PEXPIRE", "active", "20");
            Thread.sleep(50);
            assertThat(client.call("LLEN", "lazy")).isEqualTo(":0\r\n");
            for (int i = 0; i < 100 && client.call("DBSIZE").equals(":1\r\n"); i++) {
                Thread.sleep(20);
            }
            client.call("PUBLISH", "mark", "");
            assertThat(until(subscriber)).containsExactly("__keyevent@0__:expired lazy", "__keyevent@0__:expired active");
        }
    }

    @Test
    void resp3Subscriber_getsNotificationsAsPushesBetweenReplies() {
        try (SpinelServer server = TestServer.start("notify-keyspace-events", "KEA");
                RawClient client = new RawClient(server.port())) {
            assertThat(client.call("HELLO", "3")).startsWith("%");
            assertThat(client.call("SUBSCRIBE", "__keyevent@0__:lpush")).startsWith(">3\r\n$9\r\nsubscribe");
            client.send(RawClient.encode("LPUSH", "mine", "a"));
            assertThat(new String(client.readReply(), StandardCharsets.ISO_8859_1))
                    .isEqualTo(">3\r\n$7\r\nmessage\r\n$20\r\n__keyevent@0__:lpush\r\n$4\r\nmine\r\n");
            assertThat(new String(client.readReply(), StandardCharsets.ISO_8859_1)).isEqualTo(":1\r\n");
            assertThat(client.call("LLEN", "mine")).isEqualTo(":1\r\n");
        }
    }
}
