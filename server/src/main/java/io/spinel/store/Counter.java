package io.spinel.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A statistic that many threads add to without atomic instructions: each thread adds to a cell of
 * its own with plain writes, and a read sums every thread's cells. It replaces {@code LongAdder}
 * on the request path, whose compare-and-swap on its base cost a locked instruction for every
 * count (five per command: calls, time, commands processed, hits or misses, changes).
 *
 * <p>Each counter has an index, the same in every thread's array of cells; a thread's cells are
 * registered once, on its first count, and stay (a finished thread's counts stay in the sums).
 * A read races with the writers and may miss their latest additions, as LongAdder's sum does;
 * {@link #reset} moves the zero instead of writing other threads' cells.
 */
public final class Counter {
    private static final AtomicInteger INDEXES = new AtomicInteger();
    private static final CopyOnWriteArrayList<Cells> THREADS = new CopyOnWriteArrayList<>();
    private static final ThreadLocal<Cells> CELLS = ThreadLocal.withInitial(() -> {
        Cells cells = new Cells();
        THREADS.add(cells);
        return cells;
    });

    private final int index = INDEXES.getAndIncrement();
    /** The raw sum at the last reset. */
    private volatile long zero;

    public void increment() {
        add(1);
    }

    public void add(long n) {
        CELLS.get().add(index, n);
    }

    public long sum() {
        return raw() - zero;
    }

    public void reset() {
        zero = raw();
    }

    private long raw() {
        long sum = 0;
        for (Cells cells : THREADS) {
            sum += cells.get(index);
        }
        return sum;
    }

    /** One thread's cells, written by that thread only, read by any. */
    private static final class Cells {
        private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
        private volatile long[] values = new long[64];

        void add(int index, long n) {
            long[] v = values;
            if (index >= v.length) {
                v = Arrays.copyOf(v, Math.max(index + 1, 2 * v.length));
                values = v;
            }
            LONGS.setOpaque(v, index, (long) LONGS.getOpaque(v, index) + n);
        }

        long get(int index) {
            long[] v = values;
            return index < v.length ? (long) LONGS.getOpaque(v, index) : 0;
        }
    }
}
