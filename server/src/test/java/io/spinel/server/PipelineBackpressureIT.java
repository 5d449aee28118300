package io.spinel.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinel.command.Client;
import io.spinel.testing.Heap;
import io.spinel.testing.RawClient;
import io.spinel.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A client that pipelines 100,000 commands without reading a reply must not make the server
 * buffer their replies without bound: the server stops reading that client until it drains its
 * replies. Once the client reads, every reply arrives, in order.
 */
class PipelineBackpressureIT {
    private static final int COMMANDS = 100_000;
    private static final int VALUE_SIZE = 2048;
    /** All replies together are about 100 MB; the server may hold a few megabytes of them at most. */
    private static final long PENDING_LIMIT = 16L * 1024 * 1024;
    private static final long HEAP_GROWTH_LIMIT = 64L * 1024 * 1024;

    @Test
    void pipeline_unreadRepliesStayBoundedAndArriveInOrder() throws Exception {
        String big = "b".repeat(VALUE_SIZE);
        try (SpinelServer server = TestServer.start(); RawClient client = new RawClient(server.port())) {
            assertThat(client.call("SET", "big", big)).isEqualTo("+OK\r\n");
            long heapBefore = Heap.usedAfterGc();
            AtomicInteger written = new AtomicInteger();
            Thread writer = new Thread(() -> {
                ByteArrayOutputStream batch = new ByteArrayOutputStream();
                for (int i = 0; i < COMMANDS; i++) {
                    batch.writeBytes(i % 2 == 0 ? RawClient.encode("GET", "big") : RawClient.encode("ECHO", String.valueOf(i)));
                    if (batch.size() > 16 * 1024 || i == COMMANDS - 1) {
                        client.send(batch.toByteArray()); // blocks once the server stops reading
                        batch.reset();
                        written.set(i + 1);
                    }
                }
            }, "pipelining-writer");
            writer.setDaemon(true);
            writer.start();

            // Let the writer run until it finishes or is held up by the server; sample the buffers meanwhile.
            long maxPending = 0;
            int lastWritten = -1;
            long unchangedSince = System.nanoTime();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (writer.isAlive() && System.nanoTime() < deadline) {
                maxPending = Math.max(maxPending, bufferedByServer(server));
                int now = written.get();
                if (now != lastWritten) {
                    lastWritten = now;
                    unchangedSince = System.nanoTime();
                } else if (System.nanoTime() - unchangedSince > 1_000_000_000L) {
                    break;
                }
                Thread.sleep(20);
            }
            // The kernel's socket buffers may have taken every request; give the server time to run what it can.
            for (int i = 0; i < 50; i++) {
                maxPending = Math.max(maxPending, bufferedByServer(server));
                Thread.sleep(20);
            }
            assertThat(maxPending).as("bytes the server buffered for the client").isLessThan(PENDING_LIMIT);
            assertThat(Heap.usedAfterGc() - heapBefore).as("heap growth while the client is not reading").isLessThan(HEAP_GROWTH_LIMIT);

            String bigReply = "$" + VALUE_SIZE + "\r\n" + big + "\r\n";
            for (int i = 0; i < COMMANDS; i++) {
                byte[] reply = client.readReply();
                assertThat(reply).as("reply %d", i).isNotNull();
                String expected = i % 2 == 0 ? bigReply : "$" + String.valueOf(i).length() + "\r\n" + i + "\r\n";
                String actual = new String(reply, StandardCharsets.ISO_8859_1);
                if (!actual.equals(expected)) {
                    assertThat(actual).as("reply %d", i).isEqualTo(expected);
                }
            }
            writer.join(10_000);
            assertThat(writer.isAlive()).isFalse();
            assertThat(client.call("PING")).isEqualTo("+PONG\r\n");
        }
    }

    /** Bytes the server holds for its clients: unread input plus replies not yet written to the socket. */
    private static long bufferedByServer(SpinelServer server) {
        long total = 0;
        for (Client c : server.context().clients()) {
            total += c.connection().pendingOutputBytes() + c.connection().queryBufferBytes();
        }
        return total;
    }
}
