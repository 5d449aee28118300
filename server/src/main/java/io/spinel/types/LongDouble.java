package io.spinel.types;

import io.spinel.resp.DecimalText;
import java.math.BigInteger;

/**
 * An x87 80-bit extended precision number (C {@code long double} on x86-64), the type in which
 * Redis computes INCRBYFLOAT and HINCRBYFLOAT. Emulating it exactly keeps replies byte-identical:
 * {@code 10.5 + 0.1} in a Java double prints differently from Redis's result.
 *
 * <h2>Representation</h2>
 * A finite value is {@code significand * 2^exponent} with a signed significand of at most 64
 * bits, the extended format's explicit 64-bit mantissa. Normal numbers have exponents such that
 * the value lies in [2^-16382, 2^16384); below that the exponent stays at {@link #MIN_EXPONENT}
 * and the significand shrinks (gradual underflow, as the x87 does). Every operation computes the
 * exact result with big integers and then rounds once to nearest, ties to even, which is what
 * glibc's {@code strtold} and the x87 adder (with Linux's default extended precision control)
 * do. The sign of zero is not kept: Redis prints both zeros as "0".
 *
 * <h2>Text</h2>
 * {@link #parse} accepts exactly what Redis's string2ld accepts: the whole string must be one
 * {@code strtold} number (decimal, hexadecimal with a binary exponent, "inf"/"infinity"), with no
 * leading blank, shorter than 5120 bytes, not NaN, and not overflowing or underflowing to zero.
 * {@link #toHumanString} prints as Redis's ld2string in LD_STR_HUMAN mode: {@code "%.17Lf"}
 * (exact decimal expansion rounded half-even at 17 fractional digits), trailing zeros and dot
 * removed, "-0" turned into "0".
 */
public final class LongDouble {
    /** The exponent of the smallest subnormal: its significand's unit is 2^-16445. */
    static final int MIN_EXPONENT = -16382 - 63;
    /** The largest exponent a 64-bit significand may carry before the value overflows. */
    static final int MAX_EXPONENT = 16383 - 63;
    /** string2ld's buffer: strings this long or longer are rejected. */
    public static final int MAX_CHARS = 5 * 1024;
    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    private enum Kind { FINITE, POSITIVE_INFINITY, NEGATIVE_INFINITY, NAN }

    public static final LongDouble ZERO = new LongDouble(Kind.FINITE, BigInteger.ZERO, 0);
    static final LongDouble POSITIVE_INFINITY = new LongDouble(Kind.POSITIVE_INFINITY, BigInteger.ZERO, 0);
    static final LongDouble NEGATIVE_INFINITY = new LongDouble(Kind.NEGATIVE_INFINITY, BigInteger.ZERO, 0);
    static final LongDouble NAN = new LongDouble(Kind.NAN, BigInteger.ZERO, 0);

    private final Kind kind;
    private final BigInteger significand;
    private final int exponent;

    private LongDouble(Kind kind, BigInteger significand, int exponent) {
        this.kind = kind;
        this.significand = significand;
        this.exponent = exponent;
    }

    /** The exact extended value of a 64-bit integer (the 64-bit mantissa holds every long). */
    public static LongDouble of(long value) {
        return new LongDouble(Kind.FINITE, BigInteger.valueOf(value), 0);
    }

    /**
     * The smallest integer not below {@code this * factor}, computed exactly (Redis's blocking
     * timeouts: {@code ceill(seconds * 1000)}). Only for finite values.
     */
    public BigInteger ceilTimes(long factor) {
        BigInteger product = significand.multiply(BigInteger.valueOf(factor));
        if (exponent >= 0) {
            return product.shiftLeft(exponent);
        }
        BigInteger floor = product.shiftRight(-exponent); // rounds toward negative infinity
        return floor.shiftLeft(-exponent).equals(product) ? floor : floor.add(BigInteger.ONE);
    }

    /** Whether this is neither infinite nor NaN. */
    public boolean isFinite() {
        return kind == Kind.FINITE;
    }

    /** The correctly rounded sum, with IEEE rules for infinities (inf + -inf is NaN). */
    public LongDouble add(LongDouble other) {
        if (kind != Kind.FINITE || other.kind != Kind.FINITE) {
            if (kind == Kind.NAN || other.kind == Kind.NAN) {
                return NAN;
            }
            if (kind == Kind.FINITE) {
                return other;
            }
            if (other.kind == Kind.FINITE || other.kind == kind) {
                return this;
            }
            return NAN;
        }
        int low = Math.min(exponent, other.exponent);
        BigInteger sum = significand.shiftLeft(exponent - low).add(other.significand.shiftLeft(other.exponent - low));
        return round(sum.signum() < 0, sum.abs(), low);
    }

    /** {@code magnitude * 2^scale}, rounded to the extended format, negated when {@code negative}. */
    private static LongDouble round(boolean negative, BigInteger magnitude, int scale) {
        return scale >= 0
                ? round(negative, magnitude.shiftLeft(scale), BigInteger.ONE)
                : round(negative, magnitude, BigInteger.ONE.shiftLeft(-scale));
    }

    /**
     * The exact positive rational {@code numerator / denominator}, rounded to nearest (ties to
     * even) to the extended format; infinite when it overflows, zero when it underflows.
     */
    private static LongDouble round(boolean negative, BigInteger numerator, BigInteger denominator) {
        if (numerator.signum() == 0) {
            return ZERO;
        }
        // floor(log2(n/d)) is this estimate or one less.
        int log2 = numerator.bitLength() - denominator.bitLength();
        BigInteger scaledNumerator = log2 < 0 ? numerator.shiftLeft(-log2) : numerator;
        BigInteger scaledDenominator = log2 > 0 ? denominator.shiftLeft(log2) : denominator;
        if (scaledNumerator.compareTo(scaledDenominator) < 0) {
            log2--;
        }
        int unit = Math.max(log2, -16382) - 63;
        BigInteger n = unit < 0 ? numerator.shiftLeft(-unit) : numerator;
        BigInteger d = unit > 0 ? denominator.shiftLeft(unit) : denominator;
        BigInteger[] division = n.divideAndRemainder(d);
        BigInteger m = division[0];
        int half = division[1].shiftLeft(1).compareTo(d);
        if (half > 0 || (half == 0 && m.testBit(0))) {
            m = m.add(BigInteger.ONE);
        }
        if (m.equals(TWO_64)) {
            m = m.shiftRight(1);
            unit++;
        }
        if (unit > MAX_EXPONENT) {
            return negative ? NEGATIVE_INFINITY : POSITIVE_INFINITY;
        }
        if (m.signum() == 0) {
            return ZERO;
        }
        return new LongDouble(Kind.FINITE, negative ? m.negate() : m, unit);
    }

    /**
     * Parses {@code text} as Redis's string2ld does (see the class comment); null when Redis
     * would answer "value is not a valid float".
     */
    public static LongDouble parse(byte[] text) {
        int length = text.length;
        if (length == 0 || length >= MAX_CHARS) {
            return null;
        }
        int i = 0;
        boolean negative = false;
        if (text[0] == '+' || text[0] == '-') {
            negative = text[0] == '-';
            i = 1;
        }
        if (matchesIgnoreCase(text, i, "inf") || matchesIgnoreCase(text, i, "infinity")) {
            return negative ? NEGATIVE_INFINITY : POSITIVE_INFINITY;
        }
        boolean hex = length - i > 2 && text[i] == '0' && (text[i + 1] == 'x' || text[i + 1] == 'X');
        LongDouble value = parseNumber(text, hex ? i + 2 : i, negative, hex);
        // strtold's ERANGE: an overflow or a nonzero number that rounds to zero is rejected.
        return value == null || !value.isFinite() ? null : value;
    }

    private static boolean matchesIgnoreCase(byte[] text, int from, String word) {
        if (text.length - from != word.length()) {
            return false;
        }
        for (int j = 0; j < word.length(); j++) {
            if (Character.toLowerCase(text[from + j]) != word.charAt(j)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Parses {@code digits[.digits][(e|E)[sign]digits]} (decimal) or, after "0x",
     * {@code hexdigits[.hexdigits][(p|P)[sign]digits]} (a binary exponent) from {@code from} to
     * the end; null when malformed or underflowing to zero, infinite when overflowing.
     */
    private static LongDouble parseNumber(byte[] text, int from, boolean negative, boolean hex) {
        Mantissa mantissa = Mantissa.read(text, from, hex ? 16 : 10);
        if (mantissa == null) {
            return null;
        }
        int i = mantissa.end;
        long exponent = 0;
        if (i < text.length) {
            if ((text[i] | 0x20) != (hex ? 'p' : 'e')) {
                return null;
            }
            Long parsed = readExponent(text, i + 1);
            if (parsed == null) {
                return null;
            }
            exponent = parsed;
        }
        if (mantissa.digits.signum() == 0) {
            return ZERO;
        }
        LongDouble value = hex ? binaryValue(mantissa, exponent, negative) : decimalValue(mantissa, exponent, negative);
        return value != null && value.significand.signum() == 0 && value.isFinite() ? null : value;
    }

    /** {@code digits * 10^exponent} rounded; null when far below the smallest subnormal. */
    private static LongDouble decimalValue(Mantissa mantissa, long exponent, boolean negative) {
        long scale = exponent - mantissa.fractionDigits;
        // The value is below 10^magnitude: decide far-out magnitudes without huge powers of ten.
        long magnitude = scale + mantissa.digits.toString().length();
        if (magnitude > 4940) {
            return negative ? NEGATIVE_INFINITY : POSITIVE_INFINITY;
        }
        if (magnitude < -4960) {
            return null;
        }
        return scale >= 0
                ? round(negative, mantissa.digits.multiply(BigInteger.TEN.pow((int) scale)), BigInteger.ONE)
                : round(negative, mantissa.digits, BigInteger.TEN.pow((int) -scale));
    }

    /** {@code hexdigits * 2^exponent} rounded; null when far below the smallest subnormal. */
    private static LongDouble binaryValue(Mantissa mantissa, long exponent, boolean negative) {
        long scale = exponent - 4L * mantissa.fractionDigits;
        long magnitude = scale + mantissa.digits.bitLength();
        if (magnitude > 16400) {
            return negative ? NEGATIVE_INFINITY : POSITIVE_INFINITY;
        }
        if (magnitude < -16500) {
            return null;
        }
        return round(negative, mantissa.digits, (int) scale);
    }

    /**
     * Reads {@code [sign]digits} to the end of {@code text}, saturating far beyond any exponent
     * that matters; null when malformed.
     */
    private static Long readExponent(byte[] text, int from) {
        int i = from;
        boolean negative = false;
        if (i < text.length && (text[i] == '+' || text[i] == '-')) {
            negative = text[i] == '-';
            i++;
        }
        if (i == text.length) {
            return null;
        }
        long value = 0;
        for (; i < text.length; i++) {
            int digit = text[i] - '0';
            if (digit < 0 || digit > 9) {
                return null;
            }
            value = Math.min(value * 10 + digit, 1_000_000_000L);
        }
        return negative ? -value : value;
    }

    /** The digits of a number before its exponent: their integer value and how many follow the point. */
    private record Mantissa(BigInteger digits, int fractionDigits, int end) {
        /** Reads {@code digits[.digits]} in {@code radix} from {@code from}; null without any digit. */
        static Mantissa read(byte[] text, int from, int radix) {
            StringBuilder digits = new StringBuilder();
            int fractionDigits = 0;
            boolean point = false;
            int i = from;
            for (; i < text.length; i++) {
                byte c = text[i];
                if (c == '.' && !point) {
                    point = true;
                } else if (Character.digit(c, radix) >= 0 && c < 0x80) {
                    digits.append((char) c);
                    if (point) {
                        fractionDigits++;
                    }
                } else {
                    break;
                }
            }
            if (digits.isEmpty()) {
                return null;
            }
            return new Mantissa(new BigInteger(digits.toString(), radix), fractionDigits, i);
        }
    }

    /**
     * The value as Redis's INCRBYFLOAT prints it: {@code "%.17Lf"}, then trailing zeros and a
     * trailing point removed, "-0" as "0"; "inf"/"-inf"/"nan" for the special values.
     */
    public String toHumanString() {
        switch (kind) {
            case POSITIVE_INFINITY:
                return "inf";
            case NEGATIVE_INFINITY:
                return "-inf";
            case NAN:
                return "nan";
            default:
                break;
        }
        BigInteger magnitude = significand.abs();
        String digits;
        if (exponent >= 0) {
            digits = magnitude.shiftLeft(exponent).toString();
        } else {
            digits = fixed17(magnitude, -exponent);
        }
        return significand.signum() < 0 && !digits.equals("0") ? "-" + digits : digits;
    }

    /**
     * {@code magnitude / 2^shift} rounded half-even to 17 fractional digits, in plain notation
     * without trailing zeros or a trailing point. Works on the value scaled by 10^17 so that tiny
     * numbers cost a shift, not a 16000-digit expansion.
     */
    private static String fixed17(BigInteger magnitude, int shift) {
        BigInteger scaled = magnitude.multiply(BigInteger.TEN.pow(17));
        BigInteger units = scaled.shiftRight(shift);
        BigInteger remainder = scaled.subtract(units.shiftLeft(shift));
        int half = remainder.shiftLeft(1).compareTo(BigInteger.ONE.shiftLeft(shift));
        if (half > 0 || (half == 0 && units.testBit(0))) {
            units = units.add(BigInteger.ONE);
        }
        StringBuilder text = new StringBuilder(units.toString());
        while (text.length() < 18) {
            text.insert(0, '0');
        }
        text.insert(text.length() - 17, '.');
        return DecimalText.withoutTrailingZeros(text.toString());
    }

    @Override
    public String toString() {
        return toHumanString();
    }
}
