package io.spinel.store;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * An open-addressing hash table keyed by byte strings: the keys of one hash slot in one database,
 * and the large encodings of collections (the fields of a hash, the members of a set or a sorted
 * set). Each key has a value, a 32-bit tag (the keyspace keeps a key's access clock there) and an
 * optional expiry (a key's TTL, a hash field's TTL).
 *
 * <h2>Memory</h2>
 * A key costs no entry object: the table is three arrays indexed by position. {@code meta} holds
 * two ints per position, the key's 32-bit hash (0: the position is free) and its access clock
 * (LRU seconds or LFU counter); {@code entries} holds two references per position, the key bytes
 * and the value; {@code expires}, allocated only once the first key with a time to live arrives,
 * holds the expiry in Unix milliseconds (0: none). Pairing what a lookup reads together puts it
 * in one cache line: a GET touches the hash and the access clock, then the key and the value.
 * Values are stored as they are (a {@code byte[]} string, a {@code Long} integer, a collection
 * object), so a string key costs its two arrays and its share of positions: 16 bytes each with
 * compressed references, 24 without (ZGC). Capacities need not be powers of two: a table grows
 * by a quarter once more than 7/8 of it is taken and halves once less than 1/4 is, so it is on average about
 * 4/5 full and a key holds about 1.3 positions (about 21 bytes, 31 under ZGC).
 *
 * <h2>Probing</h2>
 * Linear probing with backward-shift deletion and no tombstones; at least one position is always
 * free, so every probe ends. Probes compare the stored hashes, a dense int array, and touch a
 * key's bytes only when its hash matches: at 7/8 full a probe that misses walks a dozen or more
 * positions, which would otherwise be as many cache misses on key arrays. The stored hash also
 * gives every key's home without hashing it again when keys shift, the table resizes or a scan
 * runs. A key's home position is its 32-bit hash scaled to the capacity
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
 * <h2>Resizing</h2>
 * A table of fewer than {@link #INCREMENTAL_CAPACITY} positions moves every key into its new
 * arrays at once. A larger one would stall its slot for milliseconds (a hash of a million fields
 * took 31 ms to grow), so it keeps its previous arrays and moves their keys over the following
 * insertions and removals, a run of positions at a time, as Redis rehashes incrementally:
 * lookups try the new arrays, then the old; insertions go to the new; removals shift keys back
 * in whichever arrays hold them; positions in the old arrays are numbered after the new ones.
 * The keys left in the old arrays always form whole runs (a step ends at a free position), so
 * probing them stays correct. Whole-table operations (scan, iteration, sampling, sweeps) finish
 * the migration first. A migration moves at least 256 positions per write, so it ends within
 * 1/256 of the table's size in writes; if writes stop before that, the old arrays stay until the
 * next write or whole-table operation (MEMORY USAGE, a scan, a save).
 *
 * <h2>Packed keys</h2>
 * A table made with {@code packedKeys} stores, in place of each key, one array that starts with
 * the key and carries more bytes after it ({@link #packedKey}: the key's length in base-128
 * digits, low digit first, high bit set on all but the last, then the key, then anything), and
 * no separate value. A large hash keeps each field and its value so, in one array instead of
 * two, which saves an array header per field. Lookups still take the bare key; {@link #keyAt}
 * returns the whole stored array.
 *
 * <h2>Concurrency</h2>
 * None inside: the owner serializes access (the keyspace holds the slot's lock, see {@link Keyspace}).
 */
public final class KeyTable {
    private static final int MIN_CAPACITY = 2;
    /** Tables growing or shrinking from at least this many positions migrate incrementally. */
    static final int INCREMENTAL_CAPACITY = 4096;
    /** Old positions a migrating table moves per insertion or removal (then on to a cluster's end). */
    private static final int MIGRATION_STEP = 256;
    private static final long HASHES = 1L << 32;
    /** Positions {@link #racyProbe} looks at, at most: a probe at 7/8 full rarely passes them. */
    private static final int PREFETCH_PROBES = 8;

    /** Per position p: meta[2p] the key's hash (0: free), meta[2p + 1] its access clock. */
    private int[] meta = new int[2 * MIN_CAPACITY];
    /** Per position p: entries[2p] the key, entries[2p + 1] the value. */
    private Object[] entries = new Object[2 * MIN_CAPACITY];
    private long[] expires;
    /**
     * The number of positions, meta.length / 2, kept apart so that a lookup computes the key's
     * home without first loading the meta array's header: the header and the home position are
     * then two cache misses in parallel instead of one after the other.
     */
    private int capacity = MIN_CAPACITY;
    /**
     * While a large table migrates to a new capacity ({@link #INCREMENTAL_CAPACITY}), the arrays
     * of the previous one, whose keys move over a few clusters per insertion or removal; null
     * otherwise. Old position j is position {@code capacity + j} to callers.
     */
    private int[] oldMeta;
    private Object[] oldEntries;
    private long[] oldExpires;
    private int oldCapacity;
    /** The next old position to move, and how many old positions remain to be visited. */
    private int migrateAt;
    private int migrateLeft;
    private int size;
    private int volatileCount;
    /** A lower bound of the earliest expiry in this table; Long.MAX_VALUE when none is known. */
    private long earliestExpiry = Long.MAX_VALUE;
    private final boolean packedKeys;

    /** A table whose keys are stored as given. */
    public KeyTable() {
        this(false);
    }

    /** A table whose stored keys are packed ({@link #packedKey}) when {@code packedKeys}. */
    public KeyTable(boolean packedKeys) {
        this.packedKeys = packedKeys;
    }

    /** {@code key} followed by {@code payload}, as a table with packed keys stores it. */
    public static byte[] packedKey(byte[] key, byte[] payload) {
        int digits = 1;
        for (int n = key.length >>> 7; n != 0; n >>>= 7) {
            digits++;
        }
        byte[] packed = new byte[digits + key.length + payload.length];
        int n = key.length;
        for (int i = 0; i < digits; i++, n >>>= 7) {
            packed[i] = (byte) (i < digits - 1 ? (n & 0x7F) | 0x80 : n & 0x7F);
        }
        System.arraycopy(key, 0, packed, digits, key.length);
        System.arraycopy(payload, 0, packed, digits + key.length, payload.length);
        return packed;
    }

    /** The offset of the key in a packed key (after its length). */
    public static int packedKeyOffset(byte[] packed) {
        int i = 0;
        while ((packed[i] & 0x80) != 0) {
            i++;
        }
        return i + 1;
    }

    /** The length of the key in a packed key. */
    public static int packedKeyLength(byte[] packed) {
        int length = 0;
        for (int i = 0, shift = 0; ; i++, shift += 7) {
            length |= (packed[i] & 0x7F) << shift;
            if ((packed[i] & 0x80) == 0) {
                return length;
            }
        }
    }

    /** Whether the stored key {@code stored} is {@code key}. */
    private boolean keyEquals(Object stored, byte[] key) {
        byte[] bytes = (byte[]) stored;
        if (!packedKeys) {
            return Arrays.equals(bytes, key);
        }
        int offset = packedKeyOffset(bytes);
        return packedKeyLength(bytes) == key.length
                && Arrays.equals(bytes, offset, offset + key.length, key, 0, key.length);
    }

    public int size() {
        return size;
    }

    public int volatileCount() {
        return volatileCount;
    }

    public long earliestExpiry() {
        return earliestExpiry;
    }

    private int capacity() {
        return capacity;
    }

    /** The home position of a key with {@code unsignedHash} in a table of {@code capacity} positions. */
    private static int home(long unsignedHash, int capacity) {
        return (int) (unsignedHash * capacity >>> 32);
    }

    /** The hash a table stores for {@code key}: never 0, which marks a free position. */
    public static int hashOf(byte[] key) {
        return KeyHash.hash(key) | 1;
    }

    private static long unsigned(int hash) {
        return hash & 0xffffffffL;
    }

    private boolean occupied(int position) {
        return meta[2 * position] != 0;
    }

    private long unsignedHashAt(int position) {
        return unsigned(meta[2 * position]);
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
    public int find(byte[] key) {
        return find(key, hashOf(key));
    }

    /** The position of {@code key}, whose {@link #hashOf} is {@code hash}, or -1. */
    public int find(byte[] key, int hash) {
        int found = probe(meta, entries, capacity, key, hash);
        if (found >= 0 || oldMeta == null) {
            return found;
        }
        int old = probe(oldMeta, oldEntries, oldCapacity, key, hash);
        return old < 0 ? -1 : capacity + old;
    }

    /** The home position of the key with {@code hash} ({@link KeyPrefetch}: reads this object only). */
    int homeOf(int hash) {
        return home(unsigned(hash), capacity);
    }

    /**
     * The key or the value (by {@code which}: 0 or 1) stored at {@code position}, read without
     * the owner's lock for {@link KeyPrefetch}: null when a resize that raced made the position
     * fall outside the arrays read.
     */
    Object racyEntryAt(int position, int which) {
        Object[] e = entries;
        int index = 2 * position + which;
        return index < e.length ? e[index] : null;
    }

    /**
     * Where a lookup of the key with {@code hash} whose home is {@code home} will stop, read as
     * {@link #racyEntryAt} reads: the first position from the home whose stored hash is
     * {@code hash}, looking at most {@link #PREFETCH_PROBES} positions, else the home.
     */
    int racyProbe(int hash, int home) {
        int[] m = meta;
        int positions = m.length / 2;
        for (int i = home, probes = 0; i < positions && probes < PREFETCH_PROBES; i++, probes++) {
            int stored = m[2 * i];
            if (stored == hash) {
                return i;
            }
            if (stored == 0) {
                break;
            }
        }
        return home;
    }

    /** The index of {@code key} among the positions of the arrays {@code m} and {@code e}, or -1. */
    private int probe(int[] m, Object[] e, int capacity, byte[] key, int hash) {
        for (int i = home(unsigned(hash), capacity); ; ) {
            int h = m[2 * i];
            if (h == 0) {
                return -1;
            }
            if (h == hash && keyEquals(e[2 * i], key)) {
                return i;
            }
            if (++i == capacity) {
                i = 0;
            }
        }
    }

    public byte[] keyAt(int position) {
        return (byte[]) (position < capacity ? entries[2 * position] : oldEntries[2 * (position - capacity)]);
    }

    /** Replaces the stored key at {@code position} with an equal one (a packed key with a new payload). */
    public void setKeyAt(int position, byte[] key) {
        if (position < capacity) {
            entries[2 * position] = key;
        } else {
            oldEntries[2 * (position - capacity)] = key;
        }
    }

    public Object valueAt(int position) {
        return position < capacity ? entries[2 * position + 1] : oldEntries[2 * (position - capacity) + 1];
    }

    public void setValueAt(int position, Object value) {
        if (position < capacity) {
            entries[2 * position + 1] = value;
        } else {
            oldEntries[2 * (position - capacity) + 1] = value;
        }
    }

    public int accessAt(int position) {
        return position < capacity ? meta[2 * position + 1] : oldMeta[2 * (position - capacity) + 1];
    }

    public void setAccessAt(int position, int clock) {
        if (position < capacity) {
            meta[2 * position + 1] = clock;
        } else {
            oldMeta[2 * (position - capacity) + 1] = clock;
        }
    }

    /** The expiry at {@code position} in Unix ms, 0 when the key has none. */
    public long expiryAt(int position) {
        if (position < capacity) {
            return expires == null ? 0 : expires[position];
        }
        return oldExpires == null ? 0 : oldExpires[position - capacity];
    }

    public void setExpiryAt(int position, long unixMillis) {
        long[] times;
        int index;
        if (position < capacity) {
            if (expires == null && unixMillis != 0) {
                expires = new long[capacity];
            }
            times = expires;
            index = position;
        } else {
            if (oldExpires == null && unixMillis != 0) {
                oldExpires = new long[oldCapacity];
            }
            times = oldExpires;
            index = position - capacity;
        }
        if (times == null) {
            return;
        }
        long old = times[index];
        if (old == 0 && unixMillis != 0) {
            volatileCount++;
        } else if (old != 0 && unixMillis == 0) {
            volatileCount--;
        }
        times[index] = unixMillis;
        if (unixMillis != 0 && unixMillis < earliestExpiry) {
            earliestExpiry = unixMillis;
        }
    }

    /** Inserts a key known to be absent, whose {@link #hashOf} is {@code hash}; returns its position. */
    public int insert(byte[] key, int hash, Object value, int accessClock) {
        if (oldMeta != null) {
            migrateStep();
        }
        int capacity = capacity();
        if (size + 1 > maxSize(capacity)) {
            resize(capacity + Math.max(1, capacity / 4));
        }
        int i = freePositionFrom(home(unsigned(hash), capacity()));
        meta[2 * i] = hash;
        meta[2 * i + 1] = accessClock;
        entries[2 * i] = key;
        entries[2 * i + 1] = value;
        size++;
        return i;
    }

    /** The first free position at or after {@code position}, wrapping around. */
    private int freePositionFrom(int position) {
        int capacity = capacity();
        int i = position;
        while (occupied(i)) {
            if (++i == capacity) {
                i = 0;
            }
        }
        return i;
    }

    /** Removes the key at {@code position}, shifting the rest of its run back (no tombstones). */
    public void removeAt(int position) {
        if (expiryAt(position) != 0) {
            volatileCount--;
        }
        if (position < capacity) {
            clearShifting(meta, entries, expires, capacity, position);
        } else {
            clearShifting(oldMeta, oldEntries, oldExpires, oldCapacity, position - capacity);
        }
        size--;
        if (volatileCount == 0) {
            earliestExpiry = Long.MAX_VALUE;
        }
        if (oldMeta != null) {
            migrateStep();
        }
        int capacity = capacity();
        if (capacity > MIN_CAPACITY && size * 4 < capacity) {
            resize(Math.max(MIN_CAPACITY, capacity / 2));
        }
    }

    /**
     * Frees index {@code position} of the arrays {@code m}, {@code e} and {@code t} (of
     * {@code capacity} positions), moving back the keys after it in its run that may take its place.
     */
    private static void clearShifting(int[] m, Object[] e, long[] t, int capacity, int position) {
        int hole = position;
        for (int j = next(hole, capacity); m[2 * j] != 0; j = next(j, capacity)) {
            int home = home(m[2 * j] & 0xffffffffL, capacity);
            // Move j into the hole unless its home lies cyclically in (hole, j].
            if (distance(home, j, capacity) >= distance(hole, j, capacity)) {
                m[2 * hole] = m[2 * j];
                m[2 * hole + 1] = m[2 * j + 1];
                e[2 * hole] = e[2 * j];
                e[2 * hole + 1] = e[2 * j + 1];
                if (t != null) {
                    t[hole] = t[j];
                }
                hole = j;
            }
        }
        m[2 * hole] = 0;
        m[2 * hole + 1] = 0;
        e[2 * hole] = null;
        e[2 * hole + 1] = null;
        if (t != null) {
            t[hole] = 0;
        }
    }

    private static int next(int position, int capacity) {
        return position + 1 == capacity ? 0 : position + 1;
    }

    /** How many steps forward, wrapping around, lead from {@code from} to {@code to}. */
    private static int distance(int from, int to, int capacity) {
        return to >= from ? to - from : to - from + capacity;
    }

    /**
     * Moves to {@code capacity} positions. A small table moves every key at once; a large one
     * keeps its arrays as the old ones and moves their keys over the following insertions and
     * removals ({@link #migrateStep}), so that no single call rehashes a large table (Redis
     * rehashes incrementally for the same reason). A migration still running is finished first.
     */
    private void resize(int capacity) {
        settle();
        int[] previousMeta = meta;
        Object[] previousEntries = entries;
        long[] previousExpires = expires;
        int previousCapacity = this.capacity;
        meta = new int[2 * capacity];
        entries = new Object[2 * capacity];
        this.capacity = capacity;
        expires = volatileCount > 0 ? new long[capacity] : null;
        oldMeta = previousMeta;
        oldEntries = previousEntries;
        oldExpires = previousExpires;
        oldCapacity = previousCapacity;
        // Start at a free position, so that the keys left behind always form whole runs, and
        // probing the old arrays, or shifting keys back in them, never meets a moved key's gap.
        int start = 0;
        while (previousMeta[2 * start] != 0) {
            start++;
        }
        migrateAt = start;
        migrateLeft = previousCapacity;
        if (capacity < INCREMENTAL_CAPACITY && previousCapacity < INCREMENTAL_CAPACITY) {
            settle();
        }
    }

    /**
     * Moves the keys of {@link #MIGRATION_STEP} old positions or more, stopping only at a free
     * one, so that what remains in the old arrays is whole runs; drops the old arrays at the end.
     */
    private void migrateStep() {
        migrate(MIGRATION_STEP);
    }

    /** Whether keys are moving from old arrays (for tests). */
    boolean migrating() {
        return oldMeta != null;
    }

    /** Finishes a running migration: every key is in the current arrays afterwards. */
    private void settle() {
        if (oldMeta != null) {
            migrate(Integer.MAX_VALUE);
        }
    }

    private void migrate(int budget) {
        int[] m = oldMeta;
        Object[] e = oldEntries;
        int at = migrateAt;
        int left = migrateLeft;
        while (left > 0 && (budget > 0 || m[2 * at] != 0)) {
            int hash = m[2 * at];
            if (hash != 0) {
                int i = freePositionFrom(home(unsigned(hash), capacity));
                meta[2 * i] = hash;
                meta[2 * i + 1] = m[2 * at + 1];
                entries[2 * i] = e[2 * at];
                entries[2 * i + 1] = e[2 * at + 1];
                if (oldExpires != null && oldExpires[at] != 0) {
                    if (expires == null) {
                        expires = new long[capacity];
                    }
                    expires[i] = oldExpires[at];
                }
                m[2 * at] = 0;
                m[2 * at + 1] = 0;
                e[2 * at] = null;
                e[2 * at + 1] = null;
            }
            at = next(at, oldCapacity);
            left--;
            budget--;
        }
        migrateAt = at;
        migrateLeft = left;
        if (left == 0) {
            oldMeta = null;
            oldEntries = null;
            oldExpires = null;
            oldCapacity = 0;
        }
    }

    /** Calls {@code action} with every position that holds a key. Must not insert or remove. */
    public void forEachPosition(java.util.function.IntConsumer action) {
        settle();
        for (int i = 0; i < capacity(); i++) {
            if (occupied(i)) {
                action.accept(i);
            }
        }
    }

    /**
     * Removes every key whose expiry is at or before {@code now}, passing each to
     * {@code onExpired} before it goes, and recomputes {@link #earliestExpiry} exactly.
     * Returns how many keys were removed.
     */
    public int removeExpired(long now, Consumer<byte[]> onExpired) {
        settle();
        if (volatileCount == 0) {
            earliestExpiry = Long.MAX_VALUE;
            return 0;
        }
        int removed = 0;
        long earliest = Long.MAX_VALUE;
        int i = 0;
        while (i < capacity()) {
            long at = expires == null ? 0 : expires[i];
            if (occupied(i) && at != 0) {
                if (at <= now) {
                    onExpired.accept(keyAt(i));
                    int capacity = capacity();
                    removeAt(i);
                    removed++;
                    if (capacity != capacity()) {
                        settle(); // shrunk: every key to the new arrays, and every position visited again
                        i = 0;
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
    public long scan(long cursor, int count, Consumer<byte[]> out) {
        settle();
        if (cursor >= HASHES || size == 0) {
            return 0;
        }
        int capacity = capacity();
        int first = home(cursor, capacity);
        int added = 0;
        // Forward from the first home to the end: a key counts here if its hash is not below the
        // cursor (so its home is not before the first) and its home is not after its position.
        // Reaching a free position p means every key homed up to p was passed, so the batch may
        // end there.
        for (int i = first; i < capacity; i++) {
            if (!occupied(i)) {
                if (i == capacity - 1) {
                    return 0;
                }
                if (added >= count) {
                    return lowestHashAt(i + 1, capacity);
                }
                continue;
            }
            long hash = unsignedHashAt(i);
            if (hash >= cursor && home(hash, capacity) <= i) {
                out.accept(keyAt(i));
                added++;
            }
        }
        // The last position is taken, so its run wraps around to the start: the keys there whose
        // home lies after their position came from the end of the table (the first pass skipped
        // them), and belong to this batch if their hash is not below the cursor.
        for (int i = 0; occupied(i); i++) {
            long hash = unsignedHashAt(i);
            if (hash >= cursor && home(hash, capacity) > i) {
                out.accept(keyAt(i));
            }
        }
        return 0;
    }

    /** The first position at or after {@code position} that holds a key, or -1 when none does. */
    public int nextPosition(int position) {
        settle();
        for (int i = position; i < capacity(); i++) {
            if (occupied(i)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * A uniformly chosen position holding a key (one with an expiry when {@code withExpiry}), or
     * -1 when there is none. Draws random positions first and falls back to a walk from a random
     * start when keys are too sparse for drawing to find one soon.
     */
    public int randomPosition(java.util.random.RandomGenerator random, boolean withExpiry) {
        settle();
        if (size == 0 || (withExpiry && volatileCount == 0)) {
            return -1;
        }
        int capacity = capacity();
        for (int attempt = 0; attempt < 16; attempt++) {
            int position = random.nextInt(capacity);
            if (occupied(position) && (!withExpiry || expires[position] != 0)) {
                return position;
            }
        }
        int start = random.nextInt(capacity);
        for (int i = 0; i < capacity; i++) {
            int position = start + i < capacity ? start + i : start + i - capacity;
            if (occupied(position) && (!withExpiry || expires[position] != 0)) {
                return position;
            }
        }
        return -1;
    }

    /** The key at a uniformly chosen occupied position, or null when empty. */
    public byte[] randomKey(java.util.random.RandomGenerator random) {
        settle();
        if (size == 0) {
            return null;
        }
        while (true) {
            int position = random.nextInt(capacity());
            if (occupied(position)) {
                return keyAt(position);
            }
        }
    }
}
