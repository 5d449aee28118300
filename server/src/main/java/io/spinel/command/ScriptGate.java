package io.spinel.command;

import java.util.concurrent.locks.LockSupport;

/**
 * Whether a Lua script or function is running, as the dispatcher sees it. While one runs (on the
 * script runner's thread, holding every slot lock), a command from any other client waits here
 * instead of in the slot locks: once the script has run for busy-reply-threshold milliseconds the
 * command is refused with BUSY (as Redis answers clients during a slow script), so an event loop
 * never waits for a script longer than the threshold and SCRIPT KILL / FUNCTION KILL /
 * SHUTDOWN NOSAVE (flagged allow-busy) always get through. Commands that queue on the script
 * runner themselves (EVAL, FCALL...) do not wait here.
 *
 * <h2>No command waits in the slot locks for a script</h2>
 * Admitted commands are counted until they finish ({@link #admit} / {@link #exit}); the runner
 * marks a script as running first and then waits for that count to drop to zero before taking
 * the keyspace lock ({@link #started} / {@link #awaitIdle}). A command increments the count
 * before it reads the running flag and the runner sets the flag before it reads the count, so
 * either the runner waits for the command or the command sees the script and waits here, where
 * it gets BUSY past the threshold; an event loop never spins in a slot lock behind a script.
 *
 * <p>Thread-safe: the runner writes, event loops read.
 */
public final class ScriptGate {
    public static final String BUSY_EVAL = "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";
    public static final String BUSY_FUNCTION = "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.";
    private static final long NAP_NANOS = 20_000;

    private volatile boolean running;
    private volatile boolean function;
    private volatile long startNanos;
    private volatile boolean stopping;
    private final java.util.concurrent.atomic.AtomicLong inFlight = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.Set<CommandSpec> queued = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Marks {@code command} as one that waits on the script runner's queue rather than here. */
    public void queuesOnRunner(CommandSpec command) {
        queued.add(command);
    }

    /** Whether {@code command} runs on the script runner (EXEC hands a transaction with one to it). */
    public boolean runsOnRunner(CommandSpec command) {
        return queued.contains(command);
    }

    /** The runner starts a script (or function when {@code isFunction}); BUSY counts from now. */
    public void started(boolean isFunction) {
        this.function = isFunction;
        this.startNanos = System.nanoTime();
        this.running = true;
    }

    /** The runner waits for the commands admitted before it started to finish (then it locks). */
    public void awaitIdle() {
        for (int spins = 0; inFlight.get() != 0; spins++) {
            if (spins < 1000) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(NAP_NANOS);
            }
        }
    }

    /**
     * The runner finished one script of its batch: the time toward BUSY restarts, so a client
     * that saw the script's reply does not get BUSY for it while the batch winds down.
     */
    public void scriptDone() {
        startNanos = System.nanoTime();
    }

    /** The runner finished its scripts and released the keyspace lock. */
    public void finished() {
        running = false;
    }

    /** An admitted command finished (called once for every {@link #admit} that returned null). */
    public void exit() {
        inFlight.decrementAndGet();
    }

    /** The server is closing (SHUTDOWN, including NOSAVE): a running script stops at its next check. */
    public void stop() {
        stopping = true;
    }

    public boolean stopping() {
        return stopping;
    }

    public boolean running() {
        return running;
    }

    /** Milliseconds the current script has run, 0 when none runs. */
    public long elapsedMillis() {
        return running ? (System.nanoTime() - startNanos) / 1_000_000 : 0;
    }

    /**
     * Called by the dispatcher before a client's command: waits while a script runs and has not
     * yet passed {@code thresholdMillis}; returns the BUSY error when it has. Returns null when
     * the command may run, and then counts it until {@link #exit}.
     */
    public String admit(CommandSpec command, long thresholdMillis) {
        while (true) {
            inFlight.incrementAndGet();
            if (!running || command.has(CommandFlag.ALLOW_BUSY)) {
                return null; // the common case, decided without the set lookup below
            }
            if ((System.nanoTime() - startNanos) / 1_000_000 >= thresholdMillis) {
                inFlight.decrementAndGet();
                return function ? BUSY_FUNCTION : BUSY_EVAL;
            }
            if (queued.contains(command)) {
                return null;
            }
            inFlight.decrementAndGet();
            LockSupport.parkNanos(NAP_NANOS);
        }
    }
}
