package io.spinel.types;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Score text: Redis 7.2's printing and string2d/strtod reading. */
class ScoreTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "3.0|3", "0|0", "-0.0|-0", "0.1|0.1", "1.5e-7|1.5e-7", "1e21|1e+21", "1e-5|0.00001", "1e-7|1e-7",
        "123.456|123.456", "-2.5|-2.5", "1e15|1000000000000000", "12345678901234567890|12345678901234567000",
        "4611686018427387904|4611686018427387904", "9223372036854775808|9223372036854776000", "1e100|1e+100", "1.7976931348623157e308|1.7976931348623157e+308",
        "4.9e-324|5e-324", "0.3|0.3", "1234.5678901234567|1234.5678901234567", "Infinity|inf", "-Infinity|-inf",
        "1e-4|0.0001", "-1e22|-1e+22", "2.5e-300|2.5e-300"})
    void format_as72(String value, String expected) {
        assertThat(Score.format(Double.parseDouble(value))).isEqualTo(expected);
    }

    @Test
    void format_readsBack() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 100_000; i++) {
            double d = Double.longBitsToDouble(random.nextLong());
            if (Double.isNaN(d)) {
                continue;
            }
            String text = Score.format(d);
            assertThat(Score.parse(bytes(text)) == d || (d == 0 && Score.parse(bytes(text)) == 0))
                    .as(text).isTrue();
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1|1.0", "-0|-0.0", "+5|5.0", ".5|0.5", "5.|5.0", "1e3|1000.0", "0x10|16.0", "0x1p3|8.0", "0X.8|0.5",
        "inf|Infinity", "-INF|-Infinity", "+Infinity|Infinity", "1e-310|1.0E-310", "007|7.0"})
    void parse_accepted(String text, double expected) {
        assertThat(Score.parse(bytes(text))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"x", "nan", "-nan", "1e400", "1e-400", "' 1'", "'1 '", "1e", "0x", "infx", "1.5.2", "--1"})
    void parse_refused(String text) {
        assertThat(Score.parse(bytes(text))).isNaN();
    }

    @Test
    void parse_emptyRefused() {
        assertThat(Score.parse(new byte[0])).isNaN();
    }

    @Test
    void parseBound_strtodRules() {
        assertThat(Score.parseBound(bytes(""), 0)).isEqualTo(0.0);
        assertThat(Score.parseBound(bytes("("), 1)).isEqualTo(0.0);
        assertThat(Score.parseBound(bytes(" 1"), 0)).isEqualTo(1.0);
        assertThat(Score.parseBound(bytes("1e400"), 0)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(Score.parseBound(bytes("2\u0000junk"), 0)).isEqualTo(2.0);
        assertThat(Score.parseBound(bytes(" "), 0)).isNaN();
        assertThat(Score.parseBound(bytes("1 "), 0)).isNaN();
        assertThat(Score.parseBound(bytes("nan"), 0)).isNaN();
        assertThat(Score.parseBound(bytes("abc"), 0)).isNaN();
    }

    /** Plain integers take a shortcut past strtod; where it ends, strtod's answers take over. */
    @Test
    void parseBound_plainIntegers() {
        assertThat(Score.parseBound(bytes("(500010"), 1)).isEqualTo(500010.0);
        assertThat(Score.parseBound(bytes("-42"), 0)).isEqualTo(-42.0);
        assertThat(1 / Score.parseBound(bytes("-0"), 0)).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(Score.parseBound(bytes("999999999999999"), 0)).isEqualTo(999999999999999.0);
        assertThat(Score.parseBound(bytes("12345678901234567890"), 0)).isEqualTo(12345678901234567890.0);
        assertThat(Score.parseBound(bytes("(-"), 1)).isNaN();
        assertThat(Score.parseBound(bytes("-"), 0)).isNaN();
        assertThat(Score.parseBound(bytes("+7"), 0)).isEqualTo(7.0);
        assertThat(Score.parseBound(bytes("7x"), 0)).isNaN();
    }
}
