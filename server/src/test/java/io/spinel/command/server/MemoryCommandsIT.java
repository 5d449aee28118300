package io.spinel.command.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinel.server.SpinelServer;
import io.spinel.testing.RawClient;
import io.spinel.testing.RealRedis;
import io.spinel.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * MEMORY, the INFO memory fields, OBJECT FREQ/IDLETIME under the policies, OOM replies and lazy
 * freeing over a socket; the deterministic replies compared with real Redis.
 */
class MemoryCommandsIT {
    private static long info(RawClient client, String field) {
        for (String line : client.call("INFO", "everything").split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1));
            }
        }
        throw new AssertionError("no INFO field " + field);
    }

    @Test
    void deterministicReplies_matchRedis() {
        SpinelServer server = TestServer.start();
        try (RealRedis redis = RealRedis.start();
                RawClient ours = new RawClient(server.port());
                RawClient real = new RawClient(redis.port())) {
            List<String[]> script = new ArrayList<>(List.of(
                    new String[] {"MEMORY", "HELP"},
                    new String[] {"MEMORY", "USAGE", "nosuch"},
                    new String[] {"MEMORY", "USAGE", "nosuch", "SAMPLES", "-1"},
                    new String[] {"MEMORY", "USAGE", "nosuch", "SAMPLES"},
                    new String[] {"MEMORY", "USAGE", "nosuch", "FOO", "1"},
                    new String[] {"MEMORY", "PURGE"},
                    new String[] {"MEMORY", "NOSUCH"},
                    new String[] {"MEMORY", "STATS", "extra"},
                    new String[] {"SET", "k", "v"},
                    new String[] {"OBJECT", "FREQ", "k"},
                    new String[] {"OBJECT", "FREQ", "nosuch"},
                    new String[] {"CONFIG", "SET", "maxmemory-policy", "volatile-lfu"},
                    new String[] {"OBJECT", "IDLETIME", "k"},
                    new String[] {"OBJECT", "IDLETIME", "nosuch"},
                    new String[] {"SET", "fresh", "v"},
                    new String[] {"OBJECT", "FREQ", "fresh"},
                    new String[] {"CONFIG", "SET", "maxmemory-policy", "noeviction"},
                    new String[] {"CONFIG", "GET", "maxmemory-policy"},
                    new String[] {"CONFIG", "SET", "maxmemory", "1"},
                    new String[] {"SET", "k2", "v"},
                    new String[] {"GET", "k"},
                    new String[] {"LPUSH", "l", "a"},
                    new String[] {"DEL", "k"},
                    new String[] {"UNLINK", "fresh", "nosuch"},
                    new String[] {"CONFIG", "SET", "maxmemory", "0"},
                    new String[] {"SET", "k2", "v"},
                    new String[] {"FLUSHALL", "ASYNC"},
                    new String[] {"FLUSHDB", "ASYNC"},
                    new String[] {"FLUSHALL", "LAZY"}));
            for (String[] request : script) {
                assertThat(ours.call(request)).as(String.join(" ", request)).isEqualTo(real.call(request));
            }
        } finally {
            server.close();
        }
    }

    @Test
    void memoryStats_reportsTheAccounting() {
        SpinelServer server = TestServer.start();
        try (RawClient client = new RawClient(server.port())) {
            client.call("SET", "a", "x".repeat(1000));
            client.call("SELECT", "3");
            client.call("SET", "b", "y");
            String stats = client.call("MEMORY", "STATS");
            assertThat(stats).startsWith("*" + 2 * (27 + 2) + "\r\n");
            assertThat(stats).contains("$14\r\npeak.allocated\r\n", "$4\r\ndb.0\r\n", "$4\r\ndb.3\r\n",
                    "$10\r\nkeys.count\r\n:2\r\n", "$13\r\ndataset.bytes\r\n", "$13\r\nfragmentation\r\n");
            long used = info(client, "used_memory");
            long startup = info(client, "used_memory_startup");
            long dataset = info(client, "used_memory_dataset");
            long usage = Long.parseLong(client.call("MEMORY", "USAGE", "b").substring(1).trim());
            client.call("SELECT", "0");
            usage += Long.parseLong(client.call("MEMORY", "USAGE", "a").substring(1).trim());
            assertThat(dataset).isEqualTo(usage);
            assertThat(used).isGreaterThanOrEqualTo(startup + dataset);
            assertThat(info(client, "maxmemory")).isZero();
            assertThat(client.call("INFO", "memory")).contains("maxmemory_policy:noeviction\r\n", "mem_fragmentation_ratio:",
                    "used_memory_human:", "lazyfree_pending_objects:0\r\n");
            assertThat(client.call("MEMORY", "DOCTOR")).contains("this instance is empty or is using very little memory");
            client.call("CONFIG", "SET", "maxmemory", "200mb");
            client.call("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu");
            assertThat(client.call("INFO", "memory")).contains("maxmemory:209715200\r\n", "maxmemory_human:200.00M\r\n",
                    "maxmemory_policy:allkeys-lfu\r\n");
        } finally {
            server.close();
        }
    }

    @Test
    void lazyFreeing_countsWhatRedisFreesInTheBackground() {
        SpinelServer server = TestServer.start();
        try (RawClient client = new RawClient(server.port())) {
            String[] members = new String[202]; // 200 members: a hashtable, freed in the background by Redis
            members[0] = "SADD";
            members[1] = "big";
            for (int i = 2; i < members.length; i++) {
                members[i] = "member" + i;
            }
            client.call(members);
            client.call("SADD", "small", "1", "2");
            assertThat(client.call("UNLINK", "big", "small")).isEqualTo(":2\r\n");
            assertThat(info(client, "lazyfreed_objects")).isEqualTo(1);
            client.call(members);
            assertThat(client.call("DEL", "big")).isEqualTo(":1\r\n");
            assertThat(info(client, "lazyfreed_objects")).isEqualTo(1);
            client.call("CONFIG", "SET", "lazyfree-lazy-user-del", "yes");
            client.call(members);
            assertThat(client.call("DEL", "big")).isEqualTo(":1\r\n");
            assertThat(info(client, "lazyfreed_objects")).isEqualTo(2);
            client.call("MSET", "a", "1", "b", "2", "c", "3");
            client.call("FLUSHALL", "ASYNC");
            assertThat(info(client, "lazyfreed_objects")).isEqualTo(5);
            client.call("MSET", "a", "1", "b", "2");
            client.call("FLUSHDB");
            assertThat(info(client, "lazyfreed_objects")).isEqualTo(5);
            client.call("CONFIG", "SET", "lazyfree-lazy-user-flush", "yes");
            client.call("MSET", "a", "1", "b", "2");
            client.call("FLUSHDB");
            assertThat(info(client, "lazyfreed_objects")).isEqualTo(7);
            client.call("CONFIG", "RESETSTAT");
            assertThat(info(client, "lazyfreed_objects")).isZero();
        } finally {
            server.close();
        }
    }
}
