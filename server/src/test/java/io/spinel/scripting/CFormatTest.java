package io.spinel.scripting;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** C's printf conversions as glibc prints them (expected values from C's printf). */
class CFormatTest {
    @ParameterizedTest
    @CsvSource({
            "0.3333333333333333, 0.33333333333333",
            "9007199254740992, 9.007199254741e+15",
            "1e300, 1e+300",
            "0.1, 0.1",
            "-1e-5, -1e-05",
            "123456789012345, 1.2345678901234e+14",
            "99999999999999, 99999999999999",
            "2.5, 2.5",
            "1e15, 1e+15",
            "3.14159265358979, 3.1415926535898",
            "-0.0, -0",
            "5e-324, 4.9406564584125e-324",
            "1.7976931348623157e308, 1.7976931348623e+308",
            "100, 100",
            "1234.5, 1234.5"})
    void number_isPercent14g(double value, String expected) {
        assertThat(CFormat.number(value)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"0.125, 2, 0.12", "2.5, 0, 2", "3.5, 0, 4", "0.3333333333333333, 3, 0.333",
            "1e20, 2, 100000000000000000000.00", "-1.5, 1, -1.5"})
    void fixed_roundsTheExactValueHalfEven(double value, int precision, String expected) {
        assertThat(CFormat.fixed(value, precision, false)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"12345.6789, 6, 1.234568e+04", "0, 3, 0.000e+00", "1e-10, 2, 1.00e-10", "-2.5e100, 0, -2e+100"})
    void exponent_hasTwoExponentDigits(double value, int precision, String expected) {
        assertThat(CFormat.exponent(value, precision, false)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"0.0001, 6, 0.0001", "1e20, 6, 1e+20", "123456, 6, 123456", "1234567, 6, 1.23457e+06",
            "0.1, 17, 0.10000000000000001", "100, 1, 1e+02"})
    void general_picksTheShorterForm(double value, int precision, String expected) {
        assertThat(CFormat.general(value, precision, false, false)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"Infinity, inf", "-Infinity, -inf"})
    void number_infinities(double value, String expected) {
        assertThat(CFormat.number(value)).isEqualTo(expected);
    }
}
