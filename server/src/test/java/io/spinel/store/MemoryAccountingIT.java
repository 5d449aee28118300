package io.spinel.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinel.server.SpinelServer;
import io.spinel.testing.RawClient;
import io.spinel.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The keyspace's running memory total against a recount: after writes of every kind (in place
 * and replacing, growing and shrinking, converting encodings, expiring, renaming, moving,
 * flushing), the total must equal the sum of MEMORY USAGE over every key, which measures each
 * value afresh with the same estimate.
 */
class MemoryAccountingIT {
    private static final String[][] SCRIPT = {
        {"SET", "s%d", "%v"}, {"APPEND", "s%d", "%v"}, {"SETRANGE", "s%d", "%n", "%v"}, {"INCR", "i%d"},
        {"INCRBYFLOAT", "i%d", "1.5"}, {"SETBIT", "b%d", "%n", "1"}, {"GETDEL", "s%d"}, {"PFADD", "p%d", "%v", "%v"},
        {"RPUSH", "l%d", "%v", "%v", "%v"}, {"LPOP", "l%d"}, {"LSET", "l%d", "0", "%v"}, {"LTRIM", "l%d", "0", "%n"},
        {"LMOVE", "l%d", "l%d", "LEFT", "RIGHT"},
        {"HSET", "h%d", "%v", "%v", "%v", "%v"}, {"HDEL", "h%d", "%v"}, {"HINCRBY", "h%d", "n", "3"},
        {"HPEXPIRE", "h%d", "5", "FIELDS", "1", "%v"},
        {"SADD", "t%d", "%v", "%n"}, {"SREM", "t%d", "%v"}, {"SPOP", "t%d"}, {"SMOVE", "t%d", "t%d", "%v"},
        {"SUNIONSTORE", "t%d", "t%d", "t%d"},
        {"ZADD", "z%d", "%n", "%v"}, {"ZINCRBY", "z%d", "2", "%v"}, {"ZREM", "z%d", "%v"}, {"ZPOPMIN", "z%d"},
        {"EXPIRE", "s%d", "100"}, {"PEXPIRE", "l%d", "3"}, {"PERSIST", "s%d"}, {"DEL", "h%d"}, {"UNLINK", "z%d"},
        {"RENAME", "s%d", "s%d"}, {"COPY", "l%d", "l%d", "REPLACE"}, {"MOVE", "t%d", "1"},
        {"SET", "big%d", "%V"}, {"GETSET", "big%d", "%v"}, {"SWAPDB", "0", "1"},
    };

    private static String[] instantiate(String[] template, SplittableRandom random) {
        String[] out = new String[template.length];
        for (int i = 0; i < template.length; i++) {
            String arg = template[i];
            if (arg.contains("%d")) {
                arg = arg.replace("%d", Integer.toString(random.nextInt(4)));
            }
            out[i] = switch (arg) {
                case "%v" -> "m" + random.nextInt(300);
                case "%V" -> "v".repeat(random.nextInt(200, 2000));
                case "%n" -> Integer.toString(random.nextInt(200));
                default -> arg;
            };
        }
        return out;
    }

    /** The sum of MEMORY USAGE ... SAMPLES 5 over every key of every database, once expired keys are reclaimed. */
    private static long recount(RawClient client) {
        long total = 0;
        for (int db = 0; db < 16; db++) {
            client.call("SELECT", Integer.toString(db));
            for (String prefix : new String[] {"s", "i", "b", "p", "l", "h", "t", "z", "big"}) {
                for (int i = 0; i < 4; i++) {
                    client.call("EXISTS", prefix + i); // reclaims a key whose TTL passed
                }
            }
            List<String> keys = new ArrayList<>();
            String[] lines = client.call("KEYS", "*").split("\r\n");
            for (int i = 2; i < lines.length; i += 2) {
                keys.add(lines[i]);
            }
            for (String key : keys) {
                String usage = client.call("MEMORY", "USAGE", key, "SAMPLES", "5");
                if (usage.startsWith(":")) {
                    total += Long.parseLong(usage.substring(1).trim());
                }
            }
        }
        client.call("SELECT", "0");
        return total;
    }

    @Test
    void runningTotal_equalsRecount() throws InterruptedException {
        SpinelServer server = TestServer.start("list-max-listpack-size", "4", "hash-max-listpack-entries", "8",
                "set-max-intset-entries", "8", "set-max-listpack-entries", "8", "zset-max-listpack-entries", "8");
        Keyspace keyspace = server.context().keyspace();
        try (RawClient client = new RawClient(server.port())) {
            SplittableRandom random = new SplittableRandom(7);
            for (int round = 0; round < 20; round++) {
                for (int i = 0; i < 300; i++) {
                    client.call(instantiate(SCRIPT[random.nextInt(SCRIPT.length)], random));
                }
                Thread.sleep(10); // let the short TTLs pass; the first recount reclaims them lazily
                recount(client);
                assertThat(keyspace.datasetBytes()).as("round " + round).isEqualTo(recount(client));
            }
            // A list grown in place and moved to another database before the growth is measured.
            client.call("MULTI");
            client.call("RPUSH", "l0", "a", "b", "c", "d", "e", "f", "g", "h", "i");
            client.call("SWAPDB", "0", "1");
            client.call("EXEC");
            assertThat(keyspace.datasetBytes()).isEqualTo(recount(client));
            client.call("FLUSHDB");
            assertThat(keyspace.datasetBytes()).isEqualTo(recount(client));
            client.call("FLUSHALL", "ASYNC");
            assertThat(keyspace.datasetBytes()).isZero();
        } finally {
            server.close();
        }
    }
}
