package io.spinel.scripting;

import java.io.ByteArrayOutputStream;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * The {@code cmsgpack} library of Redis's Lua (lua-cmsgpack 0.4.0's behaviour, written from the
 * MessagePack specification): {@code pack(...)} writes each argument as one MessagePack object
 * (integral numbers as the smallest integer format, others as float 32 when exact, else float 64;
 * tables whose keys are exactly 1..n as arrays, others as maps; tables nested deeper than 16 as
 * nil), {@code unpack}, {@code unpack_one} and {@code unpack_limit} read them back (bin and str
 * formats both as strings).
 */
final class CmsgpackLib {
    private static final int MAX_NESTING = 16;

    private CmsgpackLib() {
    }

    static LuaTable table() {
        LuaTable t = new LuaTable();
        t.rawset("pack", LuaEnvironment.function("pack", CmsgpackLib::pack));
        t.rawset("unpack", LuaEnvironment.function("unpack", args -> unpack(args, "unpack", 0, 0)));
        t.rawset("unpack_one", LuaEnvironment.function("unpack_one", args ->
                unpack(args, "unpack_one", 1, (int) LuaArgs.optNumber(args, 2, "unpack_one", 0))));
        t.rawset("unpack_limit", LuaEnvironment.function("unpack_limit", args ->
                unpack(args, "unpack_limit", (int) LuaArgs.number(args, 2, "unpack_limit"),
                        (int) LuaArgs.optNumber(args, 3, "unpack_limit", 0))));
        t.rawset("_NAME", LuaValue.valueOf("cmsgpack"));
        t.rawset("_VERSION", LuaValue.valueOf("lua-cmsgpack 0.4.0"));
        t.rawset("_COPYRIGHT", LuaValue.valueOf("Copyright (C) 2012, Salvatore Sanfilippo"));
        t.rawset("_DESCRIPTION", LuaValue.valueOf("MessagePack C implementation for Lua"));
        return t;
    }

    private static Varargs pack(Varargs args) {
        if (args.narg() == 0) {
            throw new LuaError("MessagePack pack needs input.");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 1; i <= args.narg(); i++) {
            encode(args.arg(i), out, 0);
        }
        return LuaString.valueUsing(out.toByteArray());
    }

    private static void encode(LuaValue v, ByteArrayOutputStream out, int level) {
        switch (v.type()) {
            case LuaValue.TNIL -> out.write(0xc0);
            case LuaValue.TBOOLEAN -> out.write(v.toboolean() ? 0xc3 : 0xc2);
            case LuaValue.TNUMBER -> number(v.todouble(), out);
            case LuaValue.TSTRING -> string((LuaString) v, out);
            case LuaValue.TTABLE -> {
                if (level >= MAX_NESTING) {
                    out.write(0xc0);
                } else {
                    table((LuaTable) v, out, level + 1);
                }
            }
            default -> out.write(0xc0);
        }
    }

    private static void number(double d, ByteArrayOutputStream out) {
        if (d == Math.floor(d) && !Double.isInfinite(d) && d >= -0x1p63 && d < 0x1p64) {
            if (d >= 0x1p63) {
                out.write(0xcf);
                write(out, (long) (d - 0x1p63) ^ Long.MIN_VALUE, 8);
            } else {
                integer((long) d, out);
            }
        } else if ((float) d == d || Double.isNaN(d)) {
            out.write(0xca);
            write(out, Float.floatToRawIntBits((float) d), 4);
        } else {
            out.write(0xcb);
            write(out, Double.doubleToRawLongBits(d), 8);
        }
    }

    private static void integer(long n, ByteArrayOutputStream out) {
        if (n >= 0) {
            if (n <= 127) {
                out.write((int) n);
            } else if (n <= 0xff) {
                out.write(0xcc);
                write(out, n, 1);
            } else if (n <= 0xffff) {
                out.write(0xcd);
                write(out, n, 2);
            } else if (n <= 0xffffffffL) {
                out.write(0xce);
                write(out, n, 4);
            } else {
                out.write(0xcf);
                write(out, n, 8);
            }
        } else if (n >= -32) {
            out.write((int) (n & 0xff));
        } else if (n >= -128) {
            out.write(0xd0);
            write(out, n, 1);
        } else if (n >= -32768) {
            out.write(0xd1);
            write(out, n, 2);
        } else if (n >= Integer.MIN_VALUE) {
            out.write(0xd2);
            write(out, n, 4);
        } else {
            out.write(0xd3);
            write(out, n, 8);
        }
    }

    private static void write(ByteArrayOutputStream out, long value, int bytes) {
        for (int i = bytes - 1; i >= 0; i--) {
            out.write((int) (value >>> (8 * i)) & 0xff);
        }
    }

    private static void string(LuaString s, ByteArrayOutputStream out) {
        int len = s.m_length;
        if (len < 32) {
            out.write(0xa0 | len);
        } else if (len <= 0xff) {
            out.write(0xd9);
            write(out, len, 1);
        } else if (len <= 0xffff) {
            out.write(0xda);
            write(out, len, 2);
        } else {
            out.write(0xdb);
            write(out, len, 4);
        }
        out.write(s.m_bytes, s.m_offset, len);
    }

    private static void table(LuaTable t, ByteArrayOutputStream out, int level) {
        int count = 0;
        double max = 0;
        boolean array = true;
        LuaValue k = LuaValue.NIL;
        while (true) {
            Varargs next = t.next(k);
            if ((k = next.arg1()).isnil()) {
                break;
            }
            count++;
            double d = k.type() == LuaValue.TNUMBER ? k.todouble() : -1;
            if (d < 1 || d != Math.floor(d)) {
                array = false;
            } else {
                max = Math.max(max, d);
            }
        }
        if (array && max == count) {
            header(out, count, 0x90, 0xdc, 0xdd, 16);
            for (int i = 1; i <= count; i++) {
                encode(t.get(i), out, level);
            }
            return;
        }
        header(out, count, 0x80, 0xde, 0xdf, 16);
        k = LuaValue.NIL;
        while (true) {
            Varargs next = t.next(k);
            if ((k = next.arg1()).isnil()) {
                break;
            }
            encode(k, out, level);
            encode(next.arg(2), out, level);
        }
    }

    private static void header(ByteArrayOutputStream out, int n, int fix, int sixteen, int thirtyTwo, int fixLimit) {
        if (n < fixLimit) {
            out.write(fix | n);
        } else if (n <= 0xffff) {
            out.write(sixteen);
            write(out, n, 2);
        } else {
            out.write(thirtyTwo);
            write(out, n, 4);
        }
    }

    /**
     * Decodes up to {@code limit} objects (0: all) from {@code offset}. With a limit, the values
     * are preceded by the offset after the last one read (-1 at the end of the input).
     */
    private static Varargs unpack(Varargs args, String function, int limit, int offset) {
        LuaString s = LuaArgs.string(args, 1, function);
        byte[] data = LuaArgs.bytes(s);
        if (offset < 0 || offset > data.length && data.length > 0) {
            throw new LuaError("Start offset " + offset + " greater than input length " + data.length + ".");
        }
        Reader reader = new Reader(data, offset);
        java.util.List<LuaValue> values = new java.util.ArrayList<>();
        while (reader.pos < data.length && (limit == 0 || values.size() < limit)) {
            values.add(reader.object());
        }
        LuaValue[] out;
        if (limit == 0) {
            out = values.toArray(new LuaValue[0]);
        } else {
            out = new LuaValue[values.size() + 1];
            out[0] = LuaValue.valueOf(reader.pos >= data.length ? -1 : reader.pos);
            for (int i = 0; i < values.size(); i++) {
                out[i + 1] = values.get(i);
            }
        }
        return LuaValue.varargsOf(out);
    }

    /** A MessagePack reader over bytes. */
    private static final class Reader {
        private final byte[] in;
        private int pos;

        Reader(byte[] in, int pos) {
            this.in = in;
            this.pos = pos;
        }

        private void need(int n) {
            if (pos + n > in.length) {
                throw new LuaError("Missing bytes in input.");
            }
        }

        private long read(int n) {
            need(n);
            long v = 0;
            for (int i = 0; i < n; i++) {
                v = (v << 8) | (in[pos++] & 0xff);
            }
            return v;
        }

        private LuaValue bytes(long n) {
            need((int) n);
            byte[] bytes = java.util.Arrays.copyOfRange(in, pos, pos + (int) n);
            pos += (int) n;
            return LuaString.valueUsing(bytes);
        }

        LuaValue object() {
            need(1);
            int c = in[pos++] & 0xff;
            if (c <= 0x7f) {
                return LuaValue.valueOf(c);
            }
            if (c >= 0xe0) {
                return LuaValue.valueOf(c - 256);
            }
            if ((c & 0xe0) == 0xa0) {
                return bytes(c & 0x1f);
            }
            if ((c & 0xf0) == 0x90) {
                return array(c & 0x0f);
            }
            if ((c & 0xf0) == 0x80) {
                return map(c & 0x0f);
            }
            return switch (c) {
                case 0xc0 -> LuaValue.NIL;
                case 0xc2 -> LuaValue.FALSE;
                case 0xc3 -> LuaValue.TRUE;
                case 0xc4, 0xd9 -> bytes(read(1));
                case 0xc5, 0xda -> bytes(read(2));
                case 0xc6, 0xdb -> bytes(read(4));
                case 0xca -> LuaValue.valueOf(Float.intBitsToFloat((int) read(4)));
                case 0xcb -> LuaValue.valueOf(Double.longBitsToDouble(read(8)));
                case 0xcc -> LuaValue.valueOf(read(1));
                case 0xcd -> LuaValue.valueOf(read(2));
                case 0xce -> LuaValue.valueOf(read(4));
                case 0xcf -> {
                    long v = read(8);
                    yield LuaValue.valueOf(v >= 0 ? (double) v : (double) (v >>> 1) * 2 + (v & 1));
                }
                case 0xd0 -> LuaValue.valueOf((byte) read(1));
                case 0xd1 -> LuaValue.valueOf((short) read(2));
                case 0xd2 -> LuaValue.valueOf((int) read(4));
                case 0xd3 -> LuaValue.valueOf((double) read(8));
                case 0xdc -> array((int) read(2));
                case 0xdd -> array((int) read(4));
                case 0xde -> map((int) read(2));
                case 0xdf -> map((int) read(4));
                default -> throw new LuaError("Bad data format in input.");
            };
        }

        private LuaValue array(int n) {
            LuaTable t = new LuaTable();
            for (int i = 1; i <= n; i++) {
                t.rawset(i, object());
            }
            return t;
        }

        private LuaValue map(int n) {
            LuaTable t = new LuaTable();
            for (int i = 0; i < n; i++) {
                LuaValue key = object();
                LuaValue value = object();
                if (!key.isnil()) {
                    t.rawset(key, value);
                }
            }
            return t;
        }
    }
}
