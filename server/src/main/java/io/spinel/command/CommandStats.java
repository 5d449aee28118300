package io.spinel.command;

import java.util.concurrent.atomic.LongAdder;

/** The per-command counters of INFO commandstats. Thread-safe. */
public final class CommandStats {
    final LongAdder calls = new LongAdder();
    final LongAdder micros = new LongAdder();
    final LongAdder rejectedCalls = new LongAdder();
    final LongAdder failedCalls = new LongAdder();

    public long calls() {
        return calls.sum();
    }

    public long micros() {
        return micros.sum();
    }

    public long rejectedCalls() {
        return rejectedCalls.sum();
    }

    public long failedCalls() {
        return failedCalls.sum();
    }

    /** Clears every counter (CONFIG RESETSTAT). */
    void reset() {
        calls.reset();
        micros.reset();
        rejectedCalls.reset();
        failedCalls.reset();
    }
}
