package io.spinel.command.list;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.UnixOperatingSystemMXBean;
import io.spinel.server.SpinelServer;
import io.spinel.testing.Heap;
import io.spinel.testing.RawClient;
import io.spinel.testing.TestServer;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A blocked client holds no thread and no lock: thousands of clients blocked in BLPOP cost the
 * server their memory only, other clients are served meanwhile, and one push per waiter serves
 * them all in order. (Up to 5,000 clients: server and clients share this JVM's descriptor limit,
 * each client costs two descriptors, so a machine with a low limit runs fewer.)
 */
class ManyBlockedClientsIT {
    private static final int MAX_CLIENTS = 5_000;
    /** The first waiters block one at a time, so their order is known; the rest race across event loops. */
    private static final int ORDERED = 5;

    @Test
    void thousandsOfBlockedClients_costNoThreads_andAreAllServed() throws Exception {
        int clients = affordableClients();
        Assumptions.assumeTrue(clients >= 100, "too few file descriptors for this test: room for " + clients + " clients");
        try (SpinelServer server = TestServer.start("maxclients", "20000")) {
            int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
            long heapBefore = Heap.usedAfterGc();
            List<RawClient> waiters = new ArrayList<>();
            try (RawClient control = new RawClient(server.port())) {
                for (int i = 0; i < clients; i++) {
                    RawClient waiter = new RawClient(server.port());
                    waiter.send(RawClient.encode("BLPOP", "queue", "0"));
                    waiters.add(waiter);
                    if (i < ORDERED) {
                        awaitBlocked(control, i + 1); // a known blocking order for the first few
                    }
                }
                awaitBlocked(control, clients);
                long perClient = (Heap.usedAfterGc() - heapBefore) / clients;
                assertThat(ManagementFactory.getThreadMXBean().getThreadCount() - threadsBefore).isLessThan(10);
                assertThat(perClient).as("heap bytes per blocked client").isLessThan(16_384);

                long start = System.nanoTime();
                assertThat(control.call("PING")).isEqualTo("+PONG\r\n");
                assertThat(control.call("SET", "k", "v")).isEqualTo("+OK\r\n");
                assertThat((System.nanoTime() - start) / 1_000_000).as("ms for two commands").isLessThan(1000);

                String[] push = new String[2 + clients];
                push[0] = "RPUSH";
                push[1] = "queue";
                for (int i = 0; i < clients; i++) {
                    push[2 + i] = "e" + i;
                }
                assertThat(control.call(push)).isEqualTo(":" + clients + "\r\n");
                Set<String> served = new HashSet<>();
                for (int i = 0; i < clients; i++) {
                    String reply = new String(waiters.get(i).readReply());
                    assertThat(reply).startsWith("*2\r\n$5\r\nqueue\r\n$");
                    String element = reply.substring(reply.lastIndexOf("\r\n", reply.length() - 3) + 2, reply.length() - 2);
                    if (i < ORDERED) {
                        assertThat(element).as("waiter %d is served in blocking order", i).isEqualTo("e" + i);
                    }
                    served.add(element);
                }
                assertThat(served).hasSize(clients);
                assertThat(control.call("EXISTS", "queue")).isEqualTo(":0\r\n");
                assertThat(control.call("INFO", "clients")).contains("blocked_clients:0");
            } finally {
                for (RawClient waiter : waiters) {
                    waiter.close();
                }
            }
        }
    }

    /** How many clients the descriptor limit leaves room for (two descriptors each), at most {@link #MAX_CLIENTS}. */
    private static int affordableClients() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean os) {
            long free = os.getMaxFileDescriptorCount() - os.getOpenFileDescriptorCount() - 500;
            return (int) Math.max(0, Math.min(MAX_CLIENTS, free / 2));
        }
        return MAX_CLIENTS;
    }

    private static void awaitBlocked(RawClient control, int expected) throws InterruptedException {
        String info = "";
        for (int i = 0; i < 600; i++) {
            info = control.call("INFO", "clients");
            if (info.contains("blocked_clients:" + expected + "\r\n")) {
                return;
            }
            Thread.sleep(50);
        }
        assertThat(info).contains("blocked_clients:" + expected + "\r\n");
    }
}
