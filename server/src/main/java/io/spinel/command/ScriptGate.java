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
 * <p>A command that passed this check a moment before a script started waits for its slot locks
 * until the script ends, however long it runs: closing that window needs an abortable lock wait.
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
    private final java.util.Set<CommandSpec> queued = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Marks {@code command} as one that waits on the script runner's queue rather than here. */
    public void queuesOnRunner(CommandSpec command) {
        queued.add(command);
    }

    /** The runner starts a script (or function when {@code isFunction}). */
    public void started(boolean isFunction) {
        this.function = isFunction;
        this.startNanos = System.nanoTime();
        this.running = true;
    }

    /** The runner finished the script. */
    public void finished() {
        running = false;
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
     * yet passed {@code thresholdMillis}; returns the BUSY error when it has, else null.
     */
    public String admit(CommandSpec command, long thresholdMillis) {
        if (!running || command.has(CommandFlag.ALLOW_BUSY)) {
            return null;
        }
        boolean waits = !queued.contains(command);
        while (running) {
            if ((System.nanoTime() - startNanos) / 1_000_000 >= thresholdMillis) {
                return function ? BUSY_FUNCTION : BUSY_EVAL;
            }
            if (!waits) {
                return null;
            }
            LockSupport.parkNanos(NAP_NANOS);
        }
        return null;
    }
}
