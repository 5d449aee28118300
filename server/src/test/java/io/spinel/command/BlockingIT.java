package io.spinel.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.spinel.resp.ReplyWriter;
import io.spinel.testing.Differential;
import io.spinel.testing.RawClient;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The blocking machinery shared by every blocking command, seen through WAIT (which blocks
 * without keys while there are no replicas) and CLIENT UNBLOCK, compared with a real Redis; the
 * key-watching commands have their tests with their families.
 */
class BlockingIT {
    @RegisterExtension
    static final Differential servers = new Differential();

    /** Blocks one connection in WAIT, releases it with CLIENT UNBLOCK from another; the transcript. */
    private static String unblockScenario(int port, String... mode) {
        try (RawClient blocked = new RawClient(port); RawClient control = new RawClient(port)) {
            String id = blocked.call("CLIENT", "ID").trim().substring(1);
            blocked.send(RawClient.encode("WAIT", "1", "0"));
            blocked.send(RawClient.encode("PING")); // pipelined behind the blocked command: waits too
            StringBuilder out = new StringBuilder();
            waitUntilBlocked(control, id);
            out.append(control.call("INFO", "clients").contains("blocked_clients:1")).append('\n');
            String[] unblock = new String[3 + mode.length];
            unblock[0] = "CLIENT";
            unblock[1] = "UNBLOCK";
            unblock[2] = id;
            System.arraycopy(mode, 0, unblock, 3, mode.length);
            out.append(control.call(unblock));
            out.append(new String(blocked.readReply(), StandardCharsets.ISO_8859_1)); // WAIT's reply
            out.append(new String(blocked.readReply(), StandardCharsets.ISO_8859_1)); // then PING's
            out.append(control.call(unblock)); // no longer blocked: 0
            return out.toString();
        }
    }

    private static void waitUntilBlocked(RawClient control, String id) {
        for (int i = 0; i < 500; i++) {
            if (control.call("CLIENT", "LIST", "ID", id).contains("cmd=wait")) {
                return;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Test
    void clientUnblock_timeoutAndError_releaseTheWaitLikeRedis() {
        for (String[] mode : new String[][] {{}, {"TIMEOUT"}, {"error"}}) {
            String ours = unblockScenario(servers.spinel().port(), mode);
            String theirs = unblockScenario(servers.redis().port(), mode);
            assertThat(ours).isEqualTo(theirs).contains("true");
        }
    }

    @Test
    void clientUnblock_errors() {
        servers.assertSameReply("CLIENT", "UNBLOCK", "x");
        servers.assertSameReply("CLIENT", "UNBLOCK", "1", "maybe");
        servers.assertSameReply("CLIENT", "UNBLOCK", "x", "maybe");
        servers.assertSameReply("CLIENT", "UNBLOCK", "1", "2", "3");
        servers.assertSameReply("CLIENT", "UNBLOCK", "99999");
    }

    private static String timeout(String seconds, long now) {
        ReplyWriter reply = new ReplyWriter(error -> { });
        reply.target(Unpooled.buffer());
        long millis = Blocking.timeoutMillis(seconds.getBytes(StandardCharsets.ISO_8859_1), reply, now);
        return millis >= 0 ? Long.toString(millis) : reply.target().toString(StandardCharsets.ISO_8859_1).trim();
    }

    @Test
    void timeoutMillis_parsesSecondsAsRedis72() {
        assertThat(timeout("0", 0)).isEqualTo("0");
        assertThat(timeout("1", 0)).isEqualTo("1000");
        assertThat(timeout("0.0001", 0)).isEqualTo("1");
        assertThat(timeout("1.5", 0)).isEqualTo("1500");
        assertThat(timeout("0x10", 0)).isEqualTo("16000");
        assertThat(timeout("-0.0001", 0)).isEqualTo("0"); // ceil(-0.1) is 0: for ever, as in Redis
        assertThat(timeout("-1", 0)).isEqualTo("-ERR timeout is negative");
        assertThat(timeout("-inf", 0)).isEqualTo("-ERR timeout is negative");
        assertThat(timeout("inf", 0)).isEqualTo("-ERR timeout is out of range");
        assertThat(timeout("1e400", 0)).isEqualTo("-ERR timeout is out of range");
        assertThat(timeout("9223372036854775", 1000)).isEqualTo("-ERR timeout is out of range");
        assertThat(timeout("nan", 0)).isEqualTo("-ERR timeout is not a float or out of range");
        assertThat(timeout(" 1", 0)).isEqualTo("-ERR timeout is not a float or out of range");
        assertThat(timeout("", 0)).isEqualTo("-ERR timeout is not a float or out of range");
    }
}
