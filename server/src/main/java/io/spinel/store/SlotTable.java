package io.spinel.store;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The keys of one hash slot in one database: an open-addressing hash table.
 *
 * <h2>Memory</h2>
 * A key costs no entry object: the table is a set of parallel arrays indexed by position, the key
 * bytes, the value, the access clock (LRU seconds or LFU counter) and, allocated only once the
 * first key with a time to live arrives, the expiry time in Unix milliseconds (0: none). Values
 * are stored as they are (a {@code byte[]} string, a {@code Long} integer, a collection object),
 * so a string key costs its two arrays and about 14 bytes of slots.
 *
 * <h2>Probing</h2>
 * Linear probing with backward-shift deletion and no tombstones, at most 3/4 full, capacities a
 * power of two. The invariant this keeps: every key sits in the unbroken run of occupied positions
 * that starts at its home position ({@code hash & mask}). So the keys whose home is {@code h} are
 * all found by walking from {@code h} to the next empty position, which is what {@link #scan}
 * relies on.
 *
 * <h2>Scanning</h2>
 * {@link #scan} visits home positions in reverse-binary order, as Redis's dictScan visits buckets:
 * a key present for the whole scan is returned at least once even when the table grows or shrinks
 * between calls, because the home positions a key can move to under another capacity come later in
 * that order.
 *
 * <h2>Concurrency</h2>
 * None inside: every method must be called with this slot's lock held (see {@link Keyspace}).
 */
final class SlotTable {
    private static final int MIN_CAPACITY = 4;

    private byte[][] keys = new byte[MIN_CAPACITY][];
    private Object[] values = new Object[MIN_CAPACITY];
    private int[] access = new int[MIN_CAPACITY];
    private long[] expires;
    private int size;
    private int volatileCount;
    /** A lower bound of the earliest expiry in this table; Long.MAX_VALUE when none is known. */
    private long earliestExpiry = Long.MAX_VALUE;

    int size() {
        return size;
    }

    int volatileCount() {
        return volatileCount;
    }

    long earliestExpiry() {
        return earliestExpiry;
    }

    /** The position of {@code key}, or -1. */
    int find(byte[] key) {
        int mask = keys.length - 1;
        for (int i = KeyHash.hash(key) & mask; ; i = (i + 1) & mask) {
            byte[] k = keys[i];
            if (k == null) {
                return -1;
            }
            if (k.length == key.length && Arrays.equals(k, key)) {
                return i;
            }
        }
    }

    byte[] keyAt(int position) {
        return keys[position];
    }

    Object valueAt(int position) {
        return values[position];
    }

    void setValueAt(int position, Object value) {
        values[position] = value;
    }

    int accessAt(int position) {
        return access[position];
    }

    void setAccessAt(int position, int clock) {
        access[position] = clock;
    }

    /** The expiry at {@code position} in Unix ms, 0 when the key has none. */
    long expiryAt(int position) {
        return expires == null ? 0 : expires[position];
    }

    void setExpiryAt(int position, long unixMillis) {
        if (expires == null) {
            if (unixMillis == 0) {
                return;
            }
            expires = new long[keys.length];
        }
        long old = expires[position];
        if (old == 0 && unixMillis != 0) {
            volatileCount++;
        } else if (old != 0 && unixMillis == 0) {
            volatileCount--;
        }
        expires[position] = unixMillis;
        if (unixMillis != 0 && unixMillis < earliestExpiry) {
            earliestExpiry = unixMillis;
        }
    }

    /** Inserts a key known to be absent and returns its position. */
    int insert(byte[] key, Object value, int accessClock) {
        if ((size + 1) * 4 > keys.length * 3) {
            resize(keys.length * 2);
        }
        int mask = keys.length - 1;
        int i = KeyHash.hash(key) & mask;
        while (keys[i] != null) {
            i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = value;
        access[i] = accessClock;
        size++;
        return i;
    }

    /** Removes the key at {@code position}, shifting the rest of its run back (no tombstones). */
    void removeAt(int position) {
        if (expires != null && expires[position] != 0) {
            volatileCount--;
        }
        int mask = keys.length - 1;
        int hole = position;
        for (int j = (hole + 1) & mask; keys[j] != null; j = (j + 1) & mask) {
            int home = KeyHash.hash(keys[j]) & mask;
            // Move j into the hole unless its home lies cyclically in (hole, j].
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                moveTo(j, hole);
                hole = j;
            }
        }
        keys[hole] = null;
        values[hole] = null;
        access[hole] = 0;
        if (expires != null) {
            expires[hole] = 0;
        }
        size--;
        if (volatileCount == 0) {
            earliestExpiry = Long.MAX_VALUE;
        }
        if (keys.length > MIN_CAPACITY && size * 8 < keys.length) {
            resize(keys.length / 2);
        }
    }

    private void moveTo(int from, int to) {
        keys[to] = keys[from];
        values[to] = values[from];
        access[to] = access[from];
        if (expires != null) {
            expires[to] = expires[from];
        }
    }

    private void resize(int capacity) {
        byte[][] oldKeys = keys;
        Object[] oldValues = values;
        int[] oldAccess = access;
        long[] oldExpires = expires;
        keys = new byte[capacity][];
        values = new Object[capacity];
        access = new int[capacity];
        expires = volatileCount > 0 ? new long[capacity] : null;
        int mask = capacity - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            byte[] key = oldKeys[j];
            if (key == null) {
                continue;
            }
            int i = KeyHash.hash(key) & mask;
            while (keys[i] != null) {
                i = (i + 1) & mask;
            }
            keys[i] = key;
            values[i] = oldValues[j];
            access[i] = oldAccess[j];
            if (expires != null) {
                expires[i] = oldExpires[j];
            }
        }
    }

    /** Calls {@code action} with every position that holds a key. Must not insert or remove. */
    void forEachPosition(java.util.function.IntConsumer action) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != null) {
                action.accept(i);
            }
        }
    }

    /**
     * Removes every key whose expiry is at or before {@code now}, passing each to
     * {@code onExpired} before it goes, and recomputes {@link #earliestExpiry} exactly.
     * Returns how many keys were removed.
     */
    int removeExpired(long now, Consumer<byte[]> onExpired) {
        if (volatileCount == 0) {
            earliestExpiry = Long.MAX_VALUE;
            return 0;
        }
        int removed = 0;
        long earliest = Long.MAX_VALUE;
        int i = 0;
        while (i < keys.length) {
            long at = expires == null ? 0 : expires[i];
            if (keys[i] != null && at != 0) {
                if (at <= now) {
                    onExpired.accept(keys[i]);
                    int capacity = keys.length;
                    removeAt(i);
                    removed++;
                    if (capacity != keys.length) {
                        i = 0; // shrunk: every position changed, visit again
                        earliest = Long.MAX_VALUE;
                    }
                    // Backward shift only moves keys from later positions into i (check it
                    // again) or, across the wrap-around, among positions already visited.
                    continue;
                }
                earliest = Math.min(earliest, at);
            }
            i++;
        }
        earliestExpiry = earliest;
        return removed;
    }

    /**
     * Adds to {@code out} the keys whose home position is the one {@code cursor} names, continuing
     * in reverse-binary order until at least {@code count} keys were added or the table was
     * covered. Returns the next cursor, 0 when the scan of this table is complete.
     */
    long scan(long cursor, int count, Consumer<byte[]> out) {
        int mask = keys.length - 1;
        long v = cursor;
        int added = 0;
        do {
            int home = (int) (v & mask);
            for (int i = home; keys[i] != null; i = (i + 1) & mask) {
                if ((KeyHash.hash(keys[i]) & mask) == home) {
                    out.accept(keys[i]);
                    added++;
                }
            }
            v |= ~(long) mask;
            v = Long.reverse(v);
            v++;
            v = Long.reverse(v);
        } while (v != 0 && added < count);
        return v;
    }

    /** The key at a uniformly chosen occupied position, or null when empty. */
    byte[] randomKey(java.util.random.RandomGenerator random) {
        if (size == 0) {
            return null;
        }
        while (true) {
            byte[] key = keys[random.nextInt(keys.length)];
            if (key != null) {
                return key;
            }
        }
    }
}
