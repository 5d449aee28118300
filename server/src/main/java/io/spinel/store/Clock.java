package io.spinel.store;

/**
 * The one source of time: every expiry check, idle time and timeout reads it, so tests can move
 * time without sleeping. Thread-safe.
 */
public interface Clock {
    /** Milliseconds since the Unix epoch. */
    long millis();

    /** Microseconds since the Unix epoch (TIME, SLOWLOG). */
    default long micros() {
        return millis() * 1000;
    }

    /** Nanoseconds from an arbitrary origin, for durations. */
    default long nanoTime() {
        return System.nanoTime();
    }

    /** The wall clock. */
    Clock SYSTEM = new Clock() {
        @Override
        public long millis() {
            return System.currentTimeMillis();
        }

        @Override
        public long micros() {
            java.time.Instant now = java.time.Instant.now();
            return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
        }
    };
}
