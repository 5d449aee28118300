package io.spinel.scripting;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * Lua 5.1's {@code string.format}, {@code tostring} of numbers and number-to-string coercion, as
 * C Lua prints them ({@code %.14g}, glibc's rounding; see {@link CFormat}). LuaJ's own versions
 * print floats through Java's {@code Float.toString} and ignore the precision of {@code %g}.
 * Strings stay byte strings throughout. Stateless and thread-safe.
 */
final class LuaFormat {
    private static final String FLAGS = "-+ #0";

    private LuaFormat() {
    }

    /** A value as Lua 5.1's {@code lua_tostring} gives it: numbers with %.14g, strings unchanged. */
    static LuaString toLuaString(LuaValue value) {
        if (value.type() == LuaValue.TNUMBER) {
            return LuaString.valueOf(CFormat.number(value.todouble()));
        }
        return value.checkstring();
    }

    /** {@code string.format(fmt, ...)}. */
    static LuaString format(Varargs args) {
        LuaString fmt = args.arg1().isnumber() ? toLuaString(args.arg1()) : args.checkstring(1);
        ByteArrayOutputStream out = new ByteArrayOutputStream(fmt.length() + 16);
        int argIndex = 1;
        int n = fmt.length();
        for (int i = 0; i < n; i++) {
            int c = fmt.luaByte(i);
            if (c != '%') {
                out.write(c);
                continue;
            }
            if (++i >= n) {
                throw new LuaError("invalid option '%' to 'format'");
            }
            if (fmt.luaByte(i) == '%') {
                out.write('%');
                continue;
            }
            int start = i;
            while (i < n && FLAGS.indexOf(fmt.luaByte(i)) >= 0) {
                i++;
            }
            if (i - start > FLAGS.length()) {
                throw new LuaError("invalid format (repeated flags)");
            }
            String flags = fmt.substring(start, i).tojstring();
            int width = -1;
            int digits = 0;
            while (i < n && Character.isDigit(fmt.luaByte(i))) {
                width = (width < 0 ? 0 : width * 10) + fmt.luaByte(i++) - '0';
                digits++;
            }
            int precision = -1;
            if (i < n && fmt.luaByte(i) == '.') {
                i++;
                precision = 0;
                int pdigits = 0;
                while (i < n && Character.isDigit(fmt.luaByte(i))) {
                    precision = precision * 10 + fmt.luaByte(i++) - '0';
                    pdigits++;
                }
                if (pdigits > 2) {
                    throw new LuaError("invalid format (width or precision too long)");
                }
            }
            if (digits > 2) {
                throw new LuaError("invalid format (width or precision too long)");
            }
            if (i >= n) {
                throw new LuaError("invalid option '%" + fmt.substring(start, n).tojstring() + "' to 'format'");
            }
            int conversion = fmt.luaByte(i);
            argIndex++;
            if (conversion != 'q' && conversion != 's' && args.narg() < argIndex) {
                throw argError(argIndex, "number expected, got no value");
            }
            byte[] piece = switch (conversion) {
                case 'c' -> new byte[] {(byte) number(args, argIndex)};
                case 'd', 'i' -> pad(signed(integer(args, argIndex), flags, precision), flags, width, true);
                case 'u' -> pad(Long.toUnsignedString(integer(args, argIndex)), flags, width, true);
                case 'o', 'x', 'X' -> pad(unsigned(integer(args, argIndex), conversion, flags, precision), flags, width, true);
                case 'e', 'E' -> pad(sign(CFormat.exponent(number(args, argIndex), precision < 0 ? 6 : precision,
                        flags.indexOf('#') >= 0), flags, conversion == 'E'), flags, width, finite(args, argIndex));
                case 'f' -> pad(sign(CFormat.fixed(number(args, argIndex), precision < 0 ? 6 : precision,
                        flags.indexOf('#') >= 0), flags, false), flags, width, finite(args, argIndex));
                case 'g', 'G' -> pad(sign(CFormat.general(number(args, argIndex), precision < 0 ? 6 : precision,
                        flags.indexOf('#') >= 0, false), flags, conversion == 'G'), flags, width, finite(args, argIndex));
                case 'q' -> quoted(args.checkstring(argIndex));
                case 's' -> string(args, argIndex, flags, width, precision);
                default -> throw new LuaError("invalid option '%" + (char) conversion + "' to 'format'");
            };
            out.writeBytes(piece);
        }
        return LuaString.valueUsing(out.toByteArray());
    }

    private static LuaError argError(int index, String message) {
        return new LuaError("bad argument #" + index + " to 'format' (" + message + ")");
    }

    private static double number(Varargs args, int index) {
        LuaValue v = args.arg(index);
        if (!v.isnumber()) {
            throw argError(index, "number expected, got " + typeName(v));
        }
        return v.todouble();
    }

    private static String typeName(LuaValue v) {
        return v.isnil() ? "no value" : v.typename();
    }

    private static boolean finite(Varargs args, int index) {
        double d = args.arg(index).todouble();
        return !Double.isNaN(d) && !Double.isInfinite(d);
    }

    /** %d's argument: C casts the number to an integer, truncating. */
    private static long integer(Varargs args, int index) {
        return (long) number(args, index);
    }

    private static String signed(long value, String flags, int precision) {
        String digits = value == Long.MIN_VALUE ? "9223372036854775808" : Long.toString(Math.abs(value));
        if (precision >= 0 && digits.length() < precision) {
            digits = "0".repeat(precision - digits.length()) + digits;
        }
        if (precision == 0 && value == 0) {
            digits = "";
        }
        String sign = value < 0 ? "-" : flags.indexOf('+') >= 0 ? "+" : flags.indexOf(' ') >= 0 ? " " : "";
        return sign + digits;
    }

    private static String unsigned(long value, int conversion, String flags, int precision) {
        String digits = switch (conversion) {
            case 'o' -> Long.toOctalString(value);
            case 'x' -> Long.toHexString(value);
            default -> Long.toHexString(value).toUpperCase(java.util.Locale.ROOT);
        };
        if (precision >= 0 && digits.length() < precision) {
            digits = "0".repeat(precision - digits.length()) + digits;
        }
        if (flags.indexOf('#') >= 0 && value != 0) {
            digits = (conversion == 'o' ? "0" : conversion == 'x' ? "0x" : "0X") + digits;
        }
        return digits;
    }

    private static String sign(String text, String flags, boolean upper) {
        String signed = text.startsWith("-") ? text
                : flags.indexOf('+') >= 0 ? "+" + text : flags.indexOf(' ') >= 0 ? " " + text : text;
        return upper ? signed.toUpperCase(java.util.Locale.ROOT) : signed;
    }

    /** Pads to {@code width}: left-justified with '-', zero-filled after the sign with '0' when numeric. */
    private static byte[] pad(String text, String flags, int width, boolean zeroAllowed) {
        if (width <= text.length()) {
            return text.getBytes(StandardCharsets.ISO_8859_1);
        }
        int fill = width - text.length();
        String padded;
        if (flags.indexOf('-') >= 0) {
            padded = text + " ".repeat(fill);
        } else if (flags.indexOf('0') >= 0 && zeroAllowed) {
            int signEnd = !text.isEmpty() && "+- ".indexOf(text.charAt(0)) >= 0 ? 1 : 0;
            if (text.startsWith("0x", signEnd) || text.startsWith("0X", signEnd)) {
                signEnd += 2;
            }
            padded = text.substring(0, signEnd) + "0".repeat(fill) + text.substring(signEnd);
        } else {
            padded = " ".repeat(fill) + text;
        }
        return padded.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] string(Varargs args, int index, String flags, int width, int precision) {
        LuaValue v = args.arg(index);
        if (!v.isstring()) {
            throw argError(index, "string expected, got " + typeName(v));
        }
        LuaString s = toLuaString(v);
        int length = precision >= 0 ? Math.min(precision, s.length()) : s.length();
        byte[] body = new byte[length];
        s.copyInto(0, body, 0, length);
        if (width <= length) {
            return body;
        }
        byte[] out = new byte[width];
        java.util.Arrays.fill(out, (byte) ' ');
        System.arraycopy(body, 0, out, flags.indexOf('-') >= 0 ? 0 : width - length, length);
        return out;
    }

    /** %q: a string literal Lua reads back to the same bytes. */
    private static byte[] quoted(LuaString s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length() + 2);
        out.write('"');
        for (int i = 0; i < s.length(); i++) {
            int b = s.luaByte(i);
            switch (b) {
                case '"', '\\', '\n' -> {
                    out.write('\\');
                    out.write(b);
                }
                case '\r' -> out.writeBytes(new byte[] {'\\', 'r'});
                case 0 -> out.writeBytes(new byte[] {'\\', '0', '0', '0'});
                default -> out.write(b);
            }
        }
        out.write('"');
        return out.toByteArray();
    }
}
