package io.spinel.types;

import java.util.Arrays;

/**
 * A range of members in lexicographic (unsigned byte) order, as ZRANGEBYLEX and friends take it:
 * each bound is a member, inclusive ({@code [a}) or exclusive ({@code (a}), or the open ends
 * {@code -} and {@code +}, which are below and above every member.
 */
public record LexRange(byte[] min, boolean minExclusive, byte[] max, boolean maxExclusive) {
    /** The {@code -} bound: below every member (compared by identity). */
    public static final byte[] MINUS = new byte[0];
    /** The {@code +} bound: above every member (compared by identity). */
    public static final byte[] PLUS = new byte[0];

    /**
     * One bound as given by a client: {@code -}, {@code +}, or {@code [} or {@code (} followed
     * by a member; null when it is none of these.
     */
    public static Bound bound(byte[] arg) {
        if (arg.length == 1 && arg[0] == '+') {
            return new Bound(PLUS, true);
        }
        if (arg.length == 1 && arg[0] == '-') {
            return new Bound(MINUS, true);
        }
        if (arg.length >= 1 && (arg[0] == '(' || arg[0] == '[')) {
            return new Bound(Arrays.copyOfRange(arg, 1, arg.length), arg[0] == '(');
        }
        return null;
    }

    /** One parsed bound. */
    public record Bound(byte[] value, boolean exclusive) {
    }

    /** Redis's sdscmplex: byte order, with {@link #MINUS} and {@link #PLUS} at the ends. */
    static int compare(byte[] a, byte[] b) {
        if (a == b) {
            return 0;
        }
        if (a == MINUS || b == PLUS) {
            return -1;
        }
        if (a == PLUS || b == MINUS) {
            return 1;
        }
        return Arrays.compareUnsigned(a, b);
    }

    /** Whether no member can lie in the range (min above max, or equal with an exclusive end). */
    public boolean isEmpty() {
        int c = compare(min, max);
        return c > 0 || (c == 0 && (minExclusive || maxExclusive));
    }

    /** Whether {@code member} is not below the range's minimum. */
    public boolean aboveMin(byte[] member) {
        int c = compare(member, min);
        return minExclusive ? c > 0 : c >= 0;
    }

    /** Whether {@code member} is not above the range's maximum. */
    public boolean belowMax(byte[] member) {
        int c = compare(member, max);
        return maxExclusive ? c < 0 : c <= 0;
    }
}
