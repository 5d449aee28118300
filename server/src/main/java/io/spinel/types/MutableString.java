package io.spinel.types;

import java.util.Arrays;

/**
 * A string value that commands modify in place (APPEND, SETRANGE, SETBIT): a byte buffer with
 * spare room, grown geometrically as Redis grows an sds, so that repeated appends cost amortized
 * O(1). Redis reports these strings as "raw", and so does OBJECT ENCODING here. Guarded by its
 * key's slot lock.
 */
public final class MutableString {
    private byte[] bytes;
    private int length;

    public MutableString(byte[] initial, int capacity) {
        this.bytes = Arrays.copyOf(initial, Math.max(capacity, initial.length));
        this.length = initial.length;
    }

    public int length() {
        return length;
    }

    /** The backing array; only {@code [0, length())} is the value. */
    public byte[] buffer() {
        return bytes;
    }

    public byte[] toBytes() {
        return Arrays.copyOf(bytes, length);
    }

    public void append(byte[] tail) {
        ensureCapacity(length + tail.length);
        System.arraycopy(tail, 0, bytes, length, tail.length);
        length += tail.length;
    }

    /** Writes {@code data} at {@code offset}, zero-padding the gap beyond the current end. */
    public void write(int offset, byte[] data) {
        int end = offset + data.length;
        ensureCapacity(end);
        System.arraycopy(data, 0, bytes, offset, data.length);
        length = Math.max(length, end);
    }

    /** Grows the value to at least {@code newLength} bytes, zero-padded (Redis's sdsgrowzero). */
    public void growZero(int newLength) {
        if (newLength > length) {
            ensureCapacity(newLength);
            length = newLength;
        }
    }

    private void ensureCapacity(int needed) {
        if (needed > bytes.length) {
            // sdsMakeRoomFor: double below 1 MB, then grow by 1 MB.
            int capacity = needed < 1024 * 1024 ? needed * 2 : needed + 1024 * 1024;
            bytes = Arrays.copyOf(bytes, capacity);
        }
    }
}
