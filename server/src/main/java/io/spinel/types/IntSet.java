package io.spinel.types;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.random.RandomGenerator;

/**
 * The "intset" encoding of a set: its members, all canonical 64-bit integers, as a sorted array
 * of little-endian numbers of one width (Redis's intset).
 *
 * <h2>Widths</h2>
 * Every number takes the width of the widest one ever added: 2, 4 or 8 bytes. Adding a number
 * that does not fit upgrades the whole array to the wider width; removing never narrows it, as in
 * Redis. Lookups are binary searches; inserts and removals move the tail of the array.
 *
 * <h2>Memory</h2>
 * One object and one exactly sized array: a set of ten small numbers takes 24 + 16 + 20 bytes.
 */
public final class IntSet implements SetValue {
    private static final byte[] EMPTY = new byte[0];

    private byte[] data = EMPTY;
    private int count;
    private byte width = 2;

    public IntSet() {
    }

    private IntSet(IntSet other) {
        this.data = other.data.clone();
        this.count = other.count;
        this.width = other.width;
    }

    @Override
    public String encoding() {
        return "intset";
    }

    @Override
    public int size() {
        return count;
    }

    /** The width in bytes every number takes now: 2, 4 or 8. */
    public int width() {
        return width;
    }

    /** The number at {@code index} in ascending order. */
    public long get(int index) {
        return read(index, width);
    }

    private long read(int index, int w) {
        int at = index * w;
        return switch (w) {
            case 2 -> (short) ((data[at] & 0xFF) | (data[at + 1] << 8));
            case 4 -> (data[at] & 0xFF) | (data[at + 1] & 0xFF) << 8 | (data[at + 2] & 0xFF) << 16 | data[at + 3] << 24;
            default -> {
                long value = 0;
                for (int i = 7; i >= 0; i--) {
                    value = (value << 8) | (data[at + i] & 0xFF);
                }
                yield value;
            }
        };
    }

    private void write(int index, long value) {
        int at = index * width;
        for (int i = 0; i < width; i++) {
            data[at + i] = (byte) (value >>> (8 * i));
        }
    }

    private static int widthOf(long value) {
        return value == (short) value ? 2 : value == (int) value ? 4 : 8;
    }

    /** The index of {@code value}, or {@code -(insertion index) - 1} when absent. */
    private int search(long value) {
        int low = 0;
        int high = count - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            long at = get(mid);
            if (at < value) {
                low = mid + 1;
            } else if (at > value) {
                high = mid - 1;
            } else {
                return mid;
            }
        }
        return -(low + 1);
    }

    /** Whether the integer {@code value} is a member. */
    public boolean containsInteger(long value) {
        return count > 0 && widthOf(value) <= width && search(value) >= 0;
    }

    /** Adds the integer {@code value} without any conversion; true when it was new. */
    public boolean addInteger(long value) {
        int needed = widthOf(value);
        if (needed > width) {
            upgrade(needed);
        } else if (search(value) >= 0) {
            return false;
        }
        int index = -search(value) - 1;
        byte[] grown = new byte[(count + 1) * width];
        System.arraycopy(data, 0, grown, 0, index * width);
        System.arraycopy(data, index * width, grown, (index + 1) * width, (count - index) * width);
        data = grown;
        count++;
        write(index, value);
        return true;
    }

    /** Rewrites every number at the wider {@code newWidth}. */
    private void upgrade(int newWidth) {
        int oldWidth = width;
        long[] values = new long[count];
        for (int i = 0; i < count; i++) {
            values[i] = read(i, oldWidth);
        }
        width = (byte) newWidth;
        data = new byte[count * newWidth];
        for (int i = 0; i < count; i++) {
            write(i, values[i]);
        }
    }

    /** Removes the integer {@code value}; true when it was a member. The width stays. */
    public boolean removeInteger(long value) {
        if (count == 0 || widthOf(value) > width) {
            return false;
        }
        int index = search(value);
        if (index < 0) {
            return false;
        }
        byte[] shrunk = new byte[(count - 1) * width];
        System.arraycopy(data, 0, shrunk, 0, index * width);
        System.arraycopy(data, (index + 1) * width, shrunk, index * width, (count - index - 1) * width);
        data = shrunk;
        count--;
        return true;
    }

    @Override
    public boolean contains(byte[] member) {
        Long value = member.length <= 20 ? StringValue.parseLong(member) : null;
        return value != null && containsInteger(value);
    }

    @Override
    public boolean remove(byte[] member) {
        Long value = member.length <= 20 ? StringValue.parseLong(member) : null;
        return value != null && removeInteger(value);
    }

    @Override
    public SetValue add(byte[] member, Limits limits) {
        Long value = member.length <= 20 ? StringValue.parseLong(member) : null;
        if (value != null) {
            if (addInteger(value) && count > limits.intsetEntries()) {
                return TableSet.of(this);
            }
            return this;
        }
        // A string member: a listpack when it and every number fit one, else a hash table.
        long longest = 0;
        long estimate = 0;
        if (count > 0) {
            long min = get(0);
            long max = get(count - 1);
            longest = Math.max(StringValue.decimalLength(min), StringValue.decimalLength(max));
            estimate = Math.max(packedIntegerBytes(min), packedIntegerBytes(max)) * count;
        }
        SetValue converted;
        if (count < limits.maxListpackEntries() && member.length <= limits.maxListpackValue()
                && longest <= limits.maxListpackValue() && estimate + member.length <= LISTPACK_MAX_SAFE_BYTES) {
            PackedSet packed = new PackedSet();
            for (int i = 0; i < count; i++) {
                packed.insert(packed.end(), get(i));
            }
            converted = packed;
        } else {
            converted = TableSet.of(this);
        }
        return converted.add(member, limits);
    }

    /** The bytes a Redis listpack entry for the integer {@code value} takes, back-length included. */
    private static long packedIntegerBytes(long value) {
        if (value >= 0 && value <= 127) {
            return 2;
        }
        if (value >= -4096 && value <= 4095) {
            return 3;
        }
        if (value == (short) value) {
            return 4;
        }
        if (value >= -(1 << 23) && value < (1 << 23)) {
            return 5;
        }
        return value == (int) value ? 6 : 10;
    }

    @Override
    public Iterator<byte[]> iterator() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < count;
            }

            @Override
            public byte[] next() {
                if (next >= count) {
                    throw new NoSuchElementException();
                }
                return Long.toString(get(next++)).getBytes(StandardCharsets.US_ASCII);
            }
        };
    }

    @Override
    public byte[] randomMember(RandomGenerator random) {
        return Long.toString(get(random.nextInt(count))).getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public IntSet copy() {
        return new IntSet(this);
    }

    @Override
    public long memoryUsage(int samples) {
        return 24 + 16 + ((data.length + 7L) & ~7L);
    }

    @Override
    public String toString() {
        long[] values = new long[count];
        Arrays.setAll(values, this::get);
        return "IntSet" + Arrays.toString(values);
    }
}
