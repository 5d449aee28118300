package io.spinel.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinel.server.SpinelServer;
import io.spinel.testing.RawClient;
import io.spinel.testing.TestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WAITAOF (Redis 7.2, which the 7.0 oracle lacks, so checked against Redis 7.2's known replies):
 * its argument errors, its refusal without an AOF, and the local acknowledgement once the
 * client's writes are fsynced, under appendfsync always and everysec. No replicas: a wait for
 * them ends with its timeout.
 */
class WaitAofIT {
    @TempDir
    Path dir;

    private static final String ZERO_ZERO = "*2\r\n:0\r\n:0\r\n";
    private static final String ONE_ZERO = "*2\r\n:1\r\n:0\r\n";

    @Test
    void withoutAof_errorsAndNoLocalAcknowledgement() {
        try (SpinelServer server = TestServer.start(); RawClient client = new RawClient(server.port())) {
            assertThat(client.call("WAITAOF", "2", "0", "0")).isEqualTo("-ERR value is out of range, value must between 0 and 1\r\n");
            assertThat(client.call("WAITAOF", "x", "0", "0")).isEqualTo("-ERR value is not an integer or out of range\r\n");
            assertThat(client.call("WAITAOF", "0", "-1", "0")).isEqualTo("-ERR value is out of range, must be positive\r\n");
            assertThat(client.call("WAITAOF", "0", "0", "-1")).isEqualTo("-ERR timeout is negative\r\n");
            assertThat(client.call("WAITAOF", "0", "0", "x")).isEqualTo("-ERR timeout is not an integer or out of range\r\n");
            assertThat(client.call("WAITAOF", "1", "0", "0"))
                    .isEqualTo("-ERR WAITAOF cannot be used when numlocal is set but appendonly is disabled.\r\n");
            assertThat(client.call("WAITAOF", "0", "0", "0")).isEqualTo(ZERO_ZERO);
            long start = System.nanoTime();
            assertThat(client.call("WAITAOF", "0", "1", "100")).isEqualTo(ZERO_ZERO); // no replica: the timeout ends it
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(90_000_000L);
        }
    }

    @Test
    void appendfsyncAlways_acknowledgedAtOnce() {
        try (SpinelServer server = TestServer.start("dir", dir.toString(), "appendonly", "yes", "appendfsync", "always");
                RawClient client = new RawClient(server.port())) {
            client.call("SET", "k", "v");
            assertThat(client.call("WAITAOF", "1", "0", "0")).isEqualTo(ONE_ZERO);
            assertThat(client.call("WAITAOF", "0", "0", "0")).isEqualTo(ONE_ZERO);
        }
    }

    @Test
    void appendfsyncEverysec_acknowledgedAfterTheNextFsync() {
        try (SpinelServer server = TestServer.start("dir", dir.toString(), "appendonly", "yes", "appendfsync", "everysec");
                RawClient client = new RawClient(server.port())) {
            for (int i = 0; i < 3; i++) {
                client.call("SET", "k" + i, "v");
                long start = System.nanoTime();
                assertThat(client.call("WAITAOF", "1", "0", "5000")).isEqualTo(ONE_ZERO);
                assertThat(System.nanoTime() - start).isLessThan(2_500_000_000L); // an fsync a second, a cron tick to notice
            }
            assertThat(client.call("WAITAOF", "1", "1", "100")).isEqualTo(ONE_ZERO); // local done, no replica: timeout
        }
    }
}
