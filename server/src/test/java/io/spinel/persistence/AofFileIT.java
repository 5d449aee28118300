package io.spinel.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spinel.server.SpinelServer;
import io.spinel.testing.RealRedis;
import io.spinel.testing.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;

/**
 * Multi-part AOF directories across servers: real Redis loads what Spinel writes (and
 * redis-check-aof accepts it), Spinel loads what Redis writes, with the same DEBUG DIGEST;
 * BGREWRITEAOF, CONFIG SET appendonly, timestamps, truncated files, automatic rewrites and the
 * INFO fields.
 */
class AofFileIT {
    @TempDir
    Path dir;

    private SpinelServer spinel(Path where, String... settings) {
        List<String> all = new ArrayList<>(List.of("dir", where.toString(), "enable-debug-command", "yes", "appendonly", "yes"));
        all.addAll(List.of(settings));
        return TestServer.start(all.toArray(new String[0]));
    }

    private static RealRedis redis(Path where, String... settings) throws IOException {
        Files.createDirectories(where);
        List<String> all = new ArrayList<>(List.of("--dir", where.toString(), "--enable-debug-command", "yes", "--appendonly", "yes"));
        all.addAll(List.of(settings));
        return RealRedis.start(all.toArray(new String[0]));
    }

    /** A connection to the server on {@code port}, once it has loaded its dataset (Redis answers -LOADING until then). */
    private static Jedis connect(int port) {
        Jedis jedis = new Jedis("127.0.0.1", port, 30_000);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (jedis.info("persistence").contains("loading:1")) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        return jedis;
    }

    /** Waits until no rewrite runs or waits to run. */
    static void awaitRewrite(Jedis jedis) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            String info = jedis.info("persistence");
            if (info.contains("aof_rewrite_in_progress:0") && info.contains("aof_rewrite_scheduled:0")) {
                return;
            }
            assertThat(System.nanoTime()).isLessThan(deadline);
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** Writes after the dataset of {@link Datasets#populate}, of the kinds the log must carry. */
    private static void moreWrites(Jedis jedis) {
        jedis.incr("counter");
        jedis.incrByFloat("float", 2.5);
        jedis.lpush("l:small", "pushed");
        jedis.spop("set:ht", 3);
        jedis.hincrByFloat("h:lp", "f2", 0.5);
        jedis.zincrby("z:lp", 1, "one");
        jedis.setex("ex", 1000, "v");
        jedis.expire("s:embstr", 5000);
        jedis.del("s:raw");
        jedis.select(2);
        jedis.set("db2", "x");
        jedis.select(0);
        jedis.eval("redis.call('set', KEYS[1], 'from script'); redis.call('rpush', KEYS[2], 'a', 'b')", 2, "sc1", "sc2");
    }

    /** Every key of databases 0 to 2 with its DEBUG DIGEST-VALUE and TTL, to show which key differs. */
    private static java.util.Map<String, String> digests(Jedis jedis) {
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        for (int db = 0; db < 3; db++) {
            jedis.select(db);
            for (String key : jedis.keys("*")) {
                out.put(db + ":" + key, PersistenceCommandsIT.digestValue(jedis, key) + " ttl " + (jedis.pttl(key) > 0));
            }
        }
        jedis.select(0);
        return out;
    }

    private static int checkAof(Path manifest) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(RealRedis.find("redis-check-aof"), manifest.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return process.waitFor();
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "no"})
    void ourAof_loadsInRealRedisAndInSpinel(String preamble) throws Exception {
        Path ours = dir.resolve("ours");
        String digest;
        java.util.Map<String, String> values;
        try (SpinelServer server = spinel(ours, "aof-use-rdb-preamble", preamble); Jedis jedis = connect(server.port())) {
            Datasets.populate(jedis);
            assertThat(jedis.bgrewriteaof()).isEqualTo("Background append only file rewriting started");
            moreWrites(jedis);
            awaitRewrite(jedis);
            moreWrites(jedis);
            digest = PersistenceCommandsIT.digest(jedis);
            values = digests(jedis);
        }
        Path appendDir = ours.resolve("appendonlydir");
        String baseSuffix = preamble.equals("yes") ? ".base.rdb" : ".base.aof";
        assertThat(Files.readString(appendDir.resolve("appendonly.aof.manifest")))
                .isEqualTo("file appendonly.aof.2" + baseSuffix + " seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n");
        try (Stream<Path> files = Files.list(appendDir)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()) // the history files are gone
                    .containsExactlyInAnyOrder("appendonly.aof.manifest", "appendonly.aof.2" + baseSuffix, "appendonly.aof.2.incr.aof");
        }
        assertThat(checkAof(appendDir.resolve("appendonly.aof.manifest"))).isZero();
        Path theirs = dir.resolve("theirs");
        copy(appendDir, theirs.resolve("appendonlydir"));
        try (RealRedis redis = redis(theirs); Jedis jedis = connect(redis.port())) {
            assertThat(digests(jedis)).isEqualTo(values);
            assertThat(PersistenceCommandsIT.digest(jedis)).isEqualTo(digest).isNotEqualTo("0".repeat(40));
        }
        try (SpinelServer server = spinel(ours); Jedis jedis = connect(server.port())) {
            assertThat(PersistenceCommandsIT.digest(jedis)).isEqualTo(digest);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "no"})
    void realRedisAof_loadsInSpinel(String preamble) throws Exception {
        Path theirs = dir.resolve("theirs");
        String digest;
        try (RealRedis redis = redis(theirs, "--aof-use-rdb-preamble", preamble, "--aof-timestamp-enabled", "yes");
                Jedis jedis = connect(redis.port())) {
            Datasets.populate(jedis);
            jedis.bgrewriteaof();
            awaitRewrite(jedis);
            moreWrites(jedis);
            digest = PersistenceCommandsIT.digest(jedis);
        } // stopped by SIGTERM: Redis fsyncs its AOF and exits
        Path ours = dir.resolve("ours");
        copy(theirs.resolve("appendonlydir"), ours.resolve("appendonlydir"));
        try (SpinelServer server = spinel(ours); Jedis jedis = connect(server.port())) {
            assertThat(PersistenceCommandsIT.digest(jedis)).isEqualTo(digest).isNotEqualTo("0".repeat(40));
        }
    }

    @Test
    void configSetAppendonly_startsAndStopsTheLog() throws Exception {
        try (SpinelServer server = TestServer.start("dir", dir.toString(), "enable-debug-command", "yes");
                Jedis jedis = connect(server.port())) {
            Datasets.populate(jedis);
            assertThat(jedis.info("persistence")).contains("aof_enabled:0");
            assertThat(jedis.configSet("appendonly", "yes")).isEqualTo("OK");
            awaitRewrite(jedis);
            assertThat(jedis.info("persistence")).contains("aof_enabled:1", "aof_rewrites:1", "aof_last_bgrewrite_status:ok");
            moreWrites(jedis);
            String digest = PersistenceCommandsIT.digest(jedis);
            assertThat(jedis.configSet("appendonly", "no")).isEqualTo("OK");
            assertThat(jedis.info("persistence")).contains("aof_enabled:0");
            jedis.set("not in the log", "x");
            try (SpinelServer again = spinel(dir); Jedis other = connect(again.port())) {
                assertThat(PersistenceCommandsIT.digest(other)).isEqualTo(digest);
            }
        }
    }

    @Test
    void timestamps_annotateTheLogAndLoad() throws Exception {
        String digest;
        try (SpinelServer server = spinel(dir, "aof-timestamp-enabled", "yes"); Jedis jedis = connect(server.port())) {
            moreWrites(jedis);
            digest = PersistenceCommandsIT.digest(jedis);
        }
        Path incr = dir.resolve("appendonlydir/appendonly.aof.1.incr.aof");
        assertThat(Files.readString(incr, StandardCharsets.ISO_8859_1)).startsWith("#TS:");
        assertThat(checkAof(dir.resolve("appendonlydir/appendonly.aof.manifest"))).isZero();
        try (SpinelServer server = spinel(dir); Jedis jedis = connect(server.port())) {
            assertThat(PersistenceCommandsIT.digest(jedis)).isEqualTo(digest);
        }
    }

    /** Writes keys k0..k9 with appendonly yes and returns the last incremental file. */
    private Path logOfTenKeys(String... lastCommandsRaw) throws IOException {
        try (SpinelServer server = spinel(dir); Jedis jedis = connect(server.port())) {
            for (int i = 0; i < 10; i++) {
                jedis.set("k" + i, "v" + i);
            }
        }
        Path incr = dir.resolve("appendonlydir/appendonly.aof.1.incr.aof");
        for (String raw : lastCommandsRaw) {
            Files.writeString(incr, raw, StandardCharsets.ISO_8859_1, StandardOpenOption.APPEND);
        }
        return incr;
    }

    /**
     * FUNCTION LOAD, DELETE, FLUSH and RESTORE go to the log as Redis propagates them, and a
     * rewrite's base carries the libraries: after a restart, Spinel and a real Redis started on
     * the same directory list the same functions.
     */
    @Test
    void functions_areLoggedAndSurviveRestartAndRewrite() throws Exception {
        String lib1 = "#!lua name=lib1\nredis.register_function('f1', function() return 1 end)";
        String lib2 = "#!lua name=lib2\nredis.register_function('f2', function() return 2 end)";
        String lib3 = "#!lua name=lib3\nredis.register_function('f3', function() return 3 end)";
        Path ours = dir.resolve("ours");
        List<String> listed;
        try (SpinelServer server = spinel(ours); Jedis jedis = connect(server.port())) {
            jedis.functionLoad(lib1);
            byte[] dump = jedis.functionDump();
            jedis.functionFlush();
            jedis.functionRestore(dump);
            jedis.functionLoad(lib2);
            jedis.functionDelete("lib2");
            assertThat(jedis.bgrewriteaof()).isEqualTo("Background append only file rewriting started");
            awaitRewrite(jedis);
            jedis.functionLoadReplace(lib3);
            listed = libraries(jedis);
            assertThat(listed).hasSize(2);
        }
        try (SpinelServer server = spinel(ours); Jedis jedis = connect(server.port())) {
            assertThat(libraries(jedis)).isEqualTo(listed);
            assertThat(jedis.fcall("f3", List.of(), List.of())).isEqualTo(3L);
        }
        Path theirs = dir.resolve("theirs");
        copy(ours.resolve("appendonlydir"), theirs.resolve("appendonlydir"));
        try (RealRedis real = redis(theirs); Jedis jedis = connect(real.port())) {
            assertThat(libraries(jedis)).isEqualTo(listed);
        }
    }

    /** Each loaded library as its name and code, sorted (FUNCTION LIST's order is a hash table's). */
    private static List<String> libraries(Jedis jedis) {
        return jedis.functionListWithCode().stream().map(library -> library.getLibraryName() + "\n" + library.getLibraryCode())
                .sorted().toList();
    }

    @Test
    void truncatedLog_loadsUpToTheLastCompleteCommand() throws Exception {
        Path incr = logOfTenKeys();
        long complete = Files.size(incr);
        Files.writeString(incr, "*3\r\n$3\r\nSET\r\n$3\r\ncut\r\n$5\r\nval", StandardOpenOption.APPEND);
        try (SpinelServer server = spinel(dir, "aof-load-truncated", "yes"); Jedis jedis = connect(server.port())) {
            assertThat(jedis.dbSize()).isEqualTo(10);
            assertThat(jedis.exists("cut")).isFalse();
            assertThat(Files.size(incr)).isEqualTo(complete); // cut where the last command ended, then appended to
            jedis.set("after", "restart");
        }
        assertThat(checkAof(dir.resolve("appendonlydir/appendonly.aof.manifest"))).isZero();
        try (SpinelServer server = spinel(dir, "aof-load-truncated", "no"); Jedis jedis = connect(server.port())) {
            assertThat(jedis.dbSize()).isEqualTo(11);
        }
    }

    @Test
    void truncatedLog_refusedWhenAofLoadTruncatedIsNo() throws Exception {
        Path incr = logOfTenKeys("*2\r\n$3\r\nDEL\r\n$2\r\nk");
        long size = Files.size(incr);
        assertThatThrownBy(() -> spinel(dir, "aof-load-truncated", "no"))
                .hasMessageContaining("Unexpected end of file reading the append only file appendonly.aof.1.incr.aof")
                .hasMessageContaining("aof-load-truncated");
        assertThat(Files.size(incr)).isEqualTo(size); // left as it was
    }

    @Test
    void transactionWithoutExec_isLeftOutWhole() throws Exception {
        logOfTenKeys("*1\r\n$5\r\nMULTI\r\n*2\r\n$3\r\nDEL\r\n$2\r\nk1\r\n");
        try (SpinelServer server = spinel(dir); Jedis jedis = connect(server.port())) {
            assertThat(jedis.exists("k1")).isTrue();
            assertThat(jedis.dbSize()).isEqualTo(10);
        }
    }

    @Test
    void garbage_refusedWithTheFileAndOffset() throws Exception {
        logOfTenKeys("this is not RESP\r\n");
        assertThatThrownBy(() -> spinel(dir)).hasMessageContaining("Bad file format reading the append only file appendonly.aof.1.incr.aof");
    }

    @Test
    void autoRewrite_whenTheLogDoubles() throws Exception {
        try (SpinelServer server = spinel(dir, "auto-aof-rewrite-min-size", "1kb", "auto-aof-rewrite-percentage", "100", "hz", "50");
                Jedis jedis = connect(server.port())) {
            for (int i = 0; i < 200; i++) {
                jedis.set("key" + i, "value" + i);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (infoField(jedis, "aof_rewrites") < 1) { // the base made at start does not count, as in Redis
                assertThat(System.nanoTime()).isLessThan(deadline);
                Thread.sleep(10);
            }
            awaitRewrite(jedis);
            // Each rewrite replaces the base: it is no longer the one the start created.
            assertThat(Files.readString(dir.resolve("appendonlydir/appendonly.aof.manifest")))
                    .doesNotContain("seq 1 type b").containsPattern("seq [0-9]+ type b");
        }
    }

    @Test
    void bgrewriteaof_whileBgsaveRuns_isScheduledThenRuns() throws Exception {
        try (SpinelServer server = spinel(dir); Jedis jedis = connect(server.port())) {
            Datasets.populate(jedis);
            assertThat(jedis.bgsave()).isEqualTo("Background saving started");
            String reply = jedis.bgrewriteaof();
            // Scheduled while the save runs; started at once if the save already ended.
            assertThat(reply).isIn("Background append only file rewriting scheduled", "Background append only file rewriting started");
            awaitRewrite(jedis);
            assertThat(jedis.info("persistence")).contains("aof_rewrites:1", "aof_last_bgrewrite_status:ok");
            assertThatThrownBy(() -> {
                jedis.bgrewriteaof();
                jedis.bgrewriteaof();
            }).hasMessage("ERR Background append only file rewriting already in progress");
            awaitRewrite(jedis); // nothing may still write into the directory when the test ends
            RdbFileIT.awaitBgsave(jedis);
        }
    }

    @Test
    void fileAndDirectoryNames_followAppendfilenameAndAppenddirname() throws Exception {
        String digest;
        try (SpinelServer server = spinel(dir, "appendfilename", "my.aof", "appenddirname", "logs");
                Jedis jedis = connect(server.port())) {
            moreWrites(jedis);
            digest = PersistenceCommandsIT.digest(jedis);
        }
        Path logs = dir.resolve("logs");
        assertThat(Files.readString(logs.resolve("my.aof.manifest")))
                .isEqualTo("file my.aof.1.base.rdb seq 1 type b\nfile my.aof.1.incr.aof seq 1 type i\n");
        assertThat(checkAof(logs.resolve("my.aof.manifest"))).isZero();
        try (RealRedis redis = redis(dir, "--appendfilename", "my.aof", "--appenddirname", "logs");
                Jedis jedis = connect(redis.port())) {
            assertThat(PersistenceCommandsIT.digest(jedis)).isEqualTo(digest);
        }
    }

    @Test
    void singleFileAofOfOldRedis_isMigratedAndLoaded() throws Exception {
        Files.writeString(dir.resolve("appendonly.aof"), "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n"
                + "*3\r\n$3\r\nSET\r\n$3\r\nold\r\n$5\r\nvalue\r\n*3\r\n$5\r\nRPUSH\r\n$1\r\nl\r\n$1\r\na\r\n",
                StandardCharsets.ISO_8859_1);
        String digest;
        try (SpinelServer server = spinel(dir); Jedis jedis = connect(server.port())) {
            assertThat(jedis.get("old")).isEqualTo("value");
            jedis.rpush("l", "b");
            digest = PersistenceCommandsIT.digest(jedis);
        }
        assertThat(dir.resolve("appendonly.aof")).doesNotExist();
        assertThat(Files.readString(dir.resolve("appendonlydir/appendonly.aof.manifest")))
                .isEqualTo("file appendonly.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n");
        assertThat(checkAof(dir.resolve("appendonlydir/appendonly.aof.manifest"))).isZero();
        try (RealRedis redis = redis(dir); Jedis jedis = connect(redis.port())) {
            assertThat(PersistenceCommandsIT.digest(jedis)).isEqualTo(digest);
        }
    }

    @Test
    void load_ignoresMaxmemory() throws Exception {
        long keys;
        try (SpinelServer server = spinel(dir); Jedis jedis = connect(server.port())) {
            for (int i = 0; i < 2000; i++) {
                jedis.set("key" + i, "v".repeat(100));
            }
            keys = jedis.dbSize();
        }
        // The limit is far below the dataset: Redis loads it whole all the same, and so does Spinel.
        try (SpinelServer server = spinel(dir, "maxmemory", "1mb", "maxmemory-policy", "noeviction");
                Jedis jedis = connect(server.port())) {
            assertThat(jedis.dbSize()).isEqualTo(keys);
        }
    }

    @Test
    void startup_baseCreatedAtStartIsNotARewrite() throws Exception {
        try (SpinelServer server = spinel(dir); Jedis jedis = connect(server.port())) {
            assertThat(jedis.info("persistence")).contains("aof_enabled:1", "aof_rewrites:0", "aof_last_rewrite_time_sec:-1");
        }
    }

    @Test
    void infoPersistence_sameAofFieldsAsRedis() throws Exception {
        TreeSet<String> ours;
        try (SpinelServer server = spinel(dir); Jedis jedis = connect(server.port())) {
            ours = aofFields(jedis.info("persistence"));
        }
        TreeSet<String> theirs;
        try (RealRedis redis = redis(dir.resolve("redis")); Jedis jedis = connect(redis.port())) {
            theirs = aofFields(jedis.info("persistence"));
        }
        assertThat(ours).isEqualTo(theirs).contains("aof_enabled", "aof_current_size", "aof_base_size");
    }

    private static long infoField(Jedis jedis, String name) {
        for (String line : jedis.info("persistence").split("\r\n")) {
            if (line.startsWith(name + ":")) {
                return Long.parseLong(line.substring(name.length() + 1));
            }
        }
        throw new AssertionError("no " + name + " in INFO");
    }

    private static TreeSet<String> aofFields(String info) {
        TreeSet<String> names = new TreeSet<>();
        for (String line : info.split("\r\n")) {
            if (line.startsWith("aof_")) {
                names.add(line.substring(0, line.indexOf(':')));
            }
        }
        return names;
    }
}
