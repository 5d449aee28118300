package io.spinel.store;

import java.util.concurrent.atomic.LongAdder;

/** The keyspace counters INFO stats reports. Thread-safe. */
public final class KeyspaceStats {
    public final LongAdder hits = new LongAdder();
    public final LongAdder misses = new LongAdder();
    public final LongAdder expiredKeys = new LongAdder();
    public final LongAdder expiredStaleCycles = new LongAdder();
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
    }
}
