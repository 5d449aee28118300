package io.spinel.scripting;

import io.netty.buffer.ByteBuf;
import io.spinel.resp.ReplyWriter;
import io.spinel.types.Score;
import java.nio.charset.StandardCharsets;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * Conversion between RESP replies and Lua values, both ways, as Redis 7 converts them.
 *
 * <p>RESP to Lua (what redis.call returns): integer to number, bulk to string, null bulk and
 * null array to false, array to table, status to {@code {ok=...}}, error to {@code {err=...}};
 * under RESP3 also map to {@code {map={...}}}, set to {@code {set={elem=true}}}, null to nil,
 * boolean to boolean, double to {@code {double=n}}, big number to {@code {big_number=s}},
 * verbatim to {@code {verbatim_string={format=..., string=...}}}; attributes are dropped.
 *
 * <p>Lua to RESP (what a script returns): string to bulk, number to integer (truncated as C
 * casts it), true to 1 and false to null (or RESP3 booleans after {@code redis.setresp(3)}),
 * nil to null, and tables as above in reverse; an array stops at its first nil. Strings are byte
 * strings both ways. Stateless.
 */
final class LuaReplies {
    private static final LuaString OK = LuaString.valueOf("ok");
    private static final LuaString ERR = LuaString.valueOf("err");
    private static final LuaString DOUBLE = LuaString.valueOf("double");
    private static final LuaString BIG_NUMBER = LuaString.valueOf("big_number");
    private static final LuaString MAP = LuaString.valueOf("map");
    private static final LuaString SET = LuaString.valueOf("set");
    private static final LuaString VERBATIM = LuaString.valueOf("verbatim_string");
    private static final LuaString FORMAT = LuaString.valueOf("format");
    private static final LuaString STRING = LuaString.valueOf("string");

    private LuaReplies() {
    }

    /** Parses the one reply at the reader index of {@code in} (consuming it) into a Lua value. */
    static LuaValue fromResp(ByteBuf in) {
        byte type = in.readByte();
        switch (type) {
            case '+': {
                LuaTable t = new LuaTable();
                t.rawset(OK, line(in));
                return t;
            }
            case '-': {
                LuaTable t = new LuaTable();
                t.rawset(ERR, line(in));
                return t;
            }
            case ':':
                return LuaValue.valueOf((double) Long.parseLong(line(in).tojstring()));
            case '$': {
                long length = Long.parseLong(line(in).tojstring());
                if (length < 0) {
                    return LuaValue.FALSE;
                }
                byte[] bytes = new byte[(int) length];
                in.readBytes(bytes);
                in.skipBytes(2);
                return LuaString.valueUsing(bytes);
            }
            case '*':
            case '>': {
                long length = Long.parseLong(line(in).tojstring());
                if (length < 0) {
                    return LuaValue.FALSE;
                }
                LuaTable t = new LuaTable((int) length, 0);
                for (int i = 1; i <= length; i++) {
                    t.rawset(i, fromResp(in));
                }
                return t;
            }
            case '%': {
                long pairs = Long.parseLong(line(in).tojstring());
                LuaTable map = new LuaTable();
                for (long i = 0; i < pairs; i++) {
                    LuaValue key = fromResp(in);
                    map.rawset(key, fromResp(in));
                }
                LuaTable t = new LuaTable();
                t.rawset(MAP, map);
                return t;
            }
            case '~': {
                long length = Long.parseLong(line(in).tojstring());
                LuaTable set = new LuaTable();
                for (long i = 0; i < length; i++) {
                    set.rawset(fromResp(in), LuaValue.TRUE);
                }
                LuaTable t = new LuaTable();
                t.rawset(SET, set);
                return t;
            }
            case '_':
                in.skipBytes(2);
                return LuaValue.NIL;
            case '#':
                return line(in).luaByte(0) == 't' ? LuaValue.TRUE : LuaValue.FALSE;
            case ',': {
                LuaTable t = new LuaTable();
                t.rawset(DOUBLE, LuaValue.valueOf(parseDouble(line(in).tojstring())));
                return t;
            }
            case '(': {
                LuaTable t = new LuaTable();
                t.rawset(BIG_NUMBER, line(in));
                return t;
            }
            case '=': {
                long length = Long.parseLong(line(in).tojstring());
                byte[] bytes = new byte[(int) length];
                in.readBytes(bytes);
                in.skipBytes(2);
                LuaTable inner = new LuaTable();
                inner.rawset(FORMAT, LuaString.valueOf(bytes, 0, 3));
                inner.rawset(STRING, LuaString.valueOf(bytes, 4, bytes.length - 4));
                LuaTable t = new LuaTable();
                t.rawset(VERBATIM, inner);
                return t;
            }
            case '|': {
                long pairs = Long.parseLong(line(in).tojstring());
                for (long i = 0; i < pairs * 2; i++) {
                    fromResp(in);
                }
                return fromResp(in);
            }
            default:
                throw new IllegalStateException("unexpected reply type " + (char) type);
        }
    }

    private static double parseDouble(String text) {
        return switch (text) {
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            case "nan", "-nan" -> Double.NaN;
            default -> Double.parseDouble(text);
        };
    }

    /** The rest of the line, without its CRLF. */
    private static LuaString line(ByteBuf in) {
        int end = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\r');
        byte[] bytes = new byte[end - in.readerIndex()];
        in.readBytes(bytes);
        in.skipBytes(2);
        return LuaString.valueUsing(bytes);
    }

    /** A Lua number as an integer reply: truncated as C's cast does on x86 (out of range: LLONG_MIN). */
    static long toInteger(double value) {
        if (Double.isNaN(value) || value >= 0x1p63 || value < -0x1p63) {
            return Long.MIN_VALUE;
        }
        return (long) value;
    }

    /**
     * Writes a script's result as a reply in the caller's protocol. {@code scriptProtocol} is the
     * one the script chose with redis.setresp (it decides how booleans are converted).
     */
    static void toResp(LuaValue value, ReplyWriter out, int scriptProtocol) {
        switch (value.type()) {
            case LuaValue.TSTRING -> {
                LuaString s = (LuaString) value.checkstring();
                out.bulk(s.m_bytes, s.m_offset, s.m_length);
            }
            case LuaValue.TNUMBER -> out.integer(toInteger(value.todouble()));
            case LuaValue.TBOOLEAN -> {
                if (scriptProtocol == 2) {
                    if (value.toboolean()) {
                        out.integer(1);
                    } else {
                        out.nullBulk();
                    }
                } else {
                    out.bool(value.toboolean());
                }
            }
            case LuaValue.TTABLE -> table((LuaTable) value, out, scriptProtocol);
            default -> out.nullBulk();
        }
    }

    private static void table(LuaTable t, ReplyWriter out, int scriptProtocol) {
        LuaValue err = t.rawget(ERR);
        if (err.type() == LuaValue.TSTRING) {
            out.error(latin1(err));
            return;
        }
        LuaValue ok = t.rawget(OK);
        if (ok.type() == LuaValue.TSTRING) {
            out.simple(latin1(ok).replace('\r', ' ').replace('\n', ' '));
            return;
        }
        LuaValue dbl = t.rawget(DOUBLE);
        if (dbl.type() == LuaValue.TNUMBER) {
            out.doubleReply(Score.format(dbl.todouble()));
            return;
        }
        LuaValue big = t.rawget(BIG_NUMBER);
        if (big.type() == LuaValue.TSTRING) {
            LuaString s = big.checkstring();
            if (out.resp3()) {
                out.raw(("(" + latin1(s).replace('\r', ' ').replace('\n', ' ') + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            } else {
                out.bulk(s.m_bytes, s.m_offset, s.m_length);
            }
            return;
        }
        LuaValue map = t.rawget(MAP);
        if (map.type() == LuaValue.TTABLE) {
            LuaTable m = (LuaTable) map;
            out.map(m.keyCount());
            LuaValue k = LuaValue.NIL;
            while (true) {
                Varargs next = m.next(k);
                if ((k = next.arg1()).isnil()) {
                    break;
                }
                toResp(k, out, scriptProtocol);
                toResp(next.arg(2), out, scriptProtocol);
            }
            return;
        }
        LuaValue set = t.rawget(SET);
        if (set.type() == LuaValue.TTABLE) {
            LuaTable s = (LuaTable) set;
            out.set(s.keyCount());
            LuaValue k = LuaValue.NIL;
            while (true) {
                Varargs next = s.next(k);
                if ((k = next.arg1()).isnil()) {
                    break;
                }
                toResp(k, out, scriptProtocol);
            }
            return;
        }
        LuaValue verbatim = t.rawget(VERBATIM);
        if (verbatim.type() == LuaValue.TTABLE) {
            LuaValue format = verbatim.get(FORMAT);
            LuaValue string = verbatim.get(STRING);
            if (format.type() == LuaValue.TSTRING && string.type() == LuaValue.TSTRING) {
                verbatim(out, format.checkstring(), string.checkstring());
                return;
            }
        }
        int length = 0;
        while (!t.rawget(length + 1).isnil()) {
            length++;
        }
        out.array(length);
        for (int i = 1; i <= length; i++) {
            toResp(t.rawget(i), out, scriptProtocol);
        }
    }

    /** A Lua string as a Java byte string (one char per byte). */
    static String latin1(LuaValue value) {
        LuaString s = value.checkstring();
        return new String(s.m_bytes, s.m_offset, s.m_length, StandardCharsets.ISO_8859_1);
    }

    private static void verbatim(ReplyWriter out, LuaString format, LuaString string) {
        if (!out.resp3()) {
            out.bulk(string.m_bytes, string.m_offset, string.m_length);
            return;
        }
        byte[] header = ("=" + (string.length() + 4) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] body = new byte[header.length + 4 + string.length() + 2];
        System.arraycopy(header, 0, body, 0, header.length);
        for (int i = 0; i < 3; i++) {
            body[header.length + i] = i < format.length() ? (byte) format.luaByte(i) : (byte) ' ';
        }
        body[header.length + 3] = ':';
        string.copyInto(0, body, header.length + 4, string.length());
        body[body.length - 2] = '\r';
        body[body.length - 1] = '\n';
        out.raw(body);
    }
}
