package io.spinel.config;

import java.util.Locale;

/** Memory sizes as redis.conf writes them: 1k = 1000, 1kb = 1024, up to g/gb; case-insensitive. */
public final class MemoryUnits {
    private MemoryUnits() {
    }

    /** The size in bytes, or null when {@code text} is not one (memtoull). */
    public static Long parse(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        long multiplier = 1;
        String digits = t;
        String[][] units = {{"gb", "1073741824"}, {"mb", "1048576"}, {"kb", "1024"}, {"g", "1000000000"},
            {"m", "1000000"}, {"k", "1000"}, {"b", "1"}};
        for (String[] unit : units) {
            if (t.endsWith(unit[0])) {
                multiplier = Long.parseLong(unit[1]);
                digits = t.substring(0, t.length() - unit[0].length());
                break;
            }
        }
        if (digits.isEmpty()) {
            return null;
        }
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                if (!(i == 0 && c == '-' && digits.length() > 1)) {
                    return null;
                }
            }
        }
        try {
            return Math.multiplyExact(Long.parseLong(digits), multiplier);
        } catch (ArithmeticException | NumberFormatException e) {
            return null;
        }
    }
}
