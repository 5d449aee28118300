package io.spinel.command.stream;

import io.spinel.types.StreamId;
import io.spinel.types.StringValue;

/**
 * Reads stream IDs from command arguments exactly as Redis's streamGenericParseIDOrReply does,
 * including its leniencies: each part is read by string2ull, which falls back on strtoull, so
 * leading blanks, a {@code +} sign, leading zeros and even a {@code -} sign on a non-canonical
 * number (wrapping modulo 2^64) are accepted, and the argument ends at its first NUL byte.
 */
final class StreamIds {
    /** Redis copies the argument into a 128-byte buffer; longer ones are invalid. */
    private static final int MAX_LENGTH = 127;

    private StreamIds() {
    }

    /** An ID read by {@link #parse}, with whether its sequence was given (false for {@code ms-*}). */
    record Parsed(StreamId id, boolean seqGiven) {
    }

    /**
     * Reads {@code arg}: {@code ms-seq}, {@code ms} (the sequence is then {@code missingSeq}),
     * {@code -} and {@code +} unless {@code strict}, {@code ms-*} when {@code allowAutoSeq}.
     * Null when invalid.
     */
    static Parsed parse(byte[] arg, long missingSeq, boolean strict, boolean allowAutoSeq) {
        if (arg.length > MAX_LENGTH) {
            return null;
        }
        int length = 0;
        while (length < arg.length && arg[length] != 0) {
            length++;
        }
        if (length == 1 && (arg[0] == '-' || arg[0] == '+')) {
            if (strict) {
                return null;
            }
            return new Parsed(arg[0] == '-' ? StreamId.MIN : StreamId.MAX, true);
        }
        int dash = -1;
        for (int i = 0; i < length; i++) {
            if (arg[i] == '-') {
                dash = i;
                break;
            }
        }
        Long ms = unsigned(arg, 0, dash < 0 ? length : dash);
        if (ms == null) {
            return null;
        }
        if (dash < 0) {
            return new Parsed(new StreamId(ms, missingSeq), true);
        }
        if (allowAutoSeq && length - dash - 1 == 1 && arg[dash + 1] == '*') {
            return new Parsed(new StreamId(ms, 0), false);
        }
        Long seq = unsigned(arg, dash + 1, length);
        return seq == null ? null : new Parsed(new StreamId(ms, seq), true);
    }

    /** {@link #parse} for the strict form (no {@code -}, {@code +} or {@code ms-*}); null when invalid. */
    static StreamId strict(byte[] arg) {
        Parsed parsed = parse(arg, 0, true, false);
        return parsed == null ? null : parsed.id();
    }

    /** An interval bound ({@code (} makes it exclusive, then strict); null when invalid. */
    record Bound(StreamId id, boolean exclusive) {
    }

    /** Reads a range bound as streamParseIntervalIDOrReply does; null when invalid. */
    static Bound bound(byte[] arg, long missingSeq) {
        if (arg.length > 1 && arg[0] == '(') {
            byte[] rest = java.util.Arrays.copyOfRange(arg, 1, arg.length);
            Parsed parsed = parse(rest, missingSeq, true, false);
            return parsed == null ? null : new Bound(parsed.id(), true);
        }
        Parsed parsed = parse(arg, missingSeq, false, false);
        return parsed == null ? null : new Bound(parsed.id(), false);
    }

    /**
     * string2ull over {@code arg[from, to)}: a canonical non-negative 64-bit integer, else what
     * strtoull reads (blanks, sign, digits, nothing after; out of range is invalid). Null when invalid.
     */
    private static Long unsigned(byte[] arg, int from, int to) {
        byte[] part = java.util.Arrays.copyOfRange(arg, from, to);
        Long strict = StringValue.parseLong(part);
        if (strict != null) {
            return strict < 0 ? null : strict;
        }
        int i = 0;
        while (i < part.length && isSpace(part[i])) {
            i++;
        }
        boolean negative = false;
        if (i < part.length && (part[i] == '+' || part[i] == '-')) {
            negative = part[i] == '-';
            i++;
        }
        if (i == part.length) {
            return null;
        }
        long value = 0;
        for (; i < part.length; i++) {
            int digit = part[i] - '0';
            if (digit < 0 || digit > 9) {
                return null;
            }
            if (Long.compareUnsigned(value, Long.divideUnsigned(-1L, 10)) > 0) {
                return null;
            }
            long next = value * 10 + digit;
            if (Long.compareUnsigned(next, value * 10) < 0) {
                return null;
            }
            value = next;
        }
        return negative ? -value : value;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || (b >= '\t' && b <= '\r');
    }
}
