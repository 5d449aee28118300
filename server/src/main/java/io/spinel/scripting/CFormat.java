package io.spinel.scripting;

import io.spinel.resp.DecimalText;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * C's printf conversions of doubles ({@code %e %f %g} with flags, width and precision), as glibc
 * prints them: the exact binary value rounded half-even, exponents of at least two digits,
 * {@code inf}/{@code nan}. Lua 5.1 prints every number through these ({@code tostring} and
 * concatenation use {@code %.14g}); Java's own formatter rounds the shortest decimal form instead
 * and prints exponents differently, so it cannot stand in. Stateless and thread-safe.
 */
public final class CFormat {
    private static final long JAVA_NAN = 0x7ff8000000000000L;

    private CFormat() {
    }

    /** {@code %.14g}: how Lua 5.1 turns a number into a string. */
    public static String number(double value) {
        if (value == (long) value && Math.abs(value) < 1e14) {
            return value == 0 && 1 / value < 0 ? "-0" : Long.toString((long) value);
        }
        return general(value, 14, false, false);
    }

    /**
     * NaN and infinities as glibc prints them. A NaN produced by Java arithmetic (0/0) carries the
     * positive canonical bits where x86 produces the negative one, so it prints as C Lua's
     * {@code -nan}; its negation prints {@code nan}.
     */
    static String special(double value, boolean upper) {
        String text;
        if (Double.isNaN(value)) {
            long bits = Double.doubleToRawLongBits(value);
            boolean negative = bits == JAVA_NAN || (bits < 0 && bits != (JAVA_NAN | Long.MIN_VALUE));
            text = negative ? "-nan" : "nan";
        } else {
            text = value > 0 ? "inf" : "-inf";
        }
        return upper ? text.toUpperCase(java.util.Locale.ROOT) : text;
    }

    /** {@code %.<precision>e}: d.ddde+XX. */
    public static String exponent(double value, int precision, boolean alternate) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return special(value, false);
        }
        BigDecimal exact = new BigDecimal(value);
        if (value == 0) {
            return (1 / value < 0 ? "-" : "") + mantissa("0", precision, alternate) + "e+00";
        }
        BigDecimal rounded = exact.round(new MathContext(precision + 1, RoundingMode.HALF_EVEN));
        String digits = rounded.unscaledValue().abs().toString();
        int exp = digits.length() - 1 - rounded.scale();
        digits = (digits + "0".repeat(precision + 1)).substring(0, precision + 1);
        String body = digits.substring(0, 1) + (precision > 0 || alternate ? "." : "") + digits.substring(1);
        return (value < 0 ? "-" : "") + body + exponentSuffix(exp);
    }

    private static String mantissa(String digit, int precision, boolean alternate) {
        return digit + (precision > 0 || alternate ? "." + "0".repeat(precision) : "");
    }

    private static String exponentSuffix(int exp) {
        String e = Integer.toString(Math.abs(exp));
        return (exp < 0 ? "e-" : "e+") + (e.length() < 2 ? "0" + e : e);
    }

    /** {@code %.<precision>f}. */
    public static String fixed(double value, int precision, boolean alternate) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return special(value, false);
        }
        BigDecimal rounded = new BigDecimal(value).setScale(precision, RoundingMode.HALF_EVEN);
        String text = rounded.abs().toPlainString();
        if (precision == 0 && alternate) {
            text += ".";
        }
        boolean negative = value < 0 || (value == 0 && 1 / value < 0);
        return negative ? "-" + text : text;
    }

    /** {@code %.<precision>g}: the shorter of %e and %f, trailing zeros removed unless {@code alternate}. */
    public static String general(double value, int precision, boolean alternate, boolean upper) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return special(value, upper);
        }
        int p = precision == 0 ? 1 : precision;
        int exp;
        if (value == 0) {
            exp = 0;
        } else {
            BigDecimal rounded = new BigDecimal(value).round(new MathContext(p, RoundingMode.HALF_EVEN));
            exp = rounded.precision() - 1 - rounded.scale();
        }
        String text;
        if (exp < -4 || exp >= p) {
            text = exponent(value, p - 1, alternate);
            if (!alternate) {
                int e = text.indexOf('e');
                text = DecimalText.withoutTrailingZeros(text.substring(0, e)) + text.substring(e);
            }
        } else {
            text = fixed(value, p - 1 - exp, alternate);
            if (!alternate) {
                text = DecimalText.withoutTrailingZeros(text);
            }
        }
        return upper ? text.toUpperCase(java.util.Locale.ROOT) : text;
    }
}
