package io.spinel.command.server;

import io.spinel.command.Arguments;
import io.spinel.command.Client;
import io.spinel.command.CommandTable;
import io.spinel.command.Errors;
import io.spinel.command.ServerContext;
import io.spinel.config.Config;
import io.spinel.config.ConfigException;
import io.spinel.config.ConfigFile;
import io.spinel.config.ConfigParam;
import io.spinel.resp.ReplyWriter;
import io.spinel.store.Glob;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The CONFIG command: GET, SET, REWRITE, RESETSTAT and HELP over the server's {@link Config}. */
public final class ConfigCommands {
    private static final List<String> HELP = List.of(
            "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "GET <pattern>",
            "    Return parameters matching the glob-like <pattern> and their values.",
            "SET <directive> <value>",
            "    Set the configuration <directive> to <value>.",
            "RESETSTAT",
            "    Reset statistics reported by the INFO command.",
            "REWRITE",
            "    Rewrite the configuration file.",
            "HELP",
            "    Prints this help.");

    private final ServerContext server;

    public ConfigCommands(ServerContext server) {
        this.server = server;
    }

    /** Binds CONFIG's subcommands in {@code table}. */
    public void bind(CommandTable table) {
        table.bind("config|get", this::configGet);
        table.bind("config|set", this::configSet);
        table.bind("config|rewrite", this::configRewrite);
        table.bind("config|resetstat", this::configResetstat);
        table.bind("config|help", this::configHelp);
    }

    /**
     * CONFIG GET parameter [parameter ...]
     *
     * <p>Each parameter is a glob matched against every name, aliases included (any case), so a
     * pattern can name a parameter by its alias and a wide glob returns both names.
     */
    void configGet(Client client, byte[][] argv) {
        Map<String, String> matches = new LinkedHashMap<>();
        for (ConfigParam param : server.config().params()) {
            for (String name : names(param)) {
                for (int i = 2; i < argv.length; i++) {
                    if (Glob.matches(Arguments.text(argv[i]), name, true)) {
                        matches.put(name, param.get());
                        break;
                    }
                }
            }
        }
        ReplyWriter reply = client.reply();
        reply.map(matches.size());
        matches.forEach((name, value) -> {
            reply.bulk(name);
            reply.bulk(value);
        });
    }

    /** The name of {@code param} followed by its aliases. */
    private static List<String> names(ConfigParam param) {
        if (param.aliases().isEmpty()) {
            return List.of(param.name());
        }
        List<String> names = new java.util.ArrayList<>(param.aliases().size() + 1);
        names.add(param.name());
        names.addAll(param.aliases());
        return names;
    }

    /**
     * CONFIG SET parameter value [parameter value ...]
     *
     * <p>All or nothing: every name is checked (exists, no repeats, mutable) and every value parsed
     * before any is applied.
     */
    void configSet(Client client, byte[][] argv) {
        if ((argv.length & 1) != 0) {
            client.reply().error(Errors.SYNTAX);
            return;
        }
        Config config = server.config();
        Map<String, String> values = new LinkedHashMap<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 2; i < argv.length; i += 2) {
            String name = Arguments.text(argv[i]);
            if (config.param(name) == null) {
                client.reply().error(Errors.configUnknown(name));
                return;
            }
            if (!seen.add(name.toLowerCase(Locale.ROOT))) {
                client.reply().error(Errors.configSetFailed(name, "duplicate parameter"));
                return;
            }
            values.put(name, Arguments.text(argv[i + 1]));
        }
        try {
            config.set(values, false, client.connection().isLocal());
        } catch (ConfigException e) {
            client.reply().error(Errors.configSetFailed(e.parameter(), e.getMessage()));
            return;
        }
        for (String name : values.keySet()) {
            String refused = server.configChanged(config.param(name).name());
            if (refused != null) {
                client.reply().error(Errors.configSetFailed(name, refused));
                return;
            }
        }
        client.reply().ok();
    }

    /** CONFIG REWRITE */
    void configRewrite(Client client, byte[][] argv) {
        Config config = server.config();
        if (config.configFile() == null) {
            client.reply().error(Errors.NO_CONFIG_FILE);
            return;
        }
        try {
            ConfigFile.rewrite(config, config.configFile());
        } catch (IOException e) {
            client.reply().error(Errors.configRewriteFailed(e.getMessage()));
            return;
        }
        client.reply().ok();
    }

    /** CONFIG RESETSTAT */
    void configResetstat(Client client, byte[][] argv) {
        server.stats().reset();
        server.keyspace().stats().reset();
        server.commands().resetStats();
        client.reply().ok();
    }

    /** CONFIG HELP */
    void configHelp(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        reply.array(HELP.size());
        for (String line : HELP) {
            reply.simple(line);
        }
    }
}
