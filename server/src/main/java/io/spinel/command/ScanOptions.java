package io.spinel.command;

import io.spinel.resp.ReplyWriter;
import io.spinel.store.Glob;
import io.spinel.types.StringValue;
import io.spinel.types.ValueType;
import java.util.Arrays;

/**
 * The arguments SCAN, HSCAN, SSCAN and ZSCAN share: the cursor, MATCH and COUNT, and the options
 * only one of them takes (TYPE for SCAN, NOVALUES for HSCAN), read as Redis's
 * scanGenericCommand reads them.
 */
public final class ScanOptions {
    /** The option beyond MATCH and COUNT a command accepts. */
    public enum Extra { NONE, TYPE, NOVALUES }

    private static final long DEFAULT_COUNT = 10;

    private long count = DEFAULT_COUNT;
    private byte[] pattern;
    private boolean filtersType;
    private ValueType type;
    private boolean noValues;

    private ScanOptions() {
    }

    /**
     * Reads the options from {@code argv[from]} on; replies Redis's error and returns null when
     * they are not valid.
     */
    public static ScanOptions parse(byte[][] argv, int from, Extra extra, ReplyWriter reply) {
        ScanOptions options = new ScanOptions();
        for (int i = from; i < argv.length; ) {
            boolean hasValue = i + 1 < argv.length;
            if (hasValue && Arguments.is(argv[i], "count")) {
                Long parsed = Arguments.integer(argv[i + 1]);
                if (parsed == null) {
                    reply.error(Errors.NOT_INTEGER);
                    return null;
                }
                if (parsed < 1) {
                    reply.error(Errors.SYNTAX);
                    return null;
                }
                options.count = parsed;
                i += 2;
            } else if (hasValue && Arguments.is(argv[i], "match")) {
                options.pattern = Glob.matchesAll(argv[i + 1]) ? null : argv[i + 1];
                i += 2;
            } else if (extra == Extra.TYPE && hasValue && Arguments.is(argv[i], "type")) {
                // An unknown type name matches no key (Redis 7.2 does not reject it yet).
                options.filtersType = true;
                options.type = ValueType.named(Arguments.text(argv[i + 1]));
                i += 2;
            } else if (extra == Extra.NOVALUES && Arguments.is(argv[i], "novalues")) {
                options.noValues = true;
                i++;
            } else {
                reply.error(Errors.SYNTAX);
                return null;
            }
        }
        return options;
    }

    /** COUNT: about how many elements a call should visit. */
    public long count() {
        return count;
    }

    /** COUNT as a batch size for the tables' scans. */
    public int batch() {
        return (int) Math.min(count, Integer.MAX_VALUE);
    }

    /** Whether {@code element} passes MATCH (always, without it). */
    public boolean matches(byte[] element) {
        return pattern == null || Glob.matches(pattern, element);
    }

    /** Whether TYPE was given. */
    public boolean filtersType() {
        return filtersType;
    }

    /** The type TYPE names; null for a name that is no type (nothing matches then). */
    public ValueType type() {
        return type;
    }

    /** Whether NOVALUES was given. */
    public boolean noValues() {
        return noValues;
    }

    /**
     * Reads a cursor as Redis 7.2's parseScanCursorOrReply does (string2ull): a canonical integer
     * must not be negative; anything else goes through strtoull (leading blanks, a sign, digits
     * only, within 64 unsigned bits; a '-' sign negates modulo 2^64). Stops at a NUL byte, as C
     * does. Replies the invalid-cursor error and returns null when it is not one.
     */
    public static Long cursor(byte[] arg, ReplyWriter reply) {
        int end = 0;
        while (end < arg.length && arg[end] != 0) {
            end++;
        }
        byte[] text = Arrays.copyOf(arg, end);
        Long canonical = StringValue.parseLong(text);
        if (canonical != null) {
            return canonical < 0 ? invalidCursor(reply) : canonical;
        }
        int i = 0;
        while (i < end && isCSpace(text[i])) {
            i++;
        }
        boolean negative = false;
        if (i < end && (text[i] == '+' || text[i] == '-')) {
            negative = text[i] == '-';
            i++;
        }
        if (i == end) {
            return invalidCursor(reply);
        }
        long value = 0;
        for (; i < end; i++) {
            int digit = text[i] - '0';
            if (digit < 0 || digit > 9 || Long.compareUnsigned(value, Long.divideUnsigned(-1L - digit, 10)) > 0) {
                return invalidCursor(reply);
            }
            value = value * 10 + digit;
        }
        return negative ? -value : value;
    }

    private static Long invalidCursor(ReplyWriter reply) {
        reply.error(Errors.INVALID_CURSOR);
        return null;
    }

    private static boolean isCSpace(byte b) {
        return b == ' ' || (b >= '\t' && b <= '\r');
    }
}
