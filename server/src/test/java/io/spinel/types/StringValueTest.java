package io.spinel.types;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link StringValue}'s choice of encoding, checked against what Redis 7.0 reports with OBJECT
 * ENCODING after a SET of the same bytes, and the length and bytes each form gives back.
 */
class StringValueTest {

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest
    @CsvSource({
            "'0', int",
            "'1', int",
            "'9999', int",
            "'10000', int",
            "'-1', int",
            "'9223372036854775807', int",
            "'-9223372036854775808', int",
            "'9223372036854775808', embstr",
            "'-9223372036854775809', embstr",
            "'-0', embstr",
            "'007', embstr",
            "'+1', embstr",
            "' 1', embstr",
            "'1 ', embstr",
            "'1.5', embstr",
            "'', embstr",
            "'abc', embstr",
            "'12345678901234567890123456789012345678901234', embstr",
            "'123456789012345678901234567890123456789012345', raw",
            "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', raw",
    })
    void of_choosesRedisEncoding(String text, String encoding) {
        Object value = StringValue.of(bytes(text));
        assertThat(StringValue.encoding(value)).isEqualTo(encoding);
        assertThat(StringValue.bytes(value)).isEqualTo(bytes(text));
        assertThat(StringValue.length(value)).isEqualTo(text.length());
        assertThat(StringValue.isString(value)).isTrue();
    }

    @Test
    void sameWhole_onlyForEqualBytesOrEqualIntegers() {
        assertThat(StringValue.sameWhole(bytes("abc"), bytes("abc"))).isTrue();
        assertThat(StringValue.sameWhole(bytes(""), bytes(""))).isTrue();
        assertThat(StringValue.sameWhole(bytes("abc"), bytes("abd"))).isFalse();
        assertThat(StringValue.sameWhole(bytes("abc"), bytes("abcd"))).isFalse();
        assertThat(StringValue.sameWhole(123_456L, Long.valueOf(123_456L))).isTrue();
        assertThat(StringValue.sameWhole(123_456L, 123_457L)).isFalse();
        assertThat(StringValue.sameWhole(12L, bytes("12"))).isFalse();
        assertThat(StringValue.sameWhole(bytes("12"), 12L)).isFalse();
        assertThat(StringValue.sameWhole(new MutableString(bytes("abc"), 3), bytes("abc"))).isFalse();
        assertThat(StringValue.sameWhole(bytes("abc"), new MutableString(bytes("abc"), 3))).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"'', 0", "'abc', 3", "'12', 2"})
    void mutableString_isRawWhateverItHolds(String text, int length) {
        MutableString value = new MutableString(bytes(text), text.length());
        assertThat(StringValue.encoding(value)).isEqualTo("raw");
        assertThat(StringValue.length(value)).isEqualTo(length);
        value.append(bytes("x"));
        assertThat(StringValue.bytes(value)).isEqualTo(bytes(text + "x"));
        value.write(length + 3, bytes("y"));
        assertThat(StringValue.bytes(value)).isEqualTo(bytes(text + "x\0\0y"));
    }

    @ParameterizedTest
    @CsvSource({"'12', 12", "'-5', -5", "'x', ", "'1.0', ", "'01', "})
    void asLong_readsCanonicalIntegersOnly(String text, Long expected) {
        assertThat(StringValue.asLong(bytes(text))).isEqualTo(expected);
        assertThat(StringValue.asLong(new MutableString(bytes(text), 4))).isEqualTo(expected);
    }

    @Test
    void sumOverflows_atTheEdgesOfTheLongRange() {
        assertThat(StringValue.sumOverflows(Long.MAX_VALUE, 0)).isFalse();
        assertThat(StringValue.sumOverflows(Long.MAX_VALUE, 1)).isTrue();
        assertThat(StringValue.sumOverflows(Long.MAX_VALUE - 1, 1)).isFalse();
        assertThat(StringValue.sumOverflows(Long.MIN_VALUE, -1)).isTrue();
        assertThat(StringValue.sumOverflows(Long.MIN_VALUE + 1, -1)).isFalse();
        assertThat(StringValue.sumOverflows(Long.MIN_VALUE, Long.MAX_VALUE)).isFalse();
        assertThat(StringValue.sumOverflows(-1, Long.MIN_VALUE)).isTrue();
    }
}
