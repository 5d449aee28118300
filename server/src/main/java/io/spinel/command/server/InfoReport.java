package io.spinel.command.server;

import io.spinel.command.Client;
import io.spinel.command.CommandSpec;
import io.spinel.command.LatencyHistogram;
import io.spinel.command.ServerContext;
import io.spinel.command.ServerStats;
import io.spinel.command.Version;
import io.spinel.config.Config;
import io.spinel.config.Percentiles;
import io.spinel.store.Counter;
import io.spinel.store.Database;
import io.spinel.store.KeyspaceStats;
import io.spinel.store.SlotLocks;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The text of INFO: Redis's sections ("# Server", "# Clients", ...) with Redis's field names,
 * one "field:value" per CRLF-terminated line and a blank line between sections, so tools that
 * parse Redis's INFO parse ours. Fields Redis reports for subsystems Spinel lacks (forks, AOF
 * rewrites, active defrag, replication links) keep their idle values.
 *
 * <h2>Memory</h2>
 * used_memory is the keyspace's accounting of its keys and values, the clients' buffers and the
 * empty keyspace (see {@link MemoryFigures}), the number maxmemory limits; the allocator_* fields
 * describe the JVM heap, used_memory_rss is the process's resident set from /proc/self/statm.
 */
final class InfoReport {
    /** Every section in Redis's order; "modules" is the list of loaded modules (none). */
    private static final List<String> SECTIONS = List.of("server", "clients", "memory", "persistence", "stats",
            "replication", "cpu", "modules", "commandstats", "errorstats", "latencystats", "cluster", "keyspace");
    private static final Set<String> DEFAULT = Set.of("server", "clients", "memory", "persistence", "stats",
            "replication", "cpu", "modules", "errorstats", "cluster", "keyspace");

    private final ServerContext server;

    InfoReport(ServerContext server) {
        this.server = server;
    }

    /** The report of the sections named in {@code args} (lower case; none means "default"). */
    String render(List<String> args, Client client) {
        List<String> wanted = new ArrayList<>();
        for (String section : SECTIONS) {
            boolean all = args.contains("all") || args.contains("everything");
            if (all || args.contains(section) || ((args.isEmpty() || args.contains("default")) && DEFAULT.contains(section))) {
                wanted.add(section);
            }
        }
        StringBuilder out = new StringBuilder(4096);
        for (String section : wanted) {
            if (!out.isEmpty()) {
                out.append("\r\n");
            }
            switch (section) {
                case "server" -> server(out, client);
                case "clients" -> clients(out);
                case "memory" -> memory(out);
                case "persistence" -> persistence(out);
                case "stats" -> stats(out);
                case "replication" -> replication(out);
                case "cpu" -> cpu(out);
                case "modules" -> out.append("# Modules\r\n");
                case "commandstats" -> commandstats(out);
                case "errorstats" -> errorstats(out);
                case "latencystats" -> latencystats(out);
                case "cluster" -> out.append("# Cluster\r\ncluster_enabled:0\r\n");
                default -> keyspace(out);
            }
        }
        return out.toString();
    }

    private static void field(StringBuilder out, String name, Object value) {
        out.append(name).append(':').append(value).append("\r\n");
    }

    /** Fields of subsystems Spinel lacks, all at the same idle value. */
    private static void idle(StringBuilder out, Object value, String... names) {
        for (String name : names) {
            field(out, name, value);
        }
    }

    private void server(StringBuilder out, Client client) {
        Config config = server.config();
        long now = server.clock().millis();
        long uptime = (now - server.startMillis()) / 1000;
        String arch = System.getProperty("os.arch");
        out.append("# Server\r\n");
        field(out, "redis_version", Version.REDIS_VERSION);
        field(out, "redis_git_sha1", "00000000");
        field(out, "redis_git_dirty", 0);
        field(out, "redis_build_id", "0");
        field(out, "redis_mode", "standalone");
        field(out, "os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + (arch.equals("amd64") ? "x86_64" : arch));
        field(out, "arch_bits", arch.contains("64") ? 64 : 32);
        field(out, "monotonic_clock", "POSIX clock_gettime");
        field(out, "multiplexing_api", "epoll");
        field(out, "atomicvar_api", "c11-builtin");
        field(out, "gcc_version", "0.0.0");
        field(out, "process_id", ProcessHandle.current().pid());
        field(out, "process_supervised", "no");
        field(out, "run_id", server.runId());
        field(out, "tcp_port", tcpPort(client));
        field(out, "server_time_usec", server.clock().micros());
        field(out, "uptime_in_seconds", uptime);
        field(out, "uptime_in_days", uptime / 86400);
        field(out, "hz", config.hz.value());
        field(out, "configured_hz", config.hz.value());
        field(out, "lru_clock", (now / 1000) & ((1 << 24) - 1));
        field(out, "executable", ProcessHandle.current().info().command().orElse(""));
        Path configFile = config.configFile();
        field(out, "config_file", configFile == null ? "" : configFile.toAbsolutePath());
        field(out, "io_threads_active", 0);
        field(out, "listener0", "name=tcp," + bindList(config) + "port=" + tcpPort(client));
    }

    /** "bind=a,bind=b," for each address of the bind setting, as Redis lists its listener. */
    private static String bindList(Config config) {
        StringBuilder out = new StringBuilder();
        for (String address : config.bind.value().trim().split("\\s+")) {
            out.append("bind=").append(address).append(',');
        }
        return out.toString();
    }

    /** The configured port, or the one actually bound when configured as 0. */
    private long tcpPort(Client client) {
        long port = server.config().port.value();
        if (port != 0) {
            return port;
        }
        String local = client.connection().localAddress();
        return Long.parseLong(local.substring(local.lastIndexOf(':') + 1));
    }

    private void clients(StringBuilder out) {
        long maxInput = 0;
        long maxOutput = 0;
        int blocked = 0;
        int subscribed = 0;
        int watching = 0;
        for (Client c : server.clients()) {
            maxInput = Math.max(maxInput, c.connection().queryBufferBytes());
            maxOutput = Math.max(maxOutput, c.connection().pendingOutputBytes());
            blocked += c.connection().blocked() ? 1 : 0;
            subscribed += c.subscribed() ? 1 : 0;
            watching += c.transaction() != null && c.transaction().watching() ? 1 : 0;
        }
        out.append("# Clients\r\n");
        field(out, "connected_clients", server.clients().size());
        field(out, "cluster_connections", 0);
        field(out, "maxclients", server.config().maxclients.value());
        field(out, "client_recent_max_input_buffer", maxInput);
        field(out, "client_recent_max_output_buffer", maxOutput);
        field(out, "blocked_clients", blocked);
        field(out, "tracking_clients", server.tracking().clients());
        field(out, "pubsub_clients", subscribed);
        field(out, "watching_clients", watching);
        field(out, "clients_in_timeout_table", blocked);
        field(out, "total_watched_keys", server.watches().watchedKeys());
        field(out, "total_blocking_keys", server.blocking().blockingKeys());
        field(out, "total_blocking_keys_on_nokey", 0);
    }

    private void memory(StringBuilder out) {
        MemoryFigures memory = MemoryFigures.now(server);
        long used = memory.used();
        long rss = memory.rss();
        long peak = memory.peak();
        long total = totalSystemMemory();
        long maxmemory = server.config().maxmemory.value();
        out.append("# Memory\r\n");
        field(out, "used_memory", used);
        field(out, "used_memory_human", human(used));
        field(out, "used_memory_rss", rss);
        field(out, "used_memory_rss_human", human(rss));
        field(out, "used_memory_peak", peak);
        field(out, "used_memory_peak_human", human(peak));
        field(out, "used_memory_peak_perc", String.format(Locale.ROOT, "%.2f%%", peak == 0 ? 0.0 : used * 100.0 / peak));
        field(out, "used_memory_overhead", memory.overhead());
        field(out, "used_memory_startup", memory.startup());
        field(out, "used_memory_dataset", memory.dataset());
        field(out, "used_memory_dataset_perc", String.format(Locale.ROOT, "%.2f%%", memory.datasetPercent()));
        field(out, "allocator_allocated", memory.heapUsed());
        field(out, "allocator_active", memory.heapCommitted());
        field(out, "allocator_resident", rss);
        field(out, "total_system_memory", total);
        field(out, "total_system_memory_human", human(total));
        field(out, "used_memory_lua", 0);
        field(out, "used_memory_lua_human", "0B");
        field(out, "used_memory_scripts", 0);
        field(out, "used_memory_scripts_human", "0B");
        field(out, "number_of_cached_scripts", 0);
        field(out, "maxmemory", maxmemory);
        field(out, "maxmemory_human", human(maxmemory));
        field(out, "maxmemory_policy", server.keyspace().policy().configName());
        field(out, "allocator_frag_ratio", ratio(memory.ratio(memory.heapCommitted(), memory.heapUsed())));
        field(out, "allocator_frag_bytes", memory.heapCommitted() - memory.heapUsed());
        field(out, "allocator_rss_ratio", ratio(memory.ratio(rss, memory.heapCommitted())));
        field(out, "allocator_rss_bytes", rss - memory.heapCommitted());
        field(out, "rss_overhead_ratio", "1.00");
        field(out, "rss_overhead_bytes", 0);
        field(out, "mem_fragmentation_ratio", ratio(memory.fragmentation()));
        field(out, "mem_fragmentation_bytes", rss - used);
        idle(out, 0, "mem_not_counted_for_evict", "mem_replication_backlog", "mem_total_replication_buffers",
                "mem_clients_slaves");
        field(out, "mem_clients_normal", memory.clients());
        idle(out, 0, "mem_cluster_links", "mem_aof_buffer");
        field(out, "mem_allocator", "jvm");
        field(out, "active_defrag_running", 0);
        field(out, "lazyfree_pending_objects", 0);
        field(out, "lazyfreed_objects", server.keyspace().stats().lazyfreedObjects.sum());
    }

    private static String ratio(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    private static long totalSystemMemory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return 0;
    }

    /** Redis's bytesToHuman: B below 1 KiB, else two decimals and K, M, G, T, P. */
    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + "B";
        }
        String[] units = {"K", "M", "G", "T", "P"};
        double value = bytes / 1024.0;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.2f%s", value, units[unit]);
    }

    private void persistence(StringBuilder out) {
        out.append("# Persistence\r\n");
        server.snapshots().info((name, value) -> field(out, name, value));
        server.snapshots().aofInfo((name, value) -> field(out, name, value));
    }

    private void stats(StringBuilder out) {
        ServerStats stats = server.stats();
        KeyspaceStats keyspace = server.keyspace().stats();
        out.append("# Stats\r\n");
        field(out, "total_connections_received", stats.connectionsReceived.sum());
        field(out, "total_commands_processed", stats.commandsProcessed.sum());
        field(out, "instantaneous_ops_per_sec", server.diagnostics().opsPerSecond());
        field(out, "total_net_input_bytes", stats.netInputBytes.sum());
        field(out, "total_net_output_bytes", stats.netOutputBytes.sum());
        field(out, "total_net_repl_input_bytes", 0);
        field(out, "total_net_repl_output_bytes", 0);
        idle(out, "0.00",
                "instantaneous_input_kbps", "instantaneous_output_kbps", "instantaneous_input_repl_kbps",
                "instantaneous_output_repl_kbps");
        field(out, "rejected_connections", stats.rejectedConnections.sum());
        idle(out, 0, "sync_full", "sync_partial_ok", "sync_partial_err");
        field(out, "expired_keys", keyspace.expiredKeys.sum());
        field(out, "expired_stale_perc", "0.00");
        field(out, "expired_time_cap_reached_count", keyspace.expiredStaleCycles.sum());
        field(out, "expire_cycle_cpu_milliseconds", 0);
        field(out, "evicted_keys", keyspace.evictedKeys.sum());
        field(out, "evicted_clients", 0);
        long exceeding = server.keyspace().evictor().currentExceededMicros();
        field(out, "total_eviction_exceeded_time", (keyspace.evictionExceededMicros.sum() + exceeding) / 1000);
        field(out, "current_eviction_exceeded_time", exceeding / 1000);
        field(out, "keyspace_hits", keyspace.hits.sum());
        field(out, "keyspace_misses", keyspace.misses.sum());
        field(out, "pubsub_channels", server.pubsub().size(io.spinel.pubsub.PubSub.Kind.CHANNEL));
        field(out, "pubsub_patterns", server.pubsub().size(io.spinel.pubsub.PubSub.Kind.PATTERN));
        field(out, "pubsubshard_channels", server.pubsub().size(io.spinel.pubsub.PubSub.Kind.SHARD));
        idle(out, 0,
                "latest_fork_usec", "total_forks",
                "migrate_cached_sockets", "slave_expires_tracked_keys", "active_defrag_hits", "active_defrag_misses",
                "active_defrag_key_hits", "active_defrag_key_misses", "total_active_defrag_time",
                "current_active_defrag_time");
        field(out, "tracking_total_keys", server.tracking().keys());
        field(out, "tracking_total_items", server.tracking().items());
        field(out, "tracking_total_prefixes", server.tracking().prefixCount());
        field(out, "unexpected_error_replies", stats.unexpectedErrorReplies.sum());
        field(out, "total_error_replies", stats.errorReplies.sum());
        idle(out, 0,
                "dump_payload_sanitizations", "total_reads_processed", "total_writes_processed",
                "io_threaded_reads_processed", "io_threaded_writes_processed", "client_query_buffer_limit_disconnections",
                "client_output_buffer_limit_disconnections", "reply_buffer_shrinks", "reply_buffer_expands",
                "eventloop_cycles", "eventloop_duration_sum", "eventloop_duration_cmd_sum",
                "instantaneous_eventloop_cycles_per_sec", "instantaneous_eventloop_duration_usec",
                "acl_access_denied_auth", "acl_access_denied_cmd", "acl_access_denied_key", "acl_access_denied_channel");
    }

    private void replication(StringBuilder out) {
        out.append("# Replication\r\n");
        field(out, "role", "master");
        field(out, "connected_slaves", 0);
        field(out, "master_failover_state", "no-failover");
        field(out, "master_replid", server.replicationId());
        field(out, "master_replid2", "0".repeat(40));
        field(out, "master_repl_offset", 0);
        field(out, "second_repl_offset", -1);
        field(out, "repl_backlog_active", 0);
        field(out, "repl_backlog_size", 1048576);
        field(out, "repl_backlog_first_byte_offset", 0);
        field(out, "repl_backlog_histlen", 0);
    }

    private void cpu(StringBuilder out) {
        long[] userSys = processCpuMicros();
        var threads = ManagementFactory.getThreadMXBean();
        long threadTotal = Math.max(0, threads.getCurrentThreadCpuTime() / 1000);
        long threadUser = Math.max(0, threads.getCurrentThreadUserTime() / 1000);
        out.append("# CPU\r\n");
        field(out, "used_cpu_sys", seconds(userSys[1]));
        field(out, "used_cpu_user", seconds(userSys[0]));
        field(out, "used_cpu_sys_children", "0.000000");
        field(out, "used_cpu_user_children", "0.000000");
        field(out, "used_cpu_sys_main_thread", seconds(threadTotal - threadUser));
        field(out, "used_cpu_user_main_thread", seconds(threadUser));
    }

    /** User and system CPU time of the process in microseconds, from /proc/self/stat (clock ticks of 10 ms). */
    private static long[] processCpuMicros() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(fields[11]) * 10_000, Long.parseLong(fields[12]) * 10_000};
        } catch (IOException | RuntimeException e) {
            long total = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                    ? os.getProcessCpuTime() / 1000 : 0;
            return new long[] {total, 0};
        }
    }

    private static String seconds(long micros) {
        return String.format(Locale.ROOT, "%d.%06d", micros / 1_000_000, micros % 1_000_000);
    }

    private void commandstats(StringBuilder out) {
        out.append("# Commandstats\r\n");
        for (CommandSpec spec : server.commands().commands()) {
            commandstat(out, spec);
            for (CommandSpec sub : spec.subcommands().values()) {
                commandstat(out, sub);
            }
        }
    }

    private static void commandstat(StringBuilder out, CommandSpec spec) {
        var stats = spec.stats();
        long calls = stats.calls();
        if (calls == 0 && stats.failedCalls() == 0 && stats.rejectedCalls() == 0) {
            return;
        }
        long micros = stats.micros();
        out.append("cmdstat_").append(spec.fullName()).append(":calls=").append(calls).append(",usec=").append(micros)
                .append(",usec_per_call=").append(String.format(Locale.ROOT, "%.2f", calls == 0 ? 0.0 : (double) micros / calls))
                .append(",rejected_calls=").append(stats.rejectedCalls()).append(",failed_calls=").append(stats.failedCalls())
                .append("\r\n");
    }

    /**
     * Each called command's latency percentiles (latency-tracking-info-percentiles), in
     * microseconds; nothing while latency-tracking is off, as in Redis.
     */
    private void latencystats(StringBuilder out) {
        out.append("# Latencystats\r\n");
        if (!server.config().latencyTracking.value()) {
            return;
        }
        double[] percentiles = server.config().latencyTrackingInfoPercentiles.value();
        for (CommandSpec spec : server.commands().commands()) {
            latencystat(out, spec, percentiles);
            for (CommandSpec sub : spec.subcommands().values()) {
                latencystat(out, sub, percentiles);
            }
        }
    }

    private static void latencystat(StringBuilder out, CommandSpec spec, double[] percentiles) {
        LatencyHistogram.Snapshot latency = spec.stats().latency().snapshot();
        if (latency.count() == 0) {
            return;
        }
        out.append("latency_percentiles_usec_").append(spec.fullName()).append(':');
        for (int i = 0; i < percentiles.length; i++) {
            out.append(i == 0 ? "" : ",").append('p').append(Percentiles.name(percentiles[i])).append('=')
                    .append(String.format(Locale.ROOT, "%.3f", latency.valueAtPercentile(percentiles[i]) / 1000.0));
        }
        out.append("\r\n");
    }

    private void errorstats(StringBuilder out) {
        out.append("# Errorstats\r\n");
        Map<String, Counter> sorted = new TreeMap<>(server.stats().errorCodes());
        sorted.forEach((code, count) -> out.append("errorstat_").append(code).append(":count=").append(count.sum()).append("\r\n"));
    }

    /**
     * The non-empty databases' key counts, taken under every slot lock so the figures are those of
     * one moment. avg_ttl stays 0: Redis estimates it from the active expire cycle's samples, which
     * Spinel's cycle does not take.
     */
    private void keyspace(StringBuilder out) {
        out.append("# Keyspace\r\n");
        SlotLocks locks = server.keyspace().locks();
        locks.lockAll();
        try {
            for (int i = 0; i < server.keyspace().databaseCount(); i++) {
                Database db = server.keyspace().database(i);
                long keys = db.size();
                if (keys > 0) {
                    out.append("db").append(i).append(":keys=").append(keys).append(",expires=").append(db.volatileSize())
                            .append(",avg_ttl=0\r\n");
                }
            }
        } finally {
            locks.unlockAll();
        }
    }
}
