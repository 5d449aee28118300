package io.spinel.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Counts from several threads, resets, and many counters counted by one thread. */
class CounterTest {
    @Test
    void sumsEveryThreadsCountsOnceTheyFinished() throws Exception {
        Counter counter = new Counter();
        int threads = 8;
        int perThread = 200_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                await(start);
                for (int i = 0; i < perThread; i++) {
                    counter.increment();
                }
                counter.add(5);
            });
            worker.start();
            workers.add(worker);
        }
        start.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
        assertThat(counter.sum()).isEqualTo((long) threads * (perThread + 5));
    }

    @Test
    void resetStartsFromZeroWithoutLosingLaterCounts() throws Exception {
        Counter counter = new Counter();
        counter.add(41);
        Thread other = new Thread(() -> counter.add(9));
        other.start();
        other.join();
        assertThat(counter.sum()).isEqualTo(50);
        counter.reset();
        assertThat(counter.sum()).isZero();
        counter.add(3);
        assertThat(counter.sum()).isEqualTo(3);
    }

    @Test
    void manyCountersCountedByOneThreadStaySeparate() {
        Counter first = new Counter();
        first.increment();
        List<Counter> later = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            later.add(new Counter());
        }
        for (int i = 0; i < later.size(); i++) {
            later.get(i).add(i);
        }
        first.increment();
        assertThat(first.sum()).isEqualTo(2);
        for (int i = 0; i < later.size(); i++) {
            assertThat(later.get(i).sum()).isEqualTo(i);
        }
    }

    /** An event-loop-like thread with an index of its own. */
    private static final class Indexed extends Thread implements IndexedThread {
        private final int index;

        Indexed(int index, Runnable task) {
            super(task);
            this.index = index;
        }

        @Override
        public int threadIndex() {
            return index;
        }
    }

    /**
     * Indexed threads count through their index, two threads with the same index (two servers'
     * event loops) through their own cells too, and plain threads beside them: nothing is lost.
     */
    @Test
    void indexedThreadsCountExactlyEvenWithTheSameIndex() throws Exception {
        Counter counter = new Counter();
        int perThread = 100_000;
        CountDownLatch start = new CountDownLatch(1);
        Runnable count = () -> {
            await(start);
            for (int i = 0; i < perThread; i++) {
                counter.increment();
            }
        };
        List<Thread> workers = List.of(new Indexed(0, count), new Indexed(3, count), new Indexed(3, count),
                new Indexed(0, count), new Thread(count));
        workers.forEach(Thread::start);
        start.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
        assertThat(counter.sum()).isEqualTo(5L * perThread);
    }

    private static void await(CountDownLatch start) {
        try {
            start.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
