package io.spinel.persistence.rdb;

import java.util.Arrays;

/**
 * A growable byte buffer with RDB's primitive encodings: lengths, strings (integer and LZF
 * encodings), binary doubles and little-endian times; or, made by {@link #counter}, a counter of
 * the bytes it would hold. Not thread-safe: one per writer thread.
 */
public final class RdbOutput {
    private byte[] buf;
    private int size;
    private final boolean compress;
    private final boolean counting;
    private long counted;
    private byte[] scratch = new byte[0];

    /** A buffer whose strings are LZF compressed when {@code compress} (rdbcompression). */
    public RdbOutput(int capacity, boolean compress) {
        this(new byte[Math.max(16, capacity)], compress, false);
    }

    private RdbOutput(byte[] buf, boolean compress, boolean counting) {
        this.buf = buf;
        this.compress = compress;
        this.counting = counting;
    }

    /** An output that keeps nothing and counts the bytes written to it ({@link #counted}). */
    public static RdbOutput counter(boolean compress) {
        return new RdbOutput(new byte[0], compress, true);
    }

    /** The bytes written to a {@link #counter}. */
    public long counted() {
        return counted;
    }

    public int size() {
        return size;
    }

    /** The array behind the buffer (valid up to {@link #size}). */
    public byte[] array() {
        return buf;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    public void reset() {
        size = 0;
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            long grown = Math.max((long) buf.length * 2, (long) size + more);
            buf = Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 16, grown));
        }
    }

    public void writeByte(int b) {
        if (counting) {
            counted++;
            return;
        }
        ensure(1);
        buf[size++] = (byte) b;
    }

    public void writeBytes(byte[] data, int offset, int length) {
        if (counting) {
            counted += length;
            return;
        }
        ensure(length);
        System.arraycopy(data, offset, buf, size, length);
        size += length;
    }

    public void writeBytes(byte[] data) {
        writeBytes(data, 0, data.length);
    }

    /** A little-endian integer of {@code bytes} bytes. */
    public void writeLittleEndian(long value, int bytes) {
        if (counting) {
            counted += bytes;
            return;
        }
        ensure(bytes);
        for (int i = 0; i < bytes; i++) {
            buf[size++] = (byte) (value >>> (8 * i));
        }
    }

    /**
     * An RDB length: 6 bits, 14 bits, 32 or 64 bits big-endian, by size; {@code length} is
     * unsigned (a negative long is written as the 64-bit number of its bits, as Redis writes a
     * uint64_t).
     */
    public void writeLength(long length) {
        if (length >= 0 && length < (1 << 6)) {
            writeByte((int) length);
        } else if (length >= 0 && length < (1 << 14)) {
            writeByte((int) ((length >>> 8) | 0x40));
            writeByte((int) length);
        } else if (length >= 0 && length <= 0xffffffffL) {
            writeByte(0x80);
            for (int shift = 24; shift >= 0; shift -= 8) {
                writeByte((int) (length >>> shift));
            }
        } else {
            writeByte(0x81);
            for (int shift = 56; shift >= 0; shift -= 8) {
                writeByte((int) (length >>> shift));
            }
        }
    }

    /** An integer as RDB's string integer encoding when it fits 32 bits, else as its decimal text. */
    public void writeInteger(long value) {
        if (value >= Byte.MIN_VALUE && value <= Byte.MAX_VALUE) {
            writeByte(0xC0 | RdbFormat.ENC_INT8);
            writeLittleEndian(value, 1);
        } else if (value >= Short.MIN_VALUE && value <= Short.MAX_VALUE) {
            writeByte(0xC0 | RdbFormat.ENC_INT16);
            writeLittleEndian(value, 2);
        } else if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) {
            writeByte(0xC0 | RdbFormat.ENC_INT32);
            writeLittleEndian(value, 4);
        } else {
            byte[] text = Long.toString(value).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            writeLength(text.length);
            writeBytes(text);
        }
    }

    /**
     * A string as Redis's rdbSaveRawString writes it: an integer encoding for a short canonical
     * integer that fits 32 bits, LZF when compression is on, the string is over 20 bytes and
     * compressing saves at least 4 bytes, else length and bytes.
     */
    public void writeString(byte[] data, int offset, int length) {
        if (length <= 11 && length > 0) {
            Long integer = canonicalInteger(data, offset, length);
            if (integer != null && integer >= Integer.MIN_VALUE && integer <= Integer.MAX_VALUE) {
                writeInteger(integer);
                return;
            }
        }
        if (compress && length > 20) {
            if (scratch.length < length) {
                scratch = new byte[length];
            }
            int compressed = Lzf.compress(data, offset, length, scratch, length - 4);
            if (compressed > 0) {
                writeByte(0xC0 | RdbFormat.ENC_LZF);
                writeLength(compressed);
                writeLength(length);
                writeBytes(scratch, 0, compressed);
                return;
            }
        }
        writeLength(length);
        writeBytes(data, offset, length);
    }

    public void writeString(byte[] data) {
        writeString(data, 0, data.length);
    }

    /** A binary double, 8 bytes little-endian (ZSET_2 scores). */
    public void writeBinaryDouble(double value) {
        writeLittleEndian(Double.doubleToRawLongBits(value), 8);
    }

    private static Long canonicalInteger(byte[] data, int offset, int length) {
        byte[] text = offset == 0 && length == data.length ? data : Arrays.copyOfRange(data, offset, offset + length);
        return io.spinel.types.StringValue.of(text) instanceof Long l ? l : null;
    }
}
