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
    public final ConfigParam.Text dir = text("dir", System.getProperty("user.dir"), true);
    public final ConfigParam.Num protoMaxBulkLen = memory("proto-max-bulk-len", 512L * 1024 * 1024, 1024 * 1024, Long.MAX_VALUE);
    public final ConfigParam.Num clientQueryBufferLimit = memory("client-query-buffer-limit", 1024L * 1024 * 1024, 1024 * 1024, Long.MAX_VALUE);
    public final ConfigParam.Num slowlogLogSlowerThan = num("slowlog-log-slower-than", 10000, -1, Long.MAX_VALUE, true);
    public final ConfigParam.Num slowlogMaxLen = num("slowlog-max-len", 128, 0, Long.MAX_VALUE, true);
    public final ConfigParam.Num latencyMonitorThreshold = num("latency-monitor-threshold", 0, 0, Long.MAX_VALUE, true);
    public final ConfigParam.Num hz = num("hz", 10, 0, Integer.MAX_VALUE, true);
    public final ConfigParam.Num ioThreads = num("io-threads", Runtime.getRuntime().availableProcessors(), 1, 128, false);
    public final ConfigParam.Choice enableDebugCommand = choice("enable-debug-command", "no", "no", "yes", "local");

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

    private ConfigParam.Bool bool(String name, boolean def) {
        return register(new ConfigParam.Bool(name, List.of(), true, def));
    }

    private ConfigParam.Text text(String name, String def, boolean mutable) {
        return register(new ConfigParam.Text(name, List.of(), mutable, def));
    }

    private ConfigParam.Choice choice(String name, String def, String... choices) {
        return register(new ConfigParam.Choice(name, List.of(), true, List.of(choices), def));
    }

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
    public synchronized void set(Map<String, String> values, boolean startup) {
        Map<ConfigParam, Object> parsed = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : values.entrySet()) {
            ConfigParam param = param(entry.getKey());
            if (param == null) {
                throw new ConfigException.Unknown(entry.getKey());
            }
            if (!startup && !param.mutable) {
                throw new ConfigException.Invalid(entry.getKey(), "can't set immutable config");
            }
            try {
                parsed.put(param, param.parse(entry.getValue()));
            } catch (IllegalArgumentException e) {
                throw new ConfigException.Invalid(entry.getKey(), e.getMessage());
            }
        }
        parsed.forEach(ConfigParam::apply);
    }

    /** Sets one parameter at startup (config file, command line). */
    public void setAtStartup(String name, String value) {
        set(Map.of(name, value), true);
    }
}
