package io.spinel.store;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The access frequency a key's access clock holds under the LFU eviction policies, as Redis keeps
 * it: the low 8 bits are a logarithmic counter, bits 8 to 23 the time of its last decrement in
 * minutes (modulo 2^16). The counter starts at {@link #INITIAL} so that a new key is not evicted
 * before it had a chance to be read; an access increments it with probability
 * 1 / ((counter - INITIAL) * lfu-log-factor + 1), and it loses one for every lfu-decay-time
 * minutes without access, counted when the key is next read or sampled.
 */
public final class LfuCounter {
    /** LFU_INIT_VAL. */
    static final int INITIAL = 5;
    private static final int MINUTES_MASK = 0xFFFF;

    private LfuCounter() {
    }

    /** The access clock of a key created now. */
    static int created(long nowMillis) {
        return minutes(nowMillis) << 8 | INITIAL;
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
        return minutes(nowMillis) << 8 | counter;
    }

    /** The counter with the decay due by now applied (LFUDecrAndReturn); the clock is not changed. */
    public static int decayed(int clock, long nowMillis, long decayMinutes) {
        int counter = clock & 0xFF;
        if (decayMinutes <= 0) {
            return counter;
        }
        int last = (clock >>> 8) & MINUTES_MASK;
        int now = minutes(nowMillis);
        long elapsed = now >= last ? now - last : MINUTES_MASK - last + now;
        long periods = elapsed / decayMinutes;
        return periods >= counter ? 0 : (int) (counter - periods);
    }

    private static int minutes(long nowMillis) {
        return (int) (nowMillis / 60_000) & MINUTES_MASK;
    }
}
