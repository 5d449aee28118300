package io.spinel.store;

import java.util.concurrent.atomic.LongAdder;

/** The keyspace counters INFO stats reports. Thread-safe. */
public final class KeyspaceStats {
    public final LongAdder hits = new LongAdder();
    public final LongAdder misses = new LongAdder();
    public final LongAdder expiredKeys = new LongAdder();
    public final LongAdder expiredStaleCycles = new LongAdder();
    /** Keys removed by eviction (evicted_keys). */
    public final LongAdder evictedKeys = new LongAdder();
    /** Microseconds spent over maxmemory, summed over finished episodes (total_eviction_exceeded_time). */
    public final LongAdder evictionExceededMicros = new LongAdder();
    /** Values deleted the lazy way (UNLINK, FLUSHALL ASYNC, lazyfree-lazy-*) that were large enough to count (lazyfreed_objects). */
    public final LongAdder lazyfreedObjects = new LongAdder();
    /**
     * Every change to the data since start (Redis's server.dirty, never reset): persistence
     * reports the changes since the last save as the difference, and save points compare it.
     */
    public final LongAdder changes = new LongAdder();

    public void reset() {
        hits.reset();
        misses.reset();
        expiredKeys.reset();
        expiredStaleCycles.reset();
        evictedKeys.reset();
        evictionExceededMicros.reset();
        lazyfreedObjects.reset();
    }
}
