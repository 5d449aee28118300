package io.spinel.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** redis.conf reading: quoting, includes, units, repeated save lines, errors with their line; and rewriting. */
class ConfigFileTest {
    @TempDir
    Path dir;

    @Test
    void apply_quotingAndCase() throws Exception {
        Config config = new Config();
        ConfigFile.apply(config, "# comment\n  REQUIREPASS \"a b\\x41\"\nmasteruser 'it\\'s'\n\nLogLevel WARNING\n");
        assertThat(config.requirepass.value()).isEqualTo("a bA");
        assertThat(config.param("masteruser").get()).isEqualTo("it's");
        assertThat(config.loglevel.value()).isEqualTo("warning");
    }

    @Test
    void apply_memoryUnits() throws Exception {
        Config config = new Config();
        ConfigFile.apply(config, "maxmemory 100mb\nrepl-backlog-size 2K\nproto-max-bulk-len 1gb\n");
        assertThat(config.maxmemory.value()).isEqualTo(100L * 1024 * 1024);
        assertThat(config.replBacklogSize.value()).isEqualTo(2000);
        assertThat(config.protoMaxBulkLen.value()).isEqualTo(1L << 30);
    }

    @Test
    void apply_saveLinesAddUp() throws Exception {
        Config config = new Config();
        ConfigFile.apply(config, "save 900 1\nsave 300 10\n");
        assertThat(config.save.get()).isEqualTo("900 1 300 10");
        ConfigFile.apply(config, "save \"\"\n");
        assertThat(config.save.get()).isEmpty();
    }

    @Test
    void apply_aliasAndSpecialParams() throws Exception {
        Config config = new Config();
        ConfigFile.apply(config, "slave-read-only no\nclient-output-buffer-limit normal 1mb 512kb 10\nnotify-keyspace-events Ex\n");
        assertThat(config.replicaReadOnly.value()).isFalse();
        assertThat(config.clientOutputBufferLimit.value().normal()).isEqualTo(new OutputBufferLimits.Limit(1 << 20, 512 << 10, 10));
        assertThat(config.clientOutputBufferLimit.get()).isEqualTo("normal 1048576 524288 10 slave 268435456 67108864 60 pubsub 33554432 8388608 60");
        assertThat(config.notifyKeyspaceEvents.get()).isEqualTo("xE");
    }

    @Test
    void include_readsTheOtherFile() throws Exception {
        Path included = dir.resolve("inc.conf");
        Files.writeString(included, "hz 42\n");
        Path main = dir.resolve("main.conf");
        Files.writeString(main, "include " + included + "\nmaxclients 7\n");
        Config config = new Config();
        ConfigFile.applyCommandLine(config, new String[] {main.toString(), "--hz", "43"});
        assertThat(config.hz.value()).isEqualTo(43);
        assertThat(config.maxclients.value()).isEqualTo(7);
        assertThat(config.configFile()).isEqualTo(main.toAbsolutePath());
    }

    @Test
    void apply_errorsNameTheLine() {
        assertLineError("port 1\nfoo bar\n", 2, "foo bar", "Bad directive or wrong number of arguments");
        assertLineError("# c\nhz abc\n", 2, "hz abc", "argument couldn't be parsed into an integer");
        assertLineError("save \"1 2\n", 1, "save \"1 2", "Unbalanced quotes in configuration line");
        assertLineError("maxmemory 1x\n", 1, "maxmemory 1x", "argument must be a memory value");
        assertLineError("daemonize maybe\n", 1, "daemonize maybe", "argument must be 'yes' or 'no'");
        assertLineError("hz -1\n", 1, "hz -1", "argument must be between 0 and 2147483647 inclusive");
        assertLineError("save 1 2 3\n", 1, "save 1 2 3", "Invalid save parameters");
    }

    @Test
    void applyCommandLine_argumentsAreLinesAfterAnEmptyOne() {
        assertThatThrownBy(() -> ConfigFile.applyCommandLine(new Config(), new String[] {"--hz", "abc"}))
                .isInstanceOfSatisfying(ConfigException.AtLine.class, e -> {
                    assertThat(e.lineNumber()).isEqualTo(2);
                    assertThat(e.parameter()).isEqualTo("hz \"abc\"");
                });
    }

    private static void assertLineError(String text, int line, String echoed, String reason) {
        assertThatThrownBy(() -> ConfigFile.apply(new Config(), text))
                .isInstanceOfSatisfying(ConfigException.AtLine.class, e -> {
                    assertThat(e.lineNumber()).isEqualTo(line);
                    assertThat(e.parameter()).isEqualTo(echoed);
                    assertThat(e.getMessage()).isEqualTo(reason);
                });
    }

    @Test
    void rewrite_keepsCommentsAndUnknownLinesAndAppendsChanges() throws Exception {
        Path file = dir.resolve("r.conf");
        Files.writeString(file, "# top\nport 7398\nhz 20\n# mid\nslave-read-only no\nsave 100 1\nsave 200 2\nmaxmemory 1mb\n");
        Config config = new Config();
        ConfigFile.applyCommandLine(config, new String[] {file.toString()});
        config.set(java.util.Map.of("hz", "30", "maxmemory", "3000000", "save", "5 5", "appendonly", "yes",
                "client-output-buffer-limit", "normal 1mb 0 0", "requirepass", "a b\"c"), false);
        ConfigFile.rewrite(config, file);
        assertThat(Files.readString(file)).isEqualTo("# top\nport 7398\nhz 30\n# mid\nreplica-read-only no\nsave 5 5\n\n"
                + "maxmemory 3000000\n\n# Generated by CONFIG REWRITE\nrequirepass \"a b\\\"c\"\ndir \"" + config.dir.value() + "\"\n"
                + "appendonly yes\nclient-output-buffer-limit normal 1mb 0 0\n");
        Config reread = new Config();
        ConfigFile.applyCommandLine(reread, new String[] {file.toString()});
        assertThat(reread.requirepass.value()).isEqualTo("a b\"c");
        assertThat(reread.save.get()).isEqualTo("5 5");
        ConfigFile.rewrite(reread, file);
        String again = Files.readString(file);
        assertThat(again.split("# Generated by CONFIG REWRITE", -1)).hasSize(2);
        assertThat(again).endsWith("appendonly yes\nclient-output-buffer-limit normal 1mb 0 0\n");
    }

    /** The redis.conf the OS's redis-server package installs loads without a bad directive. */
    @Test
    void apply_stockRedisConf() throws Exception {
        Path stock = Path.of("/etc/redis/redis.conf");
        assumeTrue(Files.isReadable(stock), "no " + stock + " here");
        Config config = new Config();
        ConfigFile.apply(config, Files.readString(stock, StandardCharsets.ISO_8859_1));
        assertThat(config.oomScoreAdjValues.get()).isEqualTo("0 200 800");
        assertThat(config.procTitleTemplate.get()).isEqualTo("{title} {listen-addr} {server-mode}");
    }
}
