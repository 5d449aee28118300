package io.spinel.persistence.rdb;

import io.spinel.types.IntSet;

/**
 * Redis's intset serialization (RDB's SET_INTSET blob): the element width (2, 4 or 8) and the
 * count as 4-byte little-endian numbers, then the elements ascending, little-endian.
 */
final class RedisIntset {
    private RedisIntset() {
    }

    /** The blob of {@code set}, at the width of its widest element. */
    static byte[] encode(IntSet set) {
        int width = 2;
        for (int i = 0; i < set.size(); i++) {
            long v = set.get(i);
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                width = 8;
            } else if ((v < Short.MIN_VALUE || v > Short.MAX_VALUE) && width < 4) {
                width = 4;
            }
        }
        RdbOutput out = new RdbOutput(8 + width * set.size(), false);
        out.writeLittleEndian(width, 4);
        out.writeLittleEndian(set.size(), 4);
        for (int i = 0; i < set.size(); i++) {
            out.writeLittleEndian(set.get(i), width);
        }
        return out.toByteArray();
    }

    /** The elements of an intset blob: a valid width, a size that matches, strictly ascending. */
    static long[] decode(byte[] blob, String what) throws RdbFormatException {
        if (blob.length < 8) {
            throw new RdbFormatException("intset too short in " + what);
        }
        long width = RedisListpack.littleEndian(blob, 0, 4);
        long count = RedisListpack.littleEndian(blob, 4, 4);
        if (width != 2 && width != 4 && width != 8) {
            throw new RdbFormatException("bad intset encoding " + width + " in " + what);
        }
        if (8 + count * width != blob.length) {
            throw new RdbFormatException("intset size does not match its count in " + what);
        }
        long[] values = new long[(int) count];
        int shift = 64 - 8 * (int) width;
        for (int i = 0; i < count; i++) {
            long v = RedisListpack.littleEndian(blob, 8 + i * (int) width, (int) width);
            values[i] = (v << shift) >> shift;
            if (i > 0 && values[i] <= values[i - 1]) {
                throw new RdbFormatException("intset not sorted in " + what);
            }
        }
        if (count == 0) {
            throw new RdbFormatException("empty intset in " + what);
        }
        return values;
    }
}
