package io.spinel.types;

/**
 * A list value: one listpack while small ({@link PackedList}, "listpack"), a sequence of
 * listpack nodes when large ({@link QuickList}, "quicklist"), as in Redis 7.2.
 *
 * <h2>Conversions</h2>
 * A listpack becomes a quicklist before a change that would make it exceed
 * list-max-listpack-size ({@link #beforeAdding}); a quicklist of one node goes back to a listpack
 * after a change that leaves it within half the limit ({@link #afterRemoving}). Both return the
 * value to store, which the caller puts back with {@code Database.replace} when it changed.
 * Neither the methods here nor the encodings convert on their own.
 *
 * <h2>Concurrency</h2>
 * Not thread-safe: every call runs under the key's slot lock.
 */
public sealed interface ListValue extends CollectionValue permits PackedList, QuickList {
    /** Bytes a node may take under a negative list-max-listpack-size, -1 to -5. */
    int[] SIZE_LIMITS = {4096, 8192, 16384, 32768, 65536};
    /** The largest node Redis builds under a positive (count) list-max-listpack-size. */
    int SIZE_SAFETY_LIMIT = 8192;

    /** The number of elements. */
    long length();

    /** Adds {@code value} at the head or the tail. */
    void push(boolean head, byte[] value);

    /** Removes and returns the head or tail element; null when empty. */
    byte[] pop(boolean head);

    /** The element at {@code index} (negative counts from the tail), or null when out of range. */
    byte[] index(long index);

    /** Replaces the element at {@code index}; false when out of range. */
    boolean set(long index, byte[] value);

    /** Inserts {@code value} before or after the first element equal to {@code pivot}; false when none is. */
    boolean insert(byte[] pivot, byte[] value, boolean after);

    /**
     * Removes elements equal to {@code value}: the first {@code count} from the head when
     * positive, the last {@code -count} from the tail when negative, all when 0. Returns how many.
     */
    long remove(byte[] value, long count);

    /**
     * How many elements LREM's {@code count} asks to remove: all for 0, and for the smallest
     * long, whose magnitude does not fit (Redis negates it into itself and never reaches it).
     */
    static long removalLimit(long count) {
        return count == 0 || count == Long.MIN_VALUE ? Long.MAX_VALUE : Math.abs(count);
    }

    /** Removes {@code fromHead} elements at the head and {@code fromTail} at the tail. */
    void trim(long fromHead, long fromTail);

    /** The number of listpack nodes (1 for a listpack). */
    int nodeCount();

    /** Node {@code index}, head first. */
    PackedList node(int index);

    /** A cursor on the element at {@code index} (which must be in range), moving to the tail or the head. */
    default ListCursor cursor(long index, boolean forward) {
        return new ListCursor(this, index, forward);
    }

    /**
     * The value to store before adding {@code count} elements totalling {@code addedBytes}: this
     * list, or the quicklist it becomes when a listpack would exceed {@code fill}
     * (list-max-listpack-size), with interior nodes compressed beyond {@code compressDepth}
     * (list-compress-depth); Redis's listTypeTryConvertListpack.
     */
    static ListValue beforeAdding(ListValue list, long addedBytes, long count, int fill, int compressDepth) {
        if (list instanceof PackedList packed
                && exceedsLimit(fill, packed.redisBytes() + addedBytes, packed.size() + count)) {
            return QuickList.of(packed, fill, compressDepth);
        }
        return list;
    }

    /**
     * The value to store after elements were removed or replaced: this list, or the listpack a
     * quicklist of one node becomes when it fits in half of {@code fill}; Redis's
     * listTypeTryConvertQuicklist when shrinking.
     */
    static ListValue afterRemoving(ListValue list, int fill) {
        if (!(list instanceof QuickList quick) || quick.nodeCount() != 1) {
            return list;
        }
        PackedList node = quick.node(0);
        if (node.plain()) {
            return list;
        }
        long sizeLimit = fill >= 0 ? Long.MAX_VALUE : sizeLimit(fill);
        long countLimit = fill >= 0 ? Math.max(fill, 1) : Long.MAX_VALUE;
        if (node.redisBytes() > sizeLimit / 2 || node.size() > countLimit / 2) {
            return list;
        }
        return node;
    }

    /** Whether a node of {@code bytes} bytes and {@code count} entries is over {@code fill}. */
    static boolean exceedsLimit(int fill, long bytes, long count) {
        if (fill < 0) {
            return bytes > sizeLimit(fill);
        }
        return bytes > SIZE_SAFETY_LIMIT || count > Math.max(fill, 1);
    }

    /** Whether an element of {@code length} bytes alone goes over a node's size under {@code fill}. */
    static boolean exceedsNodeLimitAlone(long length, int fill) {
        return fill >= 0 ? length > SIZE_SAFETY_LIMIT : length > sizeLimit(fill);
    }

    private static int sizeLimit(int fill) {
        return SIZE_LIMITS[(int) Math.min(-(long) fill - 1, SIZE_LIMITS.length - 1)];
    }
}
