package io.spinel.server;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.SelectStrategy;
import io.netty.util.IntSupplier;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import io.spinel.config.ConfigParam;
import java.util.function.Function;

/**
 * How an event loop waits for its sockets: before going to sleep in the kernel it polls them
 * without blocking for up to {@code io-busy-poll} microseconds (0: never), and goes on as soon as
 * a socket is ready or another thread hands it a task.
 *
 * <p>A loop that sleeps as soon as it has nothing to do pays, for the next request, a wake-up by
 * the scheduler (a few microseconds, more on a virtual machine) and a cold cache; under a steady
 * load of small requests that is a large part of each request's cost. Polling through the short
 * gaps between requests avoids it, at the price of the polling CPU time: at most the window
 * after each burst of work, nothing when the server is idle (the first sleep after the window
 * lasts until the next event). docs/benchmarks.md has the figures.
 *
 * <p>One instance per event loop, used only by its thread.
 */
final class BusyPoll implements SelectStrategy {
    private final ConfigParam.Num window;
    private final SingleThreadEventExecutor loop;

    private BusyPoll(ConfigParam.Num window, SingleThreadEventExecutor loop) {
        this.window = window;
        this.loop = loop;
    }

    /**
     * The event loops' I/O handlers: {@code handlers} (Netty's epoll or NIO factory for a select
     * strategy) made with a busy poll of {@code window} microseconds.
     */
    static IoHandlerFactory handlers(ConfigParam.Num window,
            Function<io.netty.channel.SelectStrategyFactory, IoHandlerFactory> handlers) {
        return executor -> handlers.apply(() -> new BusyPoll(window, (SingleThreadEventExecutor) executor)).newHandler(executor);
    }

    @Override
    public int calculateStrategy(IntSupplier pollNow, boolean hasTasks) throws Exception {
        if (hasTasks) {
            return pollNow.get();
        }
        long micros = window.value();
        if (micros == 0) {
            return SELECT;
        }
        long deadline = System.nanoTime() + micros * 1000;
        do {
            int ready = pollNow.get();
            if (ready > 0) {
                return ready;
            }
            if (loop.pendingTasks() > 0) {
                return 0;
            }
            Thread.onSpinWait();
        } while (System.nanoTime() - deadline < 0);
        return SELECT;
    }
}
