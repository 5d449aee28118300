package io.spinel.store;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * One lock per hash slot, shared by all databases (a key's slot is the same in every database,
 * so MOVE and COPY ... DB take one lock per key). Locks are always taken in ascending slot order,
 * which makes deadlock impossible; the exclusive keyspace lock is simply every slot lock, taken in
 * that same order. Reentrant, so a transaction or script holding locks can run commands that
 * take them again. Thread-safe.
 *
 * <h2>Why spinning</h2>
 * A slot lock is held for one command's work on a few keys (well under a microsecond) and never
 * across anything that waits. Parking a thread and waking it costs tens of microseconds, far more
 * than the wait itself, so a contended lock is spun for, then yielded for, and only parked for
 * short naps when its holder has been descheduled. The owner is the lock word: one reference per
 * slot instead of a lock object per slot.
 */
public final class SlotLocks {
    private static final int SPINS = 128;
    private static final int YIELDS = 64;
    private static final long NAP_NANOS = 20_000;

    private final AtomicReferenceArray<Thread> owners = new AtomicReferenceArray<>(SlotHash.SLOTS);
    /**
     * Reentrant hold counts, read and written only by the slot's owner, with {@link #RELEASE_HOOK}
     * set when the slot's last release must run {@link #onRelease}: the release tests the word it
     * already reads instead of asking the hook, which would read another array at a random slot.
     */
    private final int[] holds = new int[SlotHash.SLOTS];
    /** In a slot's hold count: run {@link #onRelease} at the last release ({@link #releaseHook}). */
    private static final int RELEASE_HOOK = 1 << 30;
    /** Runs with a slot whose owner is about to give it up, still under the lock (may be null). */
    private final IntConsumer onRelease;

    /** Locks that run nothing on release. */
    public SlotLocks() {
        this(null);
    }

    /**
     * Locks that call {@code onRelease} with a slot just before its owner's last hold of it is
     * released, once {@link #releaseHook} asked for it: the keyspace settles there what the
     * owner's commands changed in the slot.
     */
    SlotLocks(IntConsumer onRelease) {
        this.onRelease = onRelease;
    }

    public void lock(int slot) {
        Thread me = Thread.currentThread();
        Thread owner = owners.get(slot);
        if (owner == me) {
            holds[slot]++;
            return;
        }
        if (owner != null || !owners.compareAndSet(slot, null, me)) {
            contended(slot, me);
        }
        holds[slot] = 1; // a plain store: reading the count first would wait for its cache line after the CAS
        Barrier hook = barrier;
        if (hook != null) {
            hook.entered(slot);
        }
    }

    private void contended(int slot, Thread me) {
        for (int attempt = 0; ; attempt++) {
            if (owners.get(slot) == null && owners.compareAndSet(slot, null, me)) {
                return;
            }
            if (attempt < SPINS) {
                Thread.onSpinWait();
            } else if (attempt < SPINS + YIELDS) {
                Thread.yield();
            } else {
                LockSupport.parkNanos(NAP_NANOS);
            }
        }
    }

    public void unlock(int slot) {
        int held = holds[slot];
        if (held == (RELEASE_HOOK | 1)) {
            if (onRelease != null) {
                onRelease.accept(slot); // holdCount reads 1 meanwhile: it masks the mark
            }
            held = 1;
        }
        holds[slot] = --held;
        if (held == 0) {
            owners.setRelease(slot, null); // a release store suffices to hand the slot on; no full fence
        }
    }

    /** Asks for {@code onRelease} to run with {@code slot} at its owner's last release of it. Called by the owner. */
    void releaseHook(int slot) {
        holds[slot] |= RELEASE_HOOK;
    }

    /** Locks {@code slots[0..count)}, which must be sorted ascending and distinct. */
    public void lock(int[] slots, int count) {
        for (int i = 0; i < count; i++) {
            lock(slots[i]);
        }
    }

    public void unlock(int[] slots, int count) {
        for (int i = count - 1; i >= 0; i--) {
            unlock(slots[i]);
        }
    }

    /** The exclusive keyspace lock: every slot, ascending. */
    public void lockAll() {
        for (int slot = 0; slot < SlotHash.SLOTS; slot++) {
            lock(slot);
        }
    }

    public void unlockAll() {
        for (int slot = SlotHash.SLOTS - 1; slot >= 0; slot--) {
            unlock(slot);
        }
    }

    /** What runs when a thread takes a slot's lock (not re-entering it); null almost always. */
    private volatile Barrier barrier;

    /**
     * A hook run by a thread that has just taken a slot's lock, before it touches the slot: the
     * running point-in-time snapshot serializes the slot there if it has not yet, so no change
     * reaches a slot before the snapshot has it. Runs under that slot's lock; must not take
     * other locks.
     */
    public interface Barrier {
        void entered(int slot);
    }

    /** Installs (or with null removes) the barrier; at most one is installed at a time. */
    public void barrier(Barrier barrier) {
        this.barrier = barrier;
    }

    /** How many times the calling thread holds {@code slot}'s lock (0: it does not). */
    public int holdCount(int slot) {
        return owners.get(slot) == Thread.currentThread() ? holds[slot] & ~RELEASE_HOOK : 0;
    }
}
