package io.spinel.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinel.testing.SpinelProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;

/**
 * Crash safety of the AOF: a Spinel process (bin/spinel-server, running the classes this test was
 * built with) is killed with SIGKILL in the middle of a write load; after a restart on the same
 * directory every write that was acknowledged is there.
 */
class AofCrashIT {
    private static final int WRITERS = 4;

    @TempDir
    Path dir;

    private Process launch(int port, String... settings) throws Exception {
        List<String> args = new ArrayList<>(List.of("--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--dir", dir.toString(), "--save", "", "--appendonly", "yes", "--loglevel", "warning"));
        args.addAll(List.of(settings));
        return SpinelProcess.start(dir.resolve("server.log"), args, port);
    }

    /**
     * With {@code always} every acknowledged write is on disk; with {@code everysec} it is at least
     * in the file (the operating system's cache) before its reply leaves, so killing the process
     * (unlike losing the machine) loses none either.
     */
    @ParameterizedTest
    @ValueSource(strings = {"always", "everysec"})
    void kill9_duringWrites_keepsEveryAcknowledgedWrite(String appendfsync) throws Exception {
        int port = SpinelProcess.freePort();
        Process server = launch(port, "--appendfsync", appendfsync);
        AtomicLongArray acked = new AtomicLongArray(WRITERS);
        for (int t = 0; t < WRITERS; t++) {
            acked.set(t, -1);
        }
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < WRITERS; t++) {
            int id = t;
            Thread writer = new Thread(() -> {
                try (Jedis jedis = new Jedis("127.0.0.1", port)) {
                    for (long i = 0; !stop.get(); i++) {
                        jedis.set("w" + id + ":" + i, Long.toString(i));
                        jedis.rpush("list" + id, Long.toString(i));
                        jedis.incr("counter" + id);
                        acked.set(id, i); // all three writes of round i were acknowledged
                    }
                } catch (RuntimeException e) {
                    // the server was killed under us
                }
            });
            writer.start();
            writers.add(writer);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (minimum(acked) < 200 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        server.destroyForcibly(); // SIGKILL: no shutdown hook, no final fsync
        assertThat(server.waitFor(10, TimeUnit.SECONDS)).isTrue();
        stop.set(true);
        for (Thread writer : writers) {
            writer.join(10_000);
        }
        assertThat(minimum(acked)).isGreaterThanOrEqualTo(200);

        int again = SpinelProcess.freePort();
        Process restarted = launch(again, "--appendfsync", appendfsync);
        try (Jedis jedis = new Jedis("127.0.0.1", again, 30_000)) {
            for (int t = 0; t < WRITERS; t++) {
                long last = acked.get(t);
                for (long i = 0; i <= last; i++) {
                    assertThat(jedis.get("w" + t + ":" + i)).as("writer %d round %d", t, i).isEqualTo(Long.toString(i));
                }
                List<String> list = jedis.lrange("list" + t, 0, last);
                assertThat(list).hasSize((int) last + 1);
                for (int i = 0; i <= last; i++) {
                    assertThat(list.get(i)).isEqualTo(Integer.toString(i));
                }
                assertThat(Long.parseLong(jedis.get("counter" + t))).isGreaterThanOrEqualTo(last + 1);
            }
        } finally {
            restarted.destroy();
            restarted.waitFor(20, TimeUnit.SECONDS);
        }
    }

    private static long minimum(AtomicLongArray values) {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < values.length(); i++) {
            min = Math.min(min, values.get(i));
        }
        return min;
    }
}
