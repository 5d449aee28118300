package io.spinel.scripting;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.spinel.command.Client;
import io.spinel.command.InternalConnection;
import io.spinel.command.CommandFlag;
import io.spinel.command.CommandSpec;
import io.spinel.command.CommandTable;
import io.spinel.command.Dispatcher;
import io.spinel.command.Errors;
import io.spinel.command.FunctionStore;
import io.spinel.command.ScriptGate;
import io.spinel.command.ServerContext;
import io.spinel.resp.ReplyWriter;
import io.spinel.store.Database;
import io.spinel.store.Effects;
import io.spinel.store.Evictor;
import io.spinel.store.SlotLocks;
import io.spinel.types.Score;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.Varargs;

/**
 * Runs Lua scripts and functions, one at a time, on a thread of its own that holds the exclusive
 * keyspace lock meanwhile.
 *
 * <h2>Why a thread of its own</h2>
 * A script must be atomic for every key it touches, declared or not, so it runs under every slot
 * lock. Run on the caller's event loop, a slow script would also freeze every other connection
 * of that loop, including the one that would send SCRIPT KILL. Here the caller's connection is
 * blocked (its later requests wait, as for BLPOP), the job is queued, and the event loops stay
 * free: their other clients wait in {@link ScriptGate} and get BUSY once the script passes
 * busy-reply-threshold. Jobs queued while a batch runs are run under the same lock acquisition
 * (bounded in count and time), which amortizes taking the 16384 slot locks.
 *
 * <h2>Commands from scripts</h2>
 * {@code redis.call} runs handlers through {@link Dispatcher#callFromScript} with a client of the
 * runner's own (its database is the caller's at the start of each script; its protocol the one
 * chosen by {@code redis.setresp}); the handler's reply is read back from that client's buffer
 * and converted to Lua ({@link LuaReplies}). Redis's checks for scripts (unknown command, arity,
 * noscript, writes from read-only scripts) come first, with Redis's errors.
 *
 * <p>The job queue is thread-safe; everything else is used by the runner thread only, except the
 * kill request and the state {@link ScriptGate} publishes.
 */
public final class ScriptRunner implements ScriptHost, FunctionStore {
    private static final int BATCH_JOBS = 64;
    private static final long BATCH_NANOS = 1_000_000;
    private static final LuaString ERR = LuaString.valueOf("err");
    /** The status reply +OK, as a script would return it. */
    private static final LuaTable OK = LuaValue.tableOf(new LuaValue[] {LuaValue.valueOf("ok"), LuaValue.valueOf("OK")});

    /** What a job runs once the keyspace is locked: the script's main chunk or a function. */
    interface Invocation {
        LuaValue invoke(LuaEnvironment env);
    }

    /**
     * A queued script run (its caller, database, name in errors: "sha" or function name, and
     * body), or with {@code transaction} set an EXEC whose queued commands include scripts.
     */
    /**
     * A script or EXEC to run for {@code caller}; {@code silent} when the caller's reply mode
     * (CLIENT REPLY OFF or SKIP) was not ON when it was called, so its reply is dropped.
     */
    private record Job(Client caller, Database db, int protocol, String name, boolean function,
                       boolean readOnly, int flags, boolean outOfMemory, Invocation invocation, Runnable transaction,
                       boolean silent) {
    }

    private final ServerContext server;
    private final Dispatcher dispatcher;
    private final CommandTable table;
    private final SlotLocks locks;
    private final ScriptGate gate;
    private final ScriptCache cache = new ScriptCache();
    private final LuaEnvironment env;
    private final LuaEnvironment functionEnv;
    private final FunctionLibraries libraries = new FunctionLibraries();
    private final LinkedBlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final Client scriptClient;
    private final ByteBuf scratch = Unpooled.buffer(256);

    private volatile Job current;
    /** The EXEC job running on this thread, or null. Runner thread only. */
    private Job transaction;
    /** The job SCRIPT KILL / FUNCTION KILL asked to stop. */
    private volatile Job killTarget;
    /** The functions registered so far by the library body being loaded; null when none loads. */
    private Map<String, FunctionLibraries.Function> registering;
    private String loadingLibrary;
    private int resp = 2;
    private volatile boolean wrote;
    private volatile boolean stopped;

    public ScriptRunner(ServerContext server, Dispatcher dispatcher) {
        this.server = server;
        this.dispatcher = dispatcher;
        this.table = server.commands();
        this.locks = server.keyspace().locks();
        this.gate = server.scriptGate();
        this.env = new LuaEnvironment(this, false);
        this.functionEnv = new LuaEnvironment(this, true);
        ReplyWriter writer = new ReplyWriter(server.stats()::errorReplied);
        writer.target(scratch);
        this.scriptClient = new Client(0, new InternalConnection(() -> writer), writer, server.keyspace().database(0), true,
                server.clock().millis());
        this.thread = new Thread(null, this::loop, "spinel-lua", 64L << 20);
        thread.setDaemon(true);
    }

    /** The FUNCTION libraries. */
    public FunctionLibraries libraries() {
        return libraries;
    }

    /** The EVAL script cache. */
    public ScriptCache cache() {
        return cache;
    }

    /** Stops the runner thread (server shutdown); queued jobs are dropped. */
    public void close() {
        stopped = true;
        thread.interrupt();
    }

    /**
     * Compiles and caches an EVAL body (EVAL, SCRIPT LOAD). Throws {@link IllegalArgumentException}
     * with Redis's error for a bad shebang or a body that does not compile. Thread-safe.
     */
    public Script load(byte[] body) {
        String sha = ScriptCache.sha1(body);
        Script cached = cache.get(sha);
        if (cached != null) {
            return cached;
        }
        int flags = ScriptFlags.ofShebang(body);
        int shebang = ScriptFlags.shebangLength(body);
        if (shebang > 0 && shebang == body.length) {
            throw new IllegalArgumentException(Errors.INVALID_SHEBANG);
        }
        Prototype prototype;
        try {
            prototype = env.compile(withoutShebang(body), "@user_script");
        } catch (LuaError e) {
            throw new IllegalArgumentException(Errors.scriptCompile(compileMessage(e)));
        }
        Script script = new Script(sha, body, prototype, flags);
        cache.put(script);
        return script;
    }

    /** The body with its shebang line turned into a comment, so line numbers stay those of the body. */
    private static byte[] withoutShebang(byte[] body) {
        if (ScriptFlags.shebangLength(body) == 0) {
            return body;
        }
        byte[] source = body.clone();
        source[0] = '-';
        source[1] = '-';
        return source;
    }

    /** LuaJ's compiler message in Lua 5.1's words where they differ. */
    static String compileMessage(LuaError e) {
        String message = String.valueOf(e.getMessage());
        return message.replaceAll("unexpected symbol 286 \\(.*?\\)$", "unexpected symbol near '<eof>'");
    }

    /**
     * Runs an EVAL script for {@code caller}: blocks the caller's connection, queues the run and
     * writes its reply when it is done. Called on the caller's event loop.
     */
    public void eval(Client caller, Script script, byte[][] keys, byte[][] args, boolean readOnly) {
        boolean scriptReadOnly = readOnly || (script.flags() & ScriptFlags.NO_WRITES) != 0;
        submit(caller, script.sha(), false, scriptReadOnly, script.flags(), env -> {
            env.arguments(table(keys), table(args));
            return env.closure(script.prototype()).call();
        });
    }

    /**
     * FUNCTION LOAD: runs the library body on the runner (its registrations need the Lua
     * environment) and replies the library name or Redis's error. Called on the caller's event loop.
     */
    public void functionLoad(Client caller, byte[] code, boolean replace, byte[][] argv) {
        String name;
        try {
            name = FunctionLibraries.libraryName(code);
        } catch (IllegalArgumentException e) {
            caller.reply().error(e.getMessage());
            return;
        }
        submit(caller, name, true, false, ScriptFlags.ALLOW_OOM, environment -> loadLibrary(name, code, replace, argv));
    }

    /** FCALL / FCALL_RO: runs a registered function. Called on the caller's event loop. */
    public void fcall(Client caller, FunctionLibraries.Function function, byte[][] keys, byte[][] args) {
        boolean readOnly = (function.flags() & ScriptFlags.NO_WRITES) != 0;
        submit(caller, function.name(), true, readOnly, function.flags(), environment -> function.callback().call(table(keys), table(args)));
    }

    /** Runs a library body under its load API, then installs what it registered. Runner thread. */
    private LuaValue loadLibrary(String name, byte[] code, boolean replace, byte[][] argv) {
        String error = libraries.install(compileLibrary(name, code), replace);
        if (error != null) {
            throw plainError(error);
        }
        server.keyspace().effects().emit(Effects.NO_DB, argv); // the command, as Redis propagates it
        return LuaValue.valueOf(name);
    }

    /**
     * Compiles a library body and runs it under its load API: the library with the functions it
     * registered, or a LuaError with Redis's error. Runs where Lua may run: on the runner thread,
     * or on a thread holding the keyspace lock (which the runner then cannot hold).
     */
    private FunctionLibraries.Library compileLibrary(String name, byte[] code) {
        Prototype prototype;
        try {
            prototype = functionEnv.compile(withoutShebang(code), "@user_function");
        } catch (LuaError e) {
            throw plainError("ERR Error compiling function: " + compileMessage(e));
        }
        ReadOnlyTable globals = functionEnv.libraryGlobals();
        registering = new LinkedHashMap<>();
        loadingLibrary = name;
        Map<String, FunctionLibraries.Function> registered;
        try {
            functionEnv.closure(prototype, globals).call();
            registered = registering;
        } catch (LuaError e) {
            throw plainError("ERR Error registering functions: " + message(e));
        } finally {
            registering = null;
            loadingLibrary = null;
        }
        if (registered.isEmpty()) {
            throw plainError("ERR No functions registered");
        }
        functionEnv.loaded(globals);
        return new FunctionLibraries.Library(name, code, registered);
    }

    /**
     * Compiles every library of {@code codes} as FUNCTION RESTORE does: each must load on its
     * own and none may repeat a library or function name of another. Throws a LuaError with
     * Redis's error for the first that fails.
     */
    private List<FunctionLibraries.Library> compileLibraries(List<byte[]> codes) {
        FunctionLibraries staging = new FunctionLibraries();
        for (byte[] code : codes) {
            String name;
            try {
                name = FunctionLibraries.libraryName(code);
            } catch (IllegalArgumentException e) {
                throw plainError(e.getMessage());
            }
            String error = staging.install(compileLibrary(name, code), false);
            if (error != null) {
                throw plainError(error);
            }
        }
        return staging.libraries();
    }

    // FunctionStore

    @Override
    public List<byte[]> codes() {
        List<byte[]> codes = new ArrayList<>();
        for (FunctionLibraries.Library library : libraries.libraries()) {
            codes.add(library.code());
        }
        return codes;
    }

    @Override
    public void restore(Client caller, List<byte[]> codes, String payloadError, FunctionStore.RestorePolicy policy, byte[][] argv) {
        submit(caller, "", true, false, ScriptFlags.ALLOW_OOM, environment -> {
            List<FunctionLibraries.Library> restored = compileLibraries(codes);
            String error = payloadError != null ? payloadError : libraries.restore(restored, policy);
            if (error != null) {
                throw plainError(error);
            }
            server.keyspace().effects().emit(Effects.NO_DB, argv);
            return OK;
        });
    }

    @Override
    public String load(List<byte[]> codes) {
        locks.lockAll();
        try {
            libraries.restore(compileLibraries(codes), FunctionStore.RestorePolicy.FLUSH);
            return null;
        } catch (LuaError e) {
            return message(e);
        } finally {
            locks.unlockAll();
        }
    }

    /** An error reply raised from Java outside the script: no script position is added. */
    private static LuaError plainError(String message) {
        LuaTable t = new LuaTable();
        t.rawset(ERR, LuaString.valueUsing(message.getBytes(StandardCharsets.ISO_8859_1))); // bytes as they came
        return new LuaError(t);
    }

    /** A Lua error as Redis's message: the err field of an error table, else "ERR " and the value. */
    private static String message(LuaError e) {
        LuaValue value = LuaEnvironment.errorValue(e);
        if (value.istable() && value.rawget(ERR).type() == LuaValue.TSTRING) {
            return LuaReplies.latin1(value.rawget(ERR));
        }
        if (value.type() == LuaValue.TSTRING || value.type() == LuaValue.TNUMBER) {
            return "ERR " + LuaReplies.latin1(LuaFormat.toLuaString(value));
        }
        return "ERR " + value.tojstring();
    }

    /**
     * Runs a script for {@code caller}: on the runner thread at once when EXEC runs there, else
     * queued. Memory is checked first, as Redis checks it before running a script (its
     * pre_command_oom_state): a script with flags (a shebang, or a function) that may write and
     * lacks allow-oom is refused when memory is over maxmemory with nothing left to evict; a
     * script without flags runs, and its first denyoom {@code redis.call} fails instead.
     */
    private void submit(Client caller, String name, boolean function, boolean readOnly, int flags, Invocation invocation) {
        boolean inExec = Thread.currentThread() == thread;
        boolean outOfMemory = inExec ? transaction.outOfMemory() : outOfMemory();
        if (outOfMemory && (flags & (ScriptFlags.EVAL_COMPAT | ScriptFlags.ALLOW_OOM | ScriptFlags.NO_WRITES)) == 0) {
            // Outside EXEC the command itself is refused, as Redis's processCommand refuses a
            // script whose flags make it denyoom; inside, the script is (scriptPrepareForRun).
            caller.reply().error(inExec ? Errors.SCRIPT_OOM : Errors.OOM);
            return;
        }
        Job job = new Job(caller, caller.db(), caller.reply().protocol(), name, function, readOnly, flags, outOfMemory,
                invocation, null, caller.replyMode() != Client.ReplyMode.ON);
        if (inExec) {
            runInTransaction(job); // a script queued in MULTI: EXEC runs here, under the keyspace lock
            return;
        }
        enqueue(job);
    }

    /**
     * Whether memory is over maxmemory with nothing left to evict, after evicting what can be.
     * Called on an event loop holding no slot lock (eviction takes them).
     */
    private boolean outOfMemory() {
        return server.config().maxmemory.value() != 0 && server.keyspace().evictor().perform() == Evictor.Result.FAIL;
    }

    /**
     * Runs EXEC for {@code caller} on the runner: blocks the caller's connection and queues
     * {@code exec}, which runs the transaction's commands (scripts among them) under the
     * keyspace lock, its replies going to a buffer that becomes EXEC's reply. Called on the
     * caller's event loop by EXEC when a queued command is a script.
     *
     * <p>Why here: a script inside EXEC must be atomic with the other queued commands and reply
     * in its place, and only the runner may run Lua and take the keyspace lock past the script
     * gate (so that no event loop ever waits in a slot lock behind a script that does not end).
     */
    public void exec(Client caller, Runnable exec) {
        enqueue(new Job(caller, caller.db(), caller.reply().protocol(), "", false, false, 0, outOfMemory(), null, exec,
                caller.replyMode() != Client.ReplyMode.ON));
    }

    private void enqueue(Job job) {
        if (!thread.isAlive() && !stopped) {
            synchronized (thread) {
                if (thread.getState() == Thread.State.NEW) {
                    thread.start();
                }
            }
        }
        job.caller().connection().block(0, r -> { });
        queue.add(job);
    }

    private static LuaTable table(byte[][] values) {
        LuaTable t = new LuaTable(values.length, 0);
        for (int i = 0; i < values.length; i++) {
            t.rawset(i + 1, LuaString.valueUsing(values[i]));
        }
        return t;
    }

    /** The running script for FUNCTION STATS: its name and elapsed milliseconds, or null. */
    public String[] running() {
        Job job = current;
        return job == null ? null : new String[] {job.name(), Long.toString(gate.elapsedMillis())};
    }

    /**
     * SCRIPT KILL ({@code function} false) or FUNCTION KILL: null when the running script will
     * stop, else the error to reply.
     */
    public String kill(boolean function) {
        Job job = current;
        if (job == null || !gate.running()) {
            return Errors.NOTBUSY;
        }
        if (wrote) {
            return Errors.UNKILLABLE;
        }
        if (job.function() != function) {
            return function ? ScriptGate.BUSY_EVAL : ScriptGate.BUSY_FUNCTION;
        }
        killTarget = job;
        return null;
    }

    private void loop() {
        while (!stopped) {
            Job job;
            try {
                job = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            gate.started(job.function());
            gate.awaitIdle();
            locks.lockAll();
            try {
                long batchStart = System.nanoTime();
                int ran = 0;
                do {
                    run(job);
                } while (++ran < BATCH_JOBS && System.nanoTime() - batchStart < BATCH_NANOS
                        && (job = queue.poll()) != null);
            } finally {
                locks.unlockAll();
                gate.finished();
            }
            server.blocking().serveReady();
        }
    }

    /** Runs one job under the keyspace lock and hands its reply to the caller's event loop. */
    private void run(Job job) {
        ByteBuf out = Unpooled.buffer(64);
        ReplyWriter writer = new ReplyWriter(server.stats()::errorReplied);
        writer.protocol(job.protocol());
        writer.target(out);
        if (job.transaction() != null) {
            runTransaction(job, writer);
        } else {
            runScript(job, writer);
        }
        byte[] reply = new byte[out.readableBytes()];
        out.readBytes(reply);
        job.caller().connection().unblock(job.silent() ? r -> { } : r -> r.raw(reply));
    }

    /**
     * Runs an EXEC job: the caller's commands write to {@code writer} meanwhile (its connection is
     * blocked, so nothing else writes there; what its event loop delivers goes to the connection's
     * own writer), and a protocol change (HELLO in the transaction) is kept.
     */
    private void runTransaction(Job job, ReplyWriter writer) {
        Client caller = job.caller();
        ReplyWriter connectionWriter = caller.redirectReplies(writer);
        transaction = job;
        try {
            job.transaction().run();
        } catch (RuntimeException e) {
            // A bug outside any handler (those are caught by the dispatcher): one error, the runner lives on.
            writer.target().clear();
            writer.error(Errors.INTERNAL);
            server.reportUnexpected("exec", e);
        } finally {
            transaction = null;
            caller.redirectReplies(connectionWriter);
            connectionWriter.protocol(writer.protocol());
        }
    }

    /** A script of a transaction that EXEC runs on this thread: its reply goes in its place in EXEC's. */
    private void runInTransaction(Job job) {
        runScript(job, job.caller().reply());
    }

    /** Runs a script job and writes its reply or error to {@code writer}. */
    private void runScript(Job job, ReplyWriter writer) {
        ByteBuf out = writer.target();
        int mark = out.writerIndex();
        current = job;
        resp = 2;
        wrote = false;
        scriptClient.select(job.db());
        scriptClient.reply().protocol(2);
        gate.started(job.function());
        boolean unit = server.keyspace().effects().enter(); // a script propagates its effects as one MULTI/EXEC unit
        try {
            LuaValue result = job.invocation().invoke(env);
            LuaReplies.toResp(result, writer, resp);
        } catch (LuaError e) {
            out.writerIndex(mark);
            writer.error(errorText(e, job.name()));
        } catch (StackOverflowError e) {
            out.writerIndex(mark);
            writer.error("ERR Error running script, stack overflow script: " + job.name());
        } catch (RuntimeException e) {
            // A bug in the engine or here: one error reply, and the runner thread lives on.
            out.writerIndex(mark);
            writer.error(Errors.INTERNAL);
            server.reportUnexpected(job.function() ? "fcall" : "eval", e);
        } finally {
            server.keyspace().effects().exit(unit);
            current = null;
            gate.scriptDone();
        }
    }

    /** The error reply of a script that raised: Redis's "message script: name, on @chunk:line." */
    static String errorText(LuaError e, String name) {
        String message = message(e);
        if (message.startsWith("-")) {
            message = message.substring(1);
        }
        String position = LuaEnvironment.position(e);
        return position == null ? message : message + " script: " + name + ", on " + position + ".";
    }

    // ScriptHost: called on the runner thread while a script runs.

    @Override
    public LuaValue call(Varargs args, boolean raise) {
        int n = args.narg();
        if (n == 0) {
            return fail(Errors.SCRIPT_NO_ARGUMENTS, raise);
        }
        byte[][] argv = new byte[n][];
        for (int i = 0; i < n; i++) {
            LuaValue v = args.arg(i + 1);
            if (v.type() == LuaValue.TSTRING) {
                LuaString s = (LuaString) v;
                argv[i] = new byte[s.m_length];
                System.arraycopy(s.m_bytes, s.m_offset, argv[i], 0, s.m_length);
            } else if (v.type() == LuaValue.TNUMBER) {
                argv[i] = Score.format(v.todouble()).getBytes(StandardCharsets.ISO_8859_1);
            } else {
                return fail(Errors.SCRIPT_BAD_ARGUMENTS, raise);
            }
        }
        CommandSpec command = table.lookup(argv[0]);
        if (command != null && command.isContainer() && n > 1) {
            command = table.lookupSubcommand(command, argv[1]);
        }
        if (command == null) {
            return fail(Errors.SCRIPT_UNKNOWN_COMMAND, raise);
        }
        int arity = command.arity();
        if ((arity > 0 && arity != n) || n < -arity) {
            return fail(Errors.SCRIPT_WRONG_ARITY, raise);
        }
        if (command.has(CommandFlag.NOSCRIPT)) {
            return fail(Errors.SCRIPT_NOT_ALLOWED, raise);
        }
        if (command.has(CommandFlag.WRITE) && current.readOnly()) {
            return fail(Errors.SCRIPT_READ_ONLY, raise);
        }
        // Memory as it was when the script started; once it wrote, it may not fail half way.
        if (command.has(CommandFlag.DENYOOM) && current.outOfMemory() && !wrote
                && (current.flags() & ScriptFlags.ALLOW_OOM) == 0) {
            return fail(Errors.OOM, raise);
        }
        if (command.has(CommandFlag.WRITE)) {
            wrote = true;
        }
        scratch.clear();
        dispatcher.callFromScript(scriptClient, current.caller(), command, argv);
        if (server.blocking().isBlocked(scriptClient)) {
            server.blocking().unblock(scriptClient, false);
        }
        LuaValue reply = LuaReplies.fromResp(scratch);
        if (raise && reply.istable() && reply.rawget(ERR).type() == LuaValue.TSTRING) {
            throw new LuaError(reply);
        }
        return reply;
    }

    /** A failed redis.call raises an error table; redis.pcall returns it. */
    private static LuaValue fail(String error, boolean raise) {
        LuaTable t = new LuaTable();
        t.rawset(ERR, LuaValue.valueOf(error));
        if (raise) {
            throw new LuaError(t);
        }
        return t;
    }

    @Override
    public void log(int level, String message) {
        server.log(level, message);
    }

    @Override
    public void setResp(int protocol) {
        resp = protocol;
        scriptClient.reply().protocol(protocol);
    }

    @Override
    public void setRepl(int flags) {
        // Effects are what a script replicates in Redis 7; there is no replication stream to filter yet.
    }

    /** Every known command is allowed: the only user is the default one, who may run everything. */
    @Override
    public boolean aclCheck(Varargs args) {
        if (args.narg() == 0) {
            throw LuaEnvironment.redisError("Please specify at least one argument for this redis lib call");
        }
        if (table.lookup(LuaReplies.latin1(args.arg1()).getBytes(StandardCharsets.ISO_8859_1)) == null) {
            throw LuaEnvironment.redisError("Invalid command passed to redis.acl_check_cmd()");
        }
        return true;
    }

    /** redis.register_function(name, callback) or redis.register_function{function_name=..., ...}. */
    @Override
    public void registerFunction(Varargs args) {
        if (registering == null) {
            throw LuaEnvironment.redisError("redis.register_function can only be called on FUNCTION LOAD command");
        }
        LuaValue name;
        LuaValue callback;
        LuaValue description = LuaValue.NIL;
        int flags = 0;
        if (args.narg() == 1) {
            if (!args.arg1().istable()) {
                throw LuaEnvironment.redisError("calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).");
            }
            LuaTable named = (LuaTable) args.arg1();
            name = LuaValue.NIL;
            callback = LuaValue.NIL;
            LuaValue k = LuaValue.NIL;
            while (true) {
                Varargs next = named.next(k);
                if ((k = next.arg1()).isnil()) {
                    break;
                }
                LuaValue v = next.arg(2);
                switch (k.isstring() ? k.tojstring() : "") {
                    case "function_name" -> {
                        if (!v.isstring()) {
                            throw LuaEnvironment.redisError("function_name argument given to redis.register_function must be a string");
                        }
                        name = LuaFormat.toLuaString(v);
                    }
                    case "description" -> {
                        if (!v.isstring()) {
                            throw LuaEnvironment.redisError("description argument given to redis.register_function must be a string");
                        }
                        description = LuaFormat.toLuaString(v);
                    }
                    case "callback" -> {
                        if (!v.isfunction()) {
                            throw LuaEnvironment.redisError("callback argument given to redis.register_function must be a function");
                        }
                        callback = v;
                    }
                    case "flags" -> flags = functionFlags(v);
                    default -> throw LuaEnvironment.redisError("unknown argument given to redis.register_function");
                }
            }
            if (name.isnil()) {
                throw LuaEnvironment.redisError("redis.register_function must get a function name argument");
            }
            if (callback.isnil()) {
                throw LuaEnvironment.redisError("redis.register_function must get a callback argument");
            }
        } else {
            if (args.narg() != 2) {
                throw LuaEnvironment.redisError("wrong number of arguments to redis.register_function");
            }
            name = args.arg1();
            callback = args.arg(2);
            if (!name.isstring()) {
                throw LuaEnvironment.redisError("first argument to redis.register_function must be a string");
            }
            name = LuaFormat.toLuaString(name);
            if (!callback.isfunction()) {
                throw LuaEnvironment.redisError("second argument to redis.register_function must be a function");
            }
        }
        String functionName = LuaReplies.latin1(name);
        if (!FunctionLibraries.validName(functionName)) {
            throw LuaEnvironment.redisError("Function names can only contain letters, numbers, or underscores(_) and must be at least one character long");
        }
        if (registering.containsKey(functionName)) {
            throw LuaEnvironment.redisError("Function already exists in the library");
        }
        registering.put(functionName, new FunctionLibraries.Function(functionName, loadingLibrary, callback,
                description.isnil() ? null : LuaReplies.latin1(description), flags));
    }

    private static int functionFlags(LuaValue v) {
        if (!v.istable()) {
            throw LuaEnvironment.redisError("flags argument to redis.register_function must be a table representing function flags");
        }
        int flags = 0;
        for (int i = 1; !v.get(i).isnil(); i++) {
            LuaValue flag = v.get(i);
            int bit = flag.type() == LuaValue.TSTRING ? ScriptFlags.named(LuaReplies.latin1(flag)) : 0;
            if (bit == 0) {
                throw LuaEnvironment.redisError("unknown flag given");
            }
            flags |= bit;
        }
        return flags;
    }

    @Override
    public void checkpoint() {
        if (killed()) {
            LuaTable t = new LuaTable();
            t.rawset(ERR, LuaValue.valueOf(Errors.SCRIPT_KILLED));
            throw new LuaError(t);
        }
    }

    /** Whether the running script was killed, or the server is closing (SHUTDOWN NOSAVE stops any script). */
    @Override
    public boolean killed() {
        Job job = current;
        return job != null && (killTarget == job || gate.stopping());
    }
}
