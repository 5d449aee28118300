package io.spinel.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The latency monitor's per-second samples, maximum and reset. */
class LatencyMonitorTest {
    @Test
    void add_keepsTheWorstSampleOfEachSecond() {
        LatencyMonitor monitor = new LatencyMonitor();
        monitor.add("command", 10, 5);
        monitor.add("command", 10, 7);
        monitor.add("command", 10, 6);
        monitor.add("command", 11, 2);
        LatencyMonitor.Series series = monitor.series("command");
        assertThat(series.samples()).containsExactly(new LatencyMonitor.Sample(10, 7), new LatencyMonitor.Sample(11, 2));
        assertThat(series.maxMillis()).isEqualTo(7);
        assertThat(monitor.reset(List.of("nosuch"))).isZero();
        assertThat(monitor.reset(List.of())).isEqualTo(1);
        assertThat(monitor.all()).isEmpty();
    }
}
