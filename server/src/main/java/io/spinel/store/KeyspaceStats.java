package io.spinel.store;


/** The keyspace counters INFO stats reports. Thread-safe. */
public final class KeyspaceStats {
    public final Counter hits = new Counter();
    public final Counter misses = new Counter();
    public final Counter expiredKeys = new Counter();
    public final Counter expiredStaleCycles = new Counter();
    /** Keys removed by eviction (evicted_keys). */
    public final Counter evictedKeys = new Counter();
    /** Microseconds spent over maxmemory, summed over finished episodes (total_eviction_exceeded_time). */
    public final Counter evictionExceededMicros = new Counter();
    /** Values deleted the lazy way (UNLINK, FLUSHALL ASYNC, lazyfree-lazy-*) that were large enough to count (lazyfreed_objects). */
    public final Counter lazyfreedObjects = new Counter();
    /**
     * Every change to the data since start (Redis's server.dirty, never reset): persistence
     * reports the changes since the last save as the difference, and save points compare it.
     */
    public final Counter changes = new Counter();

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
