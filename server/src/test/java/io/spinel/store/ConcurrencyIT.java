package io.spinel.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinel.server.SpinelServer;
import io.spinel.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Many connections at once on the same and on different slots: no lost update, no torn
 * multi-key write. The server runs several event loops, so these commands really run in parallel.
 */
class ConcurrencyIT {
    private static SpinelServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start("io-threads", "4");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void incr_fiftyClientsOnOneKey_loseNoIncrement() throws Exception {
        int clients = 50;
        int perClient = 10_000;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            done.add(pool.submit(() -> {
                try (Jedis jedis = new Jedis("127.0.0.1", server.port(), 30_000)) {
                    var pipeline = jedis.pipelined();
                    for (int i = 0; i < perClient; i++) {
                        pipeline.incr("counter");
                        if (i % 500 == 499) {
                            pipeline.sync();
                        }
                    }
                    pipeline.sync();
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();
        try (Jedis jedis = new Jedis("127.0.0.1", server.port(), 30_000)) {
            assertThat(jedis.get("counter")).isEqualTo(String.valueOf(clients * perClient));
        }
    }

    @Test
    void msetMget_acrossSlots_neverTorn() throws Exception {
        String[] keys = {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot"};
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<String> torn = new AtomicReference<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int writer = w;
            done.add(pool.submit(() -> {
                try (Jedis jedis = new Jedis("127.0.0.1", server.port(), 30_000)) {
                    for (int i = 0; i < 5_000; i++) {
                        String value = writer + ":" + i;
                        String[] kv = new String[keys.length * 2];
                        for (int k = 0; k < keys.length; k++) {
                            kv[2 * k] = keys[k];
                            kv[2 * k + 1] = value;
                        }
                        jedis.mset(kv);
                    }
                }
                return null;
            }));
        }
        for (int r = 0; r < 4; r++) {
            pool.submit(() -> {
                try (Jedis jedis = new Jedis("127.0.0.1", server.port(), 30_000)) {
                    while (!stop.get()) {
                        List<String> values = jedis.mget(keys);
                        if (values.get(0) != null && values.stream().distinct().count() != 1) {
                            torn.compareAndSet(null, values.toString());
                        }
                    }
                }
                return null;
            });
        }
        for (Future<?> f : done) {
            f.get(120, TimeUnit.SECONDS);
        }
        stop.set(true);
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        assertThat(torn.get()).as("an MGET saw a half-applied MSET").isNull();
    }
}
