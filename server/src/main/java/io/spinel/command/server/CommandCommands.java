package io.spinel.command.server;

import io.spinel.command.Arguments;
import io.spinel.command.Client;
import io.spinel.command.CommandSpec;
import io.spinel.command.CommandTable;
import io.spinel.command.Errors;
import io.spinel.command.ServerContext;
import io.spinel.resp.ReplyWriter;
import io.spinel.store.Glob;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The COMMAND family: the command table described to clients (COMMAND, COUNT, LIST, INFO, DOCS,
 * GETKEYS, GETKEYSANDFLAGS, HELP). Only served commands and subcommands appear, so a client never
 * learns of a command it would get the unknown-command error for.
 *
 * <p>Key specs and documentation are kept as the JSON maps Redis renders and written generically
 * ({@link #renderValue}): maps become RESP maps, the lists Redis declares as sets ("flags",
 * "doc_flags", "tips", "history") become sets, other lists arrays, text bulk strings, numbers
 * integers. Flags are simple strings as Redis writes them.
 */
public final class CommandCommands {
    private static final String[] HELP = {
        "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "(no subcommand)",
        "    Return details about all Redis commands.",
        "COUNT",
        "    Return the total number of commands in this Redis server.",
        "LIST",
        "    Return a list of all commands in this Redis server.",
        "INFO [<command-name> ...]",
        "    Return details about multiple Redis commands.",
        "    If no command names are given, documentation details for all",
        "    commands are returned.",
        "DOCS [<command-name> ...]",
        "    Return documentation details about multiple Redis commands.",
        "    If no command names are given, documentation details for all",
        "    commands are returned.",
        "GETKEYS <full-command>",
        "    Return the keys from a full Redis command.",
        "GETKEYSANDFLAGS <full-command>",
        "    Return the keys and the access flags from a full Redis command.",
    };

    private final CommandTable table;

    public CommandCommands(ServerContext server) {
        this.table = server.commands();
    }

    /** Binds COMMAND and its subcommands in {@code commands}. */
    public void bind(CommandTable commands) {
        commands.bind("command", this::command);
        commands.bind("command|count", this::count);
        commands.bind("command|list", this::list);
        commands.bind("command|info", this::info);
        commands.bind("command|docs", this::docs);
        commands.bind("command|getkeys", (client, argv) -> getkeys(client, argv, false));
        commands.bind("command|getkeysandflags", (client, argv) -> getkeys(client, argv, true));
        commands.bind("command|help", this::help);
    }

    /** COMMAND */
    void command(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        List<CommandSpec> all = new ArrayList<>(table.commands());
        reply.array(all.size());
        for (CommandSpec spec : all) {
            renderInfo(reply, spec);
        }
    }

    /** COMMAND COUNT */
    void count(Client client, byte[][] argv) {
        client.reply().integer(table.commands().size());
    }

    /** COMMAND LIST [FILTERBY MODULE module-name | ACLCAT category | PATTERN pattern] */
    void list(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        if (argv.length != 2 && (argv.length != 5 || !Arguments.is(argv[2], "filterby"))) {
            reply.error(Errors.SYNTAX);
            return;
        }
        List<String> names = new ArrayList<>();
        for (CommandSpec spec : table.commands()) {
            names.add(spec.fullName());
            for (CommandSpec sub : spec.subcommands().values()) {
                if (sub.implemented()) {
                    names.add(sub.fullName());
                }
            }
        }
        if (argv.length == 5) {
            String kind = Arguments.lower(argv[3]);
            switch (kind) {
                case "module" -> names.clear(); // no modules are loaded
                case "aclcat" -> {
                    String category = "@" + Arguments.lower(argv[4]);
                    names.removeIf(name -> !lookupFull(name).aclCategories().contains(category));
                }
                case "pattern" -> names.removeIf(name -> !Glob.matches(argv[4], name.getBytes(StandardCharsets.ISO_8859_1), true));
                default -> {
                    reply.error(Errors.SYNTAX);
                    return;
                }
            }
        }
        reply.array(names.size());
        for (String name : names) {
            reply.bulk(name);
        }
    }

    /** COMMAND INFO [command-name ...] */
    void info(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        if (argv.length == 2) {
            command(client, argv);
            return;
        }
        reply.array(argv.length - 2);
        for (int i = 2; i < argv.length; i++) {
            CommandSpec spec = lookupFull(Arguments.text(argv[i]));
            if (spec == null) {
                reply.nullBulk();
            } else {
                renderInfo(reply, spec);
            }
        }
    }

    /** COMMAND DOCS [command-name ...] */
    void docs(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        List<CommandSpec> found = new ArrayList<>();
        if (argv.length == 2) {
            found.addAll(table.commands());
        } else {
            for (int i = 2; i < argv.length; i++) {
                CommandSpec spec = lookupFull(Arguments.text(argv[i]));
                if (spec != null) {
                    found.add(spec);
                }
            }
        }
        reply.map(found.size());
        for (CommandSpec spec : found) {
            reply.bulk(spec.fullName());
            renderDocs(reply, spec);
        }
    }

    /** COMMAND GETKEYS command [arg ...] and COMMAND GETKEYSANDFLAGS command [arg ...] */
    void getkeys(Client client, byte[][] argv, boolean withFlags) {
        ReplyWriter reply = client.reply();
        byte[][] request = Arrays.copyOfRange(argv, 2, argv.length);
        CommandSpec spec = table.lookup(request[0]);
        if (spec != null && spec.isContainer() && request.length > 1) {
            spec = table.lookupSubcommand(spec, request[1]);
        }
        if (spec == null) {
            reply.error(Errors.INVALID_COMMAND_SPECIFIED);
            return;
        }
        if (!spec.hasKeySpecs()) {
            reply.error(Errors.COMMAND_HAS_NO_KEYS);
            return;
        }
        int arity = spec.arity();
        if ((arity > 0 && arity != request.length) || request.length < -arity) {
            reply.error(Errors.INVALID_ARGUMENT_COUNT_FOR_COMMAND);
            return;
        }
        List<Map.Entry<byte[], List<String>>> keys = spec.keysWithFlags(request);
        if (keys == null || keys.isEmpty()) {
            if (spec.flagNames().contains("no_mandatory_keys")) {
                reply.array(0);
            } else {
                reply.error(Errors.INVALID_ARGUMENTS_FOR_COMMAND);
            }
            return;
        }
        reply.array(keys.size());
        for (Map.Entry<byte[], List<String>> key : keys) {
            if (withFlags) {
                List<String> flags = key.getValue().contains("variable_flags")
                        ? variableFlags(spec.fullName(), request) : key.getValue();
                reply.array(2);
                reply.bulk(key.getKey());
                simpleSet(reply, flags);
            } else {
                reply.bulk(key.getKey());
            }
        }
    }

    /**
     * The key flags of a command whose key spec says "variable_flags": they depend on the
     * arguments, as Redis's setGetKeys and bitfieldGetKeys decide them.
     */
    private static List<String> variableFlags(String command, byte[][] request) {
        List<String> readWrite = List.of("RW", "access", "update");
        if (command.equals("set")) {
            for (int i = 3; i < request.length; i++) {
                if (Arguments.is(request[i], "get")) {
                    return readWrite;
                }
            }
            return List.of("OW", "update");
        }
        for (int i = 2; i < request.length; i++) {
            int remaining = request.length - i - 1;
            if (Arguments.is(request[i], "get") && remaining >= 2) {
                i += 2;
            } else if (Arguments.is(request[i], "overflow") && remaining >= 1) {
                i += 1;
            } else {
                return readWrite; // SET, INCRBY or a syntax error: assume a write, as Redis does
            }
        }
        return List.of("RO", "access");
    }

    /** COMMAND HELP */
    void help(Client client, byte[][] argv) {
        writeHelp(client.reply(), HELP);
    }

    /** A HELP reply as Redis's addReplyHelp writes it: the lines given, then HELP itself. */
    static void writeHelp(ReplyWriter reply, String[] lines) {
        reply.array(lines.length + 2);
        for (String line : lines) {
            reply.simple(line);
        }
        reply.simple("HELP");
        reply.simple("    Prints this help.");
    }

    /** The served command or subcommand named "name" or "container|sub" (any case), or null. */
    private CommandSpec lookupFull(String name) {
        int bar = name.indexOf('|');
        CommandSpec spec = table.lookup((bar < 0 ? name : name.substring(0, bar)).getBytes(StandardCharsets.ISO_8859_1));
        if (spec == null || bar < 0) {
            return spec;
        }
        return spec.isContainer() ? table.lookupSubcommand(spec, name.substring(bar + 1).getBytes(StandardCharsets.ISO_8859_1)) : null;
    }

    /** One command's COMMAND INFO entry: the ten fields of Redis 7, served subcommands nested. */
    static void renderInfo(ReplyWriter reply, CommandSpec spec) {
        reply.array(10);
        reply.bulk(spec.fullName());
        reply.integer(spec.arity());
        simpleSet(reply, spec.flagNames());
        int[] range = spec.legacyRange();
        reply.integer(range[0]);
        reply.integer(range[1]);
        reply.integer(range[2]);
        simpleSet(reply, spec.aclCategories());
        reply.set(spec.tips().size());
        for (String tip : spec.tips()) {
            reply.bulk(tip);
        }
        List<Map<String, Object>> keySpecs = spec.keySpecSources();
        reply.set(keySpecs.size());
        for (Map<String, Object> keySpec : keySpecs) {
            renderValue(reply, null, keySpec);
        }
        List<CommandSpec> subs = served(spec);
        if (subs.isEmpty()) {
            reply.set(0); // Redis writes an empty set here, but an array of subcommands
        } else {
            reply.array(subs.size());
        }
        for (CommandSpec sub : subs) {
            renderInfo(reply, sub);
        }
    }

    /** One command's COMMAND DOCS entry: its documentation map, served subcommands nested. */
    static void renderDocs(ReplyWriter reply, CommandSpec spec) {
        List<CommandSpec> subs = served(spec);
        Map<String, Object> docs = spec.docs();
        reply.map(docs.size() + (subs.isEmpty() ? 0 : 1));
        for (Map.Entry<String, Object> field : docs.entrySet()) {
            reply.bulk(field.getKey());
            renderValue(reply, field.getKey(), field.getValue());
        }
        if (!subs.isEmpty()) {
            reply.bulk("subcommands");
            reply.map(subs.size());
            for (CommandSpec sub : subs) {
                reply.bulk(sub.fullName());
                renderDocs(reply, sub);
            }
        }
    }

    /** The served subcommands of {@code spec}. */
    private static List<CommandSpec> served(CommandSpec spec) {
        List<CommandSpec> out = new ArrayList<>();
        for (CommandSpec sub : spec.subcommands().values()) {
            if (sub.implemented()) {
                out.add(sub);
            }
        }
        return out;
    }

    /**
     * Writes a JSON value of the table as Redis writes the same field; {@code key} is the field
     * name it is the value of (null for list elements), which decides set against array.
     */
    @SuppressWarnings("unchecked")
    static void renderValue(ReplyWriter reply, String key, Object value) {
        switch (value) {
            case Map<?, ?> map -> {
                reply.map(map.size());
                for (Map.Entry<String, Object> entry : ((Map<String, Object>) map).entrySet()) {
                    reply.bulk(entry.getKey());
                    renderValue(reply, entry.getKey(), entry.getValue());
                }
            }
            case List<?> list -> {
                if ("flags".equals(key) || "doc_flags".equals(key)) {
                    simpleSet(reply, (List<String>) list);
                    return;
                }
                if ("tips".equals(key) || "history".equals(key)) {
                    reply.set(list.size());
                } else {
                    reply.array(list.size());
                }
                for (Object element : list) {
                    renderValue(reply, null, element);
                }
            }
            case String text -> reply.bulk(text.getBytes(StandardCharsets.UTF_8));
            case Long number -> reply.integer(number);
            case Boolean bool -> reply.bool(bool);
            default -> reply.nullBulk();
        }
    }

    private static void simpleSet(ReplyWriter reply, List<String> words) {
        reply.set(words.size());
        for (String word : words) {
            reply.simple(word);
        }
    }
}
