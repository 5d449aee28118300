package io.spinel.command.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** INFO's human-readable sizes, as Redis's bytesToHuman writes them. */
class InfoReportTest {
    @Test
    void human_unitsAndDecimals() {
        assertThat(InfoReport.human(0)).isEqualTo("0B");
        assertThat(InfoReport.human(1023)).isEqualTo("1023B");
        assertThat(InfoReport.human(1024)).isEqualTo("1.00K");
        assertThat(InfoReport.human(2128328)).isEqualTo("2.03M");
        assertThat(InfoReport.human(25276510208L)).isEqualTo("23.54G");
    }
}
