package io.spinel.command;

import io.spinel.config.Config;
import io.spinel.config.OomScoreAdj;
import io.spinel.store.Clock;
import io.spinel.store.ExpireCycle;
import io.spinel.store.Keyspace;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Everything a command handler may reach beyond its client: the keyspace, the configuration, the
 * command table, the connected clients and the server-wide statistics. One per server instance
 * (several can live in one JVM). Thread-safe.
 */
public final class ServerContext {
    private final Config config;
    private final Keyspace keyspace;
    private final ExpireCycle expireCycle;
    private final CommandTable commands = new CommandTable();
    private final ServerStats stats = new ServerStats();
    private final Diagnostics diagnostics = new Diagnostics();
    private final Map<Long, Client> clients = new ConcurrentHashMap<>();
    private final AtomicLong nextClientId = new AtomicLong(1);
    private final long startMillis;
    private final String runId;
    private volatile String replicationId = randomHex(40);
    /** DEBUG PAUSE-CRON: whether the server cron skips its work. */
    private volatile boolean cronPaused;
    private volatile java.util.function.BiConsumer<String, RuntimeException> unexpected =
            (command, e) -> e.printStackTrace();
    private volatile Runnable shutdown = () -> { };
    private volatile java.util.function.BiConsumer<Integer, String> logger = (level, message) -> { };
    private final ClientPause pause = new ClientPause();
    private final Blocking blocking;
    private final WatchedKeys watches = new WatchedKeys();
    private final Monitors monitors = new Monitors();
    private final io.spinel.pubsub.PubSub pubsub = new io.spinel.pubsub.PubSub();
    private final Tracking tracking;
    private volatile Snapshots snapshots = Snapshots.NONE;
    private final ScriptGate scriptGate = new ScriptGate();
    private volatile java.util.function.BiConsumer<Client, Runnable> scriptTransactions;
    private volatile FunctionStore functions = FunctionStore.NONE;
    private volatile boolean loading;
    private volatile boolean skipChecksumValidation;
    private final AofWaiters aofWaiters = new AofWaiters();
    private final OomScoreAdj oomScoreAdj = new OomScoreAdj(Path.of("/proc/self/oom_score_adj"),
            message -> log(3, message)); // 3: warning

    public ServerContext(Config config, Clock clock) {
        this.config = config;
        this.keyspace = new Keyspace(config, clock);
        this.expireCycle = new ExpireCycle(keyspace);
        this.blocking = new Blocking(keyspace.locks(), keyspace.effects());
        keyspace.readyListener(blocking);
        keyspace.addListener(watches);
        keyspace.addListener(new io.spinel.pubsub.KeyspaceNotifier(config, pubsub));
        this.tracking = new Tracking(this);
        keyspace.addListener(tracking);
        this.startMillis = clock.millis();
        this.runId = randomHex(40);
    }

    /** {@code length} random lower-case hex digits (run ids, replication ids). */
    public static String randomHex(int length) {
        StringBuilder out = new StringBuilder(length);
        java.util.Random random = new java.security.SecureRandom();
        for (int i = 0; i < length; i++) {
            out.append(Character.forDigit(random.nextInt(16), 16));
        }
        return out.toString();
    }

    public Config config() {
        return config;
    }

    public Keyspace keyspace() {
        return keyspace;
    }

    public Clock clock() {
        return keyspace.clock();
    }

    public ExpireCycle expireCycle() {
        return expireCycle;
    }

    public CommandTable commands() {
        return commands;
    }

    public ServerStats stats() {
        return stats;
    }

    /** The slow log, the latency monitor and the operations rate. */
    public Diagnostics diagnostics() {
        return diagnostics;
    }

    public long startMillis() {
        return startMillis;
    }

    /** Whether the dataset is being loaded at startup: commands without the loading flag get -LOADING. */
    public boolean loading() {
        return loading;
    }

    /** Marks the start (true) or end (false) of loading the dataset at startup. */
    public void loading(boolean on) {
        loading = on;
    }

    /** run_id: 40 random hex characters, new at every start. */
    public String runId() {
        return runId;
    }

    /** The replication ID (INFO replication's master_replid). */
    public String replicationId() {
        return replicationId;
    }

    /** DEBUG CHANGE-REPL-ID: a new random replication ID, as Redis's changeReplicationId. */
    public void changeReplicationId() {
        replicationId = randomHex(40);
    }

    public boolean cronPaused() {
        return cronPaused;
    }

    public void pauseCron(boolean paused) {
        this.cronPaused = paused;
    }

    public long nextClientId() {
        return nextClientId.getAndIncrement();
    }

    public void register(Client client) {
        clients.put(client.id(), client);
    }

    public void unregister(Client client) {
        clients.remove(client.id());
        pause.forget(client);
        blocking.disconnected(client);
        if (client.transaction() != null) {
            watches.unwatchAll(client.transaction());
        }
        monitors.remove(client);
        pubsub.unsubscribeAll(client);
        tracking.disable(client);
    }

    /** The keys clients WATCH. */
    public WatchedKeys watches() {
        return watches;
    }

    /** The clients in MONITOR mode. */
    public Monitors monitors() {
        return monitors;
    }

    /** The pub/sub registry: subscriptions and message delivery. */
    public io.spinel.pubsub.PubSub pubsub() {
        return pubsub;
    }

    /** Clients blocked by commands (BLPOP, WAIT...), and the keys they wait on. */
    public Blocking blocking() {
        return blocking;
    }

    /** Client-side caching: the keys tracking clients may cache, and their invalidations. */
    public Tracking tracking() {
        return tracking;
    }

    /**
     * Installs what runs an EXEC whose queued commands include scripts (the script runner, which
     * blocks the client and runs the given transaction under the keyspace lock).
     */
    public void scriptTransactions(java.util.function.BiConsumer<Client, Runnable> runner) {
        this.scriptTransactions = runner;
    }

    /** What runs an EXEC that queued scripts; see {@link #scriptTransactions(java.util.function.BiConsumer)}. */
    public java.util.function.BiConsumer<Client, Runnable> scriptTransactions() {
        return scriptTransactions;
    }

    /** The FUNCTION libraries, for FUNCTION DUMP / RESTORE and RDB files. */
    public FunctionStore functions() {
        return functions;
    }

    /** Installs the FUNCTION libraries (set once by the scripting family). */
    public void functions(FunctionStore store) {
        this.functions = store;
    }

    /**
     * Whether RESTORE, FUNCTION RESTORE and RDB loading skip the CRC-64 check (DEBUG
     * SET-SKIP-CHECKSUM-VALIDATION, Redis's test hook for damaged payloads); the version and the
     * whole value are still checked.
     */
    public boolean skipsChecksumValidation() {
        return skipChecksumValidation;
    }

    public void skipChecksumValidation(boolean skip) {
        this.skipChecksumValidation = skip;
    }

    /** The clients blocked in WAITAOF. */
    public AofWaiters aofWaiters() {
        return aofWaiters;
    }

    /** Whether a script runs, for the dispatcher's BUSY check. */
    public ScriptGate scriptGate() {
        return scriptGate;
    }

    public Collection<Client> clients() {
        return clients.values();
    }

    public Client client(long id) {
        return clients.get(id);
    }

    /** Whether a client must AUTH before running commands. */
    public boolean authRequired(Client client) {
        return !client.authenticated() && !config.requirepass.value().isEmpty();
    }

    /** The CLIENT PAUSE state the dispatcher consults. */
    public ClientPause pause() {
        return pause;
    }

    /** Where a handler's unexpected exception is reported (the server log); set by the server. */
    public void onUnexpected(java.util.function.BiConsumer<String, RuntimeException> reporter) {
        this.unexpected = reporter;
    }

    /** Reports a handler's unexpected exception (a bug) with the command it was running. */
    public void reportUnexpected(String command, RuntimeException e) {
        unexpected.accept(command, e);
    }

    /** Where {@link #log} writes (the server log); set by the server. */
    public void onLog(java.util.function.BiConsumer<Integer, String> sink) {
        this.logger = sink;
    }

    /** Writes to the server log at {@code level}: 0 debug, 1 verbose, 2 notice, 3 warning (redis.log). */
    public void log(int level, String message) {
        logger.accept(level, message);
    }

    /**
     * The save SHUTDOWN and the shutdown signals make before the server stops, as Redis's
     * prepareForShutdown: none under {@code noSave} or while loading (a partly loaded dataset
     * must never replace the file), else one when {@code save} is given or save points are
     * configured. Logs as Redis logs it. Returns whether the shutdown may go on: the save
     * succeeded or was not made, or it failed and {@code force} says stop anyway.
     */
    public boolean saveBeforeShutdown(boolean save, boolean noSave, boolean force) {
        if (noSave || loading || !(save || snapshots.savesOnShutdown())) {
            return true;
        }
        log(2, "Saving the final RDB snapshot before exiting.");
        String error = snapshots.saveNow();
        if (error == null) {
            log(2, "DB saved on disk");
            return true;
        }
        if (force) {
            log(3, "Error trying to save the DB. Exit anyway.");
            return true;
        }
        log(3, "Error trying to save the DB, can't exit.");
        return false;
    }

    /** The action SHUTDOWN runs (set by the server that owns this context). */
    public void onShutdown(Runnable action) {
        this.shutdown = action;
    }

    public void shutdown() {
        shutdown.run();
    }

    /**
     * Carries out what a parameter CONFIG SET changed needs beyond holding its new value;
     * returns Redis's reason when that failed, else null.
     */
    public String configChanged(String name) {
        if (name.equals("oom-score-adj") || name.equals("oom-score-adj-values")) {
            return applyOomScoreAdj() ? null : "Failed to set current oom_score_adj. Check server logs.";
        }
        return snapshots.configChanged(name);
    }

    /**
     * Sets the process's OOM score adjustment as oom-score-adj says (at startup and on change);
     * false if it failed.
     */
    public boolean applyOomScoreAdj() {
        return oomScoreAdj.apply(config.oomScoreAdj.value(), config.oomScoreAdjValues.value());
    }

    /** Persistence as the commands see it (LASTSAVE, MISCONF, INFO persistence, DEBUG RELOAD). */
    public Snapshots snapshots() {
        return snapshots;
    }

    /** Installs the server's persistence (set once by the server that owns this context). */
    public void snapshots(Snapshots snapshots) {
        this.snapshots = snapshots;
    }
}
