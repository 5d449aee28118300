package io.spinel.command.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinel.types.StringValue;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** DEBUG OBJECT's serializedlength, against figures read from Redis 7.0. */
class DebugCommandsTest {
    private static Object string(String text) {
        return StringValue.of(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void serializedLength_integersUseRdbIntegerEncodings() {
        assertThat(DebugCommands.serializedLength(StringValue.of(5))).isEqualTo(2);
        assertThat(DebugCommands.serializedLength(StringValue.of(-5))).isEqualTo(2);
        assertThat(DebugCommands.serializedLength(StringValue.of(12345))).isEqualTo(3);
        assertThat(DebugCommands.serializedLength(StringValue.of(70000))).isEqualTo(5);
        assertThat(DebugCommands.serializedLength(StringValue.of(12345678901L))).isEqualTo(12);
    }

    @Test
    void serializedLength_stringsAreLengthPrefixed() {
        assertThat(DebugCommands.serializedLength(string("bar"))).isEqualTo(4);
        assertThat(DebugCommands.serializedLength(string("x".repeat(63)))).isEqualTo(64);
        assertThat(DebugCommands.serializedLength(string("x".repeat(100)))).isEqualTo(102);
        assertThat(DebugCommands.serializedLength(string("x".repeat(20000)))).isEqualTo(20005);
    }
}
