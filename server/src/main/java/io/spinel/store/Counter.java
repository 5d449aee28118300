package io.spinel.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A statistic that many threads add to without atomic instructions: each thread adds to a cell of
 * its own with plain writes, and a read sums the cells. It replaces {@code LongAdder} on the
 * request path, whose compare-and-swap on its base cost a locked instruction for every count
 * (five per command: calls, time, commands processed, hits or misses, changes).
 *
 * <p>A thread's cell is made on its first count and stays in the sums after the thread ends; the
 * cells belong to the counter, so a server that is closed and dropped takes its counters' cells
 * with it (an embedding application may start many). A read races with the writers and may miss
 * their latest additions, as LongAdder's sum does; {@link #reset} moves the zero instead of
 * writing other threads' cells.
 */
public final class Counter {
    private final CopyOnWriteArrayList<Cell> cells = new CopyOnWriteArrayList<>();
    private final ThreadLocal<Cell> mine = ThreadLocal.withInitial(() -> {
        Cell cell = new Cell();
        cells.add(cell);
        return cell;
    });
    /** The raw sum at the last reset. */
    private volatile long zero;

    public void increment() {
        add(1);
    }

    public void add(long n) {
        mine.get().add(n);
    }

    public long sum() {
        return raw() - zero;
    }

    public void reset() {
        zero = raw();
    }

    private long raw() {
        long sum = 0;
        for (Cell cell : cells) {
            sum += cell.get();
        }
        return sum;
    }

    /** One thread's count, written by that thread only, read by any. */
    private static final class Cell {
        private static final VarHandle VALUE;

        static {
            try {
                VALUE = MethodHandles.lookup().findVarHandle(Cell.class, "value", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private long value;

        void add(long n) {
            VALUE.setOpaque(this, (long) VALUE.getOpaque(this) + n);
        }

        long get() {
            return (long) VALUE.getOpaque(this);
        }
    }
}
