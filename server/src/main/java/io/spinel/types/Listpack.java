package io.spinel.types;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A packed sequence of byte strings in one byte array: the compact encoding of small lists,
 * hashes, sets and sorted sets, and the node of a large list (Redis's listpack, with its
 * behaviour, not its byte format; persistence converts).
 *
 * <h2>Format</h2>
 * Each entry is a header byte, a payload and a back-length, so the sequence can be walked both
 * ways. Strings that are canonical integers (as {@link StringValue#parseLong} reads them) are
 * stored as integers, as Redis stores them:
 * <ul>
 * <li>{@code 0xxxxxxx}: the integer 0..127, no payload;
 * <li>{@code 10llllll}: a string of 0..63 bytes, the bytes follow;
 * <li>{@code 0xC0}, {@code 0xC1}: a string whose length follows in 2 or 4 bytes, then its bytes;
 * <li>{@code 0xF1}..{@code 0xF4}: an integer in 2, 3, 4 or 8 bytes, little-endian.
 * </ul>
 * The back-length is the size of header and payload in base-128 digits, most significant first;
 * all but the first digit have the high bit set, so reading backwards from an entry's end stops
 * at the first digit without it. An entry of under 128 bytes has a one-byte back-length.
 *
 * <h2>Positions</h2>
 * Entries are addressed by position, the offset of their first byte; {@link #end} is the position
 * after the last entry (where {@link #insert} appends). Any insert or delete invalidates positions
 * after it. Access by index walks from the nearer end: O(n) in entries, as in Redis.
 *
 * <h2>Memory</h2>
 * The array has up to an eighth of slack so that appends are amortised; {@link #copy} and
 * {@link #trim} make it exact. A type whose small encoding is a listpack may extend this class
 * (a small hash is a listpack), which saves a wrapper object per key.
 */
public class Listpack {
    private static final byte[] EMPTY = new byte[0];
    private static final int STRING_6 = 0x80;
    private static final int STRING_16 = 0xC0;
    private static final int STRING_32 = 0xC1;
    private static final int INT_16 = 0xF1;
    private static final int INT_24 = 0xF2;
    private static final int INT_32 = 0xF3;
    private static final int INT_64 = 0xF4;

    private byte[] data;
    private int used;
    private int count;

    public Listpack() {
        this.data = EMPTY;
    }

    /** A copy of {@code other}'s entries, exactly sized (for subclasses' copies). */
    protected Listpack(Listpack other) {
        this(Arrays.copyOf(other.data, other.used), other.used, other.count);
    }

    private Listpack(byte[] data, int used, int count) {
        this.data = data;
        this.used = used;
        this.count = count;
    }

    /** DEBUG LISTPACK's description: the entry count and size, then each entry (an integer or text, bytes above 0x7e escaped). */
    public String repr() {
        StringBuilder out = new StringBuilder("{listpack} entries: ").append(size()).append(", bytes: ").append(bytes()).append('\n');
        int index = 0;
        for (int p = first(); p >= 0; p = next(p), index++) {
            out.append("{entry ").append(index).append("} ");
            if (isInteger(p)) {
                out.append(integerAt(p));
            } else {
                for (byte b : bytesAt(p)) {
                    if (b >= 0x20 && b < 0x7f) {
                        out.append((char) b);
                    } else {
                        out.append(String.format("\\x%02x", b & 0xff));
                    }
                }
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** The number of entries. */
    public int size() {
        return count;
    }

    /** The bytes the entries take (what list-max-listpack-size limits when negative). */
    public int bytes() {
        return used;
    }

    /** Bytes of memory the listpack takes: its array and itself. */
    public long memoryUsage() {
        return 24 + 16 + ((data.length + 7L) & ~7L);
    }

    /** An exact, independent copy. */
    public Listpack copyEntries() {
        return new Listpack(this);
    }

    /** Drops the array's slack: for a value that a command finished building and may not grow again. */
    public void trim() {
        if (data.length != used) {
            data = Arrays.copyOf(data, used);
        }
    }

    /**
     * The array holding the entries in its first {@link #bytes} bytes (not a copy), for a
     * subclass that keeps them elsewhere for a while (a compressed list node).
     */
    protected final byte[] array() {
        return data;
    }

    /**
     * Replaces the entries' array with {@code array}, whose first {@link #bytes} bytes must be
     * the same entries; {@code null} drops it, after which only {@link #size} and {@link #bytes}
     * may be called until an array is put back.
     */
    protected final void array(byte[] array) {
        data = array == null ? EMPTY : array;
    }

    /** Where the bytes of the string entry at {@code position} start in {@link #array()} (their count: {@link #valueLength}). */
    protected final int stringOffset(int position) {
        return payloadStart(position);
    }

    // ---- navigation

    /** The position of the first entry, or -1 when empty. */
    public int first() {
        return count == 0 ? -1 : 0;
    }

    /** The position of the last entry, or -1 when empty. */
    public int last() {
        return count == 0 ? -1 : used - backLength(used);
    }

    /** The position after the last entry. */
    public int end() {
        return used;
    }

    /** The position of the entry after the one at {@code position}, or -1 after the last. */
    public int next(int position) {
        int next = position + entryLength(position);
        return next >= used ? -1 : next;
    }

    /** The position of the entry before the one at {@code position}, or -1 before the first. */
    public int prev(int position) {
        return position == 0 ? -1 : position - backLength(position);
    }

    /** The position of entry {@code index} (0-based; negative counts from the end), or -1. */
    public int position(long index) {
        if (index < 0) {
            index += count;
        }
        if (index < 0 || index >= count) {
            return -1;
        }
        int position;
        if (index < count / 2) {
            position = 0;
            for (long i = 0; i < index; i++) {
                position += entryLength(position);
            }
        } else {
            position = last();
            for (long i = count - 1; i > index; i--) {
                position -= backLength(position);
            }
        }
        return position;
    }

    // ---- reading entries

    /** Whether the entry at {@code position} is stored as an integer. */
    public boolean isInteger(int position) {
        int header = data[position] & 0xFF;
        return header < 0x80 || header >= INT_16;
    }

    /** The integer at {@code position}; the entry must be one ({@link #isInteger}). */
    public long integerAt(int position) {
        int header = data[position] & 0xFF;
        if (header < 0x80) {
            return header;
        }
        int width = integerWidth(header);
        long value = 0;
        for (int i = width - 1; i >= 0; i--) {
            value = (value << 8) | (data[position + 1 + i] & 0xFF);
        }
        int unused = 64 - 8 * width; // sign-extend from the stored width
        return (value << unused) >> unused;
    }

    /** The entry at {@code position} as bytes (an integer in decimal). */
    public byte[] bytesAt(int position) {
        if (isInteger(position)) {
            return Long.toString(integerAt(position)).getBytes(StandardCharsets.US_ASCII);
        }
        int start = payloadStart(position);
        return Arrays.copyOfRange(data, start, start + stringLength(position));
    }

    /** Whether the entry at {@code position} equals {@code value} byte for byte. */
    public boolean matches(int position, byte[] value) {
        if (isInteger(position)) {
            Long number = value.length <= 20 ? StringValue.parseLong(value) : null;
            return number != null && number == integerAt(position);
        }
        int start = payloadStart(position);
        return Arrays.equals(data, start, start + stringLength(position), value, 0, value.length);
    }

    /** The length in bytes of the entry at {@code position} as a string (STRLEN of it). */
    public int valueLength(int position) {
        return isInteger(position) ? StringValue.decimalLength(integerAt(position)) : stringLength(position);
    }

    /**
     * The position of the first entry at or after {@code from} (which must be an entry's
     * position or {@link #end}) equal to {@code value}, looking at every {@code stride}-th entry
     * (2 for the fields of field-value pairs); -1 when none.
     */
    public int find(int from, byte[] value, int stride) {
        Long number = value.length <= 20 ? StringValue.parseLong(value) : null;
        for (int p = from; p >= 0 && p < used; ) {
            boolean equal = isInteger(p)
                    ? number != null && number == integerAt(p)
                    : number == null && stringEquals(p, value);
            if (equal) {
                return p;
            }
            for (int s = 0; s < stride && p >= 0; s++) {
                p = next(p);
            }
        }
        return -1;
    }

    private boolean stringEquals(int position, byte[] value) {
        int start = payloadStart(position);
        return Arrays.equals(data, start, start + stringLength(position), value, 0, value.length);
    }

    // ---- changing entries

    /** Inserts {@code value} before the entry at {@code position} ({@link #end} appends). */
    public void insert(int position, byte[] value) {
        Long number = value.length <= 20 ? StringValue.parseLong(value) : null;
        if (number != null) {
            insert(position, (long) number);
            return;
        }
        int header = value.length < 64 ? 1 : value.length < 65536 ? 3 : 5;
        int size = header + value.length;
        int at = open(position, size + backLengthSize(size));
        if (header == 1) {
            data[at] = (byte) (STRING_6 | value.length);
        } else if (header == 3) {
            data[at] = (byte) STRING_16;
            putLittleEndian(at + 1, value.length, 2);
        } else {
            data[at] = (byte) STRING_32;
            putLittleEndian(at + 1, value.length, 4);
        }
        System.arraycopy(value, 0, data, at + header, value.length);
        putBackLength(at + size, size);
    }

    /** Inserts the integer {@code value} before the entry at {@code position} ({@link #end} appends). */
    public void insert(int position, long value) {
        if (value >= 0 && value < 128) {
            int at = open(position, 2);
            data[at] = (byte) value;
            data[at + 1] = 1;
            return;
        }
        int width = value == (short) value ? 2 : (value >= -(1 << 23) && value < (1 << 23)) ? 3 : value == (int) value ? 4 : 8;
        int size = 1 + width;
        int at = open(position, size + 1);
        data[at] = (byte) (width == 2 ? INT_16 : width == 3 ? INT_24 : width == 4 ? INT_32 : INT_64);
        putLittleEndian(at + 1, value, width);
        data[at + size] = (byte) size;
    }

    /** Appends {@code value} as the last entry. */
    public void append(byte[] value) {
        insert(used, value);
    }

    /** Replaces the entry at {@code position} with {@code value}; the position stays valid. */
    public void replace(int position, byte[] value) {
        delete(position, 1);
        insert(position, value);
    }

    /** Replaces the entry at {@code position} with the integer {@code value}. */
    public void replace(int position, long value) {
        delete(position, 1);
        insert(position, value);
    }

    /** Deletes {@code n} entries starting at {@code position}; returns the position after them (or {@link #end}). */
    public int delete(int position, int n) {
        int stop = position;
        int deleted = 0;
        while (deleted < n && stop < used) {
            stop += entryLength(stop);
            deleted++;
        }
        System.arraycopy(data, stop, data, position, used - stop);
        used -= stop - position;
        count -= deleted;
        if (data.length > 64 && used < data.length / 2) {
            data = Arrays.copyOf(data, used + (used >> 3));
        }
        return position;
    }

    // ---- encoding details

    /** Makes room for {@code length} bytes at {@code position}; returns it. */
    private int open(int position, int length) {
        int needed = used + length;
        if (needed > data.length) {
            data = Arrays.copyOf(data, (needed + (needed >> 3) + 7) & ~7);
        }
        System.arraycopy(data, position, data, position + length, used - position);
        used = needed;
        count++;
        return position;
    }

    private static int integerWidth(int header) {
        return switch (header) {
            case INT_16 -> 2;
            case INT_24 -> 3;
            case INT_32 -> 4;
            default -> 8;
        };
    }

    private int payloadStart(int position) {
        int header = data[position] & 0xFF;
        return position + (header < STRING_16 ? 1 : header == STRING_16 ? 3 : 5);
    }

    private int stringLength(int position) {
        int header = data[position] & 0xFF;
        if (header < STRING_16) {
            return header & 0x3F;
        }
        return (int) getLittleEndian(position + 1, header == STRING_16 ? 2 : 4);
    }

    /** Header and payload bytes of the entry at {@code position}. */
    private int encodedLength(int position) {
        int header = data[position] & 0xFF;
        if (header < 0x80) {
            return 1;
        }
        if (header >= INT_16) {
            return 1 + integerWidth(header);
        }
        return payloadStart(position) - position + stringLength(position);
    }

    /** The whole length of the entry at {@code position}, back-length included. */
    private int entryLength(int position) {
        int size = encodedLength(position);
        return size + backLengthSize(size);
    }

    /** The whole length of the entry ending just before {@code end}. */
    private int backLength(int end) {
        int size = 0;
        int shift = 0;
        int p = end - 1;
        while (true) {
            int b = data[p] & 0xFF;
            size |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
            shift += 7;
            p--;
        }
        return size + (end - p);
    }

    private static int backLengthSize(int size) {
        return size < 1 << 7 ? 1 : size < 1 << 14 ? 2 : size < 1 << 21 ? 3 : size < 1 << 28 ? 4 : 5;
    }

    private void putBackLength(int at, int size) {
        int digits = backLengthSize(size);
        for (int i = digits - 1; i >= 0; i--) {
            int digit = (size >>> (7 * (digits - 1 - i))) & 0x7F;
            data[at + i] = (byte) (i == 0 ? digit : digit | 0x80);
        }
    }

    private void putLittleEndian(int at, long value, int width) {
        for (int i = 0; i < width; i++) {
            data[at + i] = (byte) (value >>> (8 * i));
        }
    }

    private long getLittleEndian(int at, int width) {
        long value = 0;
        for (int i = width - 1; i >= 0; i--) {
            value = (value << 8) | (data[at + i] & 0xFF);
        }
        return value;
    }
}
