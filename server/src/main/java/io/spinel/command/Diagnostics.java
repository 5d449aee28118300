package io.spinel.command;

import io.spinel.config.Config;

/**
 * What the server observes about itself for the introspection commands: the slow log, the
 * latency monitor, the instantaneous operations rate (INFO stats) and the peak of memory use. The dispatcher reports
 * every executed command here; the cron samples the rate. Thread-safe.
 */
public final class Diagnostics {
    /** STATS_METRIC_SAMPLES: the rate is the mean of this many samples. */
    private static final int RATE_SAMPLES = 16;
    /** Samples are taken at most this often, as Redis's cron does every 100 ms. */
    private static final long SAMPLE_PERIOD_MILLIS = 100;

    private final SlowLog slowLog = new SlowLog();
    private final LatencyMonitor latency = new LatencyMonitor();
    private final long[] opsSamples = new long[RATE_SAMPLES];
    private int nextSample;
    private long lastSampleMillis;
    private long lastSampleCount;
    private long peakMemory;

    public SlowLog slowLog() {
        return slowLog;
    }

    public LatencyMonitor latency() {
        return latency;
    }

    /**
     * Feeds a finished command to the slow log (unless flagged skip_slowlog) and to the latency
     * monitor's "command" or "fast-command" event, each when over its configured threshold.
     */
    void commandFinished(Config config, Client client, CommandSpec command, byte[][] argv, long micros, long nowMillis) {
        long slowerThan = config.slowlogLogSlowerThan.value();
        if (slowerThan >= 0 && micros >= slowerThan && !command.has(CommandFlag.SKIP_SLOWLOG)) {
            slowLog.add(argv, micros, nowMillis / 1000, client, config.slowlogMaxLen.value());
        }
        long threshold = config.latencyMonitorThreshold.value();
        if (threshold > 0 && micros / 1000 >= threshold) {
            latency.add(command.has(CommandFlag.FAST) ? "fast-command" : "command", nowMillis / 1000, micros / 1000);
        }
    }

    /** Takes a sample of the commands processed so far and of used_memory (called by the cron). */
    public synchronized void sample(long nowMillis, long commandsProcessed, long usedMemory) {
        peakMemory(usedMemory);
        long elapsed = nowMillis - lastSampleMillis;
        if (elapsed < SAMPLE_PERIOD_MILLIS) {
            return;
        }
        if (lastSampleMillis != 0) {
            opsSamples[nextSample] = (commandsProcessed - lastSampleCount) * 1000 / elapsed;
            nextSample = (nextSample + 1) % RATE_SAMPLES;
        }
        lastSampleMillis = nowMillis;
        lastSampleCount = commandsProcessed;
    }

    /** used_memory_peak: the largest heap use sampled, counting {@code used} observed now. */
    public synchronized long peakMemory(long used) {
        peakMemory = Math.max(peakMemory, used);
        return peakMemory;
    }

    /** instantaneous_ops_per_sec: the mean of the recent samples. */
    public synchronized long opsPerSecond() {
        long sum = 0;
        for (long sample : opsSamples) {
            sum += sample;
        }
        return sum / RATE_SAMPLES;
    }
}
