package io.spinel.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.spinel.testing.RawClient;
import io.spinel.testing.TestServer;
import org.junit.jupiter.api.Test;

/**
 * The event loops' busy poll ({@code io-busy-poll}): a polling loop still runs the tasks other
 * loops hand it at once, and the window is a run-time setting.
 */
class BusyPollIT {
    private static final int ROUNDS = 200;

    /**
     * A subscriber's loop polls for its window after writing each message; the next message,
     * handed over by the publisher's loop, must not wait for the window to end. With a 10 ms
     * window, 200 messages that each waited would take two seconds. Needs a CPU per loop: on one
     * CPU the polling loop holds the CPU the publisher's loop needs until the scheduler preempts it.
     */
    @Test
    void pollingLoop_runsHandedOverTasksAtOnce() {
        assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "two event loops need two CPUs");
        try (SpinelServer server = TestServer.start("io-threads", "2", "io-busy-poll", "10000");
                RawClient subscriber = new RawClient(server.port()); RawClient publisher = new RawClient(server.port())) {
            subscriber.call("SUBSCRIBE", "ticks");
            long start = System.nanoTime();
            for (int i = 0; i < ROUNDS; i++) {
                assertThat(publisher.call("PUBLISH", "ticks", "t" + i)).isEqualTo(":1\r\n");
                assertThat(new String(subscriber.readReply())).endsWith("\r\nt" + i + "\r\n");
            }
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
            assertThat(elapsedMillis).isLessThan(ROUNDS * 10 / 2);
        }
    }

    @Test
    void window_isARunTimeSetting() {
        try (SpinelServer server = TestServer.start(); RawClient client = new RawClient(server.port())) {
            assertThat(client.call("CONFIG", "GET", "io-busy-poll")).isEqualTo("*2\r\n$12\r\nio-busy-poll\r\n$2\r\n50\r\n");
            for (String window : new String[] {"0", "10000", "7"}) {
                assertThat(client.call("CONFIG", "SET", "io-busy-poll", window)).isEqualTo("+OK\r\n");
                assertThat(client.call("PING")).isEqualTo("+PONG\r\n");
            }
            assertThat(client.call("CONFIG", "GET", "io-busy-poll")).isEqualTo("*2\r\n$12\r\nio-busy-poll\r\n$1\r\n7\r\n");
            assertThat(client.call("CONFIG", "SET", "io-busy-poll", "10001")).isEqualTo(
                    "-ERR CONFIG SET failed (possibly related to argument 'io-busy-poll') - argument must be between 0 and 10000 inclusive\r\n");
        }
    }
}
