package io.spinel.command;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * One row of the command table: a command or subcommand as Redis declares it (arity, flags, ACL
 * categories, key specs, documentation), the handler bound to it, and its statistics.
 */
public final class CommandSpec {
    private final String name;
    private final String fullName;
    private final int arity;
    private final List<String> flagNames;
    private final int flags;
    private final List<String> aclCategories;
    private final List<String> tips;
    private final List<KeySpec> keySpecs;
    /**
     * The argument position of the only key when the key specs name exactly one key at a fixed
     * index (GET, SET, INCR and most single-key commands), else 0: the dispatcher finds such a
     * key for every request, and this spares it the general key-spec walk.
     */
    private final int fixedKeyPosition;
    private final int[] legacyRange;
    private final boolean protectedCommand;
    private final Map<String, Object> docs;
    private final Map<String, CommandSpec> subcommands;
    private final CommandStats stats = new CommandStats();
    private CommandHandler handler;
    private LockMode lockMode = LockMode.NONE;

    CommandSpec(String fullName, int arity, List<String> flagNames, List<String> aclCategories, List<String> tips,
                List<KeySpec> keySpecs, int[] legacyRange, boolean protectedCommand, Map<String, Object> docs,
                Map<String, CommandSpec> subcommands) {
        this.fullName = fullName;
        this.name = fullName.substring(fullName.indexOf('|') + 1);
        this.arity = arity;
        this.flagNames = flagNames;
        int bits = 0;
        for (String flag : flagNames) {
            CommandFlag known = CommandFlag.named(flag);
            if (known != null) {
                bits |= known.bit;
            }
        }
        this.flags = bits;
        this.aclCategories = aclCategories;
        this.tips = tips;
        this.keySpecs = keySpecs;
        this.fixedKeyPosition = fixedKeyPosition(keySpecs);
        this.legacyRange = legacyRange;
        this.protectedCommand = protectedCommand;
        this.docs = docs;
        this.subcommands = subcommands;
    }

    /** The name within its container: "get" for CONFIG GET. */
    public String name() {
        return name;
    }

    /** The name Redis's messages use: "config|get" for a subcommand, "get" for a command. */
    public String fullName() {
        return fullName;
    }

    public int arity() {
        return arity;
    }

    public boolean has(CommandFlag flag) {
        return (flags & flag.bit) != 0;
    }

    public List<String> flagNames() {
        return flagNames;
    }

    public List<String> aclCategories() {
        return aclCategories;
    }

    public List<String> tips() {
        return tips;
    }

    List<KeySpec> keySpecs() {
        return keySpecs;
    }

    /** first, last, step: the key positions before key specs existed. */
    public int[] legacyRange() {
        return legacyRange;
    }

    /** CMD_PROTECTED: refused unless enable-debug-command allows it. */
    public boolean isProtected() {
        return protectedCommand;
    }

    /** Documentation fields (summary, since, group, complexity, history, arguments, ...). */
    public Map<String, Object> docs() {
        return docs;
    }

    public boolean isContainer() {
        return !subcommands.isEmpty();
    }

    /** Subcommands by lower-case name; only the ones bound to handlers are served. */
    public Map<String, CommandSpec> subcommands() {
        return Collections.unmodifiableMap(subcommands);
    }

    public CommandStats stats() {
        return stats;
    }

    CommandHandler handler() {
        return handler;
    }

    LockMode lockMode() {
        return lockMode;
    }

    /** Whether a handler serves this command (for a container: one of its subcommands). */
    public boolean implemented() {
        if (handler != null) {
            return true;
        }
        for (CommandSpec sub : subcommands.values()) {
            if (sub.implemented()) {
                return true;
            }
        }
        return false;
    }

    void bind(CommandHandler handler, LockMode lockMode) {
        this.handler = handler;
        this.lockMode = lockMode;
    }

    /** Whether every key of a request can be found from the key specs alone. */
    boolean keySpecsComplete() {
        for (KeySpec spec : keySpecs) {
            if (!spec.complete()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Adds the positions of the keys in {@code argv} to {@code out}; false when the request does
     * not fit the key specs.
     */
    boolean keyPositions(byte[][] argv, KeySpec.KeyPositions out) {
        if (fixedKeyPosition > 0 && fixedKeyPosition < argv.length) {
            out.add(fixedKeyPosition); // what the spec below finds, without the walk
            return true;
        }
        for (KeySpec spec : keySpecs) {
            if (!spec.keyPositions(argv, out)) {
                return false;
            }
        }
        return true;
    }
    /** See {@link #fixedKeyPosition}: one spec, beginning at an index, whose range is that one argument. */
    private static int fixedKeyPosition(List<KeySpec> keySpecs) {
        if (keySpecs.size() == 1
                && keySpecs.get(0).begin() instanceof KeySpec.BeginSearch.Index index
                && keySpecs.get(0).find() instanceof KeySpec.FindKeys.Range range
                && range.lastKey() == 0) {
            return index.position();
        }
        return 0;
    }

    /** Whether the command declares key specs (COMMAND GETKEYS refuses those without). */
    public boolean hasKeySpecs() {
        return !keySpecs.isEmpty();
    }

    /** The key specs as Redis renders them in COMMAND INFO, in declaration order. */
    public List<Map<String, Object>> keySpecSources() {
        List<Map<String, Object>> out = new java.util.ArrayList<>(keySpecs.size());
        for (KeySpec spec : keySpecs) {
            out.add(spec.source());
        }
        return out;
    }

    /**
     * The keys of {@code argv} (the command name first) with the flags of the key spec that found
     * each, in key spec order, as COMMAND GETKEYSANDFLAGS lists them; null when the arguments do
     * not fit the key specs.
     */
    public List<Map.Entry<byte[], List<String>>> keysWithFlags(byte[][] argv) {
        List<Map.Entry<byte[], List<String>>> out = new java.util.ArrayList<>();
        KeySpec.KeyPositions positions = new KeySpec.KeyPositions();
        for (KeySpec spec : keySpecs) {
            positions.clear();
            if (!spec.keyPositions(argv, positions)) {
                return null;
            }
            for (int i = 0; i < positions.size; i++) {
                out.add(Map.entry(argv[positions.positions[i]], spec.flags()));
            }
        }
        return out;
    }
}
