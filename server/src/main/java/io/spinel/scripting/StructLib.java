package io.spinel.scripting;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * The {@code struct} library of Redis's Lua (Roberto Ierusalimschy's struct, written from its
 * documented format): {@code pack(fmt, ...)}, {@code unpack(fmt, data [, pos])} and
 * {@code size(fmt)} with the options {@code < > = ! x b B h H l L T i[n] I[n] f d c[n] s} and the
 * sizes of a 64-bit Linux build (long and size_t 8 bytes, int 4, native order little-endian,
 * no alignment until {@code !}).
 */
final class StructLib {
    private static final int MAX_INT_SIZE = 32;
    private static final int MAX_ALIGN = 8;

    private StructLib() {
    }

    static LuaTable table() {
        LuaTable t = new LuaTable();
        t.rawset("pack", LuaEnvironment.function("pack", StructLib::pack));
        t.rawset("unpack", LuaEnvironment.function("unpack", StructLib::unpack));
        t.rawset("size", LuaEnvironment.function("size", StructLib::size));
        return t;
    }

    /** The parsing state of a format: position, byte order and alignment. */
    private static final class Format {
        final LuaString fmt;
        final String function;
        int pos;
        boolean little = true;
        int align = 1;

        Format(LuaString fmt, String function) {
            this.fmt = fmt;
            this.function = function;
        }

        boolean more() {
            return pos < fmt.m_length;
        }

        int next() {
            return fmt.luaByte(pos++);
        }

        int number(int otherwise) {
            if (!more() || !Character.isDigit(fmt.luaByte(pos))) {
                return otherwise;
            }
            long a = 0;
            while (more() && Character.isDigit(fmt.luaByte(pos))) {
                a = a * 10 + fmt.luaByte(pos++) - '0';
                if (a > Integer.MAX_VALUE) {
                    throw new LuaError("integral size overflow");
                }
            }
            return (int) a;
        }

        /** The size of option {@code opt}, reading its count; -1 for the control options. */
        int size(int opt) {
            switch (opt) {
                case 'B', 'b', 'x':
                    return 1;
                case 'H', 'h':
                    return 2;
                case 'L', 'l', 'T', 'd':
                    return 8;
                case 'f':
                    return 4;
                case 'c':
                    return number(1);
                case 's':
                    return 0;
                case 'i', 'I': {
                    int size = number(4);
                    if (size > MAX_INT_SIZE) {
                        throw new LuaError("integral size " + size + " is larger than limit of " + MAX_INT_SIZE);
                    }
                    return size;
                }
                case ' ':
                    return -1;
                case '>':
                    little = false;
                    return -1;
                case '<', '=':
                    little = true;
                    return -1;
                case '!': {
                    int a = number(MAX_ALIGN);
                    if (a == 0 || (a & (a - 1)) != 0) {
                        throw new LuaError("alignment " + a + " is not a power of 2");
                    }
                    align = a;
                    return -1;
                }
                default:
                    throw LuaArgs.badArgument(1, function, "invalid format option '" + (char) opt + "'");
            }
        }

        /** Padding before an item of {@code size} at offset {@code length}. */
        int padding(int length, int opt, int size) {
            if (size == 0 || opt == 'c') {
                return 0;
            }
            int s = Math.min(size, align);
            if ((s & (s - 1)) != 0) {
                throw new LuaError("alignment " + s + " is not a power of 2");
            }
            return (s - (length & (s - 1))) & (s - 1);
        }
    }

    private static Varargs pack(Varargs args) {
        Format f = new Format(LuaArgs.string(args, 1, "pack"), "pack");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int arg = 2;
        while (f.more()) {
            int opt = f.next();
            int size = f.size(opt);
            if (size < 0) {
                continue;
            }
            int pad = f.padding(out.size(), opt, size);
            for (int i = 0; i < pad; i++) {
                out.write(0);
            }
            switch (opt) {
                case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I' -> {
                    double n = LuaArgs.number(args, arg++, "pack");
                    long value = n < 0 ? (long) n : n >= 0x1p63 ? (long) (n - 0x1p63) ^ Long.MIN_VALUE : (long) n;
                    integer(out, value, size, f.little);
                }
                case 'x' -> out.write(0);
                case 'f' -> integer(out, Float.floatToRawIntBits((float) LuaArgs.number(args, arg++, "pack")) & 0xffffffffL, 4, f.little);
                case 'd' -> integer(out, Double.doubleToRawLongBits(LuaArgs.number(args, arg++, "pack")), 8, f.little);
                case 'c', 's' -> {
                    int index = arg++;
                    LuaString s = LuaArgs.string(args, index, "pack");
                    int length = opt == 's' || size == 0 ? s.m_length : size;
                    if (s.m_length < length) {
                        throw LuaArgs.badArgument(index + 1, "pack", "string too short");
                    }
                    out.write(s.m_bytes, s.m_offset, length);
                    if (opt == 's') {
                        out.write(0);
                    }
                }
                default -> throw new IllegalStateException();
            }
        }
        return LuaString.valueUsing(out.toByteArray());
    }

    private static void integer(ByteArrayOutputStream out, long value, int size, boolean little) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size && i < 8; i++) {
            bytes[little ? i : size - 1 - i] = (byte) (value >>> (8 * i));
        }
        out.write(bytes, 0, size);
    }

    private static Varargs unpack(Varargs args) {
        Format f = new Format(LuaArgs.string(args, 1, "unpack"), "unpack");
        LuaString data = LuaArgs.string(args, 2, "unpack");
        int length = data.m_length;
        int pos = (int) LuaArgs.optNumber(args, 3, "unpack", 1) - 1;
        if (pos < 0) {
            throw LuaArgs.badArgument(3, "unpack", "offset must be 1 or greater");
        }
        List<LuaValue> values = new ArrayList<>();
        while (f.more()) {
            int opt = f.next();
            int size = f.size(opt);
            if (size < 0) {
                continue;
            }
            pos += f.padding(pos, opt, size);
            if (pos + size > length) {
                throw LuaArgs.badArgument(2, "unpack", "data string too short");
            }
            switch (opt) {
                case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I' -> {
                    long v = 0;
                    int n = Math.min(size, 8);
                    for (int i = 0; i < n; i++) {
                        int b = data.luaByte(pos + (f.little ? i : size - 1 - i));
                        v |= (long) b << (8 * i);
                    }
                    boolean signed = Character.isLowerCase(opt);
                    if (signed && n < 8 && (v & (1L << (8 * n - 1))) != 0) {
                        v |= -1L << (8 * n);
                    }
                    values.add(LuaValue.valueOf(signed || v >= 0 ? (double) v : (double) (v >>> 1) * 2 + (v & 1)));
                }
                case 'x' -> {
                }
                case 'f' -> values.add(LuaValue.valueOf(Float.intBitsToFloat((int) read(data, pos, 4, f.little))));
                case 'd' -> values.add(LuaValue.valueOf(Double.longBitsToDouble(read(data, pos, 8, f.little))));
                case 'c' -> {
                    if (size == 0) {
                        if (values.isEmpty() || values.get(values.size() - 1).type() != LuaValue.TNUMBER) {
                            throw new LuaError("format 'c0' needs a previous size");
                        }
                        size = values.remove(values.size() - 1).toint();
                        if (pos + size > length) {
                            throw LuaArgs.badArgument(2, "unpack", "data string too short");
                        }
                    }
                    values.add(data.substring(pos, pos + size));
                }
                case 's' -> {
                    int end = pos;
                    while (end < length && data.luaByte(end) != 0) {
                        end++;
                    }
                    if (end >= length) {
                        throw new LuaError("unfinished string in data");
                    }
                    values.add(data.substring(pos, end));
                    size = end - pos + 1;
                }
                default -> throw new IllegalStateException();
            }
            pos += size;
        }
        values.add(LuaValue.valueOf(pos + 1));
        return LuaValue.varargsOf(values.toArray(new LuaValue[0]));
    }

    private static long read(LuaString data, int pos, int size, boolean little) {
        long v = 0;
        for (int i = 0; i < size; i++) {
            v |= (long) data.luaByte(pos + (little ? i : size - 1 - i)) << (8 * i);
        }
        return v;
    }

    private static Varargs size(Varargs args) {
        Format f = new Format(LuaArgs.string(args, 1, "size"), "size");
        int total = 0;
        while (f.more()) {
            int opt = f.next();
            int size = f.size(opt);
            if (size < 0) {
                continue;
            }
            if (opt == 's' || (opt == 'c' && size == 0)) {
                throw LuaArgs.badArgument(1, "size", "option '" + (opt == 's' ? "s" : "c0") + "' has no fixed size");
            }
            total += f.padding(total, opt, size) + size;
        }
        return LuaValue.valueOf(total);
    }
}
