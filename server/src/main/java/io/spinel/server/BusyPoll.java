package io.spinel.server;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.SelectStrategy;
import io.netty.channel.SelectStrategyFactory;
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
 * gaps between requests avoids it, at the price of the polling CPU time. So a loop polls only
 * while polling pays: after a window that ended with nothing to do it sleeps at once, and polls
 * again once a sleep was shorter than the window (work came back within it). A light load
 * (requests further apart than the window) and an idle server cost no polling at all.
 * docs/benchmarks.md has the figures.
 *
 * <p>One instance per event loop, used only by its thread.
 */
final class BusyPoll implements SelectStrategy {
    private final ConfigParam.Num window;
    private final SingleThreadEventExecutor loop;
    /** Whether the last wait suggests that work comes within the window. */
    private boolean polling = true;
    /** When this loop last went to sleep ({@link System#nanoTime}), or 0 while it has not since. */
    private long sleptAt;

    private BusyPoll(ConfigParam.Num window, SingleThreadEventExecutor loop) {
        this.window = window;
        this.loop = loop;
    }

    /**
     * The event loops' I/O handlers: {@code handlers} (Netty's epoll or NIO factory for a select
     * strategy) made with a busy poll of {@code window} microseconds.
     */
    static IoHandlerFactory handlers(ConfigParam.Num window,
            Function<SelectStrategyFactory, IoHandlerFactory> handlers) {
        return executor -> handlers.apply(() -> new BusyPoll(window, (SingleThreadEventExecutor) executor)).newHandler(executor);
    }

    @Override
    public int calculateStrategy(IntSupplier pollNow, boolean hasTasks) throws Exception {
        long windowNanos = window.value() * 1000;
        long now = System.nanoTime();
        if (sleptAt != 0) {
            polling = now - sleptAt < windowNanos;
            sleptAt = 0;
        }
        if (hasTasks) {
            return pollNow.get();
        }
        if (polling) {
            long deadline = now + windowNanos;
            while (System.nanoTime() - deadline < 0) {
                int ready = pollNow.get();
                if (ready > 0) {
                    return ready;
                }
                if (loop.pendingTasks() > 0) {
                    return 0;
                }
                Thread.onSpinWait();
            }
        }
        sleptAt = System.nanoTime();
        return SELECT;
    }
}
