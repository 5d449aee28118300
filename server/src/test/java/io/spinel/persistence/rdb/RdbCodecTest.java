package io.spinel.persistence.rdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The primitives of the format: CRC-64, LZF, RDB lengths and strings, and the persisted numbers. */
class RdbCodecTest {
    @Test
    void crc64_checkValue() {
        byte[] data = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertThat(Crc64.of(data, 0, data.length)).isEqualTo(0xe9c6d914c4b8d9caL);
    }

    @Test
    void lzf_roundTripsAndCompresses() {
        SplittableRandom random = new SplittableRandom(1);
        for (int round = 0; round < 500; round++) {
            byte[] data = new byte[1 + random.nextInt(5000)];
            int alphabet = 1 + random.nextInt(round % 2 == 0 ? 4 : 256);
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) random.nextInt(alphabet);
            }
            byte[] out = new byte[data.length + data.length / 16 + 64];
            int length = Lzf.compress(data, 0, data.length, out, out.length);
            assertThat(length).isPositive();
            assertThat(Lzf.decompress(out, 0, length, data.length)).isEqualTo(data);
        }
        byte[] repetitive = "abc".repeat(1000).getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[repetitive.length];
        assertThat(Lzf.compress(repetitive, 0, repetitive.length, out, out.length)).isLessThan(100);
    }

    /** The thread's table is reused: what earlier calls stored in it never becomes a match. */
    @Test
    void lzf_outputDoesNotDependOnEarlierCalls() {
        byte[] first = "abcabcabcabcXYZXYZXYZ-abcXYZabc".repeat(20).getBytes(StandardCharsets.US_ASCII);
        byte[] other = "XYZabcXYZ0123abc".repeat(50).getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[first.length];
        int length = Lzf.compress(first, 0, first.length, out, out.length);
        byte[] before = java.util.Arrays.copyOf(out, length);
        byte[] scratch = new byte[other.length];
        for (int offset = 0; offset < 40; offset++) {
            Lzf.compress(other, offset, other.length - offset, scratch, scratch.length);
            assertThat(java.util.Arrays.copyOf(out, Lzf.compress(first, 0, first.length, out, out.length))).isEqualTo(before);
        }
    }

    @Test
    void lzf_refusesBackReferencesBeforeTheStart() {
        assertThat(Lzf.decompress(new byte[] {0x20, 0x05}, 0, 2, 3)).isNull();
        assertThat(Lzf.decompress(new byte[] {0x05, 'a'}, 0, 2, 6)).isNull();
    }

    @Test
    void strings_useIntegerAndLzfEncodingsAsRedis() throws RdbFormatException {
        RdbOutput out = new RdbOutput(16, true);
        out.writeString("123".getBytes());
        out.writeString("-40000".getBytes());
        out.writeString("0123".getBytes());
        out.writeString("x".repeat(100).getBytes());
        out.writeLength(70000);
        out.writeLength(5_000_000_000L);
        byte[] bytes = out.toByteArray();
        assertThat(bytes[0] & 0xff).isEqualTo(0xC0);
        RdbInput in = new RdbInput(bytes, 0, bytes.length);
        assertThat(in.readString("a")).isEqualTo("123".getBytes());
        assertThat(in.readString("b")).isEqualTo("-40000".getBytes());
        assertThat(in.readString("c")).isEqualTo("0123".getBytes());
        assertThat(in.readString("d")).isEqualTo("x".repeat(100).getBytes());
        assertThat(in.readLength("e")).isEqualTo(70000);
        assertThat(in.readLength("f")).isEqualTo(5_000_000_000L);
        assertThat(in.remaining()).isZero();
        assertThat(bytes.length).isLessThan(40);
    }

    @Test
    void lengths_largerThanTheDataFailBeforeAllocating() {
        RdbOutput out = new RdbOutput(16, false);
        out.writeLength(Integer.MAX_VALUE);
        byte[] bytes = out.toByteArray();
        RdbInput in = new RdbInput(bytes, 0, bytes.length);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> in.readString("big"))
                .isInstanceOf(RdbFormatException.class).hasMessageContaining("big").hasMessageContaining("offset");
    }

    /** The numbers are persisted in files and payloads: they never change. */
    @Test
    void format_numbersArePinned() {
        assertThat(new int[] {RdbFormat.TYPE_STRING, RdbFormat.TYPE_LIST, RdbFormat.TYPE_SET, RdbFormat.TYPE_ZSET,
            RdbFormat.TYPE_HASH, RdbFormat.TYPE_ZSET_2, RdbFormat.TYPE_MODULE_PRE_GA, RdbFormat.TYPE_MODULE_2,
            RdbFormat.TYPE_HASH_ZIPMAP, RdbFormat.TYPE_LIST_ZIPLIST, RdbFormat.TYPE_SET_INTSET, RdbFormat.TYPE_ZSET_ZIPLIST,
            RdbFormat.TYPE_HASH_ZIPLIST, RdbFormat.TYPE_LIST_QUICKLIST, RdbFormat.TYPE_STREAM_LISTPACKS,
            RdbFormat.TYPE_HASH_LISTPACK, RdbFormat.TYPE_ZSET_LISTPACK, RdbFormat.TYPE_LIST_QUICKLIST_2,
            RdbFormat.TYPE_STREAM_LISTPACKS_2, RdbFormat.TYPE_SET_LISTPACK, RdbFormat.TYPE_STREAM_LISTPACKS_3,
            RdbFormat.TYPE_HASH_METADATA_PRE_GA, RdbFormat.TYPE_HASH_LISTPACK_EX_PRE_GA, RdbFormat.TYPE_HASH_METADATA,
            RdbFormat.TYPE_HASH_LISTPACK_EX})
                .containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25);
        assertThat(new int[] {RdbFormat.OPCODE_SLOT_INFO, RdbFormat.OPCODE_FUNCTION2, RdbFormat.OPCODE_FUNCTION_PRE_GA,
            RdbFormat.OPCODE_MODULE_AUX, RdbFormat.OPCODE_IDLE, RdbFormat.OPCODE_FREQ, RdbFormat.OPCODE_AUX,
            RdbFormat.OPCODE_RESIZEDB, RdbFormat.OPCODE_EXPIRETIME_MS, RdbFormat.OPCODE_EXPIRETIME, RdbFormat.OPCODE_SELECTDB,
            RdbFormat.OPCODE_EOF}).containsExactly(244, 245, 246, 247, 248, 249, 250, 251, 252, 253, 254, 255);
        assertThat(RdbFormat.VERSION).isEqualTo(10);
        assertThat(RdbFormat.VERSION_FIELD_TTL).isEqualTo(12);
    }
}
