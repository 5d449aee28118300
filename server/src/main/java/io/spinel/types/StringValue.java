package io.spinel.types;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * How string values are stored, and the operations every string command shares.
 *
 * <p>A string is one of three Java objects, mirroring Redis's three encodings:
 * <ul>
 *   <li>{@code Long}: a value that is the canonical decimal form of a 64-bit integer ("int");
 *       0..9999 are shared instances, as Redis shares those integers;</li>
 *   <li>{@code byte[]}: any other value written whole ("embstr" up to 44 bytes, else "raw");</li>
 *   <li>{@link MutableString}: a value modified in place ("raw").</li>
 * </ul>
 */
public final class StringValue {
    /** The longest string Redis stores as embstr. */
    public static final int EMBSTR_MAX = 44;
    /** proto-max-bulk-len's default and the largest string a command may build: 512 MB. */
    public static final long MAX_LENGTH = 512L * 1024 * 1024;
    private static final int SHARED_INTEGERS = 10000;
    private static final Long[] SHARED = new Long[SHARED_INTEGERS];

    static {
        for (int i = 0; i < SHARED_INTEGERS; i++) {
            SHARED[i] = (long) i;
        }
    }

    private StringValue() {
    }

    public static boolean isString(Object value) {
        return value instanceof byte[] || value instanceof Long || value instanceof MutableString;
    }

    /**
     * Whether {@code stored} and {@code value} are the same string written whole: two byte arrays
     * of equal content, or two equal integers. A {@link MutableString} is never the same: it may be
     * changed in place after this (APPEND stores one, then appends to it).
     */
    public static boolean sameWhole(Object stored, Object value) {
        if (stored instanceof byte[] a) {
            return value instanceof byte[] b && Arrays.equals(a, b);
        }
        return stored instanceof Long a && value instanceof Long b && a.longValue() == b.longValue();
    }

    /** The stored form of {@code bytes}: a Long when they are a canonical integer, else themselves. */
    public static Object of(byte[] bytes) {
        if (bytes.length > 0 && bytes.length <= 20) {
            long parsed = parseLongOrSentinel(bytes);
            if (parsed != NOT_A_LONG) {
                return of(parsed);
            }
            if (isMinLong(bytes)) {
                return of(Long.MIN_VALUE);
            }
        }
        return bytes;
    }

    /** The stored form of an integer. */
    public static Long of(long value) {
        return value >= 0 && value < SHARED_INTEGERS ? SHARED[(int) value] : Long.valueOf(value);
    }

    /** The value's bytes; a copy only when it is not stored as a byte array. */
    public static byte[] bytes(Object value) {
        if (value instanceof byte[] b) {
            return b;
        }
        if (value instanceof Long l) {
            return Long.toString(l).getBytes(StandardCharsets.US_ASCII);
        }
        return ((MutableString) value).toBytes();
    }

    /** The length in bytes of a stored string (STRLEN), whatever its encoding. */
    public static long length(Object value) {
        if (value instanceof byte[] b) {
            return b.length;
        }
        if (value instanceof Long l) {
            return decimalLength(l);
        }
        return ((MutableString) value).length();
    }

    /** OBJECT ENCODING of a string value. */
    public static String encoding(Object value) {
        if (value instanceof Long) {
            return "int";
        }
        if (value instanceof byte[] b) {
            return b.length <= EMBSTR_MAX ? "embstr" : "raw";
        }
        return "raw";
    }

    static int decimalLength(long value) {
        if (value == Long.MIN_VALUE) {
            return 20;
        }
        int digits = value < 0 ? 2 : 1;
        for (long v = Math.abs(value); v >= 10; v /= 10) {
            digits++;
        }
        return digits;
    }

    private static final long NOT_A_LONG = Long.MIN_VALUE;
    private static final byte[] MIN_LONG = Long.toString(Long.MIN_VALUE).getBytes(StandardCharsets.US_ASCII);

    private static boolean isMinLong(byte[] bytes) {
        return java.util.Arrays.equals(bytes, MIN_LONG);
    }

    /**
     * Parses {@code bytes} as Redis's string2ll does (optional '-', no '+', no leading zeros, no
     * blanks, within 64 bits); {@link #NOT_A_LONG} when it is not such an integer (and for
     * Long.MIN_VALUE itself, which callers check with isMinLong).
     */
    private static long parseLongOrSentinel(byte[] bytes) {
        int n = bytes.length;
        if (n == 0 || n > 20) {
            return NOT_A_LONG;
        }
        int i = 0;
        boolean negative = false;
        if (bytes[0] == '-') {
            negative = true;
            i = 1;
            if (n == 1) {
                return NOT_A_LONG;
            }
        }
        if (bytes[i] == '0') {
            return (n == 1) ? 0 : NOT_A_LONG;
        }
        long value = 0;
        for (; i < n; i++) {
            int digit = bytes[i] - '0';
            if (digit < 0 || digit > 9) {
                return NOT_A_LONG;
            }
            if (value > (Long.MAX_VALUE - digit) / 10) {
                return NOT_A_LONG;
            }
            value = value * 10 + digit;
        }
        return negative ? -value : value;
    }

    /**
     * {@code bytes} as a 64-bit integer the way Redis's string2ll reads it, or null when they are
     * not one (including out of range).
     */
    public static Long parseLong(byte[] bytes) {
        long v = parseLongOrSentinel(bytes);
        if (v != NOT_A_LONG) {
            return v;
        }
        return isMinLong(bytes) ? Long.MIN_VALUE : null;
    }

    /** Whether {@code a + b} leaves the 64-bit range (INCRBY's and HINCRBY's overflow error). */
    public static boolean sumOverflows(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0;
    }

    /** The value as an integer (INCR and friends), or null when it is not one. */
    public static Long asLong(Object value) {
        if (value instanceof Long l) {
            return l;
        }
        return parseLong(bytes(value));
    }
}
