package io.spinel.command;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** INFO latencystats' histogram reads what Redis's HDR histogram reads for the same durations. */
class LatencyHistogramTest {
    @Test
    void percentilesReadTheHighestEquivalentValue() {
        LatencyHistogram histogram = new LatencyHistogram();
        histogram.record(5_000); // 5 us: Redis prints 5.023
        assertThat(histogram.snapshot().valueAtPercentile(50)).isEqualTo(5_023);
        histogram.record(1_000);
        histogram.record(11_000);
        LatencyHistogram.Snapshot three = histogram.snapshot();
        assertThat(three.count()).isEqualTo(3);
        assertThat(three.valueAtPercentile(0)).isEqualTo(1_000); // the lowest equivalent value at 0
        assertThat(three.valueAtPercentile(10)).isEqualTo(1_003);
        assertThat(three.valueAtPercentile(50)).isEqualTo(5_023);
        assertThat(three.valueAtPercentile(99.9)).isEqualTo(11_007);
        assertThat(three.valueAtPercentile(100)).isEqualTo(11_007);
    }

    @Test
    void smallValuesAreExactAndDurationsAreClamped() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (long value = 1; value <= 255; value++) {
            histogram.record(value);
        }
        histogram.record(0); // counted as 1 ns
        histogram.record(5_000_000_000L); // counted as 1 s
        LatencyHistogram.Snapshot snapshot = histogram.snapshot();
        assertThat(snapshot.valueAtPercentile(0.5)).isEqualTo(1);
        assertThat(snapshot.valueAtPercentile(50)).isEqualTo(128);
        assertThat(snapshot.valueAtPercentile(100)).isBetween(1_000_000_000L, 1_004_000_000L);
    }

    @Test
    void resetForgetsWhatWasRecorded() {
        LatencyHistogram histogram = new LatencyHistogram();
        histogram.record(2_000);
        histogram.reset();
        assertThat(histogram.snapshot().count()).isZero();
        histogram.record(3_000);
        Thread other = new Thread(() -> histogram.record(3_000));
        other.start();
        try {
            other.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        assertThat(histogram.snapshot().count()).isEqualTo(2);
        assertThat(histogram.snapshot().valueAtPercentile(50)).isEqualTo(3_007);
    }
}
