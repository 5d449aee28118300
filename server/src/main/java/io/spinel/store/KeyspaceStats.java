package io.spinel.store;

import java.util.concurrent.atomic.LongAdder;

/** The keyspace counters INFO stats reports. Thread-safe. */
public final class KeyspaceStats {
    public final LongAdder hits = new LongAdder();
    public final LongAdder misses = new LongAdder();
    public final LongAdder expiredKeys = new LongAdder();
    public final LongAdder expiredStaleCycles = new LongAdder();

    public void reset() {
        hits.reset();
        misses.reset();
        expiredKeys.reset();
        expiredStaleCycles.reset();
    }
}
