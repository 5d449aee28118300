package io.spinel.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The MONITOR line format: time stamp padding, source, quoting. */
class MonitorsTest {
    private static byte[][] argv(String... args) {
        byte[][] out = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            out[i] = args[i].getBytes(StandardCharsets.ISO_8859_1);
        }
        return out;
    }

    private static String line(long micros, int db, String source, String... args) {
        return new String(Monitors.line(micros, db, source, argv(args)), StandardCharsets.ISO_8859_1);
    }

    @Test
    void line_padsMicrosecondsToSixDigits() {
        assertThat(line(1_700_000_000_000_042L, 0, "127.0.0.1:50000", "SET", "k", "v"))
                .isEqualTo("+1700000000.000042 [0 127.0.0.1:50000] \"SET\" \"k\" \"v\"\r\n");
    }

    @Test
    void line_scriptSourceAndEscapes() {
        assertThat(line(1_700_000_000_123_456L, 5, "lua", "set", "a\"b\\c", "\r\n\t\u0007\b", "\u0000\u00ff", ""))
                .isEqualTo("+1700000000.123456 [5 lua] \"set\" \"a\\\"b\\\\c\" \"\\r\\n\\t\\a\\b\" \"\\x00\\xff\" \"\"\r\n");
    }
}
