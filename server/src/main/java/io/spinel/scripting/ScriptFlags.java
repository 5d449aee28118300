package io.spinel.scripting;

import io.spinel.command.Errors;

/**
 * Script flags, from an EVAL script's shebang line ({@code #!lua flags=no-writes,allow-oom}) or a
 * function's {@code flags} in redis.register_function, with the names Redis uses.
 */
public final class ScriptFlags {
    public static final int NO_WRITES = 1;
    public static final int ALLOW_OOM = 1 << 1;
    public static final int ALLOW_STALE = 1 << 2;
    public static final int NO_CLUSTER = 1 << 3;
    public static final int EVAL_COMPAT = 1 << 4;
    public static final int ALLOW_CROSS_SLOT = 1 << 5;

    private static final String[] NAMES = {"no-writes", "allow-oom", "allow-stale", "no-cluster", null, "allow-cross-slot-keys"};

    private ScriptFlags() {
    }

    /** The flag named {@code name}, or 0 for an unknown name. */
    static int named(String name) {
        for (int i = 0; i < NAMES.length; i++) {
            if (name.equals(NAMES[i])) {
                return 1 << i;
            }
        }
        return 0;
    }

    /** The flag names set in {@code flags}, in Redis's order (FUNCTION LIST). */
    static java.util.List<String> names(int flags) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i] != null && (flags & (1 << i)) != 0) {
                out.add(NAMES[i]);
            }
        }
        return out;
    }

    /**
     * The flags of an EVAL body: its shebang's, or {@link #EVAL_COMPAT} without one. Throws
     * {@link IllegalArgumentException} with Redis's error for a malformed shebang.
     */
    static int ofShebang(byte[] body) {
        if (body.length < 2 || body[0] != '#' || body[1] != '!') {
            return EVAL_COMPAT;
        }
        int end = 0;
        while (end < body.length && body[end] != '\n') {
            end++;
        }
        String line = new String(body, 2, end - 2, java.nio.charset.StandardCharsets.ISO_8859_1);
        String[] parts = line.split(" ", -1);
        if (!parts[0].equals("lua")) {
            throw new IllegalArgumentException(Errors.unexpectedEngine(parts[0]));
        }
        int flags = 0;
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i];
            if (part.isEmpty()) {
                continue;
            }
            if (!part.startsWith("flags=")) {
                throw new IllegalArgumentException(Errors.unknownShebangOption(part));
            }
            String names = part.substring(6);
            for (String name : names.isEmpty() ? new String[0] : names.split(",", -1)) {
                int flag = named(name);
                if (flag == 0) {
                    throw new IllegalArgumentException(Errors.unexpectedShebangFlag(name));
                }
                flags |= flag;
            }
        }
        return flags;
    }

    /** The length of the shebang line (without its newline), 0 when there is none. */
    static int shebangLength(byte[] body) {
        if (body.length < 2 || body[0] != '#' || body[1] != '!') {
            return 0;
        }
        int end = 0;
        while (end < body.length && body[end] != '\n') {
            end++;
        }
        return end;
    }
}
