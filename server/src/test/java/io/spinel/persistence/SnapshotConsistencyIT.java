package io.spinel.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinel.server.SpinelServer;
import io.spinel.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * BGSAVE is point in time: clients write continuously while the snapshot runs (overwrites,
 * deletes, new keys, a FLUSHALL), and the file holds exactly the dataset of the moment BGSAVE
 * answered.
 */
class SnapshotConsistencyIT {
    private static final int KEYS = 100_000;

    @TempDir
    Path dir;

    @Test
    void bgsave_fileIsTheDatasetAtTheStartDespiteConcurrentWrites() throws Exception {
        try (SpinelServer server = TestServer.start("dir", dir.toString(), "enable-debug-command", "yes");
                Jedis jedis = new Jedis("127.0.0.1", server.port(), 60_000)) {
            jedis.sendCommand(PersistenceCommandsIT.DEBUG, "POPULATE", Integer.toString(KEYS));
            jedis.select(3);
            jedis.set("other-db", "kept");
            jedis.select(0);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong writes = new AtomicLong();
            List<Thread> writers = new ArrayList<>();
            assertThat(jedis.bgsave()).isEqualTo("Background saving started");
            for (int w = 0; w < 3; w++) {
                int seed = w;
                Thread writer = new Thread(() -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    try (Jedis client = new Jedis("127.0.0.1", server.port(), 60_000)) {
                        for (int batch = 0; !stop.get(); batch++) {
                            Pipeline pipe = client.pipelined();
                            for (int i = 0; i < 100; i++) {
                                int key = random.nextInt(KEYS);
                                switch (random.nextInt(3)) {
                                    case 0 -> pipe.set("key:" + key, "changed");
                                    case 1 -> pipe.del("key:" + key);
                                    default -> pipe.set("new:" + random.nextInt(), "x");
                                }
                            }
                            pipe.sync();
                            writes.addAndGet(100);
                            if (seed == 0 && batch == 2) {
                                client.flushAll();
                            }
                        }
                    }
                });
                writer.start();
                writers.add(writer);
            }
            RdbFileIT.awaitBgsave(jedis);
            stop.set(true);
            for (Thread writer : writers) {
                writer.join();
            }
            assertThat(writes.get()).isPositive();
            Map<String, String> file = io.spinel.persistence.rdb.RdbSnapshotTestAccess.load(Files.readAllBytes(dir.resolve("dump.rdb")));
            assertThat(file).hasSize(KEYS + 1);
            Map<String, String> expected = new TreeMap<>();
            for (int i = 0; i < KEYS; i++) {
                expected.put("0:key:" + i, "value:" + i);
            }
            expected.put("3:other-db", "kept");
            assertThat(file).isEqualTo(expected);
        }
    }
}
