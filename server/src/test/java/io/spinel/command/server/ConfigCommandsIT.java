package io.spinel.command.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinel.config.Config;
import io.spinel.config.ConfigFile;
import io.spinel.config.ConfigParam;
import io.spinel.server.SpinelServer;
import io.spinel.testing.Differential;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.Jedis;

/** CONFIG against a real Redis: error texts, values and formats of the parameters both have; REWRITE round trip. */
class ConfigCommandsIT {
    /** Parameters whose value depends on how the server was started, or that 7.2 changed. */
    private static final Set<String> STARTUP_DEPENDENT = Set.of("port", "bind", "dir", "save", "appendonly", "daemonize",
            "logfile", "pidfile", "io-threads", "loglevel", "enable-debug-command", "set-max-listpack-entries",
            "set-max-listpack-value", "maxclients", "unixsocket", "supervised");

    @RegisterExtension
    static final Differential servers = new Differential();

    @TempDir
    Path dir;

    static List<List<String>> commands() {
        return List.of(
                List.of("CONFIG", "SET", "foo", "1"),
                List.of("CONFIG", "SET", "daemonize", "yes"),
                List.of("CONFIG", "SET", "databases", "3"),
                List.of("CONFIG", "SET", "appendonly", "maybe"),
                List.of("CONFIG", "SET", "hz", "x"),
                List.of("CONFIG", "SET", "hz", "-1"),
                List.of("CONFIG", "SET", "maxmemory", "1x"),
                List.of("CONFIG", "SET", "maxmemory", "-1"),
                List.of("CONFIG", "SET", "maxmemory-samples", "0"),
                List.of("CONFIG", "SET", "hz", "10", "hz", "11"),
                List.of("CONFIG", "SET", "hz", "10", "foo"),
                List.of("CONFIG", "SET", "hz"),
                List.of("CONFIG", "SET", "hz", "12", "foo", "1"),
                List.of("CONFIG", "SET", "maxmemory-policy", "foo"),
                List.of("CONFIG", "SET", "save", "1 2 3"),
                List.of("CONFIG", "SET", "save", "a b"),
                List.of("CONFIG", "SET", "client-output-buffer-limit", "foo 1 2 3"),
                List.of("CONFIG", "SET", "client-output-buffer-limit", "normal 1 2"),
                List.of("CONFIG", "SET", "client-output-buffer-limit", "normal 1 2 x"),
                List.of("CONFIG", "SET", "notify-keyspace-events", "Q"),
                List.of("CONFIG", "SET", "dbfilename", "x.rdb"),
                List.of("CONFIG", "SET", "unixsocket", "/tmp/x"),
                List.of("CONFIG", "SET", "cluster-enabled", "yes"),
                List.of("CONFIG", "GET"),
                List.of("CONFIG", "GET", "slave-read-only"),
                List.of("CONFIG", "GET", "nosuch*"),
                List.of("CONFIG", "REWRITE"),
                List.of("CONFIG", "REWRITE", "x"),
                List.of("CONFIG", "HELP"),
                List.of("CONFIG", "NOSUCH"),
                List.of("CONFIG", "SET", "maxmemory", "100mb"),
                List.of("CONFIG", "GET", "maxmemory"),
                List.of("CONFIG", "SET", "maxmemory", "0"),
                List.of("CONFIG", "SET", "notify-keyspace-events", "KEA"),
                List.of("CONFIG", "GET", "notify-keyspace-events"),
                List.of("CONFIG", "SET", "notify-keyspace-events", "Exn$"),
                List.of("CONFIG", "GET", "notify-keyspace-events"),
                List.of("CONFIG", "SET", "notify-keyspace-events", ""),
                List.of("CONFIG", "SET", "client-output-buffer-limit", "normal 1mb 2k 3 pubsub 1 2 3"),
                List.of("CONFIG", "GET", "client-output-buffer-limit"),
                List.of("CONFIG", "SET", "client-output-buffer-limit", "normal 0 0 0 pubsub 32mb 8mb 60"),
                List.of("CONFIG", "SET", "save", "10 2 20 3"),
                List.of("CONFIG", "GET", "save"),
                List.of("CONFIG", "SET", "maxmemory-policy", "ALLKEYS-LRU"),
                List.of("CONFIG", "GET", "maxmemory-policy"),
                List.of("CONFIG", "SET", "maxmemory-policy", "noeviction"),
                List.of("CONFIG", "SET", "lua-time-limit", "6000"),
                List.of("CONFIG", "GET", "busy-reply-threshold"),
                List.of("CONFIG", "SET", "busy-reply-threshold", "5000", "replica-read-only", "yes", "slave-read-only", "yes"),
                List.of("CONFIG", "SET", "hz", "10", "maxmemory", "bad"),
                List.of("CONFIG", "GET", "hz"),
                List.of("CONFIG", "RESETSTAT"));
    }

    @ParameterizedTest
    @MethodSource("commands")
    void config_sameReplyAsRedis(List<String> command) {
        servers.assertSameReply(command.toArray(String[]::new));
    }

    @Test
    void configGet_resp3MapAndSeveralPatterns() {
        servers.assertSame(Differential.Protocol.RESP3, (client, protocol) -> client.call("CONFIG", "GET", "maxmemory"));
        try (Jedis ours = new Jedis("127.0.0.1", servers.spinel().port()); Jedis theirs = new Jedis("127.0.0.1", servers.redis().port())) {
            for (String[] patterns : List.of(new String[] {"*read-only*"}, new String[] {"maxmemory*", "hz", "lua-time-limit"},
                    new String[] {"*max-ziplist-entries", "timeout"})) {
                assertThat(ours.configGet(patterns)).as(String.join(" ", patterns)).isEqualTo(theirs.configGet(patterns));
            }
        }
    }

    @Test
    void configGet_defaultsMatchRedis() {
        try (Jedis ours = new Jedis("127.0.0.1", servers.spinel().port()); Jedis theirs = new Jedis("127.0.0.1", servers.redis().port())) {
            Map<String, String> real = theirs.configGet("*");
            Map<String, String> mine = ours.configGet("*");
            List<String> differences = new ArrayList<>();
            for (Map.Entry<String, String> entry : mine.entrySet()) {
                String name = entry.getKey();
                if (!STARTUP_DEPENDENT.contains(name) && real.containsKey(name) && !real.get(name).equals(entry.getValue())) {
                    differences.add(name + ": ours " + entry.getValue() + ", redis " + real.get(name));
                }
            }
            assertThat(differences).isEmpty();
        }
    }

    @Test
    void configRewrite_roundTrip() throws Exception {
        Path file = dir.resolve("spinel.conf");
        Files.writeString(file, "# kept comment\nhz 20\nlazyfree-lazy-expire no\n");
        Config config = new Config();
        ConfigFile.applyCommandLine(config, new String[] {file.toString(), "--port", "0", "--bind", "127.0.0.1", "--loglevel", "warning"});
        try (SpinelServer server = new SpinelServer(config).start(); Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            jedis.configSet("hz", "33", "maxmemory", "2mb", "save", "", "notify-keyspace-events", "Kx");
            assertThat(jedis.configRewrite()).isEqualTo("OK");
        }
        String text = Files.readString(file);
        assertThat(text).startsWith("# kept comment\nhz 33\nlazyfree-lazy-expire no\n")
                .contains("# Generated by CONFIG REWRITE\n").contains("\nmaxmemory 2mb\n").contains("\nsave \"\"\n")
                .contains("\nnotify-keyspace-events \"xK\"\n");
        Config reread = new Config();
        ConfigFile.applyCommandLine(reread, new String[] {file.toString()});
        for (String name : List.of("hz", "maxmemory", "save", "notify-keyspace-events", "port", "bind")) {
            ConfigParam param = reread.param(name);
            assertThat(param.get()).as(name).isEqualTo(config.param(name).get());
        }
    }

    @Test
    void configResetstat_clearsCommandStats() {
        try (Jedis jedis = new Jedis("127.0.0.1", servers.spinel().port())) {
            jedis.ping();
            jedis.configResetStat();
            assertThat(servers.spinel().context().commands().lookup("ping".getBytes()).stats().calls()).isZero();
            assertThat(servers.spinel().context().stats().commandsProcessed.sum()).as("CONFIG RESETSTAT itself counts").isLessThanOrEqualTo(1);
        }
    }
}
