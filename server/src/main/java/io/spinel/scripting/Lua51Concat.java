package io.spinel.scripting;

import java.util.Arrays;
import org.luaj.vm2.LocVars;
import org.luaj.vm2.Lua;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaInteger;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * The {@code ..} operator as Lua 5.1 performs it, installed into compiled code.
 *
 * <h2>Why a rewrite of the bytecode</h2>
 * LuaJ concatenates inside its VM (OP_CONCAT) and turns a non-integral number into text with its
 * own formatting ({@code 1/3 .. ''} gives {@code 0.33333334}, {@code 1e300 .. ''} gives
 * {@code Infinity}), where C Lua prints {@code %.14g}. The VM cannot be told otherwise, but its
 * input can: after compiling, every {@code OP_CONCAT A B C} of every prototype becomes a call of
 * a {@link Site}, a Java function doing Lua 5.1's concatenation:
 *
 * <pre>
 *   LOADK  T   K(site)          T = C + 1: the registers above a CONCAT's operands are free
 *   MOVE   T+1 B  ...  MOVE T+n C
 *   CALL   T   n+1  2            T := site(R(B), ..., R(C))
 *   MOVE   A   T
 * </pre>
 *
 * The function is an extra constant of the prototype, one per CONCAT: it carries what Lua 5.1
 * calls each operand register in an error ({@link OperandNames}). Jumps (JMP, FORPREP, FORLOOP, TFORLOOP)
 * are re-aimed over the longer code, the new instructions carry the CONCAT's line (so errors
 * name the same line) and local variables' pc ranges are moved with the code. A CONCAT is left
 * to the VM when its registers would pass the VM's 250, or when it directly follows an
 * instruction that skips the next one (the skip would land inside the expansion; compilers never
 * emit that).
 *
 * <h2>Semantics</h2>
 * As luaV_concat: from the right, a run of strings and numbers is joined at once, numbers printed
 * with {@code %.14g}; any other operand applies the {@code __concat} metamethod of the pair or
 * raises Lua 5.1's error ("attempt to concatenate local 'x' (a nil value)").
 */
final class Lua51Concat {
    /** The registers a LuaJ frame may use (Lua's MAXSTACK). */
    private static final int MAX_REGISTERS = 250;

    private Lua51Concat() {
    }

    /**
     * One rewritten CONCAT: Lua 5.1's concatenation of its arguments, which are the CONCAT's
     * registers in order; {@code names} are what Lua 5.1 calls those registers in an error
     * ("local 'x'", "global 'x'", ...; null when it names none).
     */
    static final class Site extends VarArgFunction {
        private final String[] names;

        Site(String[] names) {
            this.names = names;
        }

        @Override
        public LuaValue call(LuaValue a, LuaValue b) {
            if (coercible(a) && coercible(b)) {
                return join(new LuaValue[] {a, b}, 0, 2);
            }
            return concat(new LuaValue[] {a, b});
        }

        @Override
        public Varargs invoke(Varargs args) {
            int n = args.narg();
            LuaValue[] values = new LuaValue[n];
            for (int i = 0; i < n; i++) {
                values[i] = args.arg(i + 1);
            }
            return concat(values);
        }

        /** luaV_concat over {@code values} (at least two): right to left, runs of strings and numbers joined at once. */
        LuaValue concat(LuaValue[] values) {
            int end = values.length; // values[end - 1] holds the result so far
            while (end > 1) {
                LuaValue right = values[end - 1];
                LuaValue left = values[end - 2];
                if (!coercible(left) || !coercible(right)) {
                    values[end - 2] = metamethod(left, right, coercible(left) ? end - 1 : end - 2);
                    end--;
                    continue;
                }
                int start = end - 2;
                while (start > 0 && coercible(values[start - 1])) {
                    start--;
                }
                values[start] = join(values, start, end);
                end = start + 1;
            }
            return values[0];
        }

        /** The __concat metamethod of either operand applied, or Lua 5.1's error naming the operand at {@code culprit}. */
        private LuaValue metamethod(LuaValue left, LuaValue right, int culprit) {
            LuaValue handler = left.metatag(LuaValue.CONCAT);
            if (handler.isnil()) {
                handler = right.metatag(LuaValue.CONCAT);
            }
            if (!handler.isnil()) {
                return handler.call(left, right);
            }
            LuaValue value = coercible(left) ? right : left;
            String name = culprit < names.length ? names[culprit] : null;
            throw new LuaError(name == null ? "attempt to concatenate a " + value.typename() + " value"
                    : "attempt to concatenate " + name + " (a " + value.typename() + " value)");
        }
    }

    private static boolean coercible(LuaValue v) {
        int type = v.type();
        return type == LuaValue.TSTRING || type == LuaValue.TNUMBER;
    }

    /** The strings and numbers {@code values[from..to)} joined, numbers as {@code %.14g}. */
    private static LuaString join(LuaValue[] values, int from, int to) {
        LuaString[] parts = new LuaString[to - from];
        int length = 0;
        for (int i = from; i < to; i++) {
            LuaValue v = values[i];
            LuaString s = v.type() == LuaValue.TSTRING ? v.strvalue()
                    : v instanceof LuaInteger ? v.strvalue() : LuaFormat.toLuaString(v);
            parts[i - from] = s;
            length += s.m_length;
        }
        byte[] bytes = new byte[length];
        int at = 0;
        for (LuaString s : parts) {
            System.arraycopy(s.m_bytes, s.m_offset, bytes, at, s.m_length);
            at += s.m_length;
        }
        return LuaString.valueUsing(bytes);
    }

    /**
     * A copy of {@code p} (and its nested prototypes) that LuaJ's {@code string.dump} can write:
     * the rewritten sites become empty-string constants. The dump is opaque bytes to a script
     * ({@code load} and {@code loadstring} refuse bytecode, as Redis's do), so nothing runs it.
     */
    static Prototype dumpable(Prototype p) {
        Prototype copy = new Prototype();
        copy.k = p.k.clone();
        for (int i = 0; i < copy.k.length; i++) {
            if (copy.k[i] instanceof Site) {
                copy.k[i] = LuaValue.EMPTYSTRING;
            }
        }
        copy.code = p.code;
        copy.p = new Prototype[p.p.length];
        for (int i = 0; i < p.p.length; i++) {
            copy.p[i] = dumpable(p.p[i]);
        }
        copy.lineinfo = p.lineinfo;
        copy.locvars = p.locvars;
        copy.upvalues = p.upvalues;
        copy.source = p.source;
        copy.linedefined = p.linedefined;
        copy.lastlinedefined = p.lastlinedefined;
        copy.numparams = p.numparams;
        copy.is_vararg = p.is_vararg;
        copy.maxstacksize = p.maxstacksize;
        return copy;
    }

    /** Rewrites the CONCATs of {@code prototype} and of every prototype nested in it. */
    static void rewrite(Prototype prototype) {
        rewriteOne(prototype);
        for (Prototype nested : prototype.p) {
            rewrite(nested);
        }
    }

    private static void rewriteOne(Prototype p) {
        int[] code = p.code;
        boolean[] expand = new boolean[code.length];
        int sites = 0;
        int added = 0;
        int maxStack = p.maxstacksize;
        for (int pc = 0; pc < code.length; pc++) {
            int i = code[pc];
            if (Lua.GET_OPCODE(i) != Lua.OP_CONCAT || (pc > 0 && skipsNext(code[pc - 1]))) {
                continue;
            }
            int top = Lua.GETARG_C(i) + 1 + n(i); // the last register used: T + n
            if (top >= MAX_REGISTERS || p.k.length + sites > Lua.MAXARG_Bx) {
                continue;
            }
            expand[pc] = true;
            sites++;
            added += n(i) + 2;
            maxStack = Math.max(maxStack, top + 1);
        }
        if (sites == 0) {
            return;
        }
        int[] newIndex = new int[code.length + 1];
        for (int pc = 0, at = 0; pc <= code.length; pc++) {
            newIndex[pc] = at;
            if (pc < code.length) {
                at += expand[pc] ? n(code[pc]) + 3 : 1;
            }
        }
        int[] out = new int[code.length + added];
        int[] lines = p.lineinfo == null ? null : new int[out.length];
        LuaValue[] constants = Arrays.copyOf(p.k, p.k.length + sites);
        OperandNames operandNames = new OperandNames(p);
        int constant = p.k.length;
        for (int pc = 0; pc < code.length; pc++) {
            int i = code[pc];
            int at = newIndex[pc];
            if (expand[pc]) {
                int a = Lua.GETARG_A(i);
                int b = Lua.GETARG_B(i);
                int c = Lua.GETARG_C(i);
                int t = c + 1;
                String[] names = new String[c - b + 1];
                for (int r = b; r <= c; r++) {
                    names[r - b] = operandNames.of(pc, r);
                }
                constants[constant] = new Site(names);
                out[at++] = abx(Lua.OP_LOADK, t, constant++);
                for (int r = b; r <= c; r++) {
                    out[at++] = abc(Lua.OP_MOVE, t + 1 + r - b, r, 0);
                }
                out[at++] = abc(Lua.OP_CALL, t, c - b + 2, 2);
                out[at] = abc(Lua.OP_MOVE, a, t, 0);
            } else {
                out[at] = OperandNames.isJump(Lua.GET_OPCODE(i)) ? retarget(i, pc, newIndex) : i;
            }
            if (lines != null) {
                Arrays.fill(lines, newIndex[pc], newIndex[pc + 1], p.lineinfo[pc]);
            }
        }
        if (p.locvars != null) {
            for (int v = 0; v < p.locvars.length; v++) {
                LocVars local = p.locvars[v];
                p.locvars[v] = new LocVars(local.varname, moved(local.startpc, newIndex), moved(local.endpc, newIndex));
            }
        }
        p.k = constants;
        p.code = out;
        p.lineinfo = lines;
        p.maxstacksize = maxStack;
    }

    private static int n(int concat) {
        return Lua.GETARG_C(concat) - Lua.GETARG_B(concat) + 1;
    }

    private static int moved(int pc, int[] newIndex) {
        return pc >= 0 && pc < newIndex.length ? newIndex[pc] : pc;
    }

    /** Instructions that may skip the one after them. */
    private static boolean skipsNext(int i) {
        return switch (Lua.GET_OPCODE(i)) {
            case Lua.OP_EQ, Lua.OP_LT, Lua.OP_LE, Lua.OP_TEST, Lua.OP_TESTSET -> true;
            case Lua.OP_LOADBOOL -> Lua.GETARG_C(i) != 0;
            default -> false;
        };
    }

    /** The jump at {@code pc} aimed at the new place of its old target. */
    private static int retarget(int i, int pc, int[] newIndex) {
        int target = pc + 1 + Lua.GETARG_sBx(i);
        int offset = newIndex[target] - (newIndex[pc] + 1);
        return (i & Lua.MASK_NOT_Bx) | ((offset + Lua.MAXARG_sBx) << Lua.POS_Bx);
    }

    private static int abc(int op, int a, int b, int c) {
        return (op << Lua.POS_OP) | (a << Lua.POS_A) | (b << Lua.POS_B) | (c << Lua.POS_C);
    }

    private static int abx(int op, int a, int bx) {
        return (op << Lua.POS_OP) | (a << Lua.POS_A) | (bx << Lua.POS_Bx);
    }
}
