package io.spinel.scripting;

import io.spinel.command.Version;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LoadState;
import org.luaj.vm2.Lua;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaInteger;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.BaseLib;
import org.luaj.vm2.lib.CoroutineLib;
import org.luaj.vm2.lib.DebugLib;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.StringLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.VarArgFunction;
import org.luaj.vm2.lib.jse.JseMathLib;

/**
 * The Lua environment scripts and functions run in: Redis 7's globals and libraries on LuaJ.
 *
 * <h2>Lua 5.1 on a Lua 5.2 engine</h2>
 * LuaJ implements Lua 5.2; Redis embeds 5.1. The globals a script sees are exactly Redis's list
 * ({@code unpack}, {@code loadstring}, {@code gcinfo}, {@code table.getn}/{@code maxn}/
 * {@code foreach}, {@code math.mod}/{@code log10}, {@code string.gfind}; no {@code print},
 * {@code rawlen}, {@code require}, {@code os}, {@code io}, {@code debug}, {@code loadfile},
 * {@code dofile}). {@code tostring}, {@code string.format}, {@code table.concat} and the argument
 * conversion of {@code redis.call} print numbers as C Lua does ({@code %.14g}), and so does the
 * {@code ..} operator, whose compiled code is rewritten ({@link Lua51Concat}). What stays LuaJ's:
 * some error texts of the VM and the compiler, and {@code goto} being reserved (see
 * docs/scripting.md).
 *
 * <h2>Sandbox</h2>
 * The globals table and every library table are read-only once built (a script cannot create a
 * global or patch a library; {@code rawset} and {@code setmetatable} too), reading an undefined
 * global is an error, and {@code load}/{@code loadstring} refuse precompiled bytecode.
 *
 * <h2>Stopping scripts</h2>
 * A debug hook (a {@link DebugLib} whose per-instruction callback counts down) calls
 * {@link ScriptHost#checkpoint} every {@link #CHECK_EVERY} instructions, which raises Redis's
 * "Script killed" error after SCRIPT KILL / FUNCTION KILL; {@code pcall} and {@code xpcall}
 * re-raise it, so a script cannot swallow its own kill.
 *
 * <p>Not thread-safe: one environment is used by one thread at a time (the script runner).
 */
public final class LuaEnvironment {
    static final int CHECK_EVERY = 10_000;
    private static final Pattern POSITION = Pattern.compile("^@?([^ \\n]*):(\\d+) ", Pattern.DOTALL);

    private final ReadOnlyTable globals = new ReadOnlyTable();
    private final ScriptHost host;
    private final Lrand48 random = new Lrand48();

    /**
     * Builds the environment; {@code host} serves the {@code redis} table's calls. The
     * environment of EVAL has the globals KEYS and ARGV ({@code forFunctions} false), that of
     * FUNCTION libraries not.
     */
    public LuaEnvironment(ScriptHost host, boolean forFunctions) {
        this.host = host;
        globals.load(new BaseLib());
        globals.load(new PackageLib());
        globals.load(new StringLib());
        globals.load(new TableLib());
        globals.load(new JseMathLib());
        globals.load(new CoroutineLib());
        globals.load(new Hook());
        LoadState.install(globals);
        LuaC.install(globals);
        Globals.Compiler luac = globals.compiler;
        globals.compiler = (stream, chunkName) -> compileWith(luac, stream.readAllBytes(), chunkName);
        LuaValue identity = function("errorfunc", args -> args.arg1());
        globals.running.errorfunc = identity;
        adaptBase();
        globals.rawset("string", readOnly(adaptString((LuaTable) globals.get("string"))));
        globals.rawset("table", readOnly(adaptTable((LuaTable) globals.get("table"))));
        globals.rawset("math", readOnly(adaptMath((LuaTable) globals.get("math"))));
        globals.rawset("coroutine", readOnly((LuaTable) globals.get("coroutine")));
        globals.rawset("redis", readOnly(redisTable()));
        globals.rawset("bit", readOnly(BitLib.table()));
        globals.rawset("cjson", readOnly(CjsonLib.table()));
        globals.rawset("cmsgpack", readOnly(CmsgpackLib.table()));
        globals.rawset("struct", readOnly(StructLib.table()));
        for (String name : new String[] {"package", "require", "module", "print", "rawlen", "dofile", "loadfile", "debug"}) {
            globals.rawset(name, LuaValue.NIL);
        }
        globals.rawset("_VERSION", LuaValue.valueOf("Lua 5.1"));
        if (!forFunctions) {
            globals.rawset("KEYS", new LuaTable());
            globals.rawset("ARGV", new LuaTable());
        }
        LuaTable stringMeta = new ReadOnlyTable();
        stringMeta.rawset(LuaValue.INDEX, globals.get("string"));
        LuaString.s_metatable = ((ReadOnlyTable) stringMeta).freeze();
        LuaTable meta = new LuaTable();
        meta.rawset(LuaValue.INDEX, function("__index", args -> {
            throw new LuaError("Script attempted to access nonexistent global variable '" + args.arg(2).tojstring() + "'");
        }));
        globals.setmetatable(meta);
        globals.freeze();
    }

    /** The global table (tests and the function loader read it). */
    Globals globals() {
        return globals;
    }

    /**
     * The globals of one FUNCTION library: while its body runs (FUNCTION LOAD) they hold only
     * the load API ({@code redis.register_function}, {@code redis.log} and constants); once
     * {@link #loaded} is called they read through to this environment's full globals, for the
     * library's functions and every helper its body defined. Read-only throughout.
     */
    ReadOnlyTable libraryGlobals() {
        ReadOnlyTable library = new ReadOnlyTable();
        library.debuglib = globals.debuglib;
        library.running = globals.running;
        LuaTable redis = new ReadOnlyTable();
        redis.rawset("register_function", function("register_function", args -> {
            host.registerFunction(args);
            return LuaValue.NONE;
        }));
        LuaTable full = (LuaTable) globals.get("redis");
        for (String name : new String[] {"log", "LOG_DEBUG", "LOG_VERBOSE", "LOG_NOTICE", "LOG_WARNING",
                "REDIS_VERSION", "REDIS_VERSION_NUM", "setresp"}) {
            redis.rawset(name, full.get(name));
        }
        redis.setmetatable(globals.getmetatable());
        ReadOnlyTable api = new ReadOnlyTable();
        api.rawset("redis", ((ReadOnlyTable) redis).freeze());
        api.setmetatable(globals.getmetatable());
        api.freeze();
        LuaTable meta = new LuaTable();
        meta.rawset(LuaValue.INDEX, api);
        library.setmetatable(meta);
        return library.freeze();
    }

    /** Switches a library's globals from its load API to the full environment. */
    void loaded(ReadOnlyTable library) {
        LuaTable meta = new LuaTable();
        meta.rawset(LuaValue.INDEX, globals);
        library.replaceMetatable(meta);
    }

    /** Compiles a library body and returns its main chunk bound to {@code library}'s globals. */
    LuaClosure closure(Prototype prototype, Globals library) {
        return new LuaClosure(prototype, library);
    }

    /** The {@code __redis__err__handler} position of an error: "@user_script:LINE" or null. */
    static String position(LuaError e) {
        String message = e.getMessage();
        if (message == null) {
            return null;
        }
        Matcher m = POSITION.matcher(message);
        return m.find() ? "@" + m.group(1) + ":" + m.group(2) : null;
    }

    /** The error value as Lua 5.1 shows it: LuaJ's "@chunk:N msg" becomes "chunk:N: msg". */
    static LuaValue errorValue(LuaError e) {
        LuaValue value = e.getMessageObject();
        if (value == null) {
            return LuaValue.NIL;
        }
        if (value.type() == LuaValue.TSTRING) {
            LuaString s = value.checkstring();
            String text = new String(s.m_bytes, s.m_offset, s.m_length, java.nio.charset.StandardCharsets.ISO_8859_1);
            Matcher m = POSITION.matcher(text);
            if (m.find()) {
                text = m.group(1) + ":" + m.group(2) + ": " + lua51Message(text.substring(m.end()));
                return LuaString.valueOf(text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        }
        return value;
    }

    private static final Pattern COMPARE = Pattern.compile("^attempt to compare (?:__lt|__le) on (\\w+) and (\\w+)$");
    private static final Pattern INDEX = Pattern.compile("^attempt to index \\? \\((a \\w+ value)\\)$");
    private static final Pattern CALL = Pattern.compile("^attempt to call (nil|boolean|number|string|table)$");

    /** LuaJ's wording of the VM's errors, in Lua 5.1's where the two differ only in form. */
    static String lua51Message(String message) {
        Matcher m = COMPARE.matcher(message);
        if (m.matches()) {
            return m.group(1).equals(m.group(2)) ? "attempt to compare two " + m.group(1) + " values"
                    : "attempt to compare " + m.group(1) + " with " + m.group(2);
        }
        m = INDEX.matcher(message);
        if (m.matches()) {
            return "attempt to index " + m.group(1);
        }
        m = CALL.matcher(message);
        if (m.matches()) {
            return "attempt to call a " + m.group(1) + " value";
        }
        return message;
    }

    /**
     * Compiles a script body; {@code chunkName} is "@user_script" for EVAL and
     * "@user_function" for FUNCTION LOAD. Throws {@link LuaError} with Lua's message.
     */
    Prototype compile(byte[] body, String chunkName) {
        if (body.length > 0 && body[0] == 0x1b) {
            throw new LuaError("Lua bytecode is not supported");
        }
        try {
            return globals.compilePrototype(new ByteArrayInputStream(body), chunkName);
        } catch (IOException e) {
            throw new LuaError(e.getMessage());
        }
    }

    /**
     * LuaJ's compiler, then the rewrites that give compiled code Lua 5.1's behaviour (plain calls
     * for tail calls, Lua 5.1's {@code ..}). Installed as the environment's compiler, so scripts,
     * libraries and {@code loadstring} all get them.
     */
    private static Prototype compileWith(Globals.Compiler luac, byte[] body, String chunkName) throws IOException {
        Prototype prototype;
        try {
            prototype = luac.compile(new ByteArrayInputStream(body), chunkName);
        } catch (LuaError e) {
            String lua51 = Lua51Syntax.check(body, chunkName);
            throw lua51 == null ? e : new LuaError(lua51);
        } catch (NumberFormatException e) {
            // LuaJ's lexer hands a numeral it cannot read to Double.parseDouble and lets it throw.
            String lua51 = Lua51Syntax.check(body, chunkName);
            throw new LuaError(lua51 != null ? lua51 : malformedNumber(body, chunkName, e));
        }
        withoutTailCalls(prototype);
        Lua51Concat.rewrite(prototype);
        return prototype;
    }

    /**
     * Lua 5.1's "malformed number near '3x'" for a numeral LuaJ's lexer failed on, with the line
     * of the numeral's first occurrence as a token.
     */
    static String malformedNumber(byte[] body, String chunkName, NumberFormatException e) {
        String message = String.valueOf(e.getMessage());
        int open = message.indexOf('"');
        int close = message.lastIndexOf('"');
        String numeral = open >= 0 && close > open ? message.substring(open + 1, close) : "";
        String chunk = chunkName.startsWith("@") ? chunkName.substring(1) : chunkName;
        byte[] token = numeral.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        int line = 1;
        for (int i = 0; i < body.length && i + token.length <= body.length; i++) {
            if (body[i] == '\n') {
                line++;
            } else if (token.length > 0 && (i == 0 || !numeralChar(body[i - 1])) && java.util.Arrays.equals(body, i, i + token.length, token, 0, token.length)) {
                break;
            }
        }
        return chunk + ":" + line + ": malformed number near '" + numeral + "'";
    }

    private static boolean numeralChar(byte b) {
        return b == '_' || b == '.' || (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z');
    }

    /**
     * Turns every tail call into a plain call (the RETURN that follows each one returns its
     * results unchanged). LuaJ runs a tail call after its caller's frame is gone, so an error
     * raised by {@code return redis.call(...)} would carry no script line; Redis reports one.
     * The cost: deep tail recursion uses Java stack.
     */
    private static void withoutTailCalls(Prototype prototype) {
        int[] code = prototype.code;
        for (int i = 0; i < code.length; i++) {
            if (Lua.GET_OPCODE(code[i]) == Lua.OP_TAILCALL) {
                code[i] = (code[i] & Lua.MASK_NOT_OP) | Lua.OP_CALL;
            }
        }
        for (Prototype nested : prototype.p) {
            withoutTailCalls(nested);
        }
    }

    /** A closure of a compiled script over the sandboxed globals. */
    LuaClosure closure(Prototype prototype) {
        return new LuaClosure(prototype, globals);
    }

    /** Sets KEYS and ARGV for the next script. */
    void arguments(LuaTable keys, LuaTable argv) {
        globals.setTrusted("KEYS", keys);
        globals.setTrusted("ARGV", argv);
    }

    // Base library: Lua 5.1's globals on top of LuaJ's.

    private void adaptBase() {
        LuaValue load = globals.get("load");
        LuaValue tostring = globals.get("tostring");
        globals.rawset("tostring", function("tostring", args -> {
            LuaValue v = args.checkvalue(1);
            if (v.type() == LuaValue.TNUMBER) {
                return LuaFormat.toLuaString(v);
            }
            return tostring.invoke(args);
        }));
        globals.rawset("__redis__err__handler", function("__redis__err__handler", args -> args.arg1()));
        globals.rawset("unpack", globals.get("table").get("unpack"));
        globals.rawset("loadstring", function("loadstring", args -> {
            LuaString chunk = args.checkstring(1);
            if (chunk.length() > 0 && chunk.luaByte(0) == 0x1b) {
                return LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf("attempt to load a binary chunk"));
            }
            LuaValue name = args.isnoneornil(2) ? chunk : args.arg(2);
            return load.invoke(LuaValue.varargsOf(new LuaValue[] {chunk, name, LuaValue.valueOf("t"), globals}));
        }));
        globals.rawset("load", function("load", args -> {
            LuaValue name = args.isnoneornil(2) ? LuaValue.valueOf("=(load)") : args.arg(2);
            return load.invoke(LuaValue.varargsOf(new LuaValue[] {args.arg1(), name, LuaValue.valueOf("t"), globals}));
        }));
        globals.rawset("gcinfo", function("gcinfo", args -> {
            Runtime rt = Runtime.getRuntime();
            return LuaValue.valueOf((int) ((rt.totalMemory() - rt.freeMemory()) / 1024));
        }));
        globals.rawset("pcall", function("pcall", args -> {
            LuaValue f = args.checkvalue(1);
            try {
                return LuaValue.varargsOf(LuaValue.TRUE, f.invoke(args.subargs(2)));
            } catch (LuaError e) {
                LuaValue error = caught(e);
                LuaValue err = error.istable() ? error.rawget("err") : LuaValue.NIL;
                return LuaValue.varargsOf(LuaValue.FALSE, err.type() == LuaValue.TSTRING ? err : error);
            } catch (StackOverflowError e) {
                return LuaValue.varargsOf(LuaValue.FALSE, LuaValue.valueOf("stack overflow"));
            }
        }));
        globals.rawset("xpcall", function("xpcall", args -> {
            LuaValue f = args.checkvalue(1);
            LuaValue handler = args.arg(2);
            try {
                return LuaValue.varargsOf(LuaValue.TRUE, f.invoke(LuaValue.NONE));
            } catch (LuaError e) {
                return LuaValue.varargsOf(LuaValue.FALSE, handler.call(caught(e)));
            } catch (StackOverflowError e) {
                return LuaValue.varargsOf(LuaValue.FALSE, handler.call(LuaValue.valueOf("stack overflow")));
            }
        }));
        LuaValue error = globals.get("error");
        globals.rawset("error", function("error", args -> {
            if (args.arg(2).isnumber() && args.arg(2).toint() == 0 || !args.arg1().isstring()) {
                throw new LuaError(args.arg1());
            }
            return error.invoke(args);
        }));
    }

    /** The value pcall returns for a caught error; a killed script's error is raised again. */
    private LuaValue caught(LuaError e) {
        if (host.killed()) {
            throw e;
        }
        return errorValue(e);
    }

    /** An error raised the way Redis's C functions raise theirs: a table {err="ERR ..."}, no position. */
    static LuaError redisError(String message) {
        LuaTable t = new LuaTable();
        t.rawset("err", LuaValue.valueOf("ERR " + message));
        return new LuaError(t);
    }

    private LuaTable adaptString(LuaTable string) {
        string.rawset("format", function("format", LuaFormat::format));
        for (String name : new String[] {"byte", "len", "lower", "rep", "reverse", "sub", "upper"}) {
            string.rawset(name, numbersAsText(name, string.get(name), 1));
        }
        for (String name : new String[] {"find", "match", "gmatch"}) {
            string.rawset(name, numbersAsText(name, string.get(name), 2));
        }
        string.rawset("gsub", numbersAsText("gsub", string.get("gsub"), 3));
        string.rawset("gfind", string.get("gmatch"));
        LuaValue dump = string.get("dump");
        string.rawset("dump", function("dump", args -> {
            LuaValue f = args.arg1();
            return dump.invoke(f instanceof LuaClosure closure
                    ? LuaValue.varargsOf(new LuaClosure(Lua51Concat.dumpable(closure.p), globals), args.subargs(2)) : args);
        }));
        return string;
    }

    /**
     * {@code library} with its first {@code textArguments} arguments, when they are non-integral
     * numbers, turned into text as Lua 5.1 does ({@code %.14g}; LuaJ's own conversion prints
     * {@code 0.33333334}). Integers print the same in both.
     */
    private static LuaValue numbersAsText(String name, LuaValue library, int textArguments) {
        return function(name, args -> {
            int n = Math.min(textArguments, args.narg());
            for (int i = 1; i <= n; i++) {
                LuaValue v = args.arg(i);
                if (v.type() == LuaValue.TNUMBER && !(v instanceof LuaInteger)) {
                    LuaValue[] values = new LuaValue[args.narg()];
                    for (int j = 0; j < values.length; j++) {
                        LuaValue arg = args.arg(j + 1);
                        values[j] = j < textArguments && arg.type() == LuaValue.TNUMBER && !(arg instanceof LuaInteger)
                                ? LuaFormat.toLuaString(arg) : arg;
                    }
                    return library.invoke(LuaValue.varargsOf(values));
                }
            }
            return library.invoke(args);
        });
    }

    private LuaTable adaptTable(LuaTable table) {
        table.rawset("pack", LuaValue.NIL);
        table.rawset("unpack", LuaValue.NIL);
        table.rawset("getn", function("getn", args -> LuaValue.valueOf(args.checktable(1).length())));
        table.rawset("setn", function("setn", args -> {
            throw new LuaError("'setn' is obsolete");
        }));
        table.rawset("maxn", function("maxn", args -> {
            LuaTable t = args.checktable(1);
            double max = 0;
            LuaValue k = LuaValue.NIL;
            while (true) {
                Varargs next = t.next(k);
                if ((k = next.arg1()).isnil()) {
                    break;
                }
                if (k.type() == LuaValue.TNUMBER && k.todouble() > max) {
                    max = k.todouble();
                }
            }
            return LuaValue.valueOf(max);
        }));
        table.rawset("foreach", function("foreach", args -> {
            LuaTable t = args.checktable(1);
            LuaFunction f = args.checkfunction(2);
            LuaValue k = LuaValue.NIL;
            while (true) {
                Varargs next = t.next(k);
                if ((k = next.arg1()).isnil()) {
                    return LuaValue.NONE;
                }
                LuaValue r = f.call(k, next.arg(2));
                if (!r.isnil()) {
                    return r;
                }
            }
        }));
        table.rawset("foreachi", function("foreachi", args -> {
            LuaTable t = args.checktable(1);
            LuaFunction f = args.checkfunction(2);
            int n = t.length();
            for (int i = 1; i <= n; i++) {
                LuaValue r = f.call(LuaValue.valueOf(i), t.get(i));
                if (!r.isnil()) {
                    return r;
                }
            }
            return LuaValue.NONE;
        }));
        table.rawset("concat", function("concat", args -> {
            LuaTable t = args.checktable(1);
            LuaString sep = args.isnoneornil(2) ? LuaValue.EMPTYSTRING : LuaFormat.toLuaString(args.arg(2));
            int from = args.optint(3, 1);
            int to = args.isnoneornil(4) ? t.length() : args.checkint(4);
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            for (int i = from; i <= to; i++) {
                LuaValue v = t.get(i);
                if (!v.isstring()) {
                    throw new LuaError("invalid value (" + v.typename() + ") at index " + i + " in table for 'concat'");
                }
                LuaString s = LuaFormat.toLuaString(v);
                out.write(s.m_bytes, s.m_offset, s.m_length);
                if (i < to) {
                    out.write(sep.m_bytes, sep.m_offset, sep.m_length);
                }
            }
            return LuaString.valueUsing(out.toByteArray());
        }));
        return table;
    }

    private LuaTable adaptMath(LuaTable math) {
        math.rawset("mod", math.get("fmod"));
        math.rawset("log10", function("log10", args -> LuaValue.valueOf(Math.log10(args.checkdouble(1)))));
        math.rawset("log", function("log", args -> LuaValue.valueOf(Math.log(args.checkdouble(1)))));
        math.rawset("pow", function("pow", args -> LuaValue.valueOf(Math.pow(args.checkdouble(1), args.checkdouble(2)))));
        math.rawset("random", function("random", this::random));
        math.rawset("randomseed", function("randomseed", args -> {
            random.seed(args.checkint(1));
            return LuaValue.NONE;
        }));
        return math;
    }

    /** Redis's math.random: its own lrand48, so every platform draws the same numbers. */
    private Varargs random(Varargs args) {
        double r = (double) (random.next() % Lrand48.MAX) / Lrand48.MAX;
        switch (args.narg()) {
            case 0:
                return LuaValue.valueOf(r);
            case 1: {
                int u = args.checkint(1);
                if (u < 1) {
                    throw new LuaError("bad argument #1 to 'random' (interval is empty)");
                }
                return LuaValue.valueOf(Math.floor(r * u) + 1);
            }
            case 2: {
                int l = args.checkint(1);
                int u = args.checkint(2);
                if (l > u) {
                    throw new LuaError("bad argument #2 to 'random' (interval is empty)");
                }
                return LuaValue.valueOf(Math.floor(r * (u - l + 1)) + l);
            }
            default:
                throw new LuaError("wrong number of arguments");
        }
    }

    // The redis table.

    private LuaTable redisTable() {
        LuaTable redis = new LuaTable();
        redis.rawset("call", function("call", args -> host.call(args, true)));
        redis.rawset("pcall", function("pcall", args -> host.call(args, false)));
        redis.rawset("error_reply", function("error_reply", args -> errorReply(args.checkjstring(1))));
        redis.rawset("status_reply", function("status_reply", args -> {
            LuaTable t = new LuaTable();
            t.rawset("ok", args.checkstring(1));
            return t;
        }));
        redis.rawset("sha1hex", function("sha1hex", args -> {
            if (args.narg() != 1) {
                throw redisError("wrong number of arguments");
            }
            return LuaValue.valueOf(ScriptCache.sha1(LuaFormat.toLuaString(args.arg1())));
        }));
        redis.rawset("log", function("log", args -> {
            if (args.narg() < 2) {
                throw redisError("redis.log() requires two arguments or more.");
            }
            if (!args.arg1().isnumber()) {
                throw redisError("First argument must be a number (log level).");
            }
            int level = args.arg1().toint();
            if (level < 0 || level > 3) {
                throw redisError("Invalid debug level.");
            }
            StringBuilder message = new StringBuilder();
            for (int i = 2; i <= args.narg(); i++) {
                if (i > 2) {
                    message.append(' ');
                }
                message.append(args.arg(i).isstring() ? LuaFormat.toLuaString(args.arg(i)).tojstring() : "");
            }
            host.log(level, message.toString());
            return LuaValue.NONE;
        }));
        redis.rawset("setresp", function("setresp", args -> {
            if (args.narg() != 1) {
                throw redisError("redis.setresp() requires one argument.");
            }
            int protocol = args.arg1().toint();
            if (protocol != 2 && protocol != 3) {
                throw redisError("RESP version must be 2 or 3.");
            }
            host.setResp(protocol);
            return LuaValue.NONE;
        }));
        redis.rawset("set_repl", function("set_repl", args -> {
            if (args.narg() != 1) {
                throw redisError("redis.set_repl() requires one argument.");
            }
            int flags = args.arg1().toint();
            if ((flags & ~3) != 0) {
                throw redisError("Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.");
            }
            host.setRepl(flags);
            return LuaValue.NONE;
        }));
        redis.rawset("replicate_commands", function("replicate_commands", args -> LuaValue.TRUE));
        redis.rawset("breakpoint", function("breakpoint", args -> LuaValue.FALSE));
        redis.rawset("debug", function("debug", args -> LuaValue.NONE));
        redis.rawset("acl_check_cmd", function("acl_check_cmd", args -> LuaValue.valueOf(host.aclCheck(args))));
        redis.rawset("LOG_DEBUG", LuaValue.valueOf(0));
        redis.rawset("LOG_VERBOSE", LuaValue.valueOf(1));
        redis.rawset("LOG_NOTICE", LuaValue.valueOf(2));
        redis.rawset("LOG_WARNING", LuaValue.valueOf(3));
        redis.rawset("REPL_NONE", LuaValue.valueOf(0));
        redis.rawset("REPL_AOF", LuaValue.valueOf(1));
        redis.rawset("REPL_SLAVE", LuaValue.valueOf(2));
        redis.rawset("REPL_REPLICA", LuaValue.valueOf(2));
        redis.rawset("REPL_ALL", LuaValue.valueOf(3));
        redis.rawset("REDIS_VERSION", LuaValue.valueOf(Version.REDIS_VERSION));
        redis.rawset("REDIS_VERSION_NUM", LuaValue.valueOf(versionNumber(Version.REDIS_VERSION)));
        return redis;
    }

    /** 7.2.4 -> 0x070204, as Redis's REDIS_VERSION_NUM. */
    static int versionNumber(String version) {
        String[] parts = version.split("\\.");
        return (Integer.parseInt(parts[0]) << 16) | (Integer.parseInt(parts[1]) << 8) | Integer.parseInt(parts[2]);
    }

    /**
     * redis.error_reply's table: "-CODE message" and "CODE message" keep their code, a message
     * of one word gets "ERR".
     */
    static LuaTable errorReply(String text) {
        String body = text.startsWith("-") ? text.substring(1) : text;
        int space = body.indexOf(' ');
        String err = space < 0 ? "ERR " + body : body;
        LuaTable t = new LuaTable();
        t.rawset("err", LuaValue.valueOf(err));
        return t;
    }

    private static ReadOnlyTable readOnly(LuaTable source) {
        ReadOnlyTable copy = new ReadOnlyTable();
        LuaValue k = LuaValue.NIL;
        while (true) {
            Varargs next = source.next(k);
            if ((k = next.arg1()).isnil()) {
                break;
            }
            copy.rawset(k, next.arg(2));
        }
        return copy.freeze();
    }

    /** A named Lua function calling {@code body}. */
    static LuaValue function(String name, Function<Varargs, Varargs> body) {
        return new VarArgFunction() {
            {
                this.name = name;
            }

            @Override
            public Varargs invoke(Varargs args) {
                return body.apply(args);
            }
        };
    }

    /**
     * The debug hook: LuaJ calls it on every instruction of closures of these globals; it only
     * counts down to the next {@link ScriptHost#checkpoint}. The call-stack bookkeeping of the
     * real debug library is skipped (scripts have no {@code debug} table).
     */
    private final class Hook extends DebugLib {
        private int countdown = CHECK_EVERY;

        @Override
        public void onCall(LuaFunction f) {
        }

        @Override
        public void onCall(LuaClosure c, Varargs varargs, LuaValue[] stack) {
        }

        @Override
        public void onInstruction(int pc, Varargs v, int top) {
            if (--countdown <= 0) {
                countdown = CHECK_EVERY;
                host.checkpoint();
            }
        }

        @Override
        public void onReturn() {
        }

        @Override
        public String traceback(int level) {
            return "";
        }
    }

}
