package io.spinel.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The slow log's order, bound and argument shortening. */
class SlowLogTest {
    private static byte[][] argv(String... args) {
        byte[][] out = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            out[i] = args[i].getBytes(StandardCharsets.US_ASCII);
        }
        return out;
    }

    private static Client client() {
        Client.Connection connection = (Client.Connection) java.lang.reflect.Proxy.newProxyInstance(
                SlowLogTest.class.getClassLoader(), new Class<?>[] {Client.Connection.class},
                (proxy, method, args) -> method.getName().equals("remoteAddress") ? "127.0.0.1:5000" : null);
        return new Client(1, connection, null, null, true, 0);
    }

    @Test
    void add_keepsNewestFirstWithinMaxLength() {
        SlowLog log = new SlowLog();
        for (int i = 0; i < 5; i++) {
            log.add(argv("GET", "k" + i), i, 100, client(), 3);
        }
        List<SlowLog.Entry> entries = log.latest(-1);
        assertThat(entries).extracting(SlowLog.Entry::id).containsExactly(4L, 3L, 2L);
        assertThat(log.latest(1)).hasSize(1);
        assertThat(entries.get(0).clientAddress()).isEqualTo("127.0.0.1:5000");
        log.reset();
        assertThat(log.size()).isZero();
        log.add(argv("PING"), 1, 100, client(), 3);
        assertThat(log.latest(-1).get(0).id()).isEqualTo(5);
    }

    @Test
    void add_shortensLongArgumentsAndLongRequests() {
        SlowLog log = new SlowLog();
        String[] many = new String[33];
        for (int i = 0; i < many.length; i++) {
            many[i] = i == 1 ? "v".repeat(130) : "a" + i;
        }
        log.add(argv(many), 1, 100, client(), 10);
        byte[][] kept = log.latest(1).get(0).argv();
        assertThat(kept.length).isEqualTo(32);
        assertThat(new String(kept[1], StandardCharsets.US_ASCII)).isEqualTo("v".repeat(128) + "... (2 more bytes)");
        assertThat(new String(kept[31], StandardCharsets.US_ASCII)).isEqualTo("... (2 more arguments)");
    }
}
