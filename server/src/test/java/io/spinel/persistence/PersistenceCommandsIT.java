package io.spinel.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinel.server.SpinelServer;
import io.spinel.testing.RawClient;
import io.spinel.testing.RealRedis;
import io.spinel.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.commands.ProtocolCommand;

/** DUMP and RESTORE over a socket, against themselves and against a real Redis, every type and encoding. */
class PersistenceCommandsIT {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static final ProtocolCommand DEBUG = () -> b("DEBUG");

    static String digestValue(Jedis jedis, String key) {
        List<?> digests = (List<?>) jedis.sendCommand(DEBUG, "DIGEST-VALUE", key);
        return new String((byte[]) digests.get(0), StandardCharsets.UTF_8);
    }

    static String digest(Jedis jedis) {
        return new String((byte[]) jedis.sendCommand(DEBUG, "DIGEST"), StandardCharsets.UTF_8);
    }

    private static String encoding(Jedis jedis, String key) {
        return jedis.objectEncoding(key);
    }

    @Test
    void dump_restoreRoundTripEveryEncoding() {
        try (SpinelServer server = TestServer.start("enable-debug-command", "yes"); Jedis jedis = new Jedis("127.0.0.1", server.port(), 30_000)) {
            Datasets.populate(jedis);
            for (String key : Datasets.keys()) {
                byte[] payload = jedis.dump(b(key));
                long ttl = Math.max(0, jedis.pttl(key));
                assertThat(jedis.restore(b(key + ":copy"), ttl, payload)).isEqualTo("OK");
                assertThat(digestValue(jedis, key + ":copy")).as(key).isEqualTo(digestValue(jedis, key));
                assertThat(encoding(jedis, key + ":copy")).as(key).isEqualTo(encoding(jedis, key));
            }
        }
    }

    @Test
    void dump_fromRealRedisRestoresInSpinelAndTheReverse() {
        try (SpinelServer server = TestServer.start("enable-debug-command", "yes"); RealRedis redis = RealRedis.start("--enable-debug-command", "yes");
                Jedis spinel = new Jedis("127.0.0.1", server.port(), 30_000); Jedis real = new Jedis("127.0.0.1", redis.port(), 30_000)) {
            Datasets.populate(spinel);
            Datasets.populate(real);
            for (String key : Datasets.keys()) {
                assertThat(digestValue(spinel, key)).as("digest of " + key).isEqualTo(digestValue(real, key));
                long ttl = Math.max(0, real.pttl(key));
                assertThat(spinel.restore(b(key + ":from-redis"), ttl, real.dump(b(key)))).isEqualTo("OK");
                assertThat(digestValue(spinel, key + ":from-redis")).as(key).isEqualTo(digestValue(real, key));
                if (!key.startsWith("l:") && !key.equals("set:lp")) { // Redis 7.0 has no listpack lists or sets (7.2 has)
                    assertThat(encoding(spinel, key + ":from-redis")).as(key).isEqualTo(encoding(real, key));
                }
                assertThat(real.restore(b(key + ":from-spinel"), ttl, spinel.dump(b(key)))).isEqualTo("OK");
                assertThat(digestValue(real, key + ":from-spinel")).as(key).isEqualTo(digestValue(spinel, key));
            }
        }
    }

    /**
     * DUMP of strings that compress (runs, small alphabets, repeats further apart than LZF's
     * reach, lengths around the 20-byte threshold and where compression saves about 4 bytes):
     * the payloads equal Redis's byte for byte, so the LZF compressor makes liblzf's bytes.
     */
    @Test
    void dump_compressedStringsEqualRedis() {
        try (SpinelServer server = TestServer.start(); RealRedis redis = RealRedis.start();
                Jedis spinel = new Jedis("127.0.0.1", server.port(), 30_000); Jedis real = new Jedis("127.0.0.1", redis.port(), 30_000)) {
            java.util.SplittableRandom random = new java.util.SplittableRandom(7);
            List<byte[]> values = new java.util.ArrayList<>();
            for (int length : new int[] {20, 21, 22, 25, 40, 100, 1000, 9000, 20000}) {
                values.add("x".repeat(length).getBytes(StandardCharsets.US_ASCII));
            }
            for (int round = 0; round < 300; round++) {
                int length = 21 + random.nextInt(round % 3 == 0 ? 60 : 12000);
                int alphabet = 1 + random.nextInt(round % 2 == 0 ? 6 : 256);
                byte[] value = new byte[length];
                for (int i = 0; i < length; i++) {
                    value[i] = (byte) ('a' + random.nextInt(alphabet));
                }
                values.add(value);
            }
            byte[] block = new byte[300];
            for (int i = 0; i < block.length; i++) {
                block[i] = (byte) random.nextInt(256);
            }
            byte[] far = new byte[20000]; // the same 300 bytes 10,000 bytes apart: beyond LZF's 8 KB window
            System.arraycopy(block, 0, far, 0, 300);
            System.arraycopy(block, 0, far, 10000, 300);
            values.add(far);
            for (int i = 0; i < values.size(); i++) {
                byte[] key = b("lzf:" + i);
                spinel.set(key, values.get(i));
                real.set(key, values.get(i));
                assertThat(spinel.dump(key)).as("DUMP of value %d, %d bytes", i, values.get(i).length).isEqualTo(real.dump(key));
            }
        }
    }

    /**
     * DEBUG SET-SKIP-CHECKSUM-VALIDATION: a payload with a wrong CRC is refused, then restored
     * once the check is off, while a damaged value is still refused; sanitize-dump-payload takes
     * Redis's values. Replies compared with Redis.
     */
    @Test
    void restore_skipChecksumValidation() {
        try (SpinelServer server = TestServer.start("enable-debug-command", "yes"); RealRedis redis = RealRedis.start("--enable-debug-command", "yes");
                RawClient spinel = new RawClient(server.port()); RawClient real = new RawClient(redis.port())) {
            for (RawClient client : List.of(spinel, real)) {
                client.call("RPUSH", "source", "a", "b", "c");
            }
            byte[] payload = spinel.call(b("DUMP"), b("source"));
            assertThat(payload).isEqualTo(real.call(b("DUMP"), b("source")));
            int body = new String(payload, StandardCharsets.ISO_8859_1).indexOf("\r\n") + 2; // after the bulk's header
            byte[] dump = java.util.Arrays.copyOfRange(payload, body, payload.length - 2);
            byte[] wrongCrc = dump.clone();
            wrongCrc[wrongCrc.length - 1] ^= 1;
            byte[] damaged = wrongCrc.clone();
            damaged[1] = 0x7f; // the list's node count
            byte[][][] script = {
                {b("RESTORE"), b("k1"), b("0"), wrongCrc},
                {b("DEBUG"), b("SET-SKIP-CHECKSUM-VALIDATION"), b("1")},
                {b("RESTORE"), b("k1"), b("0"), wrongCrc},
                {b("LRANGE"), b("k1"), b("0"), b("-1")},
                {b("RESTORE"), b("k2"), b("0"), damaged},
                {b("DEBUG"), b("SET-SKIP-CHECKSUM-VALIDATION"), b("0")},
                {b("RESTORE"), b("k3"), b("0"), wrongCrc},
                {b("CONFIG"), b("SET"), b("sanitize-dump-payload"), b("yes")},
                {b("CONFIG"), b("GET"), b("sanitize-dump-payload")},
                {b("CONFIG"), b("SET"), b("sanitize-dump-payload"), b("clients")},
                {b("CONFIG"), b("SET"), b("sanitize-dump-payload"), b("maybe")},
                {b("CONFIG"), b("SET"), b("sanitize-dump-payload"), b("no")},
            };
            List<String> replies = new java.util.ArrayList<>();
            for (byte[][] command : script) {
                String name = new String(command[0], StandardCharsets.ISO_8859_1) + " " + new String(command[1], StandardCharsets.ISO_8859_1);
                String reply = new String(spinel.call(command), StandardCharsets.ISO_8859_1);
                assertThat(reply).as(name).isEqualTo(new String(real.call(command), StandardCharsets.ISO_8859_1));
                replies.add(reply);
            }
            assertThat(replies.subList(0, 7)).containsExactly("-ERR DUMP payload version or checksum are wrong\r\n", "+OK\r\n", "+OK\r\n",
                    "*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n", "-ERR Bad data format\r\n", "+OK\r\n",
                    "-ERR DUMP payload version or checksum are wrong\r\n");
        }
    }

    @Test
    void restore_errorsAsRedis() {
        try (SpinelServer server = TestServer.start("enable-debug-command", "yes"); RealRedis redis = RealRedis.start();
                RawClient spinel = new RawClient(server.port()); RawClient real = new RawClient(redis.port())) {
            String[][] script = {
                {"SET", "a", "1"},
                {"RESTORE", "k", "0", "abc"},
                {"RESTORE", "a", "0", "abc"},
                {"RESTORE", "k", "-1", "abc"},
                {"RESTORE", "k", "x", "abc"},
                {"RESTORE", "k", "0", "abc", "IDLETIME", "-1"},
                {"RESTORE", "k", "0", "abc", "IDLETIME", "x"},
                {"RESTORE", "k", "0", "abc", "FREQ", "256"},
                {"RESTORE", "k", "0", "abc", "IDLETIME", "1", "FREQ", "2"},
                {"RESTORE", "k", "0", "abc", "REPLACE", "foo"},
                {"RESTORE", "k", "0", "abc", "IDLETIME"},
                {"DUMP", "nokey"},
                {"DUMP", "a"},
                {"DEL", "a"},
            };
            for (String[] command : script) {
                assertThat(spinel.call(command)).as(String.join(" ", command)).isEqualTo(real.call(command));
            }
        }
    }

    @Test
    void restore_ttlReplaceAndEvents() {
        try (SpinelServer server = TestServer.start("enable-debug-command", "yes"); Jedis jedis = new Jedis("127.0.0.1", server.port(), 30_000)) {
            jedis.set("src", "value");
            byte[] payload = jedis.dump(b("src"));
            assertThat(jedis.restore(b("dst"), 100_000, payload)).isEqualTo("OK");
            assertThat(jedis.pttl("dst")).isBetween(90_000L, 100_000L);
            jedis.set("old", "x");
            RawClient raw = new RawClient(server.port());
            assertThat(raw.call("RESTORE", "old", "1", "garbage-is-not-checked-before-busykey")).startsWith("-BUSYKEY");
            // An absolute TTL in the past: the replaced key is deleted and nothing is created.
            assertThat(new String(raw.call(b("RESTORE"), b("old"), b("1"), payload, b("REPLACE"), b("ABSTTL")), StandardCharsets.UTF_8))
                    .isEqualTo("+OK\r\n");
            assertThat(jedis.exists("old")).isFalse();
            assertThat(jedis.restore(b("idle"), 0, payload)).isEqualTo("OK");
            raw.close();
        }
    }

    @Test
    void restore_signalsRestoreOrDel() {
        try (SpinelServer server = TestServer.start(); Jedis jedis = new Jedis("127.0.0.1", server.port(), 30_000)) {
            List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
            server.context().keyspace().addListener(new io.spinel.store.KeyspaceListener() {
                @Override
                public void keyEvent(io.spinel.store.Database db, byte[] key, int eventClass, String event) {
                    if (eventClass == io.spinel.config.KeyspaceEvents.GENERIC) {
                        events.add(event + " " + new String(key, StandardCharsets.UTF_8));
                    }
                }
            });
            jedis.set("src", "v");
            byte[] payload = jedis.dump(b("src"));
            jedis.restore(b("dst"), 0, payload);
            jedis.restore(b("dst"), 1, payload, redis.clients.jedis.params.RestoreParams.restoreParams().replace().absTtl());
            assertThat(events).containsExactly("restore dst", "del dst");
        }
    }
}
