package io.spinel.command.sort;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** SORT's weight parsing (C's strtod) and C-string comparison. */
class SortCommandsTest {
    private static double strtod(String s) {
        return SortCommands.strtod(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void strtod_readsWhatCReads() {
        assertThat(strtod("42")).isEqualTo(42);
        assertThat(strtod("-1.5e3")).isEqualTo(-1500);
        assertThat(strtod("  7")).isEqualTo(7);
        assertThat(strtod("+.5")).isEqualTo(0.5);
        assertThat(strtod("5.")).isEqualTo(5);
        assertThat(strtod("0x10")).isEqualTo(16);
        assertThat(strtod("0X1.8p1")).isEqualTo(3);
        assertThat(strtod("-inf")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(strtod("Infinity")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(strtod("")).isEqualTo(0);
        assertThat(strtod("1e")).isNaN();
        assertThat(strtod("1 ")).isNaN();
        assertThat(strtod(" ")).isNaN();
        assertThat(strtod("abc")).isNaN();
        assertThat(strtod("nan")).isNaN();
        assertThat(strtod("infx")).isNaN();
        assertThat(strtod("1e400")).isNaN();
        assertThat(strtod("1e-400")).isNaN();
        assertThat(strtod("0e-400")).isEqualTo(0);
        assertThat(strtod("0x")).isNaN();
        assertThat(strtod("3\u0000junk")).isEqualTo(3);
    }

    @Test
    void compareCString_stopsAtNul() {
        byte[] a = {'a', 0, 'z'};
        byte[] b = {'a', 0, 'b'};
        assertThat(SortCommands.compareCString(a, b)).isZero();
        assertThat(SortCommands.compareCString(new byte[] {(byte) 0xff}, new byte[] {'a'})).isPositive();
        assertThat(SortCommands.compareCString(new byte[] {'a'}, new byte[] {'a', 'b'})).isNegative();
    }
}
