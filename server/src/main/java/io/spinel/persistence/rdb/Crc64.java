package io.spinel.persistence.rdb;

/**
 * Redis's CRC-64 (the "Jones" polynomial 0xad93d23594c935a9, reflected input and output, initial
 * value 0, no final xor): the checksum at the end of RDB files and DUMP payloads. Check value of
 * "123456789": 0xe9c6d914c4b8d9ca. Table driven, one byte per step. Thread-safe.
 */
public final class Crc64 {
    /** The polynomial bit-reversed, for the reflected (least significant bit first) algorithm. */
    private static final long REFLECTED_POLY = 0x95AC9329AC4BC9B5L;
    private static final long[] TABLE = new long[256];

    static {
        for (int n = 0; n < 256; n++) {
            long crc = n;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ REFLECTED_POLY : crc >>> 1;
            }
            TABLE[n] = crc;
        }
    }

    private Crc64() {
    }

    /** Continues {@code crc} over {@code length} bytes of {@code data} from {@code offset}. */
    public static long update(long crc, byte[] data, int offset, int length) {
        for (int i = offset, end = offset + length; i < end; i++) {
            crc = TABLE[(int) ((crc ^ data[i]) & 0xff)] ^ (crc >>> 8);
        }
        return crc;
    }

    /** The checksum of all of {@code data}. */
    public static long of(byte[] data, int offset, int length) {
        return update(0, data, offset, length);
    }
}
