package io.spinel.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinel.server.SpinelServer;
import io.spinel.testing.RawClient;
import io.spinel.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * maxmemory and the eviction policies over a socket: which keys each policy evicts and which it
 * never touches, Redis's OOM error when nothing may be evicted, the events and statistics of
 * eviction, LFU counters, and a write flood that must stay within its budget.
 */
class EvictionIT {
    private static final String VALUE = "x".repeat(200);
    /** What a key of the tests costs (key, value, entry), rounded up. */
    private static final long KEY_BYTES = 300;

    static long info(RawClient client, String field) {
        for (String line : client.call("INFO", "everything").split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1));
            }
        }
        throw new AssertionError("no INFO field " + field);
    }

    /** Sets maxmemory to what is used now plus room for about {@code keys} more test keys. */
    private static long limitRoomFor(RawClient client, int keys) {
        long limit = info(client, "used_memory") + keys * KEY_BYTES;
        client.call("CONFIG", "SET", "maxmemory", Long.toString(limit));
        return limit;
    }

    private static int surviving(RawClient client, String prefix, int count) {
        int alive = 0;
        for (int i = 0; i < count; i++) {
            if (client.call("EXISTS", prefix + i).equals(":1\r\n")) {
                alive++;
            }
        }
        return alive;
    }

    @Test
    void noeviction_oomForDenyoomCommands() {
        SpinelServer server = TestServer.start("maxmemory-policy", "noeviction");
        try (RawClient client = new RawClient(server.port())) {
            limitRoomFor(client, 50);
            String reply = "";
            for (int i = 0; i < 1000 && !reply.startsWith("-"); i++) {
                reply = client.call("SET", "k" + i, VALUE);
            }
            assertThat(reply).isEqualTo("-OOM command not allowed when used memory > 'maxmemory'.\r\n");
            assertThat(client.call("LPUSH", "list", "a")).startsWith("-OOM ");
            assertThat(client.call("GET", "k0")).isEqualTo("$200\r\n" + VALUE + "\r\n");
            assertThat(client.call("DEL", "k0", "k1")).isEqualTo(":2\r\n");
            assertThat(client.call("SET", "k0", VALUE)).isEqualTo("+OK\r\n");
            assertThat(info(client, "evicted_keys")).isZero();
        } finally {
            server.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl"})
    void volatilePolicies_neverEvictKeysWithoutTtl(String policy) {
        SpinelServer server = TestServer.start("maxmemory-policy", policy);
        try (RawClient client = new RawClient(server.port())) {
            for (int i = 0; i < 100; i++) {
                client.call("SET", "persistent" + i, VALUE);
            }
            limitRoomFor(client, 100);
            for (int i = 0; i < 1000; i++) {
                assertThat(client.call("SET", "volatile" + i, VALUE, "EX", "1000")).isEqualTo("+OK\r\n");
            }
            assertThat(surviving(client, "persistent", 100)).isEqualTo(100);
            assertThat(surviving(client, "volatile", 1000)).isBetween(1, 150);
            assertThat(info(client, "evicted_keys")).isGreaterThan(800);
            // Only keys without a TTL left to evict: nothing may go, so writes are refused.
            client.call("CONFIG", "SET", "maxmemory", Long.toString(info(client, "used_memory_startup") + 1000));
            // The first writes may find eviction still running in the background (Redis's
            // EVICT_RUNNING) and pass; once only keys without TTL remain, writes are refused.
            String reply = "";
            for (int i = 0; i < 100 && !reply.startsWith("-"); i++) {
                reply = client.call("SET", "more", VALUE);
            }
            assertThat(reply).startsWith("-OOM ");
            assertThat(surviving(client, "persistent", 100)).isEqualTo(100);
        } finally {
            server.close();
        }
    }

    @Test
    void volatileTtl_evictsNearestExpiryFirst() {
        SpinelServer server = TestServer.start("maxmemory-policy", "volatile-ttl", "maxmemory-samples", "10");
        try (RawClient client = new RawClient(server.port())) {
            for (int i = 0; i < 200; i++) {
                client.call("SET", "t" + i, VALUE, "EX", Integer.toString(1000 + i * 100));
            }
            long limit = limitRoomFor(client, 0) - 100 * KEY_BYTES;
            client.call("CONFIG", "SET", "maxmemory", Long.toString(limit));
            client.call("SET", "trigger", VALUE, "EX", "100000");
            int nearFirstHalf = surviving(client, "t", 100);
            int lateHalf = 0;
            for (int i = 100; i < 200; i++) {
                lateHalf += client.call("EXISTS", "t" + i).equals(":1\r\n") ? 1 : 0;
            }
            assertThat(lateHalf).as("later expiries kept").isGreaterThan(75);
            assertThat(nearFirstHalf).as("nearer expiries kept").isLessThan(30);
        } finally {
            server.close();
        }
    }

    @Test
    void allkeysLru_keepsRecentlyReadKeys() throws InterruptedException {
        SpinelServer server = TestServer.start("maxmemory-policy", "allkeys-lru", "maxmemory-samples", "10");
        try (RawClient client = new RawClient(server.port())) {
            for (int i = 0; i < 500; i++) {
                client.call("SET", "old" + i, VALUE);
            }
            Thread.sleep(2100); // the LRU clock counts seconds
            for (int i = 0; i < 100; i++) {
                client.call("GET", "old" + i);
            }
            limitRoomFor(client, 0);
            for (int i = 0; i < 300; i++) {
                client.call("SET", "new" + i, VALUE);
            }
            assertThat(surviving(client, "old", 100)).isGreaterThan(90);
            int unread = 0;
            for (int i = 100; i < 500; i++) {
                unread += client.call("EXISTS", "old" + i).equals(":1\r\n") ? 1 : 0;
            }
            assertThat(unread).isLessThan(200);
        } finally {
            server.close();
        }
    }

    @Test
    void allkeysLfu_keepsFrequentlyReadKeys() {
        SpinelServer server = TestServer.start("maxmemory-policy", "allkeys-lfu", "maxmemory-samples", "10");
        try (RawClient client = new RawClient(server.port())) {
            for (int i = 0; i < 500; i++) {
                client.call("SET", "k" + i, VALUE);
            }
            for (int round = 0; round < 30; round++) {
                for (int i = 0; i < 100; i++) {
                    client.call("GET", "k" + i);
                }
            }
            limitRoomFor(client, 0);
            for (int i = 0; i < 300; i++) {
                client.call("SET", "new" + i, VALUE);
            }
            assertThat(surviving(client, "k", 100)).isGreaterThan(95);
            assertThat(info(client, "evicted_keys")).isGreaterThan(250);
        } finally {
            server.close();
        }
    }

    @Test
    void allkeysRandom_staysUnderTheLimit() {
        SpinelServer server = TestServer.start("maxmemory-policy", "allkeys-random");
        try (RawClient client = new RawClient(server.port())) {
            long limit = limitRoomFor(client, 200);
            for (int i = 0; i < 2000; i++) {
                assertThat(client.call("SET", "k" + i, VALUE)).isEqualTo("+OK\r\n");
            }
            assertThat(info(client, "used_memory")).isLessThanOrEqualTo(limit + KEY_BYTES);
            assertThat(Long.parseLong(client.call("DBSIZE").substring(1).trim())).isBetween(150L, 230L);
        } finally {
            server.close();
        }
    }

    @Test
    void eviction_firesEvictedEventsAndCounts() {
        SpinelServer server = TestServer.start("maxmemory-policy", "allkeys-lru");
        List<String> events = java.util.Collections.synchronizedList(new ArrayList<>());
        List<String> modified = java.util.Collections.synchronizedList(new ArrayList<>());
        server.context().keyspace().addListener(new KeyspaceListener() {
            @Override
            public void keyModified(Database db, byte[] key) {
                modified.add(new String(key));
            }

            @Override
            public void keyEvent(Database db, byte[] key, int eventClass, String event) {
                if (event.equals("evicted")) {
                    assertThat(eventClass).isEqualTo(io.spinel.config.KeyspaceEvents.EVICTED);
                    events.add(new String(key));
                }
            }

            @Override
            public void databaseChanged(Database db) {
            }
        });
        try (RawClient client = new RawClient(server.port())) {
            limitRoomFor(client, 20);
            for (int i = 0; i < 100; i++) {
                client.call("SET", "k" + i, VALUE);
            }
            long evicted = info(client, "evicted_keys");
            assertThat(evicted).isGreaterThan(60);
            assertThat(events).hasSize((int) evicted);
            assertThat(modified).containsAll(events);
            for (String key : events.subList(0, 10)) {
                assertThat(client.call("EXISTS", key)).isEqualTo(":0\r\n");
            }
        } finally {
            server.close();
        }
    }

    @Test
    void objectFreq_followsLfuPolicy() {
        SpinelServer server = TestServer.start();
        try (RawClient client = new RawClient(server.port())) {
            client.call("SET", "k", "v");
            assertThat(client.call("OBJECT", "FREQ", "k")).startsWith("-ERR An LFU maxmemory policy is not selected");
            assertThat(client.call("OBJECT", "IDLETIME", "k")).isEqualTo(":0\r\n");
            client.call("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu");
            client.call("SET", "fresh", "v");
            assertThat(client.call("OBJECT", "FREQ", "fresh")).isEqualTo(":5\r\n");
            client.call("GET", "fresh"); // the first access always counts
            assertThat(client.call("OBJECT", "FREQ", "fresh")).isEqualTo(":6\r\n");
            for (int i = 0; i < 2000; i++) {
                client.call("GET", "fresh");
            }
            long freq = Long.parseLong(client.call("OBJECT", "FREQ", "fresh").substring(1).trim());
            // Each increment is a coin toss (lfu-log-factor 10): after 2,000 hits the counter is
            // 25 +- 2.6, and a simulation of 400,000 runs put 2.5% above 30 (this bound was 30
            // once, and failed) and none outside 14-38.
            assertThat(freq).isBetween(12L, 45L);
            assertThat(client.call("OBJECT", "IDLETIME", "fresh")).startsWith("-ERR An LFU maxmemory policy is selected, idle time not tracked.");
            client.call("CLIENT", "NO-TOUCH", "ON");
            for (int i = 0; i < 2000; i++) {
                client.call("GET", "fresh");
            }
            assertThat(client.call("OBJECT", "FREQ", "fresh")).isEqualTo(":" + freq + "\r\n");
            client.call("TOUCH", "fresh"); // TOUCH touches even for a NO-TOUCH client
            client.call("CONFIG", "SET", "lfu-log-factor", "0");
            client.call("TOUCH", "fresh");
            assertThat(Long.parseLong(client.call("OBJECT", "FREQ", "fresh").substring(1).trim())).isGreaterThan(freq);
        } finally {
            server.close();
        }
    }

    @Test
    void lfuCounter_decaysWithTime() {
        assertThat(LfuCounter.decayed(LfuCounter.created(0), 0, 1)).isEqualTo(LfuCounter.INITIAL);
        int clock = (0 << 8) | 20;
        assertThat(LfuCounter.decayed(clock, 3 * 60_000, 1)).isEqualTo(17);
        assertThat(LfuCounter.decayed(clock, 3 * 60_000, 0)).isEqualTo(20);
        assertThat(LfuCounter.decayed(clock, 60 * 60_000, 1)).isZero();
        assertThat(LfuCounter.decayed(clock, 10 * 60_000, 5)).isEqualTo(18);
        int saturated = (0 << 8) | 255;
        assertThat(LfuCounter.accessed(saturated, 0, 10, 1) & 0xFF).isEqualTo(255);
    }

    /**
     * A flood of random keys and values from several connections against a small maxmemory:
     * the server keeps answering, evicts, and used_memory stays within the budget plus the brief
     * overshoot of the writes in flight.
     */
    @Test
    void writeFlood_staysWithinBudget() throws InterruptedException {
        long limit = 4L * 1024 * 1024;
        SpinelServer server = TestServer.start("maxmemory", Long.toString(limit), "maxmemory-policy", "allkeys-lru");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<String> failure = new AtomicReference<>();
        AtomicLong maxSeen = new AtomicLong();
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int seed = t;
            Thread writer = new Thread(() -> {
                SplittableRandom random = new SplittableRandom(seed);
                try (RawClient client = new RawClient(server.port())) {
                    while (!stop.get()) {
                        String value = "v".repeat(1 + random.nextInt(2000));
                        String reply = client.call("SET", "key:" + random.nextInt(1_000_000), value);
                        if (!reply.equals("+OK\r\n")) {
                            failure.set(reply);
                        }
                    }
                }
            });
            writer.start();
            writers.add(writer);
        }
        try (RawClient monitor = new RawClient(server.port())) {
            long end = System.nanoTime() + 2_000_000_000L;
            while (System.nanoTime() < end) {
                maxSeen.accumulateAndGet(server.context().keyspace().usedMemory(), Math::max);
                Thread.sleep(5);
            }
            stop.set(true);
            for (Thread writer : writers) {
                writer.join();
            }
            assertThat(failure.get()).isNull();
            assertThat(info(monitor, "evicted_keys")).isPositive();
            // Four writers, each with at most one value (2 KB) past the check.
            assertThat(maxSeen.get()).isLessThanOrEqualTo(limit + 4 * 2300);
            assertThat(info(monitor, "used_memory")).isLessThanOrEqualTo(limit + 4 * 2300);
            assertThat(monitor.call("PING")).isEqualTo("+PONG\r\n");
        } finally {
            server.close();
        }
    }

    @Test
    void loweredLimit_evictsInBoundedSteps() throws InterruptedException {
        SpinelServer server = TestServer.start("maxmemory-policy", "allkeys-random", "maxmemory-eviction-tenacity", "1");
        try (RawClient client = new RawClient(server.port())) {
            for (int i = 0; i < 20000; i++) {
                client.call("SET", "k" + i, VALUE);
            }
            long limit = info(client, "used_memory_startup") + 1000 * KEY_BYTES;
            client.call("CONFIG", "SET", "maxmemory", Long.toString(limit));
            long start = System.nanoTime();
            assertThat(client.call("SET", "one", "more")).isEqualTo("+OK\r\n");
            long firstCommandNanos = System.nanoTime() - start;
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (info(client, "used_memory") > limit && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            // Client buffers enter used_memory as the cron last sampled them, which may be while
            // this client's previous INFO reply (about 5 KB) was being written: allow one reply.
            assertThat(info(client, "used_memory")).isLessThanOrEqualTo(limit + 8192);
            assertThat(info(client, "evicted_keys")).isGreaterThan(18000);
            // The command that found the overshoot evicted for about 50 us, not for all of it.
            assertThat(firstCommandNanos).isLessThan(1_000_000_000L);
        } finally {
            server.close();
        }
    }
}
