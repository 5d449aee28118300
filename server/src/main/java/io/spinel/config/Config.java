package io.spinel.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The server's configuration: every parameter under its redis.conf name, typed, validated as
 * Redis validates it. Components keep a reference to the typed parameter they read (a volatile
 * field read, no map lookup on hot paths). Thread-safe; {@link #set} applies a group of values
 * atomically.
 */
public final class Config {
    private final Map<String, ConfigParam> byName = new LinkedHashMap<>();

    public final ConfigParam.Num port = num("port", 6379, 0, 65535, false);
    public final ConfigParam.Text bind = text("bind", "* -::*", false);
    public final ConfigParam.Bool protectedMode = bool("protected-mode", true);
    public final ConfigParam.Text requirepass = text("requirepass", "", true);
    public final ConfigParam.Num databases = num("databases", 16, 1, Integer.MAX_VALUE, false);
    public final ConfigParam.Num timeout = num("timeout", 0, 0, Integer.MAX_VALUE, true);
    public final ConfigParam.Num tcpKeepalive = num("tcp-keepalive", 300, 0, Integer.MAX_VALUE, true);
    public final ConfigParam.Num maxclients = num("maxclients", 10000, 1, Integer.MAX_VALUE, true);
    public final ConfigParam.Choice loglevel = choice("loglevel", "notice", "debug", "verbose", "notice", "warning", "nothing");
    public final ConfigParam.Text logfile = text("logfile", "", false);
    public final ConfigParam.Text dir = protectedText("dir", System.getProperty("user.dir"));
    public final ConfigParam.Num protoMaxBulkLen = memory("proto-max-bulk-len", 512L * 1024 * 1024, 1024 * 1024, Long.MAX_VALUE);
    public final ConfigParam.Num clientQueryBufferLimit = memory("client-query-buffer-limit", 1024L * 1024 * 1024, 1024 * 1024, Long.MAX_VALUE);
    public final ConfigParam.Num slowlogLogSlowerThan = num("slowlog-log-slower-than", 10000, -1, Long.MAX_VALUE, true);
    public final ConfigParam.Num slowlogMaxLen = num("slowlog-max-len", 128, 0, Long.MAX_VALUE, true);
    public final ConfigParam.Num latencyMonitorThreshold = num("latency-monitor-threshold", 0, 0, Long.MAX_VALUE, true);
    public final ConfigParam.Num hz = num("hz", 10, 0, Integer.MAX_VALUE, true);
    public final ConfigParam.Num activeExpireEffort = num("active-expire-effort", 1, 1, 10, true);
    public final ConfigParam.Num ioThreads = num("io-threads", Runtime.getRuntime().availableProcessors(), 1, 128, false);
    /** Spinel's own: microseconds an idle event loop polls its sockets before sleeping (server/BusyPoll). */
    public final ConfigParam.Num ioBusyPoll = num("io-busy-poll", 50, 0, 10_000, true);
    public final ConfigParam.Choice enableDebugCommand = immutableChoice("enable-debug-command", "no", "no", "yes", "local");
    public final ConfigParam.Choice enableProtectedConfigs = immutableChoice("enable-protected-configs", "no", "no", "yes", "local");
    public final ConfigParam.Choice enableModuleCommand = immutableChoice("enable-module-command", "no", "no", "yes", "local");

    public final ConfigParam.Special<SavePoints> save = register(new ConfigParam.Special<>("save", true,
            SavePoints.DEFAULT, SavePoints::parse, SavePoints::format));
    public final ConfigParam.Text dbfilename = protectedText("dbfilename", "dump.rdb");
    public final ConfigParam.Bool rdbcompression = bool("rdbcompression", true);
    public final ConfigParam.Bool rdbchecksum = bool("rdbchecksum", true);
    public final ConfigParam.Bool rdbDelSyncFiles = bool("rdb-del-sync-files", false);
    /** Accepted with Redis's values; RESTORE and RDB loading here always check a value whole, as "yes" does. */
    public final ConfigParam.Choice sanitizeDumpPayload = choice("sanitize-dump-payload", "no", "no", "yes", "clients");
    public final ConfigParam.Bool stopWritesOnBgsaveError = bool("stop-writes-on-bgsave-error", true);
    public final ConfigParam.Bool appendonly = bool("appendonly", false);
    public final ConfigParam.Text appendfilename = text("appendfilename", "appendonly.aof", false);
    public final ConfigParam.Text appenddirname = text("appenddirname", "appendonlydir", false);
    public final ConfigParam.Choice appendfsync = choice("appendfsync", "everysec", "always", "everysec", "no");
    public final ConfigParam.Bool noAppendfsyncOnRewrite = bool("no-appendfsync-on-rewrite", false);
    public final ConfigParam.Num autoAofRewritePercentage = num("auto-aof-rewrite-percentage", 100, 0, Integer.MAX_VALUE, true);
    public final ConfigParam.Num autoAofRewriteMinSize = memory("auto-aof-rewrite-min-size", 64L * 1024 * 1024, 0, Long.MAX_VALUE);
    public final ConfigParam.Bool aofLoadTruncated = bool("aof-load-truncated", true);
    public final ConfigParam.Bool aofUseRdbPreamble = bool("aof-use-rdb-preamble", true);
    public final ConfigParam.Bool aofTimestampEnabled = bool("aof-timestamp-enabled", false);
    public final ConfigParam.Bool aofRewriteIncrementalFsync = bool("aof-rewrite-incremental-fsync", true);
    public final ConfigParam.Bool rdbSaveIncrementalFsync = bool("rdb-save-incremental-fsync", true);

    public final ConfigParam.Num maxmemory = memory("maxmemory", 0, 0, Long.MAX_VALUE);
    public final ConfigParam.Choice maxmemoryPolicy = choice("maxmemory-policy", "noeviction", "volatile-lru", "volatile-lfu",
            "volatile-random", "volatile-ttl", "allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction");
    public final ConfigParam.Num maxmemorySamples = num("maxmemory-samples", 5, 1, Integer.MAX_VALUE, true);
    public final ConfigParam.Num maxmemoryEvictionTenacity = num("maxmemory-eviction-tenacity", 10, 0, 100, true);
    public final ConfigParam.Num maxmemoryClients = memory("maxmemory-clients", 0, 0, Long.MAX_VALUE);
    public final ConfigParam.Num lfuLogFactor = num("lfu-log-factor", 10, 0, Integer.MAX_VALUE, true);
    public final ConfigParam.Num lfuDecayTime = num("lfu-decay-time", 1, 0, Integer.MAX_VALUE, true);
    public final ConfigParam.Bool lazyfreeLazyEviction = bool("lazyfree-lazy-eviction", false);
    public final ConfigParam.Bool lazyfreeLazyExpire = bool("lazyfree-lazy-expire", false);
    public final ConfigParam.Bool lazyfreeLazyServerDel = bool("lazyfree-lazy-server-del", false);
    public final ConfigParam.Bool lazyfreeLazyUserDel = bool("lazyfree-lazy-user-del", false);
    public final ConfigParam.Bool lazyfreeLazyUserFlush = bool("lazyfree-lazy-user-flush", false);
    public final ConfigParam.Bool activedefrag = bool("activedefrag", false);
    public final ConfigParam.Num activeDefragIgnoreBytes = memory("active-defrag-ignore-bytes", 100L * 1024 * 1024, 1, Long.MAX_VALUE);
    public final ConfigParam.Num activeDefragThresholdLower = num("active-defrag-threshold-lower", 10, 0, 1000, true);
    public final ConfigParam.Num activeDefragThresholdUpper = num("active-defrag-threshold-upper", 100, 0, 1000, true);
    public final ConfigParam.Num activeDefragCycleMin = num("active-defrag-cycle-min", 1, 1, 99, true);
    public final ConfigParam.Num activeDefragCycleMax = num("active-defrag-cycle-max", 25, 1, 99, true);
    public final ConfigParam.Num activeDefragMaxScanFields = num("active-defrag-max-scan-fields", 1000, 1, Long.MAX_VALUE, true);
    public final ConfigParam.Bool activerehashing = bool("activerehashing", true);
    public final ConfigParam.Bool dynamicHz = bool("dynamic-hz", true);

    public final ConfigParam.Special<OutputBufferLimits> clientOutputBufferLimit = register(new ConfigParam.Special<>(
            "client-output-buffer-limit", true, OutputBufferLimits.DEFAULT, OutputBufferLimits::parse, OutputBufferLimits::format));
    public final ConfigParam.Text unixsocket = text("unixsocket", "", false);
    public final ConfigParam.Text pidfile = text("pidfile", "", false);
    public final ConfigParam.Bool daemonize = immutableBool("daemonize", false);
    public final ConfigParam.Choice supervised = immutableChoice("supervised", "no", "upstart", "systemd", "auto", "no");
    public final ConfigParam.Num tcpBacklog = num("tcp-backlog", 511, 0, Integer.MAX_VALUE, false);
    public final ConfigParam.Bool alwaysShowLogo = immutableBool("always-show-logo", false);
    public final ConfigParam.Bool setProcTitle = immutableBool("set-proc-title", true);
    public final ConfigParam.Bool syslogEnabled = immutableBool("syslog-enabled", false);
    public final ConfigParam.Text syslogIdent = text("syslog-ident", "redis", false);
    public final ConfigParam.Choice syslogFacility = immutableChoice("syslog-facility", "local0", "user",
            "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7");
    /** Kept without effect (Redis checks its memory after a crash; a JVM reports its own). */
    public final ConfigParam.Bool crashMemcheckEnabled = bool("crash-memcheck-enabled", true);
    /** Kept without effect: the warnings it silences (ARM64-COW-BUG) concern Redis's fork. */
    public final ConfigParam.Text ignoreWarnings = text("ignore-warnings", "", true);
    public final ConfigParam.Bool ioThreadsDoReads = immutableBool("io-threads-do-reads", false);
    public final ConfigParam.Num shutdownTimeout = num("shutdown-timeout", 10, 0, Integer.MAX_VALUE, true);
    /** Kept without effect: the launcher puts the Java heap on transparent huge pages on purpose. */
    public final ConfigParam.Bool disableThp = immutableBool("disable-thp", true);
    /** Kept without effect: there is no jemalloc (as in a Redis built with libc malloc). */
    public final ConfigParam.Bool jemallocBgThread = bool("jemalloc-bg-thread", true);
    public final ConfigParam.Special<String> oomScoreAdj = register(new ConfigParam.Special<>(
            "oom-score-adj", true, OomScoreAdj.NO, OomScoreAdj::parseMode, mode -> mode));
    public final ConfigParam.Special<int[]> oomScoreAdjValues = register(new ConfigParam.Special<>(
            "oom-score-adj-values", true, new int[] {0, 200, 800}, OomScoreAdj::parseValues, OomScoreAdj::formatValues));
    /** Validated and kept without effect: a JVM cannot retitle its process. */
    public final ConfigParam.Special<String> procTitleTemplate = register(new ConfigParam.Special<>(
            "proc-title-template", true, ProcTitleTemplate.DEFAULT, ProcTitleTemplate::parse, template -> template));
    public final ConfigParam.Bool crashLogEnabled = bool("crash-log-enabled", true);
    public final ConfigParam.Bool latencyTracking = bool("latency-tracking", true);
    public final ConfigParam.Special<double[]> latencyTrackingInfoPercentiles = register(new ConfigParam.Special<>(
            "latency-tracking-info-percentiles", true, new double[] {50, 99, 99.9}, Percentiles::parse, Percentiles::format));
    public final ConfigParam.Num busyReplyThreshold = register(new ConfigParam.Num("busy-reply-threshold",
            List.of("lua-time-limit"), true, 0, Long.MAX_VALUE, false, 5000));
    public final ConfigParam.Special<Integer> notifyKeyspaceEvents = register(new ConfigParam.Special<>(
            "notify-keyspace-events", true, 0, KeyspaceEvents::parse, KeyspaceEvents::format));
    /** Whether an error answered by a command replayed from the AOF is ignored (logged) or fatal. */
    public final ConfigParam.Choice propagationErrorBehavior = choice("propagation-error-behavior", "ignore",
            "ignore", "panic", "panic-on-replicas");
    public final ConfigParam.Special<Integer> shutdownOnSigint = register(new ConfigParam.Special<>(
            "shutdown-on-sigint", true, 0, ShutdownFlags::parse, ShutdownFlags::format));
    public final ConfigParam.Special<Integer> shutdownOnSigterm = register(new ConfigParam.Special<>(
            "shutdown-on-sigterm", true, 0, ShutdownFlags::parse, ShutdownFlags::format));
    public final ConfigParam.Num acllogMaxLen = num("acllog-max-len", 128, 0, Long.MAX_VALUE, true);
    public final ConfigParam.Num trackingTableMaxKeys = num("tracking-table-max-keys", 1_000_000, 0, Long.MAX_VALUE, true);

    public final ConfigParam.Bool replicaReadOnly = aliased("replica-read-only", "slave-read-only", true);
    public final ConfigParam.Bool replicaServeStaleData = aliased("replica-serve-stale-data", "slave-serve-stale-data", true);
    public final ConfigParam.Text masterauth = text("masterauth", "", true);
    public final ConfigParam.Text masteruser = text("masteruser", "", true);
    public final ConfigParam.Num replBacklogSize = memory("repl-backlog-size", 1024 * 1024, 1, Long.MAX_VALUE);
    public final ConfigParam.Num replBacklogTtl = num("repl-backlog-ttl", 3600, 0, Integer.MAX_VALUE, true);
    public final ConfigParam.Num replTimeout = num("repl-timeout", 60, 1, Integer.MAX_VALUE, true);
    public final ConfigParam.Num replPingReplicaPeriod = register(new ConfigParam.Num("repl-ping-replica-period",
            List.of("repl-ping-slave-period"), true, 1, Integer.MAX_VALUE, false, 10));
    public final ConfigParam.Bool replDisklessSync = bool("repl-diskless-sync", true);
    public final ConfigParam.Num replDisklessSyncMaxReplicas = num("repl-diskless-sync-max-replicas", 0, 0, Integer.MAX_VALUE, true);
    public final ConfigParam.Choice replDisklessLoad = choice("repl-diskless-load", "disabled", "disabled", "on-empty-db", "swapdb");
    public final ConfigParam.Bool replDisableTcpNodelay = bool("repl-disable-tcp-nodelay", false);
    public final ConfigParam.Bool replicaLazyFlush = aliased("replica-lazy-flush", "slave-lazy-flush", false);
    public final ConfigParam.Bool replicaIgnoreMaxmemory = aliased("replica-ignore-maxmemory", "slave-ignore-maxmemory", true);
    public final ConfigParam.Bool replicaIgnoreDiskWriteErrors = bool("replica-ignore-disk-write-errors", false);
    public final ConfigParam.Bool replicaAnnounced = bool("replica-announced", true);
    public final ConfigParam.Text replicaAnnounceIp = register(new ConfigParam.Text("replica-announce-ip",
            List.of("slave-announce-ip"), true, ""));
    public final ConfigParam.Num replicaAnnouncePort = register(new ConfigParam.Num("replica-announce-port",
            List.of("slave-announce-port"), true, 0, 65535, false, 0));
    public final ConfigParam.Text bindSourceAddr = text("bind-source-addr", "", true);
    public final ConfigParam.Num replDisklessSyncDelay = num("repl-diskless-sync-delay", 5, 0, Integer.MAX_VALUE, true);
    public final ConfigParam.Num replicaPriority = register(new ConfigParam.Num("replica-priority",
            List.of("slave-priority"), true, 0, Integer.MAX_VALUE, false, 100));
    public final ConfigParam.Num minReplicasToWrite = register(new ConfigParam.Num("min-replicas-to-write",
            List.of("min-slaves-to-write"), true, 0, Integer.MAX_VALUE, false, 0));
    public final ConfigParam.Num minReplicasMaxLag = register(new ConfigParam.Num("min-replicas-max-lag",
            List.of("min-slaves-max-lag"), true, 0, Integer.MAX_VALUE, false, 10));

    public final ConfigParam.Bool clusterEnabled = immutableBool("cluster-enabled", false);
    public final ConfigParam.Text clusterConfigFile = text("cluster-config-file", "nodes.conf", false);
    public final ConfigParam.Num clusterNodeTimeout = num("cluster-node-timeout", 15000, 0, Long.MAX_VALUE, true);

    public final ConfigParam.Num hashMaxListpackEntries = encoding("hash-max-listpack-entries", "hash-max-ziplist-entries", 512);
    public final ConfigParam.Num hashMaxListpackValue = encoding("hash-max-listpack-value", "hash-max-ziplist-value", 64);
    public final ConfigParam.Num listMaxListpackSize = register(new ConfigParam.Num("list-max-listpack-size",
            List.of("list-max-ziplist-size"), true, Integer.MIN_VALUE, Integer.MAX_VALUE, false, -2));
    public final ConfigParam.Num listCompressDepth = num("list-compress-depth", 0, 0, Integer.MAX_VALUE, true);
    public final ConfigParam.Num setMaxIntsetEntries = num("set-max-intset-entries", 512, 0, Long.MAX_VALUE, true);
    public final ConfigParam.Num setMaxListpackEntries = num("set-max-listpack-entries", 128, 0, Long.MAX_VALUE, true);
    public final ConfigParam.Num setMaxListpackValue = num("set-max-listpack-value", 64, 0, Long.MAX_VALUE, true);
    public final ConfigParam.Num zsetMaxListpackEntries = encoding("zset-max-listpack-entries", "zset-max-ziplist-entries", 128);
    public final ConfigParam.Num zsetMaxListpackValue = encoding("zset-max-listpack-value", "zset-max-ziplist-value", 64);
    public final ConfigParam.Num hllSparseMaxBytes = memory("hll-sparse-max-bytes", 3000, 0, Long.MAX_VALUE);
    public final ConfigParam.Num streamNodeMaxBytes = memory("stream-node-max-bytes", 4096, 0, Long.MAX_VALUE);
    public final ConfigParam.Num streamNodeMaxEntries = num("stream-node-max-entries", 100, 0, Long.MAX_VALUE, true);

    private volatile java.nio.file.Path configFile;

    /** The file the server was started with (CONFIG REWRITE writes it), or null. */
    public java.nio.file.Path configFile() {
        return configFile;
    }

    void configFile(java.nio.file.Path path) {
        this.configFile = path;
    }

    private ConfigParam.Num num(String name, long def, long min, long max, boolean mutable) {
        return register(new ConfigParam.Num(name, List.of(), mutable, min, max, false, def));
    }

    private ConfigParam.Num memory(String name, long def, long min, long max) {
        return register(new ConfigParam.Num(name, List.of(), true, min, max, true, def));
    }

    /** A compact-encoding threshold under its listpack name, with its ziplist name as alias. */
    private ConfigParam.Num encoding(String name, String alias, long def) {
        return register(new ConfigParam.Num(name, List.of(alias), true, 0, Long.MAX_VALUE, false, def));
    }

    private ConfigParam.Bool bool(String name, boolean def) {
        return register(new ConfigParam.Bool(name, List.of(), true, def));
    }

    private ConfigParam.Bool immutableBool(String name, boolean def) {
        return register(new ConfigParam.Bool(name, List.of(), false, def));
    }

    private ConfigParam.Bool aliased(String name, String alias, boolean def) {
        return register(new ConfigParam.Bool(name, List.of(alias), true, def));
    }

    private ConfigParam.Text protectedText(String name, String def) {
        ConfigParam.Text param = text(name, def, true);
        param.protectedConfig = true;
        return param;
    }

    private ConfigParam.Choice immutableChoice(String name, String def, String... choices) {
        return register(new ConfigParam.Choice(name, List.of(), false, List.of(choices), def));
    }

    private ConfigParam.Text text(String name, String def, boolean mutable) {
        return register(new ConfigParam.Text(name, List.of(), mutable, def));
    }

    private ConfigParam.Choice choice(String name, String def, String... choices) {
        return register(new ConfigParam.Choice(name, List.of(), true, List.of(choices), def));
    }

    /** Makes {@code param} findable by its name and its aliases; returns it. */
    private <P extends ConfigParam> P register(P param) {
        byName.put(param.name, param);
        for (String alias : param.aliases) {
            byName.put(alias, param);
        }
        return param;
    }

    /** The parameter named {@code name} (any case, aliases too), or null. */
    public ConfigParam param(String name) {
        return byName.get(name.toLowerCase(Locale.ROOT));
    }

    /** Every parameter once, in declaration order. */
    public Collection<ConfigParam> params() {
        List<ConfigParam> out = new ArrayList<>();
        for (ConfigParam p : byName.values()) {
            if (!out.contains(p)) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * Applies {@code values} (name to text) all or nothing: every value is parsed first, and
     * nothing changes when one fails. Throws {@link ConfigException} with Redis's message.
     * {@code startup} allows immutable parameters (config file and command line).
     */
    public void set(Map<String, String> values, boolean startup) {
        set(values, startup, false);
    }

    /**
     * Applies {@code values} as {@link #set(Map, boolean)} does, for a client that is local or not:
     * protected parameters (dir, dbfilename) are settable at run time only as
     * enable-protected-configs allows.
     */
    public synchronized void set(Map<String, String> values, boolean startup, boolean localClient) {
        for (String name : values.keySet()) {
            ConfigParam param = param(name);
            if (param == null) {
                throw new ConfigException.Unknown(name);
            }
            if (!startup && !param.mutable) {
                throw new ConfigException.Invalid(name, "can't set immutable config");
            }
            if (!startup && param.protectedConfig && !protectedAllowed(localClient)) {
                throw new ConfigException.Invalid(name, "can't set protected config");
            }
        }
        Map<ConfigParam, Object> parsed = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : values.entrySet()) {
            ConfigParam param = param(entry.getKey());
            try {
                parsed.put(param, param.parse(entry.getValue()));
            } catch (IllegalArgumentException e) {
                throw new ConfigException.Invalid(entry.getKey(), e.getMessage());
            }
        }
        parsed.forEach(ConfigParam::apply);
    }

    private boolean protectedAllowed(boolean localClient) {
        String setting = enableProtectedConfigs.value();
        return setting.equals("yes") || (setting.equals("local") && localClient);
    }

    /** Sets one parameter at startup (config file, command line). */
    public void setAtStartup(String name, String value) {
        set(Map.of(name, value), true);
    }
}
