package io.spinel.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinel.types.MutableString;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What {@link Database#set} keeps when it overwrites a key. */
class DatabaseTest {
    private final Database db = new Keyspace(1, Clock.SYSTEM).database(0);
    private final byte[] key = bytes("k");

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void set_ofAnEqualString_keepsTheStoredOne() {
        byte[] first = bytes("abc");
        db.set(key, first, false);
        long accounted = db.bytes();
        db.set(key, bytes("abc"), false);
        assertThat(db.peek(key)).isSameAs(first);
        assertThat(db.bytes()).isEqualTo(accounted);
        Long number = 123_456L;
        db.set(key, number, false);
        db.set(key, Long.valueOf(123_456L), false);
        assertThat(db.peek(key)).isSameAs(number);
    }

    @Test
    void set_ofAnotherValue_storesIt() {
        db.set(key, bytes("abc"), false);
        byte[] other = bytes("abd");
        db.set(key, other, false);
        assertThat(db.peek(key)).isSameAs(other);
        byte[] longer = bytes("abcd");
        db.set(key, longer, false);
        assertThat(db.peek(key)).isSameAs(longer);
    }

    @Test
    void set_overAStringModifiedInPlace_storesTheNewValue() {
        MutableString modified = new MutableString(bytes("abc"), 3);
        db.set(key, modified, false);
        byte[] equal = bytes("abc");
        db.set(key, equal, false);
        assertThat(db.peek(key)).isSameAs(equal);
        modified.append(bytes("d"));
        assertThat((byte[]) db.peek(key)).isEqualTo(bytes("abc"));
    }
}
