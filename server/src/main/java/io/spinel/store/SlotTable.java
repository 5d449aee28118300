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
 * so a string key costs its two arrays and its share of positions: 12 bytes each with compressed
 * references, 20 without (ZGC). Capacities need not be powers of two: a table grows by a quarter
 * once more than 7/8 of it is taken and halves once less than 1/4 is, so it is on average about
 * 4/5 full and a key holds about 1.3 positions (about 16 bytes, 26 under ZGC).
 *
 * <h2>Probing</h2>
 * Linear probing with backward-shift deletion and no tombstones; at least one position is always
 * free, so every probe ends. A key's home position is its 32-bit hash scaled to the capacity
 * ({@code hash * capacity >>> 32}, unsigned), so homes are ordered as hashes are: a key with a
 * lower hash never has a later home. The invariant probing keeps: every key sits in the unbroken
 * run of occupied positions that starts at its home, possibly wrapping past the last position to
 * the first. So the keys whose homes lie in a range are all found between the range's start and
 * the first free position after its end, which is what {@link #scan} relies on.
 *
 * <h2>Scanning</h2>
 * {@link #scan} returns keys in batches of whole home positions, in ascending home order, and its
 * cursor is a hash value: every key whose unsigned hash is below it has been returned. That
 * statement does not depend on the capacity, so it survives any resize between calls: a key
 * present for the whole scan is returned, and no key is returned twice, not even one removed and
 * added again (keys with equal hashes share a home, so they always come in the same batch).
 *
 * <h2>Concurrency</h2>
 * None inside: every method must be called with this slot's lock held (see {@link Keyspace}).
 */
final class SlotTable {
    private static final int MIN_CAPACITY = 2;
    private static final long HASHES = 1L << 32;

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

    /** The home position of a key with {@code unsignedHash} in a table of {@code capacity} positions. */
    private static int home(long unsignedHash, int capacity) {
        return (int) (unsignedHash * capacity >>> 32);
    }

    private static long unsignedHash(byte[] key) {
        return KeyHash.hash(key) & 0xffffffffL;
    }

    /** The lowest hash whose home is {@code position} or later, in a table of {@code capacity}. */
    private static long lowestHashAt(int position, int capacity) {
        return (((long) position << 32) + capacity - 1) / capacity;
    }

    /** How many keys a table of {@code capacity} may hold: 7/8 of it, leaving one position free. */
    private static int maxSize(int capacity) {
        return Math.min(capacity - 1, (int) (capacity * 7L / 8));
    }

    /** The position of {@code key}, or -1. */
    int find(byte[] key) {
        int capacity = keys.length;
        for (int i = home(unsignedHash(key), capacity); ; ) {
            byte[] k = keys[i];
            if (k == null) {
                return -1;
            }
            if (k.length == key.length && Arrays.equals(k, key)) {
                return i;
            }
            if (++i == capacity) {
                i = 0;
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
        if (size + 1 > maxSize(keys.length)) {
            resize(keys.length + Math.max(1, keys.length / 4));
        }
        int i = freePositionFrom(home(unsignedHash(key), keys.length));
        keys[i] = key;
        values[i] = value;
        access[i] = accessClock;
        size++;
        return i;
    }

    /** The first free position at or after {@code position}, wrapping around. */
    private int freePositionFrom(int position) {
        int capacity = keys.length;
        int i = position;
        while (keys[i] != null) {
            if (++i == capacity) {
                i = 0;
            }
        }
        return i;
    }

    /** Removes the key at {@code position}, shifting the rest of its run back (no tombstones). */
    void removeAt(int position) {
        if (expires != null && expires[position] != 0) {
            volatileCount--;
        }
        int capacity = keys.length;
        int hole = position;
        for (int j = next(hole, capacity); keys[j] != null; j = next(j, capacity)) {
            int home = home(unsignedHash(keys[j]), capacity);
            // Move j into the hole unless its home lies cyclically in (hole, j].
            if (distance(home, j, capacity) >= distance(hole, j, capacity)) {
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
        if (capacity > MIN_CAPACITY && size * 4 < capacity) {
            resize(Math.max(MIN_CAPACITY, capacity / 2));
        }
    }

    private static int next(int position, int capacity) {
        return position + 1 == capacity ? 0 : position + 1;
    }

    /** How many steps forward, wrapping around, lead from {@code from} to {@code to}. */
    private static int distance(int from, int to, int capacity) {
        return to >= from ? to - from : to - from + capacity;
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
        for (int j = 0; j < oldKeys.length; j++) {
            byte[] key = oldKeys[j];
            if (key == null) {
                continue;
            }
            int i = freePositionFrom(home(unsignedHash(key), capacity));
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
     * Adds to {@code out} every key whose unsigned hash is at least {@code cursor}, in batches of
     * whole home positions taken in ascending order, until at least {@code count} keys were added
     * or the table was covered. Returns the next cursor: a hash such that every key below it has
     * now been returned (never 0), or 0 when the scan of this table is complete. A cursor of
     * 2^32 or more (never returned) counts as complete.
     */
    long scan(long cursor, int count, Consumer<byte[]> out) {
        if (cursor >= HASHES || size == 0) {
            return 0;
        }
        int capacity = keys.length;
        int first = home(cursor, capacity);
        int added = 0;
        // Forward from the first home to the end: a key counts here if its hash is not below the
        // cursor (so its home is not before the first) and its home is not after its position.
        // Reaching a free position p means every key homed up to p was passed, so the batch may
        // end there.
        for (int i = first; i < capacity; i++) {
            byte[] key = keys[i];
            if (key == null) {
                if (i == capacity - 1) {
                    return 0;
                }
                if (added >= count) {
                    return lowestHashAt(i + 1, capacity);
                }
                continue;
            }
            long hash = unsignedHash(key);
            if (hash >= cursor && home(hash, capacity) <= i) {
                out.accept(key);
                added++;
            }
        }
        // The last position is taken, so its run wraps around to the start: the keys there whose
        // home lies after their position came from the end of the table (the first pass skipped
        // them), and belong to this batch if their hash is not below the cursor.
        for (int i = 0; keys[i] != null; i++) {
            long hash = unsignedHash(keys[i]);
            if (hash >= cursor && home(hash, capacity) > i) {
                out.accept(keys[i]);
            }
        }
        return 0;
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
