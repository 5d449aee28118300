package io.spinel.server;

import io.netty.util.concurrent.FastThreadLocalThread;
import io.spinel.store.IndexedThread;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes a server's event-loop threads: Netty's FastThreadLocalThread (what its own factory makes),
 * numbered 0, 1, ... as {@link IndexedThread}s and named {@code spinel-io-N}.
 */
final class EventLoopThreads implements ThreadFactory {
    private final AtomicInteger next = new AtomicInteger();

    @Override
    public Thread newThread(Runnable task) {
        int index = next.getAndIncrement();
        return new EventLoopThread(task, "spinel-io-" + index, index);
    }

    private static final class EventLoopThread extends FastThreadLocalThread implements IndexedThread {
        private final int index;

        EventLoopThread(Runnable task, String name, int index) {
            super(task, name);
            this.index = index;
        }

        @Override
        public int threadIndex() {
            return index;
        }
    }
}
