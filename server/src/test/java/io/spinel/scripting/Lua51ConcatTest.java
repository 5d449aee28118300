package io.spinel.scripting;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * The CONCAT rewrite keeps programs meaning what they meant: random programs mixing loops,
 * branches, {@code and}/{@code or}, closures, varargs and table constructors around
 * concatenations of strings and integers (which LuaJ already prints as Lua 5.1 does) give the
 * same result compiled as LuaJ compiles them and rewritten, so the re-aimed jumps, moved lines
 * and scratch registers are right.
 */
class Lua51ConcatTest {
    private static final Globals GLOBALS = JsePlatform.standardGlobals();

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void rewrite_keepsRandomProgramsResults(int seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        int errors = 0;
        for (int program = 0; program < 60; program++) {
            StringBuilder source = new StringBuilder("local out = {} local s = 'a' local n = 0\n");
            source.append("local function f(...) local x, y = ... return (x or 'f') .. (y or 'g') end\n");
            for (int line = 0; line < 12; line++) {
                source.append(statement(random, 0)).append('\n');
            }
            source.append("return table.concat(out, ',') .. '|' .. s .. '|' .. n");
            String text = source.toString();
            String result = run(text, false);
            assertThat(run(text, true)).as(text).isEqualTo(result);
            errors += result.equals("error") ? 1 : 0;
        }
        assertThat(errors).as("programs that raised").isLessThan(10);
    }

    private static String run(String source, boolean rewrite) throws Exception {
        Prototype p = LuaC.instance.compile(new ByteArrayInputStream(source.getBytes(StandardCharsets.ISO_8859_1)), "t");
        if (rewrite) {
            Lua51Concat.rewrite(p);
        }
        try {
            return new LuaClosure(p, GLOBALS).call().tojstring();
        } catch (LuaError e) {
            return "error";
        }
    }

    private static String statement(SplittableRandom r, int depth) {
        int kind = depth > 2 ? r.nextInt(3) : r.nextInt(9);
        return switch (kind) {
            case 0 -> "s = " + expression(r, depth) + " if #s > 200 then s = 'x' end";
            case 1 -> "out[#out + 1] = " + expression(r, depth);
            case 2 -> "n = n + #(" + expression(r, depth) + ")";
            case 3 -> "if #s % 2 == 0 then " + statement(r, depth + 1) + " else " + statement(r, depth + 1) + " end";
            case 4 -> "for i = 1, " + (1 + r.nextInt(3)) + " do " + statement(r, depth + 1) + " end";
            case 5 -> "do local k = 0 while k < " + r.nextInt(3) + " do k = k + 1 " + statement(r, depth + 1) + " end end";
            case 6 -> "do local k = 0 repeat k = k + 1 " + statement(r, depth + 1) + " until k >= 2 end";
            case 7 -> "for _, v in ipairs({" + expression(r, depth) + ", 'z' .. n}) do out[#out + 1] = v .. '.' end";
            default -> "local g = function(a) " + statement(r, depth + 1) + " return a .. s end out[#out + 1] = g('q')";
        };
    }

    private static String expression(SplittableRandom r, int depth) {
        int operands = 2 + r.nextInt(3);
        StringBuilder e = new StringBuilder();
        for (int i = 0; i < operands; i++) {
            if (i > 0) {
                e.append(" .. ");
            }
            e.append(switch (r.nextInt(8)) {
                case 0 -> "s";
                case 1 -> "n";
                case 2 -> "'lit" + r.nextInt(10) + "'";
                case 3 -> "(#s > 3 and 'yes' or 'no')";
                case 4 -> "f(s, " + (depth < 2 ? "'v'" : "nil") + ")";
                case 5 -> "(out[1] or 'none')";
                case 6 -> String.valueOf(r.nextInt(100));
                default -> "(n % 2 == 0 and n or s)";
            });
        }
        return e.toString();
    }
}
