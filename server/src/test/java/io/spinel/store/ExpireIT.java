package io.spinel.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinel.server.SpinelServer;
import io.spinel.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * Expiry end to end: the active cycle reclaims keys nobody touches, and lazy expiry hides an
 * expired key from every command at once even when the active cycle is off.
 */
class ExpireIT {
    private static SpinelServer spinel;

    @BeforeAll
    static void start() {
        spinel = TestServer.start();
    }

    @AfterAll
    static void stop() {
        spinel.close();
    }

    @Test
    void activeExpiry_reclaimsUntouchedKeys() throws InterruptedException {
        int keys = 200_000;
        try (Jedis jedis = new Jedis("127.0.0.1", spinel.port(), 30_000)) {
            jedis.flushAll();
            Pipeline pipeline = jedis.pipelined();
            for (int i = 0; i < keys; i++) {
                String key = "volatile:" + i;
                pipeline.set(key, "v");
                pipeline.pexpire(key, 300);
                if (i % 1000 == 999) {
                    pipeline.sync();
                }
            }
            pipeline.sync();
            jedis.set("persistent", "v");
            assertThat(jedis.dbSize()).isGreaterThan(1);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (jedis.dbSize() > 1 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(jedis.dbSize()).isEqualTo(1);
            assertThat(jedis.get("persistent")).isEqualTo("v");
        }
    }

    @Test
    void lazyExpiry_hidesExpiredKeysImmediately() throws InterruptedException {
        ExpireCycle cycle = spinel.context().expireCycle();
        cycle.enabled(false);
        try (Jedis jedis = new Jedis("127.0.0.1", spinel.port())) {
            jedis.flushAll();
            for (String key : new String[] {"a", "b", "c", "d", "e"}) {
                jedis.set(key, "v");
                jedis.pexpire(key, 50);
            }
            Thread.sleep(120);
            assertThat(jedis.dbSize()).isEqualTo(5);
            assertThat(jedis.get("a")).isNull();
            assertThat(jedis.exists("b")).isFalse();
            assertThat(jedis.ttl("c")).isEqualTo(-2);
            assertThat(jedis.type("d")).isEqualTo("none");
            assertThat(jedis.keys("*")).isEmpty();
            assertThat(jedis.randomKey()).isNull();
            assertThat(jedis.dbSize()).isLessThan(5);
        } finally {
            cycle.enabled(true);
        }
    }
}
