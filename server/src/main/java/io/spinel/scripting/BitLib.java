package io.spinel.scripting;

import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * The {@code bit} library of Redis's Lua (LuaBitOp's API): 32-bit operations on numbers. Arguments
 * are rounded to integers and reduced modulo 2^32 as LuaBitOp does (adding 2^52+2^51 and taking
 * the low word), results are signed 32-bit numbers.
 */
final class BitLib {
    private BitLib() {
    }

    static LuaTable table() {
        LuaTable bit = new LuaTable();
        bit.rawset("tobit", LuaEnvironment.function("tobit", args -> number(arg(args, 1, "tobit"))));
        bit.rawset("bnot", LuaEnvironment.function("bnot", args -> number(~arg(args, 1, "bnot"))));
        bit.rawset("band", LuaEnvironment.function("band", args -> fold(args, "band", (a, b) -> a & b)));
        bit.rawset("bor", LuaEnvironment.function("bor", args -> fold(args, "bor", (a, b) -> a | b)));
        bit.rawset("bxor", LuaEnvironment.function("bxor", args -> fold(args, "bxor", (a, b) -> a ^ b)));
        bit.rawset("lshift", LuaEnvironment.function("lshift", args -> number(arg(args, 1, "lshift") << arg(args, 2, "lshift"))));
        bit.rawset("rshift", LuaEnvironment.function("rshift", args -> number(arg(args, 1, "rshift") >>> arg(args, 2, "rshift"))));
        bit.rawset("arshift", LuaEnvironment.function("arshift", args -> number(arg(args, 1, "arshift") >> arg(args, 2, "arshift"))));
        bit.rawset("rol", LuaEnvironment.function("rol", args -> number(Integer.rotateLeft(arg(args, 1, "rol"), arg(args, 2, "rol")))));
        bit.rawset("ror", LuaEnvironment.function("ror", args -> number(Integer.rotateRight(arg(args, 1, "ror"), arg(args, 2, "ror")))));
        bit.rawset("bswap", LuaEnvironment.function("bswap", args -> number(Integer.reverseBytes(arg(args, 1, "bswap")))));
        bit.rawset("tohex", LuaEnvironment.function("tohex", BitLib::tohex));
        return bit;
    }

    /** LuaBitOp's conversion of a number to 32 bits: round half to even, keep the low word. */
    static int arg(Varargs args, int index, String function) {
        double d = LuaArgs.number(args, index, function);
        return (int) (long) Math.rint(d % 0x1p32);
    }

    private static LuaValue number(int value) {
        return LuaValue.valueOf(value);
    }

    private interface Op {
        int apply(int a, int b);
    }

    private static Varargs fold(Varargs args, String function, Op op) {
        int result = arg(args, 1, function);
        for (int i = 2; i <= args.narg(); i++) {
            result = op.apply(result, arg(args, i, function));
        }
        return number(result);
    }

    private static Varargs tohex(Varargs args) {
        int value = arg(args, 1, "tohex");
        int digits = args.isnoneornil(2) ? 8 : arg(args, 2, "tohex");
        boolean upper = digits < 0;
        digits = Math.min(Math.abs(digits), 8);
        String hex = String.format(upper ? "%08X" : "%08x", value);
        return LuaValue.valueOf(hex.substring(8 - digits));
    }
}
