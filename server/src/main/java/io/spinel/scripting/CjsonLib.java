package io.spinel.scripting;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaUserdata;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * The {@code cjson} library of Redis's Lua (lua-cjson 2.1.0's behaviour, written from its
 * documented format): {@code cjson.encode} and {@code cjson.decode} with its defaults (numbers
 * with 14 significant digits, {@code /} escaped, NaN and infinity refused, sparse arrays up to
 * the ratio 2 above 10 elements, depth 1000), its error texts, and {@code cjson.null}.
 *
 * <p>Objects are written in the iteration order of the Lua table, which is LuaJ's, not C Lua's:
 * a table with several string keys may encode with its keys in another order than Redis does.
 */
final class CjsonLib {
    /** cjson.null: a value of its own, which decodes from JSON null and encodes to it. */
    static final LuaValue NULL = new LuaUserdata(new Object());
    private static final int MAX_DEPTH = 1000;

    private int precision = 14;
    private int encodeMaxDepth = MAX_DEPTH;
    private int decodeMaxDepth = MAX_DEPTH;

    private CjsonLib() {
    }

    static LuaTable table() {
        return new CjsonLib().module();
    }

    private LuaTable module() {
        LuaTable cjson = new LuaTable();
        cjson.rawset("encode", LuaEnvironment.function("encode", args -> {
            if (args.narg() != 1) {
                throw new LuaError("bad argument #1 to 'encode' (expected 1 argument)");
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            encode(args.arg1(), out, 0);
            return LuaString.valueUsing(out.toByteArray());
        }));
        cjson.rawset("decode", LuaEnvironment.function("decode", args -> {
            if (args.narg() != 1) {
                throw new LuaError("bad argument #1 to 'decode' (expected 1 argument)");
            }
            return new Decoder(LuaArgs.string(args, 1, "decode"), decodeMaxDepth).document();
        }));
        cjson.rawset("encode_number_precision", LuaEnvironment.function("encode_number_precision", args -> {
            if (!args.isnoneornil(1)) {
                int p = (int) LuaArgs.number(args, 1, "encode_number_precision");
                if (p < 1 || p > 14) {
                    throw LuaArgs.badArgument(1, "encode_number_precision", "expected integer between 1 and 14");
                }
                precision = p;
            }
            return LuaValue.valueOf(precision);
        }));
        cjson.rawset("encode_max_depth", LuaEnvironment.function("encode_max_depth", args -> {
            if (!args.isnoneornil(1)) {
                encodeMaxDepth = (int) LuaArgs.number(args, 1, "encode_max_depth");
            }
            return LuaValue.valueOf(encodeMaxDepth);
        }));
        cjson.rawset("decode_max_depth", LuaEnvironment.function("decode_max_depth", args -> {
            if (!args.isnoneornil(1)) {
                decodeMaxDepth = (int) LuaArgs.number(args, 1, "decode_max_depth");
            }
            return LuaValue.valueOf(decodeMaxDepth);
        }));
        cjson.rawset("encode_sparse_array", LuaEnvironment.function("encode_sparse_array",
                args -> LuaValue.varargsOf(LuaValue.FALSE, LuaValue.valueOf(2), LuaValue.valueOf(10))));
        cjson.rawset("encode_invalid_numbers", LuaEnvironment.function("encode_invalid_numbers", args -> LuaValue.FALSE));
        cjson.rawset("decode_invalid_numbers", LuaEnvironment.function("decode_invalid_numbers", args -> LuaValue.TRUE));
        cjson.rawset("encode_keep_buffer", LuaEnvironment.function("encode_keep_buffer", args -> LuaValue.TRUE));
        cjson.rawset("new", LuaEnvironment.function("new", args -> new CjsonLib().module()));
        cjson.rawset("null", NULL);
        cjson.rawset("_NAME", LuaValue.valueOf("cjson"));
        cjson.rawset("_VERSION", LuaValue.valueOf("2.1.0"));
        return cjson;
    }

    // Encoding.

    private void encode(LuaValue value, ByteArrayOutputStream out, int depth) {
        switch (value.type()) {
            case LuaValue.TSTRING -> string((LuaString) value, out);
            case LuaValue.TNUMBER -> number(value.todouble(), out);
            case LuaValue.TBOOLEAN -> ascii(value.toboolean() ? "true" : "false", out);
            case LuaValue.TNIL -> ascii("null", out);
            case LuaValue.TTABLE -> table((LuaTable) value, out, depth + 1);
            default -> {
                if (value == NULL) {
                    ascii("null", out);
                } else {
                    throw new LuaError("Cannot serialise " + value.typename() + ": type not supported");
                }
            }
        }
    }

    private void number(double d, ByteArrayOutputStream out) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new LuaError("Cannot serialise number: must not be NaN or Inf");
        }
        ascii(precision == 14 ? CFormat.number(d) : CFormat.general(d, precision, false, false), out);
    }

    private void table(LuaTable t, ByteArrayOutputStream out, int depth) {
        if (depth > encodeMaxDepth) {
            throw new LuaError("Cannot serialise, excessive nesting (" + depth + ")");
        }
        int length = arrayLength(t);
        if (length == 0) {
            ascii("{}", out);
            return;
        }
        if (length > 0) {
            out.write('[');
            for (int i = 1; i <= length; i++) {
                if (i > 1) {
                    out.write(',');
                }
                encode(t.get(i), out, depth);
            }
            out.write(']');
            return;
        }
        out.write('{');
        boolean first = true;
        LuaValue k = LuaValue.NIL;
        while (true) {
            Varargs next = t.next(k);
            if ((k = next.arg1()).isnil()) {
                break;
            }
            if (!first) {
                out.write(',');
            }
            first = false;
            if (k.type() == LuaValue.TSTRING) {
                string((LuaString) k, out);
            } else if (k.type() == LuaValue.TNUMBER) {
                out.write('"');
                number(k.todouble(), out);
                out.write('"');
            } else {
                throw new LuaError("Cannot serialise " + k.typename() + ": table key must be a number or string");
            }
            out.write(':');
            encode(next.arg(2), out, depth);
        }
        out.write('}');
    }

    /**
     * The array length of {@code t} when every key is a positive integer (holes allowed unless
     * excessively sparse), else -1.
     */
    private static int arrayLength(LuaTable t) {
        double max = 0;
        int items = 0;
        LuaValue k = LuaValue.NIL;
        while (true) {
            Varargs next = t.next(k);
            if ((k = next.arg1()).isnil()) {
                break;
            }
            if (k.type() != LuaValue.TNUMBER) {
                return -1;
            }
            double d = k.todouble();
            if (d < 1 || d != Math.floor(d)) {
                return -1;
            }
            max = Math.max(max, d);
            items++;
        }
        if (max > 10 && max > items * 2) {
            throw new LuaError("Cannot serialise table: excessively sparse array");
        }
        return (int) max;
    }

    private static void string(LuaString s, ByteArrayOutputStream out) {
        out.write('"');
        for (int i = 0; i < s.m_length; i++) {
            int b = s.m_bytes[s.m_offset + i] & 0xff;
            switch (b) {
                case '"' -> ascii("\\\"", out);
                case '\\' -> ascii("\\\\", out);
                case '/' -> ascii("\\/", out);
                case '\b' -> ascii("\\b", out);
                case '\f' -> ascii("\\f", out);
                case '\n' -> ascii("\\n", out);
                case '\r' -> ascii("\\r", out);
                case '\t' -> ascii("\\t", out);
                default -> {
                    if (b < 0x20 || b == 0x7f) {
                        ascii(String.format("\\u%04x", b), out);
                    } else {
                        out.write(b);
                    }
                }
            }
        }
        out.write('"');
    }

    private static void ascii(String text, ByteArrayOutputStream out) {
        out.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    // Decoding: a recursive descent parser over the bytes, with cjson's token names in errors.

    private static final class Decoder {
        private final byte[] in;
        private final int maxDepth;
        private int pos;
        private int depth;

        Decoder(LuaString text, int maxDepth) {
            this.in = LuaArgs.bytes(text);
            this.maxDepth = maxDepth;
        }

        LuaValue document() {
            LuaValue value = value();
            skipSpace();
            if (pos < in.length) {
                throw expected("the end", pos, tokenName());
            }
            return value;
        }

        private LuaError expected(String what, int at, String found) {
            return new LuaError("Expected " + what + " but found " + found + " at character " + (at + 1));
        }

        /** The name cjson gives the token at {@link #pos}, for error messages. */
        private String tokenName() {
            if (pos >= in.length) {
                return "T_END";
            }
            return switch (in[pos]) {
                case '{' -> "T_OBJ_BEGIN";
                case '}' -> "T_OBJ_END";
                case '[' -> "T_ARR_BEGIN";
                case ']' -> "T_ARR_END";
                case ',' -> "T_COMMA";
                case ':' -> "T_COLON";
                case '"' -> "T_STRING";
                default -> {
                    byte c = in[pos];
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        int save = pos;
                        try {
                            number();
                            yield "T_NUMBER";
                        } catch (LuaError e) {
                            yield "invalid number";
                        } finally {
                            pos = save;
                        }
                    }
                    yield "invalid token";
                }
            };
        }

        private void skipSpace() {
            while (pos < in.length && (in[pos] == ' ' || in[pos] == '\t' || in[pos] == '\n' || in[pos] == '\r')) {
                pos++;
            }
        }

        private LuaValue value() {
            skipSpace();
            if (pos >= in.length) {
                throw expected("value", pos, "T_END");
            }
            byte c = in[pos];
            switch (c) {
                case '{':
                    return object();
                case '[':
                    return array();
                case '"':
                    return string();
                case 't':
                    return literal("true", LuaValue.TRUE);
                case 'f':
                    return literal("false", LuaValue.FALSE);
                case 'n':
                    return literal("null", NULL);
                default:
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        return number();
                    }
                    throw expected("value", pos, tokenName());
            }
        }

        private LuaValue literal(String word, LuaValue value) {
            int end = pos + word.length();
            if (end <= in.length && new String(in, pos, word.length(), StandardCharsets.ISO_8859_1).equals(word)) {
                pos = end;
                return value;
            }
            throw expected("value", pos, "invalid token");
        }

        private LuaValue number() {
            int start = pos;
            if (in[pos] == '-') {
                pos++;
            }
            while (pos < in.length && "0123456789.eE+-xXabcdefABCDEF".indexOf(in[pos]) >= 0) {
                pos++;
            }
            String text = new String(in, start, pos - start, StandardCharsets.ISO_8859_1);
            try {
                return LuaValue.valueOf(Double.parseDouble(text));
            } catch (NumberFormatException e) {
                throw expected("value", start, "invalid number");
            }
        }

        private void enter() {
            if (++depth > maxDepth) {
                throw new LuaError("Found too many nested data structures (" + depth + ") at character " + (pos + 1));
            }
        }

        private LuaValue object() {
            enter();
            pos++;
            LuaTable t = new LuaTable();
            skipSpace();
            if (pos < in.length && in[pos] == '}') {
                pos++;
                depth--;
                return t;
            }
            while (true) {
                skipSpace();
                if (pos >= in.length || in[pos] != '"') {
                    throw expected("object key string", pos, tokenName());
                }
                LuaValue key = string();
                skipSpace();
                if (pos >= in.length || in[pos] != ':') {
                    throw expected("colon", pos, tokenName());
                }
                pos++;
                t.rawset(key, value());
                skipSpace();
                if (pos < in.length && in[pos] == ',') {
                    pos++;
                    continue;
                }
                if (pos < in.length && in[pos] == '}') {
                    pos++;
                    depth--;
                    return t;
                }
                throw expected("comma or object end", pos, tokenName());
            }
        }

        private LuaValue array() {
            enter();
            pos++;
            LuaTable t = new LuaTable();
            skipSpace();
            if (pos < in.length && in[pos] == ']') {
                pos++;
                depth--;
                return t;
            }
            for (int i = 1; ; i++) {
                t.rawset(i, value());
                skipSpace();
                if (pos < in.length && in[pos] == ',') {
                    pos++;
                    continue;
                }
                if (pos < in.length && in[pos] == ']') {
                    pos++;
                    depth--;
                    return t;
                }
                throw expected("comma or array end", pos, tokenName());
            }
        }

        private LuaValue string() {
            int start = pos;
            pos++;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (true) {
                if (pos >= in.length) {
                    throw expected("value", pos, "unexpected end of string");
                }
                int b = in[pos++] & 0xff;
                if (b == '"') {
                    return LuaString.valueUsing(out.toByteArray());
                }
                if (b != '\\') {
                    out.write(b);
                    continue;
                }
                if (pos >= in.length) {
                    throw expected("value", start, "invalid token");
                }
                int e = in[pos++];
                switch (e) {
                    case '"', '\\', '/' -> out.write(e);
                    case 'b' -> out.write('\b');
                    case 'f' -> out.write('\f');
                    case 'n' -> out.write('\n');
                    case 'r' -> out.write('\r');
                    case 't' -> out.write('\t');
                    case 'u' -> unicode(out, start);
                    default -> throw expected("value", start, "invalid token");
                }
            }
        }

        /** A \\uXXXX escape (and its low surrogate), written as UTF-8. */
        private void unicode(ByteArrayOutputStream out, int start) {
            int cp = hex4(start);
            if (cp >= 0xd800 && cp <= 0xdbff) {
                if (pos + 6 > in.length || in[pos] != '\\' || in[pos + 1] != 'u') {
                    throw expected("value", start, "invalid token");
                }
                pos += 2;
                int low = hex4(start);
                if (low < 0xdc00 || low > 0xdfff) {
                    throw expected("value", start, "invalid token");
                }
                cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
            } else if (cp >= 0xdc00 && cp <= 0xdfff) {
                throw expected("value", start, "invalid token");
            }
            out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
        }

        private int hex4(int start) {
            if (pos + 4 > in.length) {
                throw expected("value", start, "invalid token");
            }
            int v = 0;
            for (int i = 0; i < 4; i++) {
                int d = Character.digit(in[pos++], 16);
                if (d < 0) {
                    throw expected("value", start, "invalid token");
                }
                v = v * 16 + d;
            }
            return v;
        }
    }
}
