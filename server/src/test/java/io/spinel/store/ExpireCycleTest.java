package io.spinel.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The active expire cycle's time budgets follow active-expire-effort as Redis's do. */
class ExpireCycleTest {
    @Test
    void fastCycleGrowsAQuarterMillisecondPerStep() {
        assertThat(ExpireCycle.fastDurationMicros(1)).isEqualTo(1000);
        assertThat(ExpireCycle.fastDurationMicros(2)).isEqualTo(1250);
        assertThat(ExpireCycle.fastDurationMicros(10)).isEqualTo(3250);
    }

    /**
     * A clock that moves 1 ms each time the cycle reads it, over a keyspace with one expired key:
     * the cycle then walks the slots, reading the clock every 16, until its budget runs out, so
     * the reads it makes measure the budget. At hz 10 the slow cycle has 25 ms at effort 1 and
     * 43 ms at 10 (25% and 43% of the 100 ms between cycles).
     */
    @Test
    void slowCycleTakesTwoMorePercentPerStep() {
        assertThat(clockReadsOfOneCycle(1)).isBetween(26L, 27L);
        assertThat(clockReadsOfOneCycle(2)).isBetween(28L, 29L);
        assertThat(clockReadsOfOneCycle(10)).isBetween(44L, 45L);
    }

    private static long clockReadsOfOneCycle(int effort) {
        AtomicLong millis = new AtomicLong(1_000_000);
        AtomicLong reads = new AtomicLong();
        Clock clock = new Clock() {
            @Override
            public long millis() {
                return millis.get();
            }

            @Override
            public long nanoTime() {
                return reads.getAndIncrement() * 1_000_000L;
            }
        };
        Keyspace keyspace = new Keyspace(1, clock);
        keyspace.database(0).set("due".getBytes(), "v".getBytes(), 1_500_000);
        millis.set(2_000_000);
        reads.set(0);
        new ExpireCycle(keyspace).run(10, effort);
        return reads.get();
    }
}
