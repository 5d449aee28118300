package io.spinel.store;

import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock per hash slot, shared by all databases (a key's slot is the same in every database,
 * so MOVE and COPY ... DB take one lock per key). Locks are always taken in ascending slot order,
 * which makes deadlock impossible; the exclusive keyspace lock is simply every slot lock, taken in
 * that same order. Reentrant, so a transaction or script holding locks can run commands that
 * take them again. Thread-safe.
 */
public final class SlotLocks {
    private final ReentrantLock[] locks = new ReentrantLock[SlotHash.SLOTS];

    public SlotLocks() {
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    public void lock(int slot) {
        locks[slot].lock();
    }

    public void unlock(int slot) {
        locks[slot].unlock();
    }

    /** Locks {@code slots[0..count)}, which must be sorted ascending and distinct. */
    public void lock(int[] slots, int count) {
        for (int i = 0; i < count; i++) {
            locks[slots[i]].lock();
        }
    }

    public void unlock(int[] slots, int count) {
        for (int i = count - 1; i >= 0; i--) {
            locks[slots[i]].unlock();
        }
    }

    /** The exclusive keyspace lock: every slot, ascending. */
    public void lockAll() {
        for (ReentrantLock lock : locks) {
            lock.lock();
        }
    }

    public void unlockAll() {
        for (int i = locks.length - 1; i >= 0; i--) {
            locks[i].unlock();
        }
    }

    public boolean heldByCurrentThread(int slot) {
        return locks[slot].isHeldByCurrentThread();
    }
}
