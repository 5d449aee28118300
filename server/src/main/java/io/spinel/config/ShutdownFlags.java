package io.spinel.config;

import java.util.Locale;

/**
 * The value of shutdown-on-sigint and shutdown-on-sigterm: SHUTDOWN's flags a signal applies,
 * any of save, nosave, now and force, or default (none of them: save only when save points are
 * configured). Written as Redis writes them, the set flags separated by spaces.
 */
public final class ShutdownFlags {
    public static final int SAVE = 1;
    public static final int NOSAVE = 2;
    public static final int NOW = 4;
    public static final int FORCE = 8;
    private static final String[] NAMES = {"save", "nosave", "now", "force"};

    private ShutdownFlags() {
    }

    static Integer parse(String text, Integer current) {
        int flags = 0;
        for (String word : text.trim().split("\\s+")) {
            String name = word.toLowerCase(Locale.ROOT);
            if (name.equals("default")) {
                continue;
            }
            int index = java.util.Arrays.asList(NAMES).indexOf(name);
            if (index < 0) {
                throw new IllegalArgumentException("argument(s) must be one of the following: default, save, nosave, now, force");
            }
            flags |= 1 << index;
        }
        if ((flags & SAVE) != 0 && (flags & NOSAVE) != 0) {
            throw new IllegalArgumentException("shutdown options SAVE and NOSAVE can't be used simultaneously");
        }
        return flags;
    }

    static String format(Integer flags) {
        if (flags == 0) {
            return "default";
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < NAMES.length; i++) {
            if ((flags & (1 << i)) != 0) {
                out.append(out.isEmpty() ? "" : " ").append(NAMES[i]);
            }
        }
        return out.toString();
    }
}
