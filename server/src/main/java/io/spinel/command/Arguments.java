package io.spinel.command;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Reading request arguments: option words, integers and text, as Redis reads them. */
public final class Arguments {
    private Arguments() {
    }

    /** Whether {@code arg} is the option {@code word} (ASCII, any case); {@code word} is given lower-case. */
    public static boolean is(byte[] arg, String word) {
        if (arg.length != word.length()) {
            return false;
        }
        for (int i = 0; i < arg.length; i++) {
            if (KeySpec.lower(arg[i]) != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The argument as a byte string (one char per byte). */
    public static String text(byte[] arg) {
        return new String(arg, StandardCharsets.ISO_8859_1);
    }

    /** The argument lower-cased, for switching over option words. */
    public static String lower(byte[] arg) {
        return text(arg).toLowerCase(Locale.ROOT);
    }

    /** The argument as a 64-bit integer (string2ll rules), or null. */
    public static Long integer(byte[] arg) {
        return io.spinel.types.StringValue.parseLong(arg);
    }
}
