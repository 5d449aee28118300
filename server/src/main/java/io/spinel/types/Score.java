package io.spinel.types;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Sorted set scores as text: reading them as Redis's {@code string2d} and {@code strtod} do, and
 * printing them as Redis 7.2's {@code d2string} does.
 *
 * <h2>Reading</h2>
 * The accepted syntax is C's {@code strtod}: optional sign, then a decimal number with optional
 * fraction and exponent, a hexadecimal number ({@code 0x1.8p3}), or {@code inf}/{@code infinity}
 * in any case. {@link #parse} is {@code string2d} (ZADD, ZINCRBY, WEIGHTS): the whole argument must
 * be the number, with no leading blank, and NaN, overflow and underflow to zero are refused.
 * {@link #parseBound} is what range parsing does with {@code strtod}: leading blanks are skipped,
 * the number may be empty (then it is 0: strtod converted nothing and the argument ended), it may
 * overflow to infinity, and only NaN and trailing bytes are refused.
 *
 * <h2>Printing</h2>
 * 7.2 prints integral values within half the range of a {@code long long} as integers, zeros as
 * {@code 0} or {@code -0}, infinities as {@code inf}/{@code -inf}, and everything else with the
 * shortest digits that read back to the same double (Redis uses grisu2 for those digits; here they
 * come from {@link Double#toString}, which gives the shortest digits since JDK 19; grisu2 may pick a
 * longer string in rare cases), laid out as {@code fpconv_dtoa}'s {@code emit_digits} does:
 * plain decimals for exponents down to -6 ({@code 0.00001}), else {@code d.ddde-7} style with an
 * unpadded exponent ({@code 1.5e-7}, {@code 1e+21}).
 */
public final class Score {
    private static final double LONG_HALF = (double) (Long.MAX_VALUE / 2);

    private Score() {
    }

    /** The score in {@code text} read as string2d does, or NaN when refused. */
    public static double parse(byte[] text) {
        int n = text.length;
        double plain = plainInteger(text, 0);
        if (!Double.isNaN(plain)) {
            return plain;
        }
        if (n == 0 || isSpace(text[0])) {
            return Double.NaN;
        }
        Strtod r = strtod(text, 0);
        if (r == null || r.end != n || Double.isNaN(r.value)) {
            return Double.NaN;
        }
        if (Double.isInfinite(r.value) && !r.infinityLiteral) {
            return Double.NaN;
        }
        if (r.value == 0 && r.nonZeroDigits) {
            return Double.NaN;
        }
        return r.value;
    }

    /**
     * The bound in {@code text} from {@code from} on (up to a NUL byte, as C reads it), read as
     * strtod with nothing after it; NaN when refused.
     */
    public static double parseBound(byte[] text, int from) {
        double plain = plainInteger(text, from);
        if (!Double.isNaN(plain)) {
            return plain;
        }
        for (int nul = from; nul < text.length; nul++) {
            if (text[nul] == 0) {
                // Redis hands strtod the C string: it ends at the first NUL byte.
                text = Arrays.copyOf(text, nul);
                break;
            }
        }
        int i = from;
        while (i < text.length && isSpace(text[i])) {
            i++;
        }
        Strtod r = strtod(text, i);
        if (r == null) {
            // Nothing converted: strtod leaves its end at the start, blanks included.
            return from == text.length ? 0 : Double.NaN;
        }
        if (r.end != text.length || Double.isNaN(r.value)) {
            return Double.NaN;
        }
        return r.value;
    }

    /**
     * The value of {@code text} from {@code from} on when it is a plain integer of at most 15
     * characters (an optional minus, then digits), which a double holds exactly and strtod reads
     * the same; NaN otherwise. Most scores and bounds are such, and they skip strtod.
     */
    private static double plainInteger(byte[] text, int from) {
        int n = text.length;
        int i = from < n && text[from] == '-' ? from + 1 : from;
        if (i == n || n - from > 15) {
            return Double.NaN;
        }
        long v = 0;
        for (int j = i; j < n; j++) {
            int d = text[j] - '0';
            if (d < 0 || d > 9) {
                return Double.NaN;
            }
            v = v * 10 + d;
        }
        return i > from ? -(double) v : (double) v;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || (b >= '\t' && b <= '\r');
    }

    /** What strtod read: the value, where it stopped, and what the overflow/underflow checks need. */
    private record Strtod(double value, int end, boolean infinityLiteral, boolean nonZeroDigits) {
    }

    /** strtod on {@code s} from {@code start} (after blanks); null when nothing converts. */
    private static Strtod strtod(byte[] s, int start) {
        int i = start;
        int n = s.length;
        boolean negative = false;
        if (i < n && (s[i] == '+' || s[i] == '-')) {
            negative = s[i] == '-';
            i++;
        }
        if (matchesIgnoreCase(s, i, "inf")) {
            int end = matchesIgnoreCase(s, i, "infinity") ? i + 8 : i + 3;
            return new Strtod(negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY, end, true, true);
        }
        if (matchesIgnoreCase(s, i, "nan")) {
            int end = i + 3;
            if (end < n && s[end] == '(') {
                int j = end + 1;
                while (j < n && (Character.isLetterOrDigit(s[j]) || s[j] == '_')) {
                    j++;
                }
                if (j < n && s[j] == ')') {
                    end = j + 1;
                }
            }
            return new Strtod(Double.NaN, end, false, false);
        }
        if (i + 1 < n && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
            Strtod hex = hexadecimal(s, i + 2, negative);
            if (hex != null) {
                return hex;
            }
        }
        int mantissaStart = i;
        int digits = 0;
        boolean nonZero = false;
        while (i < n && isDigit(s[i])) {
            nonZero |= s[i] != '0';
            i++;
            digits++;
        }
        if (i < n && s[i] == '.') {
            i++;
            while (i < n && isDigit(s[i])) {
                nonZero |= s[i] != '0';
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return null;
        }
        if (i < n && (s[i] == 'e' || s[i] == 'E')) {
            int j = i + 1;
            if (j < n && (s[j] == '+' || s[j] == '-')) {
                j++;
            }
            if (j < n && isDigit(s[j])) {
                while (j < n && isDigit(s[j])) {
                    j++;
                }
                i = j;
            }
        }
        String number = new String(s, mantissaStart, i - mantissaStart, StandardCharsets.ISO_8859_1);
        double value = Double.parseDouble(number);
        return new Strtod(negative ? -value : value, i, false, nonZero);
    }

    /** A hexadecimal float after its {@code 0x}; null when no hex digit follows (strtod then reads the 0). */
    private static Strtod hexadecimal(byte[] s, int from, boolean negative) {
        int i = from;
        int n = s.length;
        StringBuilder mantissa = new StringBuilder("0x");
        int digits = 0;
        boolean nonZero = false;
        while (i < n && Character.digit(s[i], 16) >= 0) {
            nonZero |= s[i] != '0';
            mantissa.append((char) s[i++]);
            digits++;
        }
        if (i < n && s[i] == '.') {
            mantissa.append('.');
            i++;
            while (i < n && Character.digit(s[i], 16) >= 0) {
                nonZero |= s[i] != '0';
                mantissa.append((char) s[i++]);
                digits++;
            }
        }
        if (digits == 0) {
            return null;
        }
        String exponent = "0";
        if (i < n && (s[i] == 'p' || s[i] == 'P')) {
            int j = i + 1;
            if (j < n && (s[j] == '+' || s[j] == '-')) {
                j++;
            }
            if (j < n && isDigit(s[j])) {
                while (j < n && isDigit(s[j])) {
                    j++;
                }
                exponent = new String(s, i + 1, j - i - 1, StandardCharsets.ISO_8859_1);
                i = j;
            }
        }
        if (mantissa.charAt(mantissa.length() - 1) == '.') {
            mantissa.append('0');
        }
        if (mantissa.charAt(2) == '.') {
            mantissa.insert(2, '0');
        }
        double value;
        try {
            value = Double.parseDouble(mantissa + "p" + exponent);
        } catch (NumberFormatException hugeExponent) {
            value = exponent.startsWith("-") ? 0 : Double.POSITIVE_INFINITY;
        }
        return new Strtod(negative ? -value : value, i, false, nonZero);
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static boolean matchesIgnoreCase(byte[] s, int at, String word) {
        if (at + word.length() > s.length) {
            return false;
        }
        for (int k = 0; k < word.length(); k++) {
            if (Character.toLowerCase((char) (s[at + k] & 0xFF)) != word.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** The score printed as Redis 7.2's d2string prints it. */
    public static String format(double value) {
        if (value == (long) value && value >= -LONG_HALF && value <= LONG_HALF) {
            if (value == 0 && 1 / value < 0) {
                return "-0";
            }
            return Long.toString((long) value);
        }
        if (Double.isNaN(value)) {
            return "nan";
        }
        if (Double.isInfinite(value)) {
            return value < 0 ? "-inf" : "inf";
        }
        return shortest(value);
    }

    /** fpconv_dtoa's layout of the shortest round-trip digits of a finite, non-zero value. */
    private static String shortest(double value) {
        String java = Double.toString(Math.abs(value));
        int e = java.indexOf('E');
        String mantissa = e < 0 ? java : java.substring(0, e);
        int exponent = e < 0 ? 0 : Integer.parseInt(java.substring(e + 1));
        int dot = mantissa.indexOf('.');
        String digits = mantissa.substring(0, dot) + mantissa.substring(dot + 1);
        int k = exponent - (mantissa.length() - dot - 1);
        int lead = 0;
        while (lead < digits.length() - 1 && digits.charAt(lead) == '0') {
            lead++;
        }
        digits = digits.substring(lead);
        int trail = digits.length();
        while (trail > 1 && digits.charAt(trail - 1) == '0') {
            trail--;
        }
        k += digits.length() - trail;
        digits = digits.substring(0, trail);
        if (digits.length() == 2) {
            // Double.toString picks the closest of the one- and two-digit decimals that read back;
            // a shortest-digits printer keeps one digit whenever one reads back (5e-324, not 4.9e-324).
            int low = digits.charAt(0) - '0';
            boolean roundUp = digits.charAt(1) >= '5';
            for (int first : new int[] {roundUp ? low + 1 : low, roundUp ? low : low + 1}) {
                if (first <= 9 && Double.parseDouble(first + "e" + (k + 1)) == Math.abs(value)) {
                    digits = Integer.toString(first);
                    k++;
                    break;
                }
            }
        }
        int n = digits.length();
        StringBuilder out = new StringBuilder(24);
        if (value < 0) {
            out.append('-');
        }
        int exp = Math.abs(k + n - 1);
        if (k >= 0 && exp < n + 7) {
            out.append(digits).append("0".repeat(k));
            return out.toString();
        }
        if (k < 0 && (k > -7 || exp < 4)) {
            int offset = n + k;
            if (offset <= 0) {
                out.append("0.").append("0".repeat(-offset)).append(digits);
            } else {
                out.append(digits, 0, offset).append('.').append(digits, offset, n);
            }
            return out.toString();
        }
        out.append(digits.charAt(0));
        if (n > 1) {
            out.append('.').append(digits, 1, n);
        }
        out.append('e').append(k + n - 1 < 0 ? '-' : '+').append(exp);
        return out.toString();
    }
}
