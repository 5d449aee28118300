package io.spinel.command.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.UnixOperatingSystemMXBean;
import io.spinel.server.SpinelServer;
import io.spinel.testing.RawClient;
import io.spinel.testing.SubscriberFleet;
import io.spinel.testing.TestServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Delivery under load: a subscriber that does not read is disconnected by the pubsub output
 * limit instead of growing the server's memory; one that reads slowly gets every message of a
 * fast publisher, in order; 10,000 subscribers of one channel each get every message in order.
 */
class PubSubDeliveryIT {
    private static final int MAX_SUBSCRIBERS = 10_000;

    /** Publishes {@code count} messages "0", "1", ... with {@code padding} appended, pipelined in batches; returns the replies. */
    private static List<String> publish(RawClient publisher, String channel, int count, String padding) {
        List<String> replies = new ArrayList<>();
        int batch = 500;
        for (int start = 0; start < count; start += batch) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            int end = Math.min(count, start + batch);
            for (int i = start; i < end; i++) {
                out.writeBytes(RawClient.encode("PUBLISH", channel, i + padding));
            }
            publisher.send(out.toByteArray());
            for (int i = start; i < end; i++) {
                byte[] reply = publisher.readReply();
                replies.add(reply == null ? null : new String(reply, StandardCharsets.ISO_8859_1));
            }
        }
        return replies;
    }

    @Test
    void subscriberThatDoesNotRead_isDisconnectedAtTheHardLimit() throws Exception {
        try (SpinelServer server = TestServer.start("client-output-buffer-limit", "pubsub 1mb 256kb 60");
                RawClient subscriber = new RawClient(server.port()); RawClient publisher = new RawClient(server.port())) {
            subscriber.call("SUBSCRIBE", "firehose");
            String padding = ":" + "x".repeat(1000);
            int published = 0;
            while (publisher.call("PUBSUB", "NUMSUB", "firehose").endsWith(":1\r\n") && published < 200_000) {
                publish(publisher, "firehose", 2_000, padding);
                published += 2_000;
            }
            assertThat(publisher.call("PUBSUB", "NUMSUB", "firehose")).endsWith(":0\r\n");
            // Far less than was published went to the subscriber: the socket buffers plus the limit.
            assertThat(published).as("messages of 1 KB published before the disconnection").isLessThan(100_000);
            assertThat(publisher.call("CLIENT", "LIST", "TYPE", "pubsub")).isEqualTo("$0\r\n\r\n");
        }
    }

    @Test
    void subscriberOverTheSoftLimitForItsSeconds_isDisconnected() throws Exception {
        try (SpinelServer server = TestServer.start("client-output-buffer-limit", "pubsub 0 64kb 1");
                RawClient subscriber = new RawClient(server.port()); RawClient publisher = new RawClient(server.port())) {
            subscriber.call("SUBSCRIBE", "slow");
            String padding = ":" + "x".repeat(1000);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (publisher.call("PUBSUB", "NUMSUB", "slow").endsWith(":1\r\n") && System.nanoTime() < deadline) {
                publish(publisher, "slow", 1_000, padding);
                Thread.sleep(200);
            }
            assertThat(publisher.call("PUBSUB", "NUMSUB", "slow")).endsWith(":0\r\n");
        }
    }

    @Test
    void slowSubscriber_getsEveryMessageOfAFastPublisherInOrder() throws Exception {
        int messages = 50_000;
        try (SpinelServer server = TestServer.start(); RawClient subscriber = new RawClient(server.port());
                RawClient publisher = new RawClient(server.port())) {
            subscriber.call("SUBSCRIBE", "orders");
            Thread reader = new Thread(() -> {
                for (int i = 0; i < messages; i++) {
                    String message = new String(subscriber.readReply(), StandardCharsets.ISO_8859_1);
                    assertThat(message).endsWith("\r\n" + i + "\r\n");
                    if (i % 5_000 == 0) {
                        sleep(100);
                    }
                }
            });
            List<Throwable> failures = new ArrayList<>();
            reader.setUncaughtExceptionHandler((thread, e) -> failures.add(e));
            reader.start();
            assertThat(publish(publisher, "orders", messages, "")).containsOnly(":1\r\n");
            reader.join(60_000);
            assertThat(failures).isEmpty();
            assertThat(reader.isAlive()).isFalse();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void tenThousandSubscribersOfOneChannel_eachGetEveryMessageInOrder() throws Exception {
        int subscribers = affordableSubscribers();
        Assumptions.assumeTrue(subscribers >= 1_000, "too few file descriptors: room for " + subscribers + " subscribers");
        int messages = 20;
        try (SpinelServer server = TestServer.start("maxclients", "20000"); RawClient publisher = new RawClient(server.port())) {
            String java = ProcessHandle.current().info().command().orElse("java");
            Process fleet = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    SubscriberFleet.class.getName(), String.valueOf(server.port()), "broadcast",
                    String.valueOf(subscribers), String.valueOf(messages)).redirectErrorStream(true).start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(fleet.getInputStream(), StandardCharsets.UTF_8))) {
                assertThat(out.readLine()).isEqualTo("ready");
                assertThat(publisher.call("PUBSUB", "NUMSUB", "broadcast")).endsWith(":" + subscribers + "\r\n");
                assertThat(publish(publisher, "broadcast", messages, "")).containsOnly(":" + subscribers + "\r\n");
                assertThat(out.readLine()).isEqualTo("ok " + subscribers);
            } finally {
                fleet.destroy();
                fleet.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** How many subscribers the descriptor limit leaves room for (the server's end of each is here), at most 10,000. */
    private static int affordableSubscribers() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean os) {
            long free = os.getMaxFileDescriptorCount() - os.getOpenFileDescriptorCount() - 500;
            return (int) Math.max(0, Math.min(MAX_SUBSCRIBERS, free));
        }
        return MAX_SUBSCRIBERS;
    }
}
