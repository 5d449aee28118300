package io.spinel.command;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The latency distribution of one command for INFO latencystats, kept as Redis keeps it: an
 * HDR histogram of nanoseconds from 1 to 1,000,000,000 with two significant digits (buckets of
 * 128 linear steps per power of two), into which each call records its duration in whole
 * microseconds times 1000. Percentiles are read as Redis's hdr_value_at_percentile reads them:
 * the highest value equivalent to the position holding the requested count, so a 5 us call
 * reads 5.023 us, as in Redis.
 *
 * <p>Like {@link io.spinel.store.Counter}, each thread records into counts of its own with plain
 * writes (made on its first call of this command, 24 KB), and a read merges them; a reset keeps
 * the merged counts as the new zero. Thread-safe.
 */
public final class LatencyHistogram {
    private static final long LOWEST = 1;
    private static final long HIGHEST = 1_000_000_000;
    /** Two significant digits: 2^8 sub-buckets, of which the upper half is used past the first bucket. */
    private static final int SUB_BUCKET_BITS = 8;
    private static final int SUB_BUCKET_HALF_BITS = SUB_BUCKET_BITS - 1;
    private static final int SUB_BUCKET_HALF = 1 << SUB_BUCKET_HALF_BITS;
    private static final int SUB_BUCKET_MASK = (1 << SUB_BUCKET_BITS) - 1;
    private static final int LENGTH = countsLength();
    private static final VarHandle COUNTS = MethodHandles.arrayElementVarHandle(long[].class);

    private final CopyOnWriteArrayList<long[]> cells = new CopyOnWriteArrayList<>();
    private final ThreadLocal<long[]> mine = ThreadLocal.withInitial(() -> {
        long[] cell = new long[LENGTH];
        cells.add(cell);
        return cell;
    });
    /** The merged counts at the last reset; null before any. */
    private volatile long[] zero;

    /** The number of positions covering LOWEST to HIGHEST (hdr_init's counts_len). */
    private static int countsLength() {
        long smallestUntrackable = 1L << SUB_BUCKET_BITS;
        int buckets = 1;
        while (smallestUntrackable <= HIGHEST) {
            smallestUntrackable <<= 1;
            buckets++;
        }
        return (buckets + 1) * SUB_BUCKET_HALF;
    }

    /** Records one duration in nanoseconds, clamped to 1 ns to 1 s as Redis clamps it. */
    public void record(long nanos) {
        long value = Math.max(LOWEST, Math.min(HIGHEST, nanos));
        long[] cell = mine.get();
        int index = index(value);
        COUNTS.setOpaque(cell, index, (long) COUNTS.getOpaque(cell, index) + 1);
    }

    private static int index(long value) {
        int bucket = 64 - Long.numberOfLeadingZeros(value | SUB_BUCKET_MASK) - (SUB_BUCKET_HALF_BITS + 1);
        int subBucket = (int) (value >>> bucket);
        return ((bucket + 1) << SUB_BUCKET_HALF_BITS) + (subBucket - SUB_BUCKET_HALF);
    }

    /** The lowest value counted at {@code index}. */
    private static long valueAt(int index) {
        int bucket = (index >> SUB_BUCKET_HALF_BITS) - 1;
        int subBucket = (index & (SUB_BUCKET_HALF - 1)) + SUB_BUCKET_HALF;
        if (bucket < 0) {
            subBucket -= SUB_BUCKET_HALF;
            bucket = 0;
        }
        return (long) subBucket << bucket;
    }

    /** The highest value counted together with {@code value}. */
    private static long highestEquivalent(long value) {
        int bucket = 64 - Long.numberOfLeadingZeros(value | SUB_BUCKET_MASK) - (SUB_BUCKET_HALF_BITS + 1);
        long lowest = (value >>> bucket) << bucket;
        return lowest + (1L << bucket) - 1;
    }

    /** The counts of every thread since the last reset. */
    private long[] merged() {
        long[] total = new long[LENGTH];
        for (long[] cell : cells) {
            for (int i = 0; i < LENGTH; i++) {
                total[i] += (long) COUNTS.getOpaque(cell, i);
            }
        }
        long[] base = zero;
        if (base != null) {
            for (int i = 0; i < LENGTH; i++) {
                total[i] -= base[i];
            }
        }
        return total;
    }

    /**
     * A reading of the distribution: its percentiles, from one merge of the threads' counts (none
     * for a command never timed, which INFO latencystats asks about as well).
     */
    public final class Snapshot {
        private final long[] counts = cells.isEmpty() ? new long[0] : merged();
        private final long total;

        private Snapshot() {
            long sum = 0;
            for (long count : counts) {
                sum += count;
            }
            total = sum;
        }

        /** The number of durations recorded. */
        public long count() {
            return total;
        }

        /** The value at {@code percentile} (0 to 100), in nanoseconds (hdr_value_at_percentile). */
        public long valueAtPercentile(double percentile) {
            double requested = Math.min(percentile, 100.0);
            long countAtPercentile = Math.max(1, (long) (requested / 100 * total + 0.5));
            long seen = 0;
            for (int i = 0; i < counts.length; i++) {
                seen += counts[i];
                if (seen >= countAtPercentile) {
                    long value = valueAt(i);
                    return percentile == 0.0 ? value : highestEquivalent(value);
                }
            }
            return 0;
        }
    }

    public Snapshot snapshot() {
        return new Snapshot();
    }

    /** Forgets every duration recorded so far (CONFIG RESETSTAT). */
    public void reset() {
        if (cells.isEmpty()) {
            return;
        }
        long[] base = zero;
        long[] total = merged();
        if (base != null) {
            for (int i = 0; i < LENGTH; i++) {
                total[i] += base[i];
            }
        }
        zero = total;
    }
}
