package io.spinel.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinel.server.SpinelServer;
import io.spinel.testing.RawClient;
import io.spinel.testing.RealRedis;
import io.spinel.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import redis.clients.jedis.Jedis;

/**
 * RDB files across servers: Redis loads what Spinel saves (and redis-check-rdb accepts it),
 * Spinel loads what Redis saves, with the same DEBUG DIGEST; BGSAVE, DEBUG RELOAD, SHUTDOWN SAVE,
 * LASTSAVE and MISCONF.
 */
class RdbFileIT {
    @TempDir
    Path dir;

    private SpinelServer spinel(String... settings) {
        String[] all = new String[settings.length + 4];
        all[0] = "dir";
        all[1] = dir.toString();
        all[2] = "enable-debug-command";
        all[3] = "yes";
        System.arraycopy(settings, 0, all, 4, settings.length);
        return TestServer.start(all);
    }

    private RealRedis redisOn(Path file) {
        return RealRedis.start("--dir", file.getParent().toString(), "--dbfilename", file.getFileName().toString(),
                "--enable-debug-command", "yes");
    }

    static void awaitBgsave(Jedis jedis) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (jedis.info("persistence").contains("rdb_bgsave_in_progress:1")) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    private static int checkRdb(Path file) throws IOException, InterruptedException {
        String binary = RealRedis.find("redis-check-rdb");
        Process process = new ProcessBuilder(binary, file.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return process.waitFor();
    }

    /**
     * XINFO STREAM FULL of every stream of {@link Datasets}, without Redis 7.2's consumer
     * active-time (Redis 7.0 has none, and 7.0's file format cannot carry it).
     */
    static String streamsInfo(int port) {
        StringBuilder out = new StringBuilder();
        try (RawClient raw = new RawClient(port)) {
            for (String key : Datasets.KEYS) {
                if (key.startsWith("x:")) {
                    String full = raw.call("XINFO", "STREAM", key, "FULL", "COUNT", "0");
                    out.append(full.replaceAll("\\*10\r\n(\\$4\r\nname\r\n\\$\\d+\r\n[^\r]*\r\n\\$9\r\nseen-time\r\n:\\d+\r\n)"
                            + "\\$11\r\nactive-time\r\n:-?\\d+\r\n", "*8\r\n$1"));
                }
            }
        }
        assertThat(out).contains("seen-time").doesNotContain("active-time");
        return out.toString();
    }

    @ParameterizedTest
    @CsvSource({"yes,yes", "no,yes", "yes,no"})
    void save_realRedisLoadsOurFile(String compression, String checksum) throws Exception {
        String digest;
        String streams;
        try (SpinelServer server = spinel("rdbcompression", compression, "rdbchecksum", checksum);
                Jedis jedis = new Jedis("127.0.0.1", server.port(), 30_000)) {
            Datasets.populate(jedis);
            assertThat(jedis.save()).isEqualTo("OK");
            digest = PersistenceCommandsIT.digest(jedis);
            streams = streamsInfo(server.port());
        }
        Path file = dir.resolve("dump.rdb");
        assertThat(checkRdb(file)).isZero();
        try (RealRedis redis = redisOn(file); Jedis jedis = new Jedis("127.0.0.1", redis.port(), 30_000)) {
            assertThat(PersistenceCommandsIT.digest(jedis)).isEqualTo(digest).isNotEqualTo("0".repeat(40));
            assertThat(streamsInfo(redis.port())).isEqualTo(streams);
        }
    }

    @Test
    void startup_loadsRealRedisFile() throws Exception {
        Path redisDir = Files.createDirectory(dir.resolve("redis"));
        String digest;
        String streams;
        try (RealRedis redis = redisOn(redisDir.resolve("dump.rdb")); Jedis real = new Jedis("127.0.0.1", redis.port(), 30_000)) {
            Datasets.populate(real);
            assertThat(real.save()).isEqualTo("OK");
            digest = PersistenceCommandsIT.digest(real);
            streams = streamsInfo(redis.port());
            Files.copy(redisDir.resolve("dump.rdb"), dir.resolve("dump.rdb"));
            try (SpinelServer server = spinel(); Jedis jedis = new Jedis("127.0.0.1", server.port(), 30_000)) {
                assertThat(PersistenceCommandsIT.digest(jedis)).isEqualTo(digest);
                assertThat(streamsInfo(server.port())).isEqualTo(streams);
                assertThat(jedis.info("persistence")).contains("rdb_last_load_keys_loaded:" + (Datasets.KEYS.size() + 2));
                // Redis's nodes hold tombstones: the loaded blocks must fill up and split as its nodes do.
                try (RawClient ours = new RawClient(server.port()); RawClient theirs = new RawClient(redis.port())) {
                    for (int i = 0; i < 260; i++) {
                        String[] xadd = {"XADD", "x:groups", "2000-" + i, "sensor", "s", "reading", "x".repeat(i % 7)};
                        assertThat(ours.call(xadd)).isEqualTo(theirs.call(xadd));
                    }
                    assertThat(streamsInfo(server.port())).isEqualTo(streamsInfo(redis.port()));
                }
            }
        }
    }

    @Test
    void bgsave_lastsaveAndInfo() throws Exception {
        try (SpinelServer server = spinel(); Jedis jedis = new Jedis("127.0.0.1", server.port(), 30_000)) {
            Datasets.populate(jedis);
            long before = jedis.lastsave();
            Thread.sleep(1100);
            assertThat(jedis.bgsave()).isEqualTo("Background saving started");
            awaitBgsave(jedis);
            assertThat(jedis.lastsave()).isGreaterThan(before);
            String info = jedis.info("persistence");
            assertThat(info).contains("rdb_changes_since_last_save:0\r\n", "rdb_last_bgsave_status:ok", "rdb_bgsave_in_progress:0");
            assertThat(checkRdb(dir.resolve("dump.rdb"))).isZero();
            RawClient raw = new RawClient(server.port());
            assertThat(raw.call("BGSAVE", "NOW")).isEqualTo("-ERR syntax error\r\n");
            raw.close();
        }
    }

    @Test
    void debugReload_keepsTheDataset() {
        try (SpinelServer server = spinel(); Jedis jedis = new Jedis("127.0.0.1", server.port(), 30_000)) {
            Datasets.populate(jedis);
            String digest = PersistenceCommandsIT.digest(jedis);
            String streams = streamsInfo(server.port());
            assertThat(jedis.sendCommand(PersistenceCommandsIT.DEBUG, "RELOAD")).isEqualTo("OK".getBytes());
            assertThat(PersistenceCommandsIT.digest(jedis)).isEqualTo(digest);
            assertThat(streamsInfo(server.port())).isEqualTo(streams);
        }
    }

    @Test
    void shutdownSave_writesTheFileAndTheNextStartLoadsIt() {
        String digest;
        try (SpinelServer server = spinel(); Jedis jedis = new Jedis("127.0.0.1", server.port(), 30_000);
                RawClient raw = new RawClient(server.port())) {
            Datasets.populate(jedis);
            digest = PersistenceCommandsIT.digest(jedis);
            raw.send(RawClient.encode("SHUTDOWN", "SAVE"));
            raw.readReply();
            assertThat(raw.closedByServer()).isTrue();
        }
        assertThat(dir.resolve("dump.rdb")).exists();
        try (SpinelServer server = spinel(); Jedis jedis = new Jedis("127.0.0.1", server.port(), 30_000)) {
            assertThat(PersistenceCommandsIT.digest(jedis)).isEqualTo(digest);
        }
    }

    @Test
    void bgsaveError_refusesWritesWithMisconf() throws Exception {
        Path doomed = Files.createDirectory(dir.resolve("doomed"));
        try (SpinelServer server = TestServer.start("dir", doomed.toString(), "save", "3600 1");
                Jedis jedis = new Jedis("127.0.0.1", server.port(), 30_000); RawClient raw = new RawClient(server.port())) {
            jedis.set("k", "v");
            Files.delete(doomed);
            assertThat(jedis.bgsave()).isEqualTo("Background saving started");
            awaitBgsave(jedis);
            assertThat(jedis.info("persistence")).contains("rdb_last_bgsave_status:err");
            assertThat(raw.call("SET", "k", "v2")).startsWith("-MISCONF Redis is configured to save RDB snapshots");
            assertThat(raw.call("PING")).startsWith("-MISCONF");
            assertThat(raw.call("GET", "k")).isEqualTo("$1\r\nv\r\n");
            assertThat(raw.call("SAVE")).isEqualTo("-ERR\r\n");
            assertThat(raw.call("CONFIG", "SET", "stop-writes-on-bgsave-error", "no")).isEqualTo("+OK\r\n");
            assertThat(raw.call("SET", "k", "v2")).isEqualTo("+OK\r\n");
        }
    }

    @Test
    void save_hashFieldTtlsNeedVersion12AndSurviveARestart() throws Exception {
        try (SpinelServer server = spinel(); RawClient raw = new RawClient(server.port())) {
            raw.call("HSET", "h", "a", "1", "b", "2");
            raw.call("HPEXPIRE", "h", "600000", "FIELDS", "1", "a");
            for (int i = 0; i < 600; i++) {
                raw.call("HSET", "big", "f" + i, "v" + i);
            }
            raw.call("HPEXPIRE", "big", "600000", "FIELDS", "1", "f7");
            assertThat(raw.call("SAVE")).isEqualTo("+OK\r\n");
        }
        byte[] file = Files.readAllBytes(dir.resolve("dump.rdb"));
        assertThat(new String(file, 0, 9, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("REDIS0012");
        try (SpinelServer server = spinel(); RawClient raw = new RawClient(server.port())) {
            assertThat(raw.call("HTTL", "h", "FIELDS", "2", "a", "b")).matches("(?s)\\*2\r\n:(599|600)\r\n:-1\r\n");
            assertThat(raw.call("HTTL", "big", "FIELDS", "2", "f7", "f8")).matches("(?s)\\*2\r\n:(599|600)\r\n:-1\r\n");
            assertThat(raw.call("OBJECT", "ENCODING", "h")).isEqualTo("$10\r\nlistpackex\r\n");
            assertThat(raw.call("HLEN", "big")).isEqualTo(":600\r\n");
        }
    }

    @Test
    void savePoints_startABackgroundSaveFromTheCron() throws Exception {
        try (SpinelServer server = spinel("save", "1 1"); Jedis jedis = new Jedis("127.0.0.1", server.port(), 30_000)) {
            jedis.psetex("k", 1, "v");
            Thread.sleep(20);
            assertThat(jedis.get("k")).isNull(); // the lazy expiry is a change, whatever the command families report
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!jedis.info("persistence").contains("rdb_changes_since_last_save:0\r\n")) {
                assertThat(System.nanoTime()).isLessThan(deadline);
                Thread.sleep(50);
            }
            awaitBgsave(jedis);
            assertThat(dir.resolve("dump.rdb")).exists();
            assertThat(jedis.info("persistence")).contains("rdb_last_bgsave_status:ok");
        }
    }
}
