package io.spinel.scripting;

import org.luaj.vm2.Lua;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;

/**
 * What Lua 5.1 calls a register in a runtime error ("local 'x'", "global 'x'", "field 'x'",
 * "upvalue 'x'", "method 'x'"), found from compiled code as Lua 5.1's getobjname finds it: a local
 * variable active there, else the instruction that last set the register. Lua 5.1 executes the
 * function symbolically up to the instruction; this looks back through straight-line code only
 * and names nothing past a jump, which covers the operands an expression loads just before it.
 * LuaJ compiles for Lua 5.2, where a global is a field of the {@code _ENV} upvalue.
 */
final class OperandNames {
    private static final LuaString ENV = LuaString.valueOf("_ENV");

    private final Prototype p;
    /** Per instruction: a jump lands on it. */
    private final boolean[] jumpTarget;

    OperandNames(Prototype p) {
        this.p = p;
        int[] code = p.code;
        this.jumpTarget = new boolean[code.length + 1];
        for (int at = 0; at < code.length; at++) {
            if (isJump(Lua.GET_OPCODE(code[at]))) {
                int target = at + 1 + Lua.GETARG_sBx(code[at]);
                if (target >= 0 && target <= code.length) {
                    jumpTarget[target] = true;
                }
            }
        }
    }

    static boolean isJump(int op) {
        return op == Lua.OP_JMP || op == Lua.OP_FORLOOP || op == Lua.OP_FORPREP || op == Lua.OP_TFORLOOP;
    }

    /** The name of register {@code register} at instruction {@code pc}, or null. */
    String of(int pc, int register) {
        LuaString local = p.getlocalname(register + 1, pc);
        if (local != null) {
            return "local '" + local.tojstring() + "'";
        }
        int[] code = p.code;
        for (int at = pc - 1; at >= 0; at--) {
            int i = code[at];
            int op = Lua.GET_OPCODE(i);
            if (isJump(op) || jumpTarget[at + 1]) {
                return null;
            }
            if (!Lua.testAMode(op) || !sets(i, op, register)) {
                continue;
            }
            return switch (op) {
                case Lua.OP_MOVE -> {
                    int from = Lua.GETARG_B(i);
                    LuaString name = from < register ? p.getlocalname(from + 1, at) : null;
                    yield name == null ? null : "local '" + name.tojstring() + "'";
                }
                case Lua.OP_GETTABUP -> ENV.equals(upvalueName(p, Lua.GETARG_B(i)))
                        ? "global '" + constantName(p, Lua.GETARG_C(i)) + "'" : "field '" + constantName(p, Lua.GETARG_C(i)) + "'";
                case Lua.OP_GETTABLE -> "field '" + constantName(p, Lua.GETARG_C(i)) + "'";
                case Lua.OP_GETUPVAL -> {
                    LuaString name = upvalueName(p, Lua.GETARG_B(i));
                    yield "upvalue '" + (name == null ? "?" : name.tojstring()) + "'";
                }
                case Lua.OP_SELF -> Lua.GETARG_A(i) == register ? "method '" + constantName(p, Lua.GETARG_C(i)) + "'" : null;
                default -> null;
            };
        }
        return null;
    }

    /** Whether instruction {@code i} (which sets register A) sets {@code register}. */
    private static boolean sets(int i, int op, int register) {
        int a = Lua.GETARG_A(i);
        return switch (op) {
            case Lua.OP_LOADNIL -> register >= a && register <= a + Lua.GETARG_B(i);
            case Lua.OP_SELF -> register == a || register == a + 1;
            case Lua.OP_CALL, Lua.OP_VARARG, Lua.OP_TFORCALL -> register >= a;
            default -> register == a;
        };
    }

    private static LuaString upvalueName(Prototype p, int index) {
        return p.upvalues != null && index < p.upvalues.length ? p.upvalues[index].name : null;
    }

    /** A constant key's text, or "?" as Lua 5.1's kname says for anything else. */
    private static String constantName(Prototype p, int rk) {
        if (Lua.ISK(rk)) {
            LuaValue key = p.k[Lua.INDEXK(rk)];
            if (key.type() == LuaValue.TSTRING) {
                return key.tojstring();
            }
        }
        return "?";
    }
}
