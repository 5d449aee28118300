package io.spinel.command;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command table: every command Redis declares, loaded from {@code commands.json} (written by
 * {@code tools/gen-command-table.py} from Redis's own COMMAND INFO and COMMAND DOCS), joined with
 * the handlers the command families bind. Only bound commands are served; the rest answer the
 * unknown-command error. The dispatcher's checks, COMMAND, INFO commandstats and the lock choice
 * all read this one table.
 *
 * <p>Built once at startup, then read-only and thread-safe.
 */
public final class CommandTable {
    private static final String RESOURCE = "commands.json";

    private final Map<String, CommandSpec> all = new LinkedHashMap<>();
    /** Bound top-level commands, open addressing over their lower-case names. */
    private CommandSpec[] slots = new CommandSpec[0];
    private byte[][] slotNames = new byte[0][];

    /** Loads every Redis command's metadata; no command is served until a family binds it. */
    public CommandTable() {
        for (Object entry : loadJson()) {
            CommandSpec spec = parse(asMap(entry), null);
            all.put(spec.name(), spec);
        }
    }

    /** The parsed {@code commands.json} resource: a list of command objects. */
    private static List<?> loadJson() {
        try (InputStream in = CommandTable.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            return (List<?>) Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + RESOURCE, e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        return (Map<String, Object>) o;
    }

    /** Builds the spec of one command (and, recursively, its subcommands) from its JSON object. */
    @SuppressWarnings("unchecked")
    private static CommandSpec parse(Map<String, Object> json, String parent) {
        String fullName = (String) json.get("name");
        List<KeySpec> keySpecs = new ArrayList<>();
        for (Object ks : (List<Object>) json.getOrDefault("key_specs", List.of())) {
            keySpecs.add(KeySpec.from(asMap(ks)));
        }
        List<Long> range = (List<Long>) json.get("legacy_range");
        Map<String, Object> docs = new LinkedHashMap<>();
        for (String field : List.of("summary", "since", "group", "complexity", "module", "doc_flags",
                "deprecated_since", "replaced_by", "history", "arguments")) {
            if (json.containsKey(field)) {
                docs.put(field, json.get(field));
            }
        }
        Map<String, CommandSpec> subcommands = new LinkedHashMap<>();
        for (Object sub : (List<Object>) json.getOrDefault("subcommands", List.of())) {
            CommandSpec spec = parse(asMap(sub), fullName);
            subcommands.put(spec.name(), spec);
        }
        return new CommandSpec(fullName, ((Long) json.get("arity")).intValue(),
                (List<String>) json.get("flags"), (List<String>) json.get("acl_categories"),
                (List<String>) json.getOrDefault("tips", List.of()), keySpecs,
                new int[] {range.get(0).intValue(), range.get(1).intValue(), range.get(2).intValue()},
                Boolean.TRUE.equals(json.get("protected")), docs, subcommands);
    }

    /**
     * Binds {@code handler} to the command or subcommand {@code fullName} ("get", "config|get").
     * The locks follow from its key specs: the keys' slots, or every slot when the specs cannot
     * name all keys; none for a command without keys.
     */
    public void bind(String fullName, CommandHandler handler) {
        CommandSpec spec = spec(fullName);
        LockMode mode = spec.keySpecs().isEmpty() ? LockMode.NONE
                : spec.keySpecsComplete() ? LockMode.KEYS : LockMode.ALL;
        bind(fullName, mode, handler);
    }

    /** Binds {@code handler} with an explicit lock mode (keyspace-wide commands). */
    public void bind(String fullName, LockMode lockMode, CommandHandler handler) {
        CommandSpec spec = spec(fullName);
        if (spec.handler() != null) {
            throw new IllegalStateException("command bound twice: " + fullName);
        }
        spec.bind(handler, lockMode);
        int bar = fullName.indexOf('|');
        index(bar < 0 ? spec : all.get(fullName.substring(0, bar)));
    }

    /** The spec named {@code fullName} ("get" or "config|get"); fails when the table has none. */
    private CommandSpec spec(String fullName) {
        int bar = fullName.indexOf('|');
        CommandSpec spec = bar < 0 ? all.get(fullName)
                : all.containsKey(fullName.substring(0, bar))
                        ? all.get(fullName.substring(0, bar)).subcommands().get(fullName.substring(bar + 1))
                        : null;
        if (spec == null) {
            throw new IllegalArgumentException("no such command in the table: " + fullName);
        }
        return spec;
    }

    /** Adds a newly bound top-level command to the lookup table, rebuilding it at a quarter full. */
    private void index(CommandSpec spec) {
        if (lookup(spec.name().getBytes(StandardCharsets.US_ASCII)) == spec) {
            return;
        }
        List<CommandSpec> bound = new ArrayList<>(commands());
        bound.add(spec);
        int capacity = Integer.highestOneBit(Math.max(4, bound.size() * 4) - 1) << 1;
        CommandSpec[] newSlots = new CommandSpec[capacity];
        byte[][] newNames = new byte[capacity][];
        for (CommandSpec s : bound) {
            byte[] name = s.name().getBytes(StandardCharsets.US_ASCII);
            int i = hash(name) & (capacity - 1);
            while (newSlots[i] != null) {
                i = (i + 1) & (capacity - 1);
            }
            newSlots[i] = s;
            newNames[i] = name;
        }
        slots = newSlots;
        slotNames = newNames;
    }

    /** Case-insensitive hash of a command name, the same for any spelling of it. */
    private static int hash(byte[] name) {
        int h = 0;
        for (byte b : name) {
            h = h * 31 + KeySpec.lower(b);
        }
        return h ^ (h >>> 16);
    }

    /** The served command named {@code name} (any case), or null. */
    public CommandSpec lookup(byte[] name) {
        if (slots.length == 0) {
            return null;
        }
        int mask = slots.length - 1;
        for (int i = hash(name) & mask; slots[i] != null; i = (i + 1) & mask) {
            if (KeySpec.equalsIgnoreCase(slotNames[i], name)) {
                return slots[i];
            }
        }
        return null;
    }

    /** The served subcommand {@code name} of {@code container} (any case), or null. */
    public CommandSpec lookupSubcommand(CommandSpec container, byte[] name) {
        CommandSpec sub = container.subcommands().get(new String(name, StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT));
        return sub != null && sub.implemented() ? sub : null;
    }

    /** The served top-level commands. */
    public Collection<CommandSpec> commands() {
        List<CommandSpec> served = new ArrayList<>();
        for (CommandSpec spec : slots) {
            if (spec != null) {
                served.add(spec);
            }
        }
        served.sort(java.util.Comparator.comparing(CommandSpec::name));
        return served;
    }

    /** Clears every command's statistics (CONFIG RESETSTAT). */
    public void resetStats() {
        for (CommandSpec spec : all.values()) {
            spec.stats().reset();
            for (CommandSpec sub : spec.subcommands().values()) {
                sub.stats().reset();
            }
        }
    }
}
