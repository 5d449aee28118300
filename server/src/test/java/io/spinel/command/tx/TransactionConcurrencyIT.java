package io.spinel.command.tx;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinel.server.SpinelServer;
import io.spinel.testing.RawClient;
import io.spinel.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Transactions under contention: optimistic locking with WATCH loses no update, and EXEC is
 * atomic for every other client (no reader ever sees part of a transaction), across slots.
 */
class TransactionConcurrencyIT {
    private static SpinelServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void watch_optimisticIncrFromFiftyClients_exactTotal() throws Exception {
        int clients = 50;
        int increments = 20;
        try (RawClient setup = new RawClient(server.port())) {
            setup.call("SET", "txc:counter", "0");
        }
        AtomicLong retries = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                done.add(pool.submit(() -> {
                    try (RawClient client = new RawClient(server.port())) {
                        for (int i = 0; i < increments; ) {
                            client.call("WATCH", "txc:counter");
                            String get = client.call("GET", "txc:counter");
                            long value = Long.parseLong(get.split("\r\n")[1]);
                            client.call("MULTI");
                            client.call("SET", "txc:counter", Long.toString(value + 1));
                            String exec = client.call("EXEC");
                            if (exec.equals("*1\r\n+OK\r\n")) {
                                i++;
                            } else {
                                assertThat(exec).isEqualTo("*-1\r\n");
                                retries.incrementAndGet();
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        try (RawClient check = new RawClient(server.port())) {
            assertThat(check.call("GET", "txc:counter")).isEqualTo("$4\r\n" + clients * increments + "\r\n");
        }
        assertThat(retries.get()).as("some transactions must have lost the race").isPositive();
    }

    @Test
    void exec_atomicAcrossSlotsUnderLoad() throws Exception {
        String[] keys = {"txc:a", "txc:b", "txc:c", "txc:d"}; // four different slots
        try (RawClient setup = new RawClient(server.port())) {
            for (String key : keys) {
                setup.call("SET", key, "0");
            }
            setup.call("DEL", "txc:list");
        }
        int writers = 4;
        int readers = 4;
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong reads = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(writers + readers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    try (RawClient client = new RawClient(server.port())) {
                        for (int i = 0; i < 1500; i++) {
                            String value = writer + ":" + i;
                            client.call("MULTI");
                            for (String key : keys) {
                                client.call("SET", key, value);
                            }
                            client.call("RPUSH", "txc:list", value);
                            client.call("RPUSH", "txc:list", value);
                            client.call("EXEC");
                        }
                    }
                    return null;
                }));
            }
            for (int r = 0; r < readers; r++) {
                boolean viaExec = r % 2 == 0;
                done.add(pool.submit(() -> {
                    try (RawClient client = new RawClient(server.port())) {
                        while (!stop.get()) {
                            String[] values;
                            if (viaExec) {
                                client.call("MULTI");
                                for (String key : keys) {
                                    client.call("GET", key);
                                }
                                values = client.call("EXEC").split("\r\n");
                                values = new String[] {values[2], values[4], values[6], values[8]};
                            } else {
                                String[] lines = client.call("MGET", keys[0], keys[1], keys[2], keys[3]).split("\r\n");
                                values = new String[] {lines[2], lines[4], lines[6], lines[8]};
                            }
                            for (String value : values) {
                                assertThat(value).isEqualTo(values[0]);
                            }
                            String len = client.call("LLEN", "txc:list");
                            assertThat(Long.parseLong(len.substring(1).trim()) % 2).as("pairs pushed atomically").isZero();
                            reads.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (int w = 0; w < writers; w++) {
                done.get(w).get(120, TimeUnit.SECONDS);
            }
            stop.set(true);
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(reads.get()).isPositive();
    }

    @Test
    void exec_withKeyspaceWideCommandsAndScan_noDeadlock() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    try (RawClient client = new RawClient(server.port())) {
                        for (int i = 0; i < 300; i++) {
                            String[] second = switch (thread % 3) {
                                case 0 -> new String[] {"SCAN", "0", "COUNT", "10"};
                                case 1 -> new String[] {"DBSIZE"};
                                default -> new String[] {"SET", "txd:" + (i * 7 % 50), "w"};
                            };
                            client.call("MULTI");
                            client.call("SET", "txd:" + (i % 50), "v");
                            client.call(second);
                            client.call("INCR", "txd:n");
                            assertThat(client.call("EXEC")).startsWith("*3\r\n");
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
