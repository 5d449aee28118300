package io.spinel.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The propagation of writes: every change to the data becomes the command stream Redis 7.2
 * would propagate to its AOF and replicas (server.dirty, alsoPropagate, propagatePendingCommands).
 * The AOF is the first {@link Sink}; a replication stream is meant to be a second one.
 *
 * <h2>What is propagated</h2>
 * A command that changed data (it reported at least one modification through
 * {@link Keyspace#keyModified}, Redis's server.dirty) propagates its own arguments, unless its
 * handler {@link #rewrite rewrote} them (rewriteClientCommandVector: relative TTLs as absolute,
 * INCRBYFLOAT as SET, BLPOP as LPOP...) or {@link #suppress suppressed} them in favour of records
 * it {@link #emit emitted} itself (alsoPropagate plus preventCommandPropagation: SPOP with a count
 * as SREMs). Keys deleted by expiry or eviction are emitted as DEL (UNLINK when the
 * lazyfree-lazy-expire / lazyfree-lazy-eviction switch is on) and do not make the command that
 * found them dirty, as in Redis.
 *
 * <h2>Execution units</h2>
 * Records are collected per thread into an execution unit: one command, or a whole
 * transaction, script or blocked-client service ({@link #enter}/{@link #exit}). When the unit
 * ends, its records go to every sink, wrapped in MULTI/EXEC when there is more than one
 * (propagatePendingCommands); a unit of one record goes alone. An expiry or eviction outside any
 * command (the active expire cycle, eviction) is a unit of its own.
 *
 * <h2>Concurrency and order</h2>
 * A unit is handed to the sinks while its thread still holds the slot locks of every key it
 * touched, so the records of any two units that touch a common key reach a sink in the order the
 * units ran; units on disjoint slots commute. Sinks are called from many threads at once and
 * serialize themselves.
 *
 * <h2>Cost</h2>
 * While no sink is installed ({@code appendonly no}, no replica) {@link #active} is false and
 * every entry point returns after one volatile read.
 */
public final class Effects {
    /** A record's database when it has none (MULTI, EXEC): no SELECT precedes it. */
    public static final int NO_DB = -1;
    private static final byte[] MULTI = bytes("MULTI");
    private static final byte[] EXEC = bytes("EXEC");
    private static final byte[] DEL = bytes("DEL");
    private static final byte[] UNLINK = bytes("UNLINK");

    /** One propagated command: its database (or {@link #NO_DB}) and its arguments. */
    public record Effect(int db, byte[][] argv) {
    }

    /**
     * A consumer of the propagated stream (the AOF, later replication). Called with one whole
     * execution unit, MULTI/EXEC included, by the thread that ran it while it holds its slot locks;
     * implementations must be quick, thread-safe, and must not take slot locks.
     */
    public interface Sink {
        void append(List<Effect> unit);

        /**
         * Replies are about to leave this thread: whatever was appended so far (by any thread)
         * must be where this sink promises it to be (the AOF: written, and fsynced under
         * appendfsync always) before they do, as Redis writes its AOF buffer in beforeSleep.
         */
        default void flush() {
        }
    }

    /** The state of the execution unit running on one thread. */
    private static final class Unit {
        /** enter() nesting: records are handed over when it falls back to 0. */
        int depth;
        /** Modifications reported by the running command since its last {@link #commandRan}. */
        int dirty;
        byte[][] rewritten;
        boolean suppressed;
        final List<Effect> records = new ArrayList<>();
    }

    private final ThreadLocal<Unit> units = ThreadLocal.withInitial(Unit::new);
    private volatile Sink[] sinks = {};
    private volatile boolean active;

    /** Whether anything consumes the stream; when false, nothing is recorded. Thread-safe. */
    public boolean active() {
        return active;
    }

    /**
     * Called before a connection's replies are written out: the sinks make what was appended
     * durable first (one write, and one fsync under appendfsync always, for a whole batch of
     * replies). Thread-safe; one volatile read when nothing consumes.
     */
    public void beforeReplies() {
        if (active) {
            for (Sink sink : sinks) {
                sink.flush();
            }
        }
    }

    /** Adds a consumer of the stream. Thread-safe. */
    public synchronized void addSink(Sink sink) {
        Sink[] grown = java.util.Arrays.copyOf(sinks, sinks.length + 1);
        grown[sinks.length] = sink;
        sinks = grown;
        active = true;
    }

    /** Removes a consumer of the stream. Thread-safe. */
    public synchronized void removeSink(Sink sink) {
        List<Sink> kept = new ArrayList<>(List.of(sinks));
        kept.remove(sink);
        sinks = kept.toArray(new Sink[0]);
        active = sinks.length > 0;
    }

    /** A change the running command made (server.dirty++). Called by the keyspace under the key's lock. */
    void modified() {
        if (active) {
            units.get().dirty++;
        }
    }

    /**
     * The running command (or the blocked client being served) propagates {@code argv} instead
     * of its own arguments, if it changed anything (rewriteClientCommandVector). The array is
     * kept, not copied.
     */
    public void rewrite(byte[]... argv) {
        if (active) {
            units.get().rewritten = argv;
        }
    }

    /** The running command's own arguments are not propagated (preventCommandPropagation). */
    public void suppress() {
        if (active) {
            units.get().suppressed = true;
        }
    }

    /** Adds {@code argv}, run in database {@code db}, to the running unit (alsoPropagate). */
    public void emit(int db, byte[]... argv) {
        if (!active) {
            return;
        }
        units.get().records.add(new Effect(db, argv));
    }

    /**
     * A key removed by expiry or eviction: DEL, or UNLINK when {@code lazy} (propagateDeletion).
     * Found by a command's lookup ({@code inCommand}, lazy expiry) it joins that command's unit,
     * ahead of the command's own record, as in Redis; removed outside any command (the active
     * expire cycle, eviction) it is handed over at once as a unit of its own. Needs the key's
     * slot lock.
     */
    void deleted(int db, byte[] key, boolean lazy, boolean inCommand) {
        if (!active) {
            return;
        }
        Effect deletion = new Effect(db, new byte[][] {lazy ? UNLINK : DEL, key});
        Unit unit = units.get();
        if (inCommand || unit.depth > 0) {
            unit.records.add(deletion);
            return;
        }
        List<Effect> alone = List.of(deletion);
        for (Sink sink : sinks) {
            sink.append(alone);
        }
    }

    /**
     * Opens an execution unit on this thread (EXEC, a script, the service of blocked clients):
     * what runs until the matching {@link #exit} is handed over as one unit. Returns the token
     * to pass to exit: whether a unit was opened (nothing is when nothing consumes the stream).
     */
    public boolean enter() {
        if (!active) {
            return false;
        }
        units.get().depth++;
        return true;
    }

    /**
     * Closes the unit opened by the {@link #enter} that returned {@code entered}; the outermost
     * exit hands the records over. Call while still holding the slot locks of the unit's keys.
     */
    public void exit(boolean entered) {
        if (!entered) {
            return;
        }
        Unit unit = units.get();
        if (--unit.depth == 0) {
            resetCommand(unit);
            flush(unit);
        }
    }

    /**
     * A command ran in database {@code db} with arguments {@code argv} (null when there are none
     * to fall back to): it is recorded if it changed data, and its unit handed over unless an
     * outer unit is open. Called by the dispatcher before it releases the command's locks.
     */
    public void commandRan(int db, byte[][] argv) {
        Unit unit = units.get();
        if (unit.dirty > 0 && !unit.suppressed) {
            byte[][] propagated = unit.rewritten != null ? unit.rewritten : argv;
            if (propagated != null) {
                unit.records.add(new Effect(db, propagated));
            }
        }
        resetCommand(unit);
        if (unit.depth == 0) {
            flush(unit);
        }
    }

    private static void resetCommand(Unit unit) {
        unit.dirty = 0;
        unit.rewritten = null;
        unit.suppressed = false;
    }

    private void flush(Unit unit) {
        List<Effect> records = unit.records;
        if (records.isEmpty()) {
            return;
        }
        List<Effect> out;
        if (records.size() == 1) {
            out = List.of(records.get(0));
        } else {
            out = new ArrayList<>(records.size() + 2);
            out.add(new Effect(records.get(0).db(), new byte[][] {MULTI})); // its SELECT goes before MULTI, as in Redis
            out.addAll(records);
            out.add(new Effect(NO_DB, new byte[][] {EXEC}));
        }
        records.clear();
        for (Sink sink : sinks) {
            sink.append(out);
        }
    }

    /** The ASCII bytes of {@code s}: for building propagated arguments. */
    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** The decimal bytes of {@code n}. */
    public static byte[] bytes(long n) {
        return bytes(Long.toString(n));
    }
}
