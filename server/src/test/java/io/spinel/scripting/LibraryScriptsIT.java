package io.spinel.scripting;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinel.server.SpinelServer;
import io.spinel.testing.RawClient;
import io.spinel.testing.TestServer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The kind of scripts client libraries run, under several concurrent clients, checked for
 * correctness: a reentrant lock in the style of Redisson's (a hash of owner to hold count with a
 * TTL), a job queue in the style of BullMQ's (jobs moved between lists and sorted sets), and a
 * sliding-window rate limiter on a sorted set.
 */
class LibraryScriptsIT {
    private static final int CLIENTS = 6;

    /** Takes the lock (or takes it again) and returns nil, else returns the holder's remaining TTL. */
    private static final String LOCK_ACQUIRE = ""
            + "if redis.call('EXISTS', KEYS[1]) == 0 or redis.call('HEXISTS', KEYS[1], ARGV[2]) == 1 then\n"
            + "  redis.call('HINCRBY', KEYS[1], ARGV[2], 1)\n"
            + "  redis.call('PEXPIRE', KEYS[1], ARGV[1])\n"
            + "  return nil\n"
            + "end\n"
            + "return redis.call('PTTL', KEYS[1])";
    private static final String LOCK_RENEW = ""
            + "if redis.call('HEXISTS', KEYS[1], ARGV[2]) == 1 then\n"
            + "  redis.call('PEXPIRE', KEYS[1], ARGV[1])\n"
            + "  return 1\n"
            + "end\n"
            + "return 0";
    /** Releases one hold: 0 while still held, 1 when released, nil when not the holder. */
    private static final String LOCK_RELEASE = ""
            + "if redis.call('HEXISTS', KEYS[1], ARGV[2]) == 0 then return nil end\n"
            + "local counter = redis.call('HINCRBY', KEYS[1], ARGV[2], -1)\n"
            + "if counter > 0 then\n"
            + "  redis.call('PEXPIRE', KEYS[1], ARGV[1])\n"
            + "  return 0\n"
            + "end\n"
            + "redis.call('DEL', KEYS[1])\n"
            + "return 1";
    /** Moves the next waiting job to active and records when it started. */
    private static final String JOB_TAKE = ""
            + "local id = redis.call('RPOPLPUSH', KEYS[1], KEYS[2])\n"
            + "if id then\n"
            + "  redis.call('ZADD', KEYS[3], ARGV[1], id)\n"
            + "  redis.call('HSET', 'queue:job:' .. id, 'processedOn', ARGV[1], 'worker', ARGV[2])\n"
            + "end\n"
            + "return id";
    /** Completes an active job: out of active and the started set, into completed. */
    private static final String JOB_COMPLETE = ""
            + "if redis.call('LREM', KEYS[1], 1, ARGV[1]) == 0 then return redis.error_reply('ERR job not active') end\n"
            + "redis.call('ZREM', KEYS[2], ARGV[1])\n"
            + "redis.call('ZADD', KEYS[3], ARGV[2], ARGV[1])\n"
            + "return redis.call('ZCARD', KEYS[3])";
    /** Admits a request when fewer than ARGV[2] were admitted in the window ARGV[3] ms before ARGV[1]. */
    private static final String RATE_LIMIT = ""
            + "redis.call('ZREMRANGEBYSCORE', KEYS[1], 0, tonumber(ARGV[1]) - tonumber(ARGV[3]))\n"
            + "if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then\n"
            + "  redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])\n"
            + "  redis.call('PEXPIRE', KEYS[1], ARGV[3])\n"
            + "  return 1\n"
            + "end\n"
            + "return 0";

    private static SpinelServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void concurrently(IntConsumer client) throws Exception {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int id = c;
            done.add(CompletableFuture.runAsync(() -> client.accept(id)));
        }
        CompletableFuture.allOf(done.toArray(new CompletableFuture[0])).get(120, TimeUnit.SECONDS);
    }

    /** The lock excludes: a read-modify-write done with plain commands while holding it loses nothing. */
    @Test
    void reentrantLock_excludesOtherHolders() throws Exception {
        int rounds = 60;
        concurrently(c -> {
            try (RawClient client = new RawClient(server.port())) {
                String owner = "owner-" + c;
                for (int i = 0; i < rounds; i++) {
                    while (!client.call("EVAL", LOCK_ACQUIRE, "1", "lock", "30000", owner).equals("$-1\r\n")) {
                        Thread.onSpinWait();
                    }
                    assertThat(client.call("EVAL", LOCK_ACQUIRE, "1", "lock", "30000", owner)).isEqualTo("$-1\r\n");
                    assertThat(client.call("EVAL", LOCK_RENEW, "1", "lock", "30000", owner)).isEqualTo(":1\r\n");
                    String value = client.call("GET", "locked:counter");
                    long n = value.startsWith("$-1") ? 0 : Long.parseLong(value.split("\r\n")[1]);
                    client.call("SET", "locked:counter", Long.toString(n + 1));
                    assertThat(client.call("EVAL", LOCK_RELEASE, "1", "lock", "30000", owner)).isEqualTo(":0\r\n");
                    assertThat(client.call("EVAL", LOCK_RELEASE, "1", "lock", "30000", owner)).isEqualTo(":1\r\n");
                    assertThat(client.call("EVAL", LOCK_RELEASE, "1", "lock", "30000", owner)).isEqualTo("$-1\r\n");
                }
            }
        });
        try (RawClient client = new RawClient(server.port())) {
            String expected = Integer.toString(CLIENTS * rounds);
            assertThat(client.call("GET", "locked:counter")).isEqualTo("$" + expected.length() + "\r\n" + expected + "\r\n");
            assertThat(client.call("EXISTS", "lock")).isEqualTo(":0\r\n");
        }
    }

    /** Every job produced is taken by exactly one worker and completed once. */
    @Test
    void jobQueue_movesEveryJobExactlyOnce() throws Exception {
        int jobs = 600;
        try (RawClient producer = new RawClient(server.port())) {
            for (int i = 0; i < jobs; i++) {
                producer.call("LPUSH", "queue:wait", "job" + i);
            }
        }
        Set<String> taken = java.util.concurrent.ConcurrentHashMap.newKeySet();
        List<String> duplicates = java.util.Collections.synchronizedList(new ArrayList<>());
        concurrently(c -> {
            try (RawClient worker = new RawClient(server.port())) {
                for (long t = 1; ; t++) {
                    String reply = worker.call("EVAL", JOB_TAKE, "3", "queue:wait", "queue:active", "queue:started",
                            Long.toString(t), "w" + c);
                    if (reply.equals("$-1\r\n")) {
                        return;
                    }
                    String id = reply.split("\r\n")[1];
                    if (!taken.add(id)) {
                        duplicates.add(id);
                    }
                    assertThat(worker.call("EVAL", JOB_COMPLETE, "3", "queue:active", "queue:started", "queue:done",
                            id, Long.toString(t))).startsWith(":");
                }
            }
        });
        assertThat(duplicates).isEmpty();
        assertThat(taken).hasSize(jobs);
        try (RawClient client = new RawClient(server.port())) {
            assertThat(client.call("ZCARD", "queue:done")).isEqualTo(":" + jobs + "\r\n");
            assertThat(client.call("LLEN", "queue:active")).isEqualTo(":0\r\n");
            assertThat(client.call("ZCARD", "queue:started")).isEqualTo(":0\r\n");
            assertThat(client.call("LLEN", "queue:wait")).isEqualTo(":0\r\n");
            Set<String> workers = new HashSet<>();
            for (int i = 0; i < jobs; i += 97) {
                workers.add(client.call("HGET", "queue:job:job" + i, "worker"));
            }
            assertThat(workers).allMatch(w -> w.startsWith("$2\r\nw"));
        }
    }

    /** Within one window, exactly the limit is admitted however many clients race for it. */
    @Test
    void rateLimiter_admitsExactlyTheLimit() throws Exception {
        int limit = 50;
        java.util.concurrent.atomic.AtomicInteger admitted = new java.util.concurrent.atomic.AtomicInteger();
        concurrently(c -> {
            try (RawClient client = new RawClient(server.port())) {
                for (int i = 0; i < 40; i++) {
                    String reply = client.call("EVAL", RATE_LIMIT, "1", "ratelimit", "1000000", Integer.toString(limit),
                            "60000", c + ":" + i);
                    if (reply.equals(":1\r\n")) {
                        admitted.incrementAndGet();
                    }
                }
            }
        });
        assertThat(admitted.get()).isEqualTo(limit);
        try (RawClient client = new RawClient(server.port())) {
            assertThat(client.call("ZCARD", "ratelimit")).isEqualTo(":" + limit + "\r\n");
            assertThat(client.call("EVAL", RATE_LIMIT, "1", "ratelimit", "1060001", Integer.toString(limit), "60000", "later"))
                    .isEqualTo(":1\r\n");
        }
    }
}
