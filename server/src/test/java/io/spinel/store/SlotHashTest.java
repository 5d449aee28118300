package io.spinel.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Hash slots against known vectors: the CRC16 check value and slots Redis Cluster documents. */
class SlotHashTest {
    @Test
    void crc16_equalsBitByBitDefinition() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(16);
        for (int length = 0; length <= 70; length++) {
            for (int round = 0; round < 50; round++) {
                byte[] bytes = new byte[length + 3];
                random.nextBytes(bytes);
                int expected = 0;
                for (int i = 1; i < 1 + length; i++) { // an offset range, not the whole array
                    expected ^= (bytes[i] & 0xff) << 8;
                    for (int bit = 0; bit < 8; bit++) {
                        expected = (expected & 0x8000) != 0 ? ((expected << 1) ^ 0x1021) & 0xffff : (expected << 1) & 0xffff;
                    }
                }
                assertThat(SlotHash.crc16(bytes, 1, 1 + length)).as("length " + length).isEqualTo(expected);
            }
        }
    }

    @Test
    void crc16_checkValue() {
        byte[] digits = bytes("123456789");
        assertThat(SlotHash.crc16(digits, 0, digits.length)).isEqualTo(0x31C3);
        assertThat(SlotHash.crc16(digits, 0, 0)).isZero();
    }

    @Test
    void slot_knownKeys() {
        assertThat(SlotHash.slot(bytes("foo"))).isEqualTo(12182);
        assertThat(SlotHash.slot(bytes("bar"))).isEqualTo(5061);
        assertThat(SlotHash.slot(bytes("hello"))).isEqualTo(866);
        assertThat(SlotHash.slot(bytes("somekey"))).isEqualTo(11058);
        assertThat(SlotHash.slot(bytes(""))).isZero();
    }

    @Test
    void slot_hashTagSharesSlot() {
        int tag = SlotHash.slot(bytes("user1000"));
        assertThat(SlotHash.slot(bytes("{user1000}.following"))).isEqualTo(tag);
        assertThat(SlotHash.slot(bytes("{user1000}.followers"))).isEqualTo(tag);
        assertThat(SlotHash.slot(bytes("foo{bar}{zap}"))).isEqualTo(SlotHash.slot(bytes("bar")));
    }

    @Test
    void slot_emptyTagHashesWholeKey() {
        byte[] key = bytes("foo{}{bar}");
        assertThat(SlotHash.slot(key)).isEqualTo(SlotHash.crc16(key, 0, key.length) & 16383);
        byte[] unclosed = bytes("foo{bar");
        assertThat(SlotHash.slot(unclosed)).isEqualTo(SlotHash.crc16(unclosed, 0, unclosed.length) & 16383);
    }

    @Test
    void slot_firstBraceOpensTheTag() {
        assertThat(SlotHash.slot(bytes("foo{{bar}}zap"))).isEqualTo(SlotHash.slot(bytes("{bar")));
        byte[] brace = bytes("{bar");
        assertThat(SlotHash.slot(brace)).isEqualTo(SlotHash.crc16(brace, 0, brace.length) & 16383);
    }

    @Test
    void slot_binaryKeys() {
        byte[] key = {(byte) 0xff, 0, '{', (byte) 0x80, '}'};
        assertThat(SlotHash.slot(key)).isEqualTo(SlotHash.crc16(new byte[] {(byte) 0x80}, 0, 1) & 16383);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
