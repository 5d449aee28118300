package io.spinel.command;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The latency monitor: for each event ("command", "fast-command", ...) the samples that reached
 * latency-monitor-threshold milliseconds, at most one per second (the largest of that second
 * wins) and the latest 160 of them, plus the all-time maximum, as LATENCY LATEST and HISTORY
 * report them. Thread-safe.
 */
public final class LatencyMonitor {
    /** LATENCY_TS_LEN: samples kept per event. */
    private static final int HISTORY_LENGTH = 160;

    /** One sample: the second it was taken and its latency in milliseconds. */
    public record Sample(long unixSeconds, long millis) {
    }

    /** An event's history (oldest first) and its all-time maximum. */
    public record Series(String event, List<Sample> samples, long maxMillis) {
    }

    /** The samples of one event and its all-time maximum. */
    private static final class Events {
        final List<Sample> samples = new ArrayList<>();
        long max;
    }

    private final Map<String, Events> events = new LinkedHashMap<>();

    /** Records that {@code event} took {@code millis} at {@code unixSeconds}. */
    public synchronized void add(String event, long unixSeconds, long millis) {
        Events series = events.computeIfAbsent(event, e -> new Events());
        series.max = Math.max(series.max, millis);
        List<Sample> samples = series.samples;
        if (!samples.isEmpty() && samples.get(samples.size() - 1).unixSeconds() == unixSeconds) {
            Sample last = samples.get(samples.size() - 1);
            samples.set(samples.size() - 1, new Sample(unixSeconds, Math.max(last.millis(), millis)));
            return;
        }
        samples.add(new Sample(unixSeconds, millis));
        if (samples.size() > HISTORY_LENGTH) {
            samples.remove(0);
        }
    }

    /** Every event that has samples, in the order they first occurred. */
    public synchronized List<Series> all() {
        List<Series> out = new ArrayList<>();
        events.forEach((name, series) -> out.add(new Series(name, List.copyOf(series.samples), series.max)));
        return out;
    }

    /** The event's series, or null when it has no samples. */
    public synchronized Series series(String event) {
        Events series = events.get(event);
        return series == null ? null : new Series(event, List.copyOf(series.samples), series.max);
    }

    /** Forgets the events named (all when none is); returns how many had samples. */
    public synchronized int reset(List<String> names) {
        if (names.isEmpty()) {
            int count = events.size();
            events.clear();
            return count;
        }
        int count = 0;
        for (String name : names) {
            if (events.remove(name) != null) {
                count++;
            }
        }
        return count;
    }
}
