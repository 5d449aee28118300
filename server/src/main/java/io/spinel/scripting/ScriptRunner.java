package io.spinel.scripting;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.spinel.command.Client;
import io.spinel.command.CommandFlag;
import io.spinel.command.CommandSpec;
import io.spinel.command.CommandTable;
import io.spinel.command.Dispatcher;
import io.spinel.command.Errors;
import io.spinel.command.ScriptGate;
import io.spinel.command.ServerContext;
import io.spinel.resp.ReplyWriter;
import io.spinel.store.Database;
import io.spinel.store.SlotLocks;
import io.spinel.types.Score;
import java.nio.charset.StandardCharsets;
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
public final class ScriptRunner implements ScriptHost {
    private static final int BATCH_JOBS = 64;
    private static final long BATCH_NANOS = 1_000_000;
    private static final LuaString ERR = LuaString.valueOf("err");

    /** What a job runs once the keyspace is locked: the script's main chunk or a function. */
    interface Invocation {
        LuaValue invoke(LuaEnvironment env);
    }

    /** A queued script run: its caller, database, name in errors ("sha" or function name) and body. */
    private record Job(Client caller, Database db, int protocol, String name, boolean function,
                       boolean readOnly, Invocation invocation, Consumer<ReplyWriter> done) {
    }

    private final ServerContext server;
    private final Dispatcher dispatcher;
    private final CommandTable table;
    private final SlotLocks locks;
    private final ScriptGate gate;
    private final ScriptCache cache = new ScriptCache();
    private final LuaEnvironment env;
    private final LinkedBlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final Client scriptClient;
    private final ByteBuf scratch = Unpooled.buffer(256);

    private Job current;
    private int resp = 2;
    private volatile boolean wrote;
    private volatile boolean killRequested;
    private volatile boolean stopped;

    public ScriptRunner(ServerContext server, Dispatcher dispatcher) {
        this.server = server;
        this.dispatcher = dispatcher;
        this.table = server.commands();
        this.locks = server.keyspace().locks();
        this.gate = server.scriptGate();
        this.env = new LuaEnvironment(this);
        ReplyWriter writer = new ReplyWriter(server.stats()::errorReplied);
        writer.target(scratch);
        this.scriptClient = new Client(0, new ScriptConnection(), writer, server.keyspace().database(0), true,
                server.clock().millis());
        this.thread = new Thread(null, this::loop, "spinel-lua", 64L << 20);
        thread.setDaemon(true);
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
        byte[] source = body;
        if (shebang > 0) {
            source = body.clone();
            source[0] = '-';
            source[1] = '-';
        }
        Prototype prototype;
        try {
            prototype = env.compile(source, "@user_script");
        } catch (LuaError e) {
            throw new IllegalArgumentException(Errors.scriptCompile(compileMessage(e)));
        }
        Script script = new Script(sha, body, prototype, flags);
        cache.put(script);
        return script;
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
        submit(caller, script.sha(), false, scriptReadOnly, env -> {
            env.arguments(table(keys), table(args));
            return env.closure(script.prototype()).call();
        });
    }

    private void submit(Client caller, String name, boolean function, boolean readOnly, Invocation invocation) {
        if (!thread.isAlive() && !stopped) {
            synchronized (thread) {
                if (thread.getState() == Thread.State.NEW) {
                    thread.start();
                }
            }
        }
        caller.connection().block(0, r -> { });
        queue.add(new Job(caller, caller.db(), caller.reply().protocol(), name, function, readOnly, invocation, null));
    }

    private static LuaTable table(byte[][] values) {
        LuaTable t = new LuaTable(values.length, 0);
        for (int i = 0; i < values.length; i++) {
            t.rawset(i + 1, LuaString.valueUsing(values[i]));
        }
        return t;
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
        killRequested = true;
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
        current = job;
        resp = 2;
        wrote = false;
        killRequested = false;
        scriptClient.select(job.db());
        scriptClient.reply().protocol(2);
        gate.started(job.function());
        try {
            LuaValue result = job.invocation().invoke(env);
            LuaReplies.toResp(result, writer, resp);
        } catch (LuaError e) {
            out.clear();
            writer.error(errorText(e, job.name()));
        } catch (StackOverflowError e) {
            out.clear();
            writer.error("ERR Error running script, stack overflow script: " + job.name());
        } finally {
            gate.finished();
            current = null;
        }
        byte[] reply = new byte[out.readableBytes()];
        out.readBytes(reply);
        job.caller().connection().unblock(r -> r.raw(reply));
    }

    /** The error reply of a script that raised: Redis's "message script: name, on @chunk:line." */
    static String errorText(LuaError e, String name) {
        LuaValue value = LuaEnvironment.errorValue(e);
        String message;
        if (value.istable() && value.rawget(ERR).type() == LuaValue.TSTRING) {
            message = LuaReplies.latin1(value.rawget(ERR));
        } else if (value.type() == LuaValue.TSTRING || value.type() == LuaValue.TNUMBER) {
            message = "ERR " + LuaReplies.latin1(LuaFormat.toLuaString(value));
        } else {
            message = "ERR " + value.tojstring();
        }
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
        if (command.has(CommandFlag.WRITE)) {
            if (current.readOnly()) {
                return fail(Errors.SCRIPT_READ_ONLY, raise);
            }
            wrote = true;
        }
        scratch.clear();
        dispatcher.callFromScript(scriptClient, command, argv);
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

    @Override
    public void registerFunction(Varargs args) {
        throw new LuaError("redis.register_function can only be called on FUNCTION LOAD command");
    }

    @Override
    public void checkpoint() {
        if (killRequested) {
            LuaTable t = new LuaTable();
            t.rawset(ERR, LuaValue.valueOf(Errors.SCRIPT_KILLED));
            throw new LuaError(t);
        }
    }

    @Override
    public boolean killed() {
        return killRequested;
    }

    /** The connection of the runner's own client: nothing to send to, never blocks. */
    private final class ScriptConnection implements Client.Connection {
        @Override
        public String remoteAddress() {
            return "";
        }

        @Override
        public String localAddress() {
            return "";
        }

        @Override
        public boolean isLocal() {
            return true;
        }

        @Override
        public void closeAfterReply() {
        }

        @Override
        public long pendingOutputBytes() {
            return 0;
        }

        @Override
        public int queryBufferBytes() {
            return 0;
        }

        @Override
        public void block(long timeoutMillis, Consumer<ReplyWriter> onTimeout) {
        }

        @Override
        public void unblock(Consumer<ReplyWriter> reply) {
            reply.accept(scriptClient.reply());
        }

        @Override
        public boolean blocked() {
            return false;
        }
    }
}
