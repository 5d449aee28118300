package io.spinel.command.keys;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinel.server.SpinelServer;
import io.spinel.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Many connections moving keys between names, slots and databases at once: no key is lost or
 * duplicated, and a mix of multi-key and keyspace-wide commands never deadlocks.
 */
class KeyspaceConcurrencyIT {
    private static final int THREADS = 8;
    private static final int TOKENS = 200;
    private static final int NAMES = 1000;
    /** Errors the random commands may legitimately get (a missing source, copying onto itself). */
    private static final Set<String> EXPECTED_ERRORS = Set.of("ERR no such key", "ERR source and destination objects are the same");
    private static SpinelServer spinel;

    @BeforeAll
    static void start() {
        spinel = TestServer.start();
    }

    @AfterAll
    static void stop() {
        spinel.close();
    }

    private static Jedis connect() {
        return new Jedis("127.0.0.1", spinel.port(), 30_000);
    }

    /**
     * Tokens wander between names with RENAMENX and between databases 0 and 1 with MOVE, while
     * COPY ... DB 2 REPLACE snapshots them: databases 0 and 1 always hold each token exactly once
     * and database 2 only copies of real tokens.
     */
    @Test
    void renameMoveCopy_loseNothing() throws Exception {
        try (Jedis jedis = connect()) {
            jedis.flushAll();
            for (int i = 0; i < TOKENS; i++) {
                jedis.set("n:" + i, "token-" + i);
            }
        }
        List<Throwable> errors = runThreads(20, (random, jedis) -> {
            int db = random.nextInt(2);
            jedis.select(db);
            String a = "n:" + random.nextInt(NAMES);
            String b = "n:" + random.nextInt(NAMES);
            switch (random.nextInt(3)) {
                case 0 -> jedis.renamenx(a, b);
                case 1 -> jedis.move(a, 1 - db);
                default -> jedis.copy(a, "c:" + random.nextInt(NAMES), 2, true);
            }
        });
        assertThat(errors).isEmpty();
        try (Jedis jedis = connect()) {
            List<String> tokens = new ArrayList<>();
            for (int db = 0; db < 2; db++) {
                jedis.select(db);
                for (String key : jedis.keys("*")) {
                    tokens.add(jedis.get(key));
                }
            }
            assertThat(tokens).hasSize(TOKENS);
            Set<String> expected = new TreeSet<>();
            for (int i = 0; i < TOKENS; i++) {
                expected.add("token-" + i);
            }
            assertThat(new TreeSet<>(tokens)).isEqualTo(expected);
            jedis.select(2);
            for (String key : jedis.keys("*")) {
                assertThat(expected).contains(jedis.get(key));
            }
        }
    }

    /** Multi-key, cross-slot and keyspace-wide commands from 8 connections all complete. */
    @Test
    void mixedMultiKeyCommands_finishWithoutDeadlock() throws Exception {
        try (Jedis jedis = connect()) {
            jedis.flushAll();
        }
        List<Throwable> errors = runThreads(10, (random, jedis) -> {
            String[] keys = new String[1 + random.nextInt(6)];
            for (int i = 0; i < keys.length; i++) {
                keys[i] = "m:" + random.nextInt(300);
            }
            switch (random.nextInt(12)) {
                case 0, 1 -> jedis.set(keys[0], "v");
                case 2 -> jedis.get(keys[0]);
                case 3 -> jedis.del(keys);
                case 4 -> jedis.exists(keys);
                case 5 -> jedis.rename(keys[0], "m:" + random.nextInt(300));
                case 6 -> jedis.copy(keys[0], "m:" + random.nextInt(300), true);
                case 7 -> jedis.touch(keys);
                case 8 -> jedis.pexpire(keys[0], 1 + random.nextInt(50));
                case 9 -> jedis.scan(Integer.toString(random.nextInt(1 << 20)));
                case 10 -> jedis.randomKey();
                default -> {
                    if (random.nextInt(20) == 0) {
                        jedis.keys("m:1*");
                    } else {
                        jedis.dbSize();
                    }
                }
            }
        });
        assertThat(errors).isEmpty();
    }

    /** One step of a worker, run in a loop on its own connection. */
    private interface Step {
        void run(SplittableRandom random, Jedis jedis);
    }

    /**
     * Runs {@code step} in a loop on {@link #THREADS} connections for about 2 seconds each with
     * a hard deadline of {@code timeoutSeconds}; returns the failures.
     */
    private static List<Throwable> runThreads(int timeoutSeconds, Step step) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        List<Future<?>> futures = new ArrayList<>();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        for (int t = 0; t < THREADS; t++) {
            SplittableRandom random = new SplittableRandom(t * 7919L + 1);
            futures.add(pool.submit(() -> {
                try (Jedis jedis = connect()) {
                    while (System.nanoTime() < end) {
                        try {
                            step.run(random, jedis);
                        } catch (JedisDataException e) {
                            if (!EXPECTED_ERRORS.contains(e.getMessage())) {
                                throw e;
                            }
                        }
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            }));
        }
        pool.shutdown();
        boolean finished = pool.awaitTermination(timeoutSeconds, TimeUnit.SECONDS);
        if (!finished) {
            pool.shutdownNow();
        }
        assertThat(finished).as("all workers finished (no deadlock)").isTrue();
        for (Future<?> future : futures) {
            future.get();
        }
        return new ArrayList<>(errors);
    }
}
