package io.spinel.command.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinel.testing.Differential;
import io.spinel.testing.RawClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * MONITOR compared with a real Redis: the lines a monitor receives for the same commands are
 * identical once the time stamp and the client's port are masked (which commands are shown,
 * their order, the database, argument quoting, redaction of secrets).
 */
class MonitorCommandsIT {
    @RegisterExtension
    static final Differential servers = new Differential();

    private static final String LINE = "\\+\\d{10}\\.\\d{6} \\[\\d+ 127\\.0\\.0\\.1:\\d+\\] .*";

    /** The monitor's lines for the commands, masked; ends with the line of ECHO end. */
    private static List<String> monitored(int port, List<byte[][]> commands) {
        try (RawClient monitor = new RawClient(port); RawClient client = new RawClient(port)) {
            List<String> lines = new ArrayList<>();
            lines.add(monitor.call("MONITOR"));
            monitor.send(RawClient.encode("MONITOR")); // a second MONITOR gets no reply at all
            for (byte[][] command : commands) {
                client.call(command);
            }
            client.call("ECHO", "end");
            while (true) {
                String line = new String(monitor.readReply(), StandardCharsets.ISO_8859_1);
                assertThat(line.trim()).matches(LINE);
                lines.add(line.replaceFirst("^\\+\\d+\\.\\d{6} ", "+T ").replaceFirst(":\\d+\\] ", ":PORT] "));
                if (line.endsWith("\"ECHO\" \"end\"\r\n")) {
                    return lines;
                }
            }
        }
    }

    private static byte[][] cmd(String... args) {
        byte[][] out = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            out[i] = args[i].getBytes(StandardCharsets.ISO_8859_1);
        }
        return out;
    }

    @Test
    void monitor_sameLinesAsRedis() {
        List<byte[][]> commands = List.of(
                cmd("SET", "mon:k", "a b\"\\\n\r\t\u0007\b\u0001\u00ff~"),
                cmd("SET", "mon:n", "123"),
                cmd("GET", "mon:k"),
                cmd("INCR", "mon:k"),
                cmd("NOSUCHCOMMAND", "x"),
                cmd("GET"),
                cmd("AUTH", "secret"),
                cmd("AUTH", "user", "secret"),
                cmd("HELLO", "3", "AUTH", "user", "secret"),
                cmd("HELLO", "2"),
                cmd("CONFIG", "GET", "maxclients"),
                cmd("MULTI"),
                cmd("MULTI"),
                cmd("INCR", "mon:n"),
                cmd("EXEC"),
                cmd("SELECT", "3"),
                cmd("SET", "mon:k", ""),
                cmd("DEL", "mon:k"),
                cmd("SELECT", "0"),
                cmd("DEL", "mon:k", "mon:n"),
                cmd("PING"));
        IntFunction<List<String>> run = port -> monitored(port, commands);
        assertThat(run.apply(servers.spinel().port())).isEqualTo(run.apply(servers.redis().port()));
    }

    @Test
    void monitor_insideExecRefused() {
        servers.assertSameReplies(List.of(new String[] {"MULTI"}, new String[] {"MONITOR"}, new String[] {"EXEC"}));
    }

    /**
     * Two clients (on different event loops) append to one key at once: the monitor sees the
     * APPENDs in the order they ran, which the final value records.
     */
    @Test
    void monitor_commandsOnOneKeyArriveInTheOrderTheyRan() throws Exception {
        int port = servers.spinel().port();
        int perClient = 300;
        try (RawClient monitor = new RawClient(port)) {
            monitor.call("MONITOR");
            Thread[] writers = new Thread[2];
            for (int w = 0; w < writers.length; w++) {
                char name = (char) ('a' + w);
                writers[w] = new Thread(() -> {
                    try (RawClient client = new RawClient(port)) {
                        for (int i = 0; i < perClient; i++) {
                            client.call("APPEND", "mon:order", String.valueOf(name));
                        }
                    }
                });
                writers[w].start();
            }
            for (Thread writer : writers) {
                writer.join();
            }
            StringBuilder seen = new StringBuilder();
            while (seen.length() < writers.length * perClient) {
                String line = new String(monitor.readReply(), StandardCharsets.ISO_8859_1);
                if (line.contains("\"APPEND\" \"mon:order\"")) {
                    seen.append(line.charAt(line.length() - 4));
                }
            }
            try (RawClient client = new RawClient(port)) {
                String value = client.call("GET", "mon:order");
                assertThat(value).isEqualTo("$" + seen.length() + "\r\n" + seen + "\r\n");
                client.call("DEL", "mon:order");
            }
        }
    }

    @Test
    void clientList_showsMonitorFlag() {
        try (RawClient monitor = new RawClient(servers.spinel().port())) {
            monitor.call("CLIENT", "SETNAME", "mon");
            monitor.call("MONITOR");
            try (RawClient client = new RawClient(servers.spinel().port())) {
                assertThat(client.call("CLIENT", "LIST")).containsPattern("name=mon [^\\n]* flags=O ");
            }
        }
    }
}
