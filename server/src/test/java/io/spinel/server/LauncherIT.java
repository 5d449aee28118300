package io.spinel.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * bin/spinel-server started as redis-server is: a config file as first argument, options after
 * it, logging to the configured logfile at the configured level. It runs the classes this test
 * was built with (SPINEL_CLASSPATH), since the jar is packaged only after the tests.
 */
class LauncherIT {
    @TempDir
    Path dir;

    @Test
    void launcher_startsWithConfigFileAndLogs() throws Exception {
        Path script = Path.of(System.getProperty("user.dir")).resolve("../bin/spinel-server").normalize();
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path log = dir.resolve("spinel.log");
        Path conf = dir.resolve("spinel.conf");
        Files.writeString(conf, "# launcher test\nport " + port + "\nbind 127.0.0.1\nloglevel notice\nlogfile \"" + log + "\"\n");
        ProcessBuilder builder = new ProcessBuilder(script.toString(), conf.toString(), "--hz", "20")
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.txt").toFile());
        builder.environment().put("SPINEL_CLASSPATH", System.getProperty("java.class.path"));
        Process process = builder.start();
        try {
            String pong = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (pong == null && System.nanoTime() < deadline && process.isAlive()) {
                try (Jedis jedis = new Jedis("127.0.0.1", port)) {
                    pong = jedis.ping();
                    assertThat(jedis.configGet("hz")).containsEntry("hz", "20");
                    assertThat(jedis.configGet("logfile")).containsEntry("logfile", log.toString());
                } catch (redis.clients.jedis.exceptions.JedisConnectionException e) {
                    Thread.sleep(200);
                }
            }
            assertThat(pong).as(Files.readString(dir.resolve("stdout.txt"))).isEqualTo("PONG");
            assertThat(Files.readString(log)).contains(" * Ready to accept connections tcp");
            assertThat(Files.readString(dir.resolve("stdout.txt"))).as("the log goes to the logfile").doesNotContain("Ready to accept");
        } finally {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
