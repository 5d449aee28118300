package io.spinel.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spinel.config.Config;
import io.spinel.server.SpinelServer;
import io.spinel.testing.RawClient;
import io.spinel.testing.TestServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Startup loading over real sockets, as Redis: the server listens before it loads, clients that
 * connect meanwhile get -LOADING (INFO answers, with loading:1 and the progress fields), and the
 * data is served once the load is done; a file that does not load closes the listeners.
 */
class LoadingIT {
    private static final String LOADING = "-LOADING Redis is loading the dataset in memory\r\n";

    @TempDir
    Path dir;

    /**
     * Writes {@code keys} keys (DEBUG POPULATE: key:N -> value:N) to dump.rdb in {@link #dir}, or
     * with {@code aof} to an AOF directory there whose base holds them as commands.
     */
    private void writeDump(long keys, boolean aof) throws InterruptedException {
        SpinelServer first = TestServer.start("dir", dir.toString(), "enable-debug-command", "yes",
                "appendonly", aof ? "yes" : "no", "aof-use-rdb-preamble", "no");
        try (RawClient client = new RawClient(first.port())) {
            assertThat(client.call("DEBUG", "POPULATE", Long.toString(keys))).isEqualTo("+OK\r\n");
            if (aof) {
                assertThat(client.call("BGREWRITEAOF")).startsWith("+");
                while (!client.call("INFO", "persistence").contains("aof_rewrite_in_progress:0\r\naof_rewrite_scheduled:0\r\n")) {
                    Thread.sleep(10);
                }
            } else {
                assertThat(client.call("SAVE")).isEqualTo("+OK\r\n");
            }
        } finally {
            first.close();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (Files.exists(root)) {
            try (var paths = Files.walk(root)) {
                for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Starts a server on {@link #dir} and {@code port} on another thread; the future completes when start() returns. */
    private CompletableFuture<SpinelServer> startInBackground(int port, String... settings) {
        Config config = new Config();
        config.setAtStartup("port", Integer.toString(port));
        config.setAtStartup("bind", "127.0.0.1");
        config.setAtStartup("save", "");
        config.setAtStartup("dir", dir.toString());
        config.setAtStartup("loglevel", "warning");
        for (int i = 0; i + 1 < settings.length; i += 2) {
            config.setAtStartup(settings[i], settings[i + 1]);
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new SpinelServer(config).start();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** A client connected as soon as the port accepts (the listeners are bound before the load). */
    private static RawClient connect(int port, CompletableFuture<SpinelServer> started) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return new RawClient(port);
            } catch (IllegalStateException e) {
                assertThat(started.isCompletedExceptionally()).as("the server failed to start").isFalse();
                assertThat(System.nanoTime()).as("the port never accepted").isLessThan(deadline);
                Thread.sleep(1);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void clientsGetLoadingUntilTheDatasetIsLoaded(boolean aof) throws Exception {
        for (long keys = 300_000; ; keys *= 3) {
            assertThat(keys).as("the load always ended before the probes").isLessThan(3_000_000);
            Files.deleteIfExists(dir.resolve("dump.rdb"));
            deleteTree(dir.resolve("appendonlydir"));
            writeDump(keys, aof);
            int port = freePort();
            CompletableFuture<SpinelServer> started = startInBackground(port, "appendonly", aof ? "yes" : "no");
            try (RawClient client = connect(port, started)) {
                String get = client.call("GET", "key:0");
                String info = client.call("INFO", "persistence");
                String ping = client.call("PING");
                boolean progress = get.equals(LOADING) && progressSeen(client);
                started.get(120, TimeUnit.SECONDS);
                if (!progress) {
                    // loaded before the probes ran: a bigger file loads for longer
                    assertThat(get).as("a reply before the load ended is LOADING or the data").isIn(LOADING, "$7\r\nvalue:0\r\n");
                    continue;
                }
                assertThat(info).contains("\r\nloading:1\r\n", "async_loading:0\r\n")
                        .containsPattern("loading_start_time:\\d+\r\n")
                        .containsPattern("loading_total_bytes:[1-9]\\d*\r\n")
                        .contains("loading_rdb_used_mem:")
                        .containsPattern("loading_loaded_bytes:\\d+\r\n")
                        .containsPattern("loading_loaded_perc:\\d+\\.\\d\\d\r\n")
                        .containsPattern("loading_eta_seconds:\\d+\r\n");
                assertThat(info.indexOf("loading_start_time:")).isGreaterThan(info.indexOf("module_fork_last_cow_size:"));
                assertThat(ping).isEqualTo(LOADING);
                assertThat(client.call("GET", "key:0")).isEqualTo("$7\r\nvalue:0\r\n");
                assertThat(client.call("DBSIZE")).isEqualTo(":" + keys + "\r\n");
                String after = client.call("INFO", "persistence");
                assertThat(after).contains("\r\nloading:0\r\n").doesNotContain("loading_start_time:");
                return;
            } finally {
                if (!started.isCompletedExceptionally()) {
                    started.get(120, TimeUnit.SECONDS).close();
                }
            }
        }
    }

    /**
     * Polls INFO while the server loads; whether one answer showed a part of the file loaded
     * (0 < loading_loaded_bytes < loading_total_bytes, with its percentage).
     */
    private static boolean progressSeen(RawClient client) throws InterruptedException {
        java.util.regex.Pattern figures = java.util.regex.Pattern.compile(
                "loading_total_bytes:(\\d+)\r\n.*loading_loaded_bytes:(\\d+)\r\nloading_loaded_perc:(\\d+\\.\\d\\d)\r\n",
                java.util.regex.Pattern.DOTALL);
        while (true) {
            String info = client.call("INFO", "persistence");
            if (info.contains("\r\nloading:0\r\n")) {
                return false;
            }
            java.util.regex.Matcher m = figures.matcher(info);
            assertThat(m.find()).as(info).isTrue();
            long total = Long.parseLong(m.group(1));
            long loaded = Long.parseLong(m.group(2));
            if (loaded > 0 && loaded < total) {
                assertThat(m.group(3)).isEqualTo(String.format(java.util.Locale.ROOT, "%.2f", (double) loaded / (total + 1) * 100));
                return true;
            }
            Thread.sleep(2);
        }
    }

    @Test
    void aBadFileClosesTheListenersAndStartThrows() throws Exception {
        writeDump(1000, false);
        Path dump = dir.resolve("dump.rdb");
        byte[] data = Files.readAllBytes(dump);
        data[data.length / 2] ^= 0x5a; // the checksum no longer matches
        Files.write(dump, data);
        int port = freePort();
        CompletableFuture<SpinelServer> started = startInBackground(port);
        assertThatThrownBy(() -> started.get(60, TimeUnit.SECONDS)).hasMessageContaining("Fatal error loading the DB");
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(IOException.class);
    }
}
