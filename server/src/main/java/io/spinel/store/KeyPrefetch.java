package io.spinel.store;

/**
 * Reads ahead the memory that looking up a batch of keys will touch, so that the cache misses of
 * the batch overlap instead of coming one key after another. A lookup is a chain of dependent
 * reads (the slot's table, the stored hashes from the key's home on, the stored key and value),
 * each a likely cache miss in a large keyspace; a processor runs only a few hundred instructions
 * ahead of a miss, so looking the keys up one by one waits for every miss in turn. Here each stage reads
 * what the previous stage found, for every key of the batch before the next stage: the reads of
 * one stage do not depend on each other, so their misses are outstanding together (software
 * pipelining across keys; Java has no prefetch instruction). A connection's pipelined requests
 * are the batch: the client handler decodes a few ahead, {@link #add}s their keys, runs this, then
 * runs them, and their lookups find the memory in the cache.
 *
 * <p>It reads without the slots' locks and changes nothing: a writer racing on another thread can
 * only make it read a stale table or position, which wastes the read. What it read is summed into
 * {@link #read()}, which the owner keeps, so that the compiler cannot drop the reads as unused.
 * One per connection, used by its event loop only.
 */
public final class KeyPrefetch {
    /**
     * Keys per batch, at most: 16 requests of one key (redis-benchmark -P 16), or two MSETs of
     * ten. A power of two: the slot memo, which holds a batch, masks its indexes.
     */
    public static final int MAX_KEYS = 32;

    private final byte[][] keys = new byte[MAX_KEYS][];
    private final KeyTable[] tables = new KeyTable[MAX_KEYS];
    private final int[] slots = new int[MAX_KEYS];
    private final int[] hashes = new int[MAX_KEYS];
    private final int[] positions = new int[MAX_KEYS];
    private final Object[] stored = new Object[2 * MAX_KEYS];
    private int count;
    private int read;

    /** Adds a key to the batch; false (and nothing added) when the batch is full. */
    public boolean add(byte[] key) {
        if (count == MAX_KEYS) {
            return false;
        }
        keys[count++] = key;
        return true;
    }

    /**
     * Reads ahead the lookups of the batch's keys in {@code db}, then empties the batch. A batch
     * of one key is only emptied: its lookup has no other to overlap with.
     */
    public void run(Database db) {
        int n = count;
        if (n == 1) {
            keys[0] = null;
            count = 0;
            return;
        }
        int sum = 0;
        SlotHash.slotsOfNew(keys, n, slots);
        for (int i = 0; i < n; i++) {
            tables[i] = db.racyTable(slots[i]);
            hashes[i] = KeyTable.hashOf(keys[i]);
        }
        for (int i = 0; i < n; i++) {
            KeyTable table = tables[i];
            positions[i] = table == null ? -1 : table.homeOf(hashes[i]);
        }
        for (int i = 0; i < n; i++) {
            if (positions[i] >= 0) {
                positions[i] = tables[i].racyProbe(hashes[i], positions[i]);
            }
        }
        for (int i = 0; i < n; i++) {
            if (positions[i] >= 0) {
                stored[2 * i] = tables[i].racyEntryAt(positions[i], 0);
                stored[2 * i + 1] = tables[i].racyEntryAt(positions[i], 1);
            }
        }
        for (int i = 0; i < n; i++) {
            if (positions[i] >= 0) {
                sum += length(stored[2 * i]) + length(stored[2 * i + 1]);
            }
            keys[i] = null;
            tables[i] = null;
            stored[2 * i] = null;
            stored[2 * i + 1] = null;
        }
        count = 0;
        read += sum;
    }

    private static int length(Object stored) {
        return stored instanceof byte[] bytes ? bytes.length : 0;
    }

    /** A sum of what the reads found, meaningless but for keeping them. */
    public int read() {
        return read;
    }
}
