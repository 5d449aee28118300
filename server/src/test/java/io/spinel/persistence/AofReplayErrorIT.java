package io.spinel.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinel.testing.SpinelProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * A command in the AOF that answers an error when replayed (here an INCR of a string that is not
 * a number, appended by hand): logged as Redis logs it and skipped under the default
 * propagation-error-behavior ignore, fatal under panic. Runs bin/spinel-server as a process.
 */
class AofReplayErrorIT {
    @TempDir
    Path dir;

    private Process start(int port, String... settings) throws Exception {
        List<String> args = new ArrayList<>(List.of("--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--dir", dir.toString(), "--save", "", "--appendonly", "yes"));
        args.addAll(List.of(settings));
        return SpinelProcess.launch(dir.resolve("server.log"), args);
    }

    @Test
    void errorInReplay_ignoredByDefault_fatalUnderPanic() throws Exception {
        int port = SpinelProcess.freePort();
        Process server = start(port);
        assertThat(SpinelProcess.serving(server, port)).isTrue();
        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
            jedis.set("k", "not a number");
            jedis.set("after", "1");
        }
        server.destroy();
        assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Path incr;
        try (Stream<Path> files = Files.list(dir.resolve("appendonlydir"))) {
            incr = files.filter(file -> file.getFileName().toString().endsWith(".incr.aof")).findFirst().orElseThrow();
        }
        Files.write(incr, "*2\r\n$4\r\nINCR\r\n$1\r\nk\r\n*3\r\n$3\r\nSET\r\n$4\r\nlast\r\n$1\r\n2\r\n".getBytes(StandardCharsets.US_ASCII),
                StandardOpenOption.APPEND);

        port = SpinelProcess.freePort();
        server = start(port, "--propagation-error-behavior", "panic");
        assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("exited on the error").isTrue();
        assertThat(server.exitValue()).isNotZero();

        port = SpinelProcess.freePort();
        server = start(port);
        try {
            assertThat(SpinelProcess.serving(server, port)).isTrue();
            try (Jedis jedis = new Jedis("127.0.0.1", port)) {
                assertThat(jedis.get("k")).isEqualTo("not a number");
                assertThat(jedis.get("last")).isEqualTo("2");
            }
        } finally {
            server.destroy();
            server.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(Files.readString(dir.resolve("server.log"))).contains("== CRITICAL == This server is sending an error to its "
                + "AOF-loading-client: 'ERR value is not an integer or out of range' after processing the command 'incr'");
    }
}
