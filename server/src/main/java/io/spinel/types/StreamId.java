package io.spinel.types;

/**
 * A stream entry ID: milliseconds and a sequence number, both unsigned 64-bit (Redis's
 * streamID). Ordered by milliseconds, then sequence, as unsigned numbers.
 */
public record StreamId(long ms, long seq) implements Comparable<StreamId> {
    public static final StreamId MIN = new StreamId(0, 0);
    public static final StreamId MAX = new StreamId(-1, -1);

    @Override
    public int compareTo(StreamId other) {
        int c = Long.compareUnsigned(ms, other.ms);
        return c != 0 ? c : Long.compareUnsigned(seq, other.seq);
    }

    /** Whether this is 0-0. */
    public boolean isZero() {
        return ms == 0 && seq == 0;
    }

    /** The next ID (streamIncrID), or null when this is the largest. */
    public StreamId next() {
        if (seq != -1) {
            return new StreamId(ms, seq + 1);
        }
        return ms == -1 ? null : new StreamId(ms + 1, 0);
    }

    /** The previous ID (streamDecrID), or null when this is 0-0. */
    public StreamId previous() {
        if (seq != 0) {
            return new StreamId(ms, seq - 1);
        }
        return ms == 0 ? null : new StreamId(ms - 1, -1);
    }

    /** The ID as clients see it: {@code ms-seq} in unsigned decimal. */
    @Override
    public String toString() {
        return Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq);
    }
}
