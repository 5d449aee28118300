package io.spinel.scripting;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.jse.JsePlatform;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What Lua 5.1's {@code ..} ({@link Lua51Concat}) costs over LuaJ's own OP_CONCAT: the same loop
 * of 1,000 concatenations compiled by LuaJ, run as compiled ({@code luaj}) and after the rewrite
 * ({@code rewritten}). Lives in the scripting package to reach its package-private classes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LuaConcatBenchmark {
    /** The loop body's expression. */
    @Param({"'k' .. 'v'", "'key:' .. i .. ':' .. 'field'", "'v' .. (i / 3)"})
    public String expression;

    private LuaClosure luaj;
    private LuaClosure rewritten;

    @Setup
    public void compile() throws IOException {
        String source = "local n = 0 for i = 1, 1000 do local x = " + expression + " n = n + #x end return n";
        Globals globals = JsePlatform.standardGlobals();
        Prototype plain = LuaC.instance.compile(new ByteArrayInputStream(source.getBytes()), "bench");
        Prototype converted = LuaC.instance.compile(new ByteArrayInputStream(source.getBytes()), "bench");
        Lua51Concat.rewrite(converted);
        luaj = new LuaClosure(plain, globals);
        rewritten = new LuaClosure(converted, globals);
    }

    @Benchmark
    public LuaValue luaj() {
        return luaj.call();
    }

    @Benchmark
    public LuaValue rewritten() {
        return rewritten.call();
    }
}
