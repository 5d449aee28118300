package io.spinel.store;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The access frequency a key's access clock holds under the LFU eviction policies: the low 8
 * bits are Redis's logarithmic counter, the high 24 bits the time of the last access in units of
 * 100 ms (modulo 2^24, about 19 days). The counter starts at {@link #INITIAL} so that a new key
 * is not evicted before it had a chance to be read; an access increments it with probability
 * 1 / ((counter - INITIAL) * lfu-log-factor + 1), and it loses one for every lfu-decay-time
 * minutes without access, counted when the key is next read or sampled.
 *
 * <p>Redis keeps the last decrement time in minutes in 16 bits; the finer time here serves the
 * same decay and also ranks, for eviction, keys of equal counter by how long ago they were read
 * ({@link #idleMillis}), so that a cold key goes before a key of the same frequency read a moment
 * ago.
 */
public final class LfuCounter {
    /** LFU_INIT_VAL. */
    static final int INITIAL = 5;
    private static final long TICK_MILLIS = 100;
    private static final int TICKS = 1 << 24;
    private static final long TICKS_PER_MINUTE = 60_000 / TICK_MILLIS;

    private LfuCounter() {
    }

    /** The access clock of a key created now. */
    static int created(long nowMillis) {
        return ticks(nowMillis) << 8 | INITIAL;
    }

    /** The access clock after an access now (Redis's updateLFU): decay, then a probabilistic increment. */
    static int accessed(int clock, long nowMillis, long logFactor, long decayMinutes) {
        int counter = decayed(clock, nowMillis, decayMinutes);
        if (counter < 255) {
            double base = Math.max(0, counter - INITIAL);
            if (ThreadLocalRandom.current().nextDouble() < 1.0 / (base * logFactor + 1)) {
                counter++;
            }
        }
        return ticks(nowMillis) << 8 | counter;
    }

    /** The counter with the decay due by now applied (LFUDecrAndReturn); the clock is not changed. */
    public static int decayed(int clock, long nowMillis, long decayMinutes) {
        int counter = clock & 0xFF;
        if (decayMinutes <= 0) {
            return counter;
        }
        long periods = elapsedTicks(clock, nowMillis) / TICKS_PER_MINUTE / decayMinutes;
        return periods >= counter ? 0 : (int) (counter - periods);
    }

    /** Milliseconds since the last access recorded in {@code clock}. */
    static long idleMillis(int clock, long nowMillis) {
        return elapsedTicks(clock, nowMillis) * TICK_MILLIS;
    }

    private static long elapsedTicks(int clock, long nowMillis) {
        int last = clock >>> 8;
        int now = ticks(nowMillis);
        return now >= last ? now - last : TICKS - last + now;
    }

    private static int ticks(long nowMillis) {
        return (int) (nowMillis / TICK_MILLIS) & (TICKS - 1);
    }
}
