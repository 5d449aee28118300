package io.spinel.store;

/**
 * A thread that carries a small number of its own, unique among the threads of one server that
 * run commands (its event loops): per-thread statistics ({@link Counter}) find the thread's cell
 * by that number, an array index, instead of a ThreadLocal lookup on every count.
 */
public interface IndexedThread {
    /** This thread's number: 0, 1, ... among its server's event loops. */
    int threadIndex();
}
