package io.spinel.command.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinel.server.SpinelServer;
import io.spinel.testing.Differential;
import io.spinel.testing.RawClient;
import io.spinel.testing.TestServer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** INFO, SLOWLOG, LATENCY, DEBUG, MEMORY, TIME, ROLE, LASTSAVE and SHUTDOWN over a socket. */
class ServerCommandsIT {
    @RegisterExtension
    static final Differential servers = new Differential().spinelSettings("enable-debug-command", "yes")
            .redisArgs("--enable-debug-command", "yes");

    /** The fields of an INFO reply (a bulk string) by name; section headers under "#Name". */
    private static Map<String, String> parseInfo(String reply) {
        assertThat(reply).startsWith("$");
        String body = reply.substring(reply.indexOf("\r\n") + 2, reply.length() - 2);
        Map<String, String> fields = new HashMap<>();
        for (String line : body.split("\r\n", -1)) {
            assertThat(line).doesNotContain("\n");
            if (line.startsWith("# ")) {
                fields.put("#" + line.substring(2), "");
            } else if (!line.isEmpty()) {
                int colon = line.indexOf(':');
                assertThat(colon).as(line).isPositive();
                fields.put(line.substring(0, colon), line.substring(colon + 1));
            }
        }
        return fields;
    }

    @Test
    void info_defaultSectionsHaveRedisFields() {
        try (RawClient client = new RawClient(servers.spinel().port()); RawClient real = new RawClient(servers.redis().port())) {
            Map<String, String> ours = parseInfo(client.call("INFO"));
            Map<String, String> theirs = parseInfo(real.call("INFO"));
            for (String header : List.of("#Server", "#Clients", "#Memory", "#Persistence", "#Stats", "#Replication",
                    "#CPU", "#Modules", "#Errorstats", "#Cluster", "#Keyspace")) {
                assertThat(ours).containsKey(header);
            }
            assertThat(ours).doesNotContainKey("#Commandstats");
            for (String field : List.of("redis_version", "redis_mode", "os", "arch_bits", "process_id", "run_id",
                    "tcp_port", "uptime_in_seconds", "uptime_in_days", "hz", "executable", "config_file",
                    "connected_clients", "blocked_clients", "maxclients", "used_memory", "used_memory_human",
                    "used_memory_rss", "used_memory_peak", "maxmemory", "maxmemory_policy", "mem_fragmentation_ratio",
                    "loading", "rdb_changes_since_last_save", "rdb_bgsave_in_progress", "rdb_last_save_time",
                    "rdb_last_bgsave_status", "aof_enabled", "total_connections_received", "total_commands_processed",
                    "instantaneous_ops_per_sec", "total_net_input_bytes", "total_net_output_bytes",
                    "rejected_connections", "expired_keys", "evicted_keys", "keyspace_hits", "keyspace_misses",
                    "total_error_replies", "role", "connected_slaves", "master_replid", "master_repl_offset",
                    "used_cpu_sys", "used_cpu_user", "cluster_enabled")) {
                assertThat(ours).as(field).containsKey(field);
                assertThat(theirs).as(field).containsKey(field);
            }
            assertThat(ours.get("redis_version")).isEqualTo("7.2.4");
            assertThat(ours.get("role")).isEqualTo("master");
            assertThat(ours.get("tcp_port")).isEqualTo(String.valueOf(servers.spinel().port()));
            assertThat(Long.parseLong(ours.get("used_memory"))).isPositive();
            assertThat(ours.get("used_cpu_user")).matches("\\d+\\.\\d{6}");
        }
    }

    @Test
    void info_sectionSelection() {
        try (RawClient client = new RawClient(servers.spinel().port())) {
            String server = client.call("INFO", "server");
            assertThat(server).contains("# Server\r\n").doesNotContain("# Clients");
            assertThat(server).endsWith("io_threads_active:0\r\nlistener0:name=tcp,bind=127.0.0.1,port=" + servers.spinel().port() + "\r\n\r\n");
            Map<String, String> two = parseInfo(client.call("INFO", "CPU", "keyspace"));
            assertThat(two).containsKeys("#CPU", "#Keyspace").doesNotContainKey("#Server");
            assertThat(parseInfo(client.call("INFO", "everything"))).containsKeys("#Commandstats", "#Server");
            assertThat(parseInfo(client.call("INFO", "all"))).containsKeys("#Commandstats", "#Errorstats");
            assertThat(client.call("INFO", "nosuch")).isEqualTo("$0\r\n\r\n");
        }
    }

    @Test
    void info_countsCommandsErrorsAndKeys() {
        try (RawClient client = new RawClient(servers.spinel().port())) {
            client.call("SELECT", "3");
            client.call("SET", "k", "v");
            client.call("SET", "t", "v");
            client.call("GET", "k");
            client.call("GET", "missing");
            client.call("SET", "k");
            client.call("SLOWLOG", "LEN");
            client.call("NOSUCHCOMMAND");
            Map<String, String> info = parseInfo(client.call("INFO", "commandstats", "errorstats", "keyspace"));
            assertThat(info.get("cmdstat_get")).matches("calls=[0-9]+,usec=[0-9]+,usec_per_call=[0-9]+\\.[0-9]{2},rejected_calls=0,failed_calls=0");
            assertThat(info.get("cmdstat_set")).contains("rejected_calls=1");
            assertThat(info.get("cmdstat_slowlog|len")).startsWith("calls=");
            assertThat(info.get("errorstat_ERR")).matches("count=[0-9]+");
            assertThat(info.get("db3")).isEqualTo("keys=2,expires=0,avg_ttl=0");
        }
    }

    @Test
    void info_resp3IsVerbatim() {
        try (RawClient client = new RawClient(servers.spinel().port())) {
            client.call("PING");
            servers.spinel().context().clients().forEach(c -> {
                if (c.lastCommand().equals("ping")) {
                    c.reply().protocol(3);
                }
            });
            assertThat(client.call("INFO", "cluster")).isEqualTo("=34\r\ntxt:# Cluster\r\ncluster_enabled:0\r\n\r\n");
        }
    }

    @Test
    void slowlog_recordsWithThresholdZero() {
        try (RawClient client = new RawClient(servers.spinel().port())) {
            servers.spinel().context().config().setAtStartup("slowlog-log-slower-than", "0");
            try {
                client.call("SLOWLOG", "RESET");
                client.call("SET", "slow", "x".repeat(200));
                String[] many = new String[40];
                many[0] = "SET";
                for (int i = 1; i < many.length; i++) {
                    many[i] = "a" + i;
                }
                client.call(many);
                String entries = client.call("SLOWLOG", "GET", "-1");
                assertThat(entries).startsWith("*3\r\n");
                assertThat(entries).contains("$3\r\nSET\r\n$2\r\na1\r\n").contains("... (9 more arguments)");
                assertThat(entries).contains("x".repeat(128) + "... (72 more bytes)");
                assertThat(entries).contains("127.0.0.1:");
                assertThat(client.call("SLOWLOG", "GET", "1")).startsWith("*1\r\n*6\r\n");
                assertThat(client.call("SLOWLOG", "LEN")).isEqualTo(":5\r\n");
                assertThat(client.call("SLOWLOG", "GET", "-2")).isEqualTo("-ERR count should be greater than or equal to -1\r\n");
                assertThat(client.call("SLOWLOG", "RESET")).isEqualTo("+OK\r\n");
                assertThat(client.call("SLOWLOG", "LEN")).isEqualTo(":1\r\n");
            } finally {
                servers.spinel().context().config().setAtStartup("slowlog-log-slower-than", "10000");
            }
        }
    }

    @Test
    void latency_recordsDebugSleep() {
        try (RawClient client = new RawClient(servers.spinel().port())) {
            client.call("LATENCY", "RESET");
            assertThat(client.call("LATENCY", "LATEST")).isEqualTo("*0\r\n");
            servers.spinel().context().config().setAtStartup("latency-monitor-threshold", "10");
            try {
                assertThat(client.call("DEBUG", "SLEEP", "0.05")).isEqualTo("+OK\r\n");
                String latest = client.call("LATENCY", "LATEST");
                assertThat(latest).startsWith("*1\r\n*4\r\n$7\r\ncommand\r\n");
                assertThat(client.call("LATENCY", "HISTORY", "command")).startsWith("*1\r\n*2\r\n:");
                assertThat(client.call("LATENCY", "HISTORY", "nosuch")).isEqualTo("*0\r\n");
                assertThat(client.call("LATENCY", "DOCTOR")).contains("command: 1 latency spikes");
                assertThat(client.call("LATENCY", "RESET", "command", "nosuch")).isEqualTo(":1\r\n");
            } finally {
                servers.spinel().context().config().setAtStartup("latency-monitor-threshold", "0");
            }
        }
    }

    @Test
    void debug_matchesRedis() {
        try (RawClient client = new RawClient(servers.spinel().port()); RawClient real = new RawClient(servers.redis().port())) {
            for (String[] request : List.of(
                    new String[] {"DEBUG", "nosuch"},
                    new String[] {"DEBUG", "SLEEP"},
                    new String[] {"DEBUG", "SLEEP", "0"},
                    new String[] {"DEBUG", "SET-ACTIVE-EXPIRE", "1"},
                    new String[] {"DEBUG", "OBJECT", "nosuch"},
                    new String[] {"DEBUG", "POPULATE", "x"},
                    new String[] {"DEBUG", "POPULATE", "3", "pop", "x"},
                    new String[] {"DEBUG", "POPULATE", "3", "pop", "10"},
                    new String[] {"GET", "pop:1"},
                    new String[] {"DEBUG", "POPULATE", "3", "pop", "3"},
                    new String[] {"GET", "pop:2"},
                    new String[] {"DEBUG", "POPULATE", "2"},
                    new String[] {"GET", "key:1"},
                    new String[] {"DEBUG", "PROTOCOL", "string"},
                    new String[] {"DEBUG", "PROTOCOL", "double"},
                    new String[] {"DEBUG", "PROTOCOL", "bignum"},
                    new String[] {"DEBUG", "PROTOCOL", "map"},
                    new String[] {"DEBUG", "PROTOCOL", "attrib"},
                    new String[] {"DEBUG", "PROTOCOL", "push"},
                    new String[] {"DEBUG", "PROTOCOL", "verbatim"},
                    new String[] {"DEBUG", "PROTOCOL", "nosuch"},
                    new String[] {"ROLE"},
                    new String[] {"MEMORY", "USAGE", "nosuch"},
                    new String[] {"MEMORY", "USAGE", "nosuch", "SAMPLES", "x"},
                    new String[] {"SHUTDOWN", "ABORT"},
                    new String[] {"SHUTDOWN", "NOSAVE", "SAVE"},
                    new String[] {"SHUTDOWN", "FOO"})) {
                assertThat(client.call(request)).as(String.join(" ", request)).isEqualTo(real.call(request));
            }
            client.call("SET", "small", "bar");
            client.call("SET", "n", "12345");
            assertThat(client.call("DEBUG", "OBJECT", "small"))
                    .matches("\\+Value at:0x[0-9a-f]+ refcount:1 encoding:embstr serializedlength:4 lru:[0-9]+ lru_seconds_idle:[0-9]+\r\n");
            assertThat(client.call("DEBUG", "OBJECT", "n")).contains(" encoding:int serializedlength:3 ");
            assertThat(client.call("MEMORY", "USAGE", "small")).matches(":[0-9]+\r\n");
        }
    }

    /**
     * DEBUG OBJECT's figures other than the address and the clock, for values of every type
     * built by the same commands on both servers: serializedlength is the RDB length
     * (compressed strings included) and a quicklist reports its nodes. Encodings that differ
     * between 7.2 and the 7.0 oracle (small lists, small sets of strings) are left out.
     */
    @Test
    void debugObject_figuresMatchRedis() {
        List<String[]> setup = new java.util.ArrayList<>(List.of(
                new String[] {"SET", "do:int", "-70000"},
                new String[] {"SET", "do:long", "12345678901"},
                new String[] {"SET", "do:short", "bar"},
                new String[] {"SET", "do:compressible", "x".repeat(100)},
                new String[] {"SET", "do:incompressible", "qwertyuiopasdfghjklzxcvbnm0123456789QWERTYUIOPASDFGHJKLZXCVBNM"},
                new String[] {"SET", "do:big", "ab".repeat(10000)},
                new String[] {"HSET", "do:hash", "f1", "v1", "f2", "12"},
                new String[] {"ZADD", "do:zset", "1.5", "a", "-2", "b", "3e10", "c"},
                new String[] {"SADD", "do:intset", "1", "200", "70000"}));
        for (int i = 0; i < 300; i++) {
            setup.add(new String[] {"RPUSH", "do:list", "element-" + i + "-" + "y".repeat(i % 40)});
            setup.add(new String[] {"HSET", "do:bighash", "field-" + i, "value-" + i});
            setup.add(new String[] {"ZADD", "do:bigzset", Integer.toString(i * 7 % 300), "member-" + i});
            setup.add(new String[] {"SADD", "do:bigset", "member-" + i});
        }
        String[] keys = {"do:int", "do:long", "do:short", "do:compressible", "do:incompressible", "do:big",
            "do:hash", "do:zset", "do:intset", "do:list", "do:bighash", "do:bigzset", "do:bigset"};
        try (RawClient client = new RawClient(servers.spinel().port()); RawClient real = new RawClient(servers.redis().port())) {
            for (String[] request : setup) {
                client.call(request);
                real.call(request);
            }
            for (String key : keys) {
                assertThat(debugObjectFigures(client.call("DEBUG", "OBJECT", key))).as(key)
                        .isEqualTo(debugObjectFigures(real.call("DEBUG", "OBJECT", key)));
            }
            assertThat(client.call("DEBUG", "OBJECT", "do:list")).contains(" ql_nodes:");
            client.call("CONFIG", "SET", "rdbcompression", "no");
            real.call("CONFIG", "SET", "rdbcompression", "no");
            assertThat(debugObjectFigures(client.call("DEBUG", "OBJECT", "do:compressible")))
                    .isEqualTo(debugObjectFigures(real.call("DEBUG", "OBJECT", "do:compressible")));
            client.call("CONFIG", "SET", "rdbcompression", "yes");
            real.call("CONFIG", "SET", "rdbcompression", "yes");
            for (String[] request : List.of(new String[] {"DEBUG", "LOG", "a message"}, new String[] {"DEBUG", "LOG"})) {
                assertThat(client.call(request)).as(String.join(" ", request)).isEqualTo(real.call(request));
            }
        }
    }

    /**
     * DEBUG QUICKLIST-PACKED-THRESHOLD: its errors are Redis's; once set, every element of at
     * least that size pushed into a quicklist gets a plain node of its own, and 0 gives the fill's
     * rule back (7.2's semantics; the 7.0 oracle has no listpack lists, so counts are known answers).
     */
    @Test
    void debugQuicklistPackedThreshold() {
        try (RawClient client = new RawClient(servers.spinel().port()); RawClient real = new RawClient(servers.redis().port())) {
            for (String[] request : List.of(new String[] {"DEBUG", "QUICKLIST-PACKED-THRESHOLD", "5gb"},
                    new String[] {"DEBUG", "QUICKLIST-PACKED-THRESHOLD", "abc"},
                    new String[] {"DEBUG", "QUICKLIST-PACKED-THRESHOLD", "-1"},
                    new String[] {"DEBUG", "QUICKLIST-PACKED-THRESHOLD"})) {
                assertThat(client.call(request)).as(String.join(" ", request)).isEqualTo(real.call(request));
            }
            String element = "e".repeat(20); // 500 of them pass the 8 KB of a node: the list becomes a quicklist at the 373rd
            try {
                assertThat(client.call("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "20b")).isEqualTo("+OK\r\n");
                for (int i = 0; i < 500; i++) {
                    client.call("RPUSH", "pt:plain", element);
                }
                assertThat(client.call("DEBUG", "OBJECT", "pt:plain")).contains(" ql_nodes:129 "); // the 372 converted in one node, then 128 plain ones
                client.call("LSET", "pt:plain", "0", "short");
                client.call("LINSERT", "pt:plain", "BEFORE", "short", element);
                assertThat(client.call("LLEN", "pt:plain")).isEqualTo(":501\r\n");
                assertThat(client.call("LINDEX", "pt:plain", "1")).isEqualTo("$5\r\nshort\r\n");
                assertThat(client.call("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "0")).isEqualTo("+OK\r\n");
                for (int i = 0; i < 500; i++) {
                    client.call("RPUSH", "pt:packed", element);
                }
                assertThat(client.call("DEBUG", "OBJECT", "pt:packed")).contains(" ql_nodes:2 ");
            } finally {
                client.call("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "0");
            }
        }
    }

    /**
     * INFO latencystats: the same lines as Redis after the same commands (values replaced by
     * their shape), under the default percentiles and configured ones; latency-tracking no hides
     * the section's lines and stops the recording; CONFIG RESETSTAT clears it.
     */
    @Test
    void infoLatencystats_sameLinesAsRedis() {
        try (RawClient client = new RawClient(servers.spinel().port()); RawClient real = new RawClient(servers.redis().port())) {
            try {
                for (RawClient c : List.of(client, real)) {
                    c.call("CONFIG", "RESETSTAT");
                    c.call("SET", "lat", "1");
                    c.call("GET", "lat");
                    c.call("CONFIG", "GET", "maxmemory");
                }
                assertThat(latencyLines(client)).isEqualTo(latencyLines(real)).contains(
                        "latency_percentiles_usec_set:p50=N,p99=N,p99.9=N", "latency_percentiles_usec_config|get:p50=N,p99=N,p99.9=N");
                for (RawClient c : List.of(client, real)) {
                    c.call("CONFIG", "SET", "latency-tracking-info-percentiles", "0 50.5 100");
                    c.call("CONFIG", "SET", "latency-tracking", "no");
                    c.call("INCR", "counted-nowhere");
                }
                assertThat(latencyLines(client)).isEqualTo(latencyLines(real)).isEmpty(); // not shown while off
                for (RawClient c : List.of(client, real)) {
                    c.call("CONFIG", "SET", "latency-tracking", "yes");
                }
                assertThat(latencyLines(client)).isEqualTo(latencyLines(real)).contains("latency_percentiles_usec_get:p0=N,p50.5=N,p100=N")
                        .noneMatch(line -> line.startsWith("latency_percentiles_usec_incr:"));
                for (RawClient c : List.of(client, real)) {
                    assertThat(c.call("CONFIG", "RESETSTAT")).isEqualTo("+OK\r\n");
                }
                assertThat(latencyLines(client)).isEqualTo(latencyLines(real)) // only the reset itself, recorded after it
                        .containsExactly("latency_percentiles_usec_config|resetstat:p0=N,p50.5=N,p100=N");
            } finally {
                for (RawClient c : List.of(client, real)) {
                    c.call("CONFIG", "SET", "latency-tracking", "yes", "latency-tracking-info-percentiles", "50 99 99.9");
                }
            }
        }
    }

    /** The lines of INFO latencystats with each value replaced by N, sorted (Redis lists commands in hash order). */
    private static List<String> latencyLines(RawClient client) {
        String info = client.call("INFO", "latencystats");
        return info.lines().filter(line -> line.startsWith("latency_percentiles_usec_") && !line.startsWith("latency_percentiles_usec_info:"))
                .map(line -> line.replaceAll("=[0-9]+\\.[0-9]{3}", "=N")).sorted().toList();
    }

    /**
     * DEBUG CHANGE-REPL-ID gives INFO replication a new master_replid; DEBUG PAUSE-CRON stops the
     * active expire cycle (a key left untouched outlives its TTL until the cron resumes).
     */
    @Test
    void debugChangeReplIdAndPauseCron() throws InterruptedException {
        try (RawClient client = new RawClient(servers.spinel().port()); RawClient real = new RawClient(servers.redis().port())) {
            for (String[] request : List.of(new String[] {"DEBUG", "CHANGE-REPL-ID", "x"}, new String[] {"DEBUG", "PAUSE-CRON"})) {
                assertThat(client.call(request)).as(String.join(" ", request)).isEqualTo(real.call(request));
            }
            String before = replid(client);
            assertThat(client.call("DEBUG", "CHANGE-REPL-ID")).isEqualTo("+OK\r\n");
            assertThat(replid(client)).matches("[0-9a-f]{40}").isNotEqualTo(before);
            try {
                assertThat(client.call("DEBUG", "PAUSE-CRON", "1")).isEqualTo("+OK\r\n");
                client.call("SELECT", "9"); // a database of its own: DBSIZE counts this test's key alone
                client.call("FLUSHDB");
                client.call("SET", "paused-ttl", "v", "PX", "50");
                Thread.sleep(400);
                assertThat(client.call("DBSIZE")).as("not reclaimed while the cron is paused").isNotEqualTo(":0\r\n");
                assertThat(client.call("DEBUG", "PAUSE-CRON", "0")).isEqualTo("+OK\r\n");
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (!client.call("DBSIZE").equals(":0\r\n") && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(client.call("DBSIZE")).as("reclaimed once it resumes").isEqualTo(":0\r\n");
            } finally {
                client.call("DEBUG", "PAUSE-CRON", "0");
            }
        }
    }

    /**
     * DEBUG LISTPACK and DEBUG QUICKLIST: Redis's replies and errors for a listpack hash, a large
     * list (a quicklist in both 7.0 and 7.2), a string and a missing key.
     */
    @Test
    void debugListpackAndQuicklist_repliesAsRedis() {
        try (RawClient client = new RawClient(servers.spinel().port()); RawClient real = new RawClient(servers.redis().port())) {
            for (RawClient c : List.of(client, real)) {
                c.call("HSET", "dl:hash", "f", "v", "n", "12");
                c.call("SET", "dl:string", "x");
                for (int i = 0; i < 300; i++) {
                    c.call("RPUSH", "dl:list", "element-" + i + "-" + "z".repeat(30));
                }
            }
            for (String[] request : List.of(new String[] {"DEBUG", "LISTPACK", "dl:hash"}, new String[] {"DEBUG", "LISTPACK", "dl:string"},
                    new String[] {"DEBUG", "LISTPACK", "dl:list"}, new String[] {"DEBUG", "LISTPACK", "dl:none"},
                    new String[] {"DEBUG", "QUICKLIST", "dl:list"}, new String[] {"DEBUG", "QUICKLIST", "dl:list", "1"},
                    new String[] {"DEBUG", "QUICKLIST", "dl:hash"}, new String[] {"DEBUG", "QUICKLIST", "dl:none"},
                    new String[] {"DEBUG", "LISTPACK"})) {
                assertThat(client.call(request)).as(String.join(" ", request)).isEqualTo(real.call(request));
            }
        }
    }

    private static String replid(RawClient client) {
        return client.call("INFO", "replication").lines().filter(line -> line.startsWith("master_replid:"))
                .findFirst().orElseThrow().substring("master_replid:".length());
    }

    /** A DEBUG OBJECT line without its address, access clock and idle time. */
    private static String debugObjectFigures(String line) {
        return line.replaceAll("Value at:0x[0-9a-f]+ ", "").replaceAll(" lru:[0-9]+ lru_seconds_idle:[0-9]+", "");
    }

    @Test
    void debug_refusedUnlessEnabled() {
        SpinelServer closed = TestServer.start();
        try (RawClient client = new RawClient(closed.port())) {
            assertThat(client.call("DEBUG", "SLEEP", "0")).startsWith("-ERR DEBUG command not allowed.");
        } finally {
            closed.close();
        }
    }

    @Test
    void time_andLastsave() {
        try (RawClient client = new RawClient(servers.spinel().port())) {
            String time = client.call("TIME");
            assertThat(time).matches("\\*2\r\n\\$10\r\n[0-9]{10}\r\n\\$[1-6]\r\n[0-9]+\r\n");
            long seconds = Long.parseLong(time.split("\r\n")[2]);
            assertThat(seconds).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(5L));
            assertThat(client.call("LASTSAVE")).isEqualTo(":" + servers.spinel().context().startMillis() / 1000 + "\r\n");
        }
    }

    @Test
    void shutdown_closesWithoutReply() throws InterruptedException {
        SpinelServer victim = TestServer.start();
        try (RawClient client = new RawClient(victim.port())) {
            client.send(RawClient.encode("SHUTDOWN", "NOSAVE"));
            assertThat(client.readReply()).isNull();
            victim.awaitTermination();
        } finally {
            victim.close();
        }
    }
}
