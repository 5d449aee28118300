package io.spinel.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinel.testing.SpinelProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * SIGTERM against a Spinel process (bin/spinel-server running the classes this test was built
 * with), as Redis handles it: a final save when save points are configured, none under
 * shutdown-on-sigterm nosave, and no exit when that save fails unless the flags say force.
 */
class SignalShutdownIT {
    @TempDir
    Path dir;

    private Process launch(int port, Path data, String... settings) throws Exception {
        List<String> args = new ArrayList<>(List.of("--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir", data.toString()));
        args.addAll(List.of(settings));
        return SpinelProcess.start(dir.resolve("server.log"), args, port);
    }

    private static void terminate(Process process) throws Exception {
        process.destroy(); // SIGTERM
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
    }

    @Test
    void sigterm_savesWithSavePointsAndNotUnderNosave() throws Exception {
        Path data = Files.createDirectory(dir.resolve("data"));
        int port = SpinelProcess.freePort();
        Process server = launch(port, data, "--save", "3600 1");
        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
            jedis.set("kept", "by the final save");
        }
        terminate(server);
        assertThat(data.resolve("dump.rdb")).exists();
        assertThat(Files.readString(dir.resolve("server.log"))).contains("Received SIGTERM scheduling shutdown...");

        port = SpinelProcess.freePort();
        server = launch(port, data, "--save", "3600 1", "--shutdown-on-sigterm", "nosave");
        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
            assertThat(jedis.get("kept")).isEqualTo("by the final save");
            jedis.set("lost", "no save under nosave");
        }
        terminate(server);

        port = SpinelProcess.freePort();
        server = launch(port, data, "--save", "");
        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
            assertThat(jedis.get("kept")).isEqualTo("by the final save");
            assertThat(jedis.get("lost")).isNull();
        }
        terminate(server);
    }

    @Test
    void sigterm_staysUpWhenTheSaveFailsUnlessForced() throws Exception {
        Path data = Files.createDirectory(dir.resolve("gone"));
        int port = SpinelProcess.freePort();
        Process server = launch(port, data, "--save", "3600 1");
        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
            jedis.set("k", "v");
            Files.delete(data); // the save's file cannot be written any more
            server.destroy();
            assertThat(server.waitFor(3, TimeUnit.SECONDS)).as("exited although the save failed").isFalse();
            assertThat(jedis.ping()).isEqualTo("PONG");
            jedis.configSet("shutdown-on-sigterm", "force");
        }
        terminate(server);
        assertThat(Files.readString(dir.resolve("server.log"))).contains("Error trying to save the DB, can't exit.");
    }
}
