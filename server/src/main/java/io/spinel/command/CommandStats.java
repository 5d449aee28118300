package io.spinel.command;

import io.spinel.store.Counter;

/** The per-command counters of INFO commandstats and latencystats. Thread-safe. */
public final class CommandStats {
    final Counter calls = new Counter();
    final Counter micros = new Counter();
    final Counter rejectedCalls = new Counter();
    final Counter failedCalls = new Counter();
    /** The calls' durations, for INFO latencystats (recorded while latency-tracking is on). */
    final LatencyHistogram latency = new LatencyHistogram();

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

    public LatencyHistogram latency() {
        return latency;
    }

    /** Clears every counter (CONFIG RESETSTAT). */
    void reset() {
        calls.reset();
        micros.reset();
        rejectedCalls.reset();
        failedCalls.reset();
        latency.reset();
    }
}
