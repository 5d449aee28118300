package io.spinel.persistence.rdb;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A read cursor over RDB bytes held in memory, decoding RDB's primitives. Every length is checked
 * against the bytes that remain before anything is allocated, so a corrupt length fails with an
 * error instead of a huge allocation; errors name what was being read and the offset.
 * Not thread-safe.
 */
public final class RdbInput {
    private final byte[] data;
    private int position;
    private final int end;

    /** Reads {@code data[offset..end)}. */
    public RdbInput(byte[] data, int offset, int end) {
        this.data = data;
        this.position = offset;
        this.end = end;
    }

    public int position() {
        return position;
    }

    public int remaining() {
        return end - position;
    }

    /** A format error at the current offset. */
    public RdbFormatException error(String what) {
        return new RdbFormatException(what + " at offset " + position);
    }

    private void need(long bytes, String what) throws RdbFormatException {
        if (bytes < 0 || bytes > end - position) {
            throw error("unexpected end of data reading " + what);
        }
    }

    public int readByte(String what) throws RdbFormatException {
        need(1, what);
        return data[position++] & 0xff;
    }

    public long readLittleEndian(int bytes, String what) throws RdbFormatException {
        need(bytes, what);
        long value = 0;
        for (int i = 0; i < bytes; i++) {
            value |= (long) (data[position++] & 0xff) << (8 * i);
        }
        return value;
    }

    /** The raw bytes of the next {@code length} bytes (a copy). */
    public byte[] readBytes(long length, String what) throws RdbFormatException {
        need(length, what);
        byte[] out = Arrays.copyOfRange(data, position, position + (int) length);
        position += (int) length;
        return out;
    }

    /**
     * An RDB length, or the special-encoding marker: returns the length, or -(1 + encoding) when
     * the top bits are 11 (an encoded string follows).
     */
    private long readLengthOrEncoding(String what) throws RdbFormatException {
        int start = position;
        long length = readRawLengthOrEncoding(what);
        if (length < 0 && data[start] == (byte) 0x81) {
            throw error("length out of range in " + what);
        }
        return length;
    }

    /**
     * {@link #readLengthOrEncoding} without the range check: a 64-bit length comes back as its
     * bits (negative when above 2^63 - 1), so only callers that treat it as unsigned may use it.
     */
    private long readRawLengthOrEncoding(String what) throws RdbFormatException {
        int first = readByte(what);
        switch (first >>> 6) {
            case 0 -> {
                return first & 0x3f;
            }
            case 1 -> {
                return ((first & 0x3f) << 8) | readByte(what);
            }
            case 2 -> {
                if (first == 0x80) {
                    need(4, what);
                    long value = 0;
                    for (int i = 0; i < 4; i++) {
                        value = (value << 8) | (data[position++] & 0xff);
                    }
                    return value;
                }
                if (first == 0x81) {
                    need(8, what);
                    long value = 0;
                    for (int i = 0; i < 8; i++) {
                        value = (value << 8) | (data[position++] & 0xff);
                    }
                    return value;
                }
                throw error("unknown length encoding in " + what);
            }
            default -> {
                return -1 - (first & 0x3f);
            }
        }
    }

    /** An RDB length (no string encodings allowed). */
    public long readLength(String what) throws RdbFormatException {
        long length = readLengthOrEncoding(what);
        if (length < 0) {
            throw error("encoded string where a length was expected in " + what);
        }
        return length;
    }

    /**
     * An RDB length read as an unsigned 64-bit number (stream IDs, counters that Redis writes
     * as unsigned lengths, such as an entries-read of -1): the bits come back as a long.
     */
    public long readUnsignedLength(String what) throws RdbFormatException {
        int start = position;
        long length = readRawLengthOrEncoding(what);
        if (length < 0 && data[start] != (byte) 0x81) {
            throw error("encoded string where a length was expected in " + what);
        }
        return length;
    }

    /**
     * A count of elements that each take at least {@code minBytes} bytes: fails when the rest of
     * the data could not hold that many, before the caller allocates for them.
     */
    public int readCount(String what, int minBytes) throws RdbFormatException {
        long count = readLength(what);
        if (count > Integer.MAX_VALUE - 8 || count * minBytes > remaining()) {
            throw error("element count " + count + " larger than the data in " + what);
        }
        return (int) count;
    }

    /** An RDB string: raw, integer-encoded or LZF-compressed. */
    public byte[] readString(String what) throws RdbFormatException {
        long length = readLengthOrEncoding(what);
        if (length >= 0) {
            return readBytes(length, what);
        }
        int encoding = (int) (-1 - length);
        return switch (encoding) {
            case RdbFormat.ENC_INT8 -> decimal((byte) readLittleEndian(1, what));
            case RdbFormat.ENC_INT16 -> decimal((short) readLittleEndian(2, what));
            case RdbFormat.ENC_INT32 -> decimal((int) readLittleEndian(4, what));
            case RdbFormat.ENC_LZF -> readLzf(what);
            default -> throw error("unknown string encoding " + encoding + " in " + what);
        };
    }

    private byte[] readLzf(String what) throws RdbFormatException {
        long compressed = readLength(what);
        long length = readLength(what);
        need(compressed, what);
        // LZF expands at most 88 times (a 3-byte back reference copies 264 bytes).
        if (length > compressed * 88 + 32 || length > Integer.MAX_VALUE - 16) {
            throw error("LZF length " + length + " impossible for " + compressed + " compressed bytes in " + what);
        }
        byte[] out = Lzf.decompress(data, position, (int) compressed, (int) length);
        if (out == null) {
            throw error("invalid LZF data in " + what);
        }
        position += (int) compressed;
        return out;
    }

    private static byte[] decimal(long value) {
        return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
    }

    /** An 8-byte little-endian binary double. */
    public double readBinaryDouble(String what) throws RdbFormatException {
        return Double.longBitsToDouble(readLittleEndian(8, what));
    }

    /** A double in the old string form: a length byte (253 NaN, 254 +inf, 255 -inf) then ASCII. */
    public double readStringDouble(String what) throws RdbFormatException {
        int length = readByte(what);
        switch (length) {
            case 253 -> {
                return Double.NaN;
            }
            case 254 -> {
                return Double.POSITIVE_INFINITY;
            }
            case 255 -> {
                return Double.NEGATIVE_INFINITY;
            }
            default -> {
                String text = new String(readBytes(length, what), StandardCharsets.US_ASCII);
                try {
                    return Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw error("bad double \"" + text + "\" in " + what);
                }
            }
        }
    }
}
