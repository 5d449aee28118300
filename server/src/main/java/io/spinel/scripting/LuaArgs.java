package io.spinel.scripting;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/** Argument checks for the libraries written here, raising Lua 5.1's "bad argument" errors. */
final class LuaArgs {
    private LuaArgs() {
    }

    static LuaError badArgument(int index, String function, String message) {
        return new LuaError("bad argument #" + index + " to '" + function + "' (" + message + ")");
    }

    private static String got(Varargs args, int index) {
        return index > args.narg() ? "no value" : args.arg(index).typename();
    }

    /** A number argument; strings that read as numbers are converted, as luaL_checknumber does. */
    static double number(Varargs args, int index, String function) {
        LuaValue v = args.arg(index);
        if (v.type() == LuaValue.TNUMBER) {
            return v.todouble();
        }
        if (v.type() == LuaValue.TSTRING) {
            LuaValue n = v.tonumber();
            if (!n.isnil()) {
                return n.todouble();
            }
        }
        throw badArgument(index, function, "number expected, got " + got(args, index));
    }

    static double optNumber(Varargs args, int index, String function, double otherwise) {
        return args.isnoneornil(index) ? otherwise : number(args, index, function);
    }

    /** A string argument; numbers are converted as Lua 5.1 converts them (%.14g). */
    static LuaString string(Varargs args, int index, String function) {
        LuaValue v = args.arg(index);
        if (v.type() == LuaValue.TSTRING) {
            return (LuaString) v;
        }
        if (v.type() == LuaValue.TNUMBER) {
            return LuaFormat.toLuaString(v);
        }
        throw badArgument(index, function, "string expected, got " + got(args, index));
    }

    static byte[] bytes(LuaString s) {
        byte[] out = new byte[s.m_length];
        System.arraycopy(s.m_bytes, s.m_offset, out, 0, s.m_length);
        return out;
    }
}
