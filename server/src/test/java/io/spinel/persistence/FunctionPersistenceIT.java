package io.spinel.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinel.persistence.rdb.Crc64;
import io.spinel.persistence.rdb.RdbOutput;
import io.spinel.server.SpinelServer;
import io.spinel.testing.Differential;
import io.spinel.testing.RawClient;
import io.spinel.testing.RealRedis;
import io.spinel.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * FUNCTION DUMP / RESTORE and FUNCTION libraries in RDB files, against a real Redis: payloads and
 * files cross both ways and give the same FUNCTION LIST; RESTORE's policies and errors, and
 * corrupted payloads (fuzzed), get Redis's replies.
 */
class FunctionPersistenceIT {
    /** One function per library: Redis lists a library's functions in hash order. */
    private static final String LIB_A = "#!lua name=liba\n"
            + "redis.register_function{function_name='fa', callback=function(keys) return redis.call('GET', keys[1]) end, "
            + "flags={'no-writes', 'allow-stale'}, description='reads'}\n";
    /** Long and repetitive, so that rdbcompression compresses it. */
    private static final String LIB_B = "#!lua name=libb\n"
            + "-- " + "padding padding padding padding ".repeat(20) + "\n"
            + "redis.register_function('fb', function() return 'fb' end)\n";
    private static final String LIB_C = "#!lua name=libc\nredis.register_function('fc', function() return 'fc' end)\n";

    @RegisterExtension
    static final Differential servers = new Differential();

    @TempDir
    Path dir;

    @BeforeEach
    void flush() {
        for (int port : new int[] {servers.spinel().port(), servers.redis().port()}) {
            try (RawClient client = new RawClient(port)) {
                client.call("FUNCTION", "FLUSH");
            }
        }
    }

    private static String call(int port, byte[]... command) {
        try (RawClient client = new RawClient(port)) {
            client.send(RawClient.encode(command));
            return new String(client.readReply(), StandardCharsets.ISO_8859_1);
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** FUNCTION LIST WITHCODE of each library by name (Redis lists libraries in hash order). */
    private static String listing(int port) {
        StringBuilder listing = new StringBuilder();
        for (String name : new String[] {"liba", "libb", "libc"}) {
            listing.append(call(port, b("FUNCTION"), b("LIST"), b("WITHCODE"), b("LIBRARYNAME"), b(name)));
        }
        return listing.toString();
    }

    private static byte[] dump(int port) {
        try (RawClient client = new RawClient(port)) {
            client.send(RawClient.encode("FUNCTION", "DUMP"));
            byte[] reply = client.readReply();
            int header = indexOf(reply, (byte) '\n') + 1;
            return Arrays.copyOfRange(reply, header, reply.length - 2);
        }
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static void load(int port, String... libraries) {
        for (String library : libraries) {
            assertThat(call(port, b("FUNCTION"), b("LOAD"), b(library))).startsWith("$");
        }
    }

    @Test
    void dump_ofRealRedisRestoresHere() {
        load(servers.redis().port(), LIB_A, LIB_B, LIB_C);
        byte[] payload = dump(servers.redis().port());
        assertThat(call(servers.spinel().port(), b("FUNCTION"), b("RESTORE"), payload)).isEqualTo("+OK\r\n");
        assertThat(listing(servers.spinel().port())).isEqualTo(listing(servers.redis().port())).contains("liba", "libb", "libc");
        assertThat(call(servers.spinel().port(), b("FCALL"), b("fb"), b("0"))).isEqualTo("$2\r\nfb\r\n");
    }

    @Test
    void dump_ofOursRestoresInRealRedis() {
        for (String compression : new String[] {"yes", "no"}) {
            flush();
            call(servers.spinel().port(), b("CONFIG"), b("SET"), b("rdbcompression"), b(compression));
            call(servers.redis().port(), b("CONFIG"), b("SET"), b("rdbcompression"), b(compression));
            load(servers.spinel().port(), LIB_A, LIB_B);
            load(servers.redis().port(), LIB_A, LIB_B);
            byte[] ours = dump(servers.spinel().port());
            assertThat(call(servers.redis().port(), b("FUNCTION"), b("FLUSH"))).isEqualTo("+OK\r\n");
            assertThat(call(servers.redis().port(), b("FUNCTION"), b("RESTORE"), ours)).isEqualTo("+OK\r\n");
            assertThat(listing(servers.redis().port())).isEqualTo(listing(servers.spinel().port())).contains("liba", "libb");
            // One library: no hash order, so the payloads are byte for byte Redis's.
            flush();
            load(servers.spinel().port(), LIB_B);
            load(servers.redis().port(), LIB_B);
            assertThat(dump(servers.spinel().port())).isEqualTo(dump(servers.redis().port()));
        }
        flush();
        assertThat(dump(servers.spinel().port())).isEqualTo(dump(servers.redis().port())).hasSize(10);
    }

    /** RESTORE's policies and errors, replies compared with Redis after the same steps. */
    @Test
    void restore_policiesAndErrors() {
        byte[] a = payload(record(LIB_A));
        byte[] ac = payload(concat(record(LIB_A), record(LIB_C)));
        byte[] aTakesFc = payload(record("#!lua name=liba\nredis.register_function('fc', function() return 1 end)"));
        byte[] c2TakesFa = payload(record("#!lua name=libc2\nredis.register_function('fa', function() return 1 end)"));
        List<byte[][]> steps = List.of(
                new byte[][] {b("FUNCTION"), b("RESTORE"), a},
                new byte[][] {b("FUNCTION"), b("RESTORE"), a},
                new byte[][] {b("FUNCTION"), b("RESTORE"), a, b("APPEND")},
                new byte[][] {b("FUNCTION"), b("RESTORE"), ac, b("replace")},
                new byte[][] {b("FUNCTION"), b("RESTORE"), c2TakesFa},
                new byte[][] {b("FUNCTION"), b("RESTORE"), c2TakesFa, b("REPLACE")},
                new byte[][] {b("FUNCTION"), b("RESTORE"), aTakesFc, b("REPLACE")},
                new byte[][] {b("FCALL"), b("fa"), b("1"), b("k")},
                new byte[][] {b("FUNCTION"), b("RESTORE"), c2TakesFa, b("FLUSH")},
                new byte[][] {b("FCALL"), b("fa"), b("0")},
                new byte[][] {b("FUNCTION"), b("RESTORE"), a, b("bogus")},
                new byte[][] {b("FUNCTION"), b("RESTORE"), a, b("FLUSH"), b("extra")},
                new byte[][] {b("FUNCTION"), b("RESTORE"), b("short")},
                new byte[][] {b("FUNCTION"), b("RESTORE"), b("0123456789")},
                new byte[][] {b("FUNCTION"), b("RESTORE"), payload(new byte[0])},
                new byte[][] {b("FUNCTION"), b("RESTORE"), payload(new byte[] {0})},
                new byte[][] {b("FUNCTION"), b("RESTORE"), payload(new byte[] {(byte) 0xf5})},
                new byte[][] {b("FUNCTION"), b("RESTORE"), payload(new byte[] {(byte) 0xf5, 5, 'a', 'b'})},
                new byte[][] {b("FUNCTION"), b("RESTORE"), payload(record("return 1"))},
                new byte[][] {b("FUNCTION"), b("RESTORE"), payload(record("#!lua name=x\nreturn 1"))},
                new byte[][] {b("FUNCTION"), b("RESTORE"), payload(record("#!lua name=x\nreturn 1 +"))},
                new byte[][] {b("FUNCTION"), b("RESTORE"), payload(concat(record(LIB_C), record(LIB_C)))},
                new byte[][] {b("FUNCTION"), b("RESTORE"), payload(concat(record(LIB_B),
                        record("#!lua name=other\nredis.register_function('fb', function() end)")))},
                new byte[][] {b("FUNCTION"), b("RESTORE"), payload(concat(record("return 1"), new byte[] {7}))},
                new byte[][] {b("FUNCTION"), b("RESTORE"), payload(concat(record(LIB_B), new byte[] {7}))},
                new byte[][] {b("FUNCTION"), b("LIST")});
        assertThat(transcript(servers.spinel().port(), steps)).isEqualTo(transcript(servers.redis().port(), steps));
    }

    private static String transcript(int port, List<byte[][]> steps) {
        StringBuilder transcript = new StringBuilder();
        for (byte[][] step : steps) {
            transcript.append(call(port, step));
        }
        return transcript.toString();
    }

    /**
     * Corrupted payloads: random bytes changed, inserted or cut, with the checksum fixed up (so
     * the records are parsed) or not. Spinel answers what Redis answers, except the text of Lua
     * compile errors (LuaJ's messages lack Lua 5.1's "near" part), and keeps serving.
     */
    @Test
    void restore_fuzzedPayloadsGetRedisErrors() {
        byte[] records = concat(record(LIB_A), record(LIB_C));
        SplittableRandom random = new SplittableRandom(7);
        int compared = 0;
        for (int round = 0; round < 300; round++) {
            byte[] damaged = records.clone();
            switch (random.nextInt(3)) {
                case 0 -> damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
                case 1 -> damaged = Arrays.copyOf(damaged, random.nextInt(damaged.length));
                default -> {
                    int at = random.nextInt(damaged.length);
                    damaged = concat(Arrays.copyOf(damaged, at), new byte[] {(byte) random.nextInt(256)},
                            Arrays.copyOfRange(records, at, records.length));
                }
            }
            byte[] payload = payload(damaged);
            if (random.nextInt(4) == 0) {
                payload[random.nextInt(payload.length)] ^= (byte) (1 + random.nextInt(255));
            }
            String theirs = call(servers.redis().port(), b("FUNCTION"), b("RESTORE"), payload, b("FLUSH"));
            String ours = call(servers.spinel().port(), b("FUNCTION"), b("RESTORE"), payload, b("FLUSH"));
            assertThat(ours).matches("(?s)\\+OK\r\n|-ERR [^\r\n]*\r\n");
            if (!theirs.startsWith("-ERR Error compiling") && !theirs.startsWith("-ERR Error registering")) {
                assertThat(ours).as("round " + round).isEqualTo(theirs);
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(150);
        assertThat(call(servers.spinel().port(), b("PING"))).isEqualTo("+PONG\r\n");
    }

    /** Redis saves functions in dump.rdb; Spinel loads them at startup, and the reverse. */
    @Test
    void rdbFiles_withFunctionsCrossBothWays() throws Exception {
        Path redisDir = Files.createDirectory(dir.resolve("redis"));
        String expected;
        try (RealRedis own = RealRedis.start("--dir", redisDir.toString())) {
            load(own.port(), LIB_A, LIB_B, LIB_C);
            call(own.port(), b("SET"), b("k"), b("v"));
            assertThat(call(own.port(), b("SAVE"))).isEqualTo("+OK\r\n");
            expected = listing(own.port());
        }
        Path spinelDir = Files.createDirectory(dir.resolve("spinel"));
        Files.copy(redisDir.resolve("dump.rdb"), spinelDir.resolve("dump.rdb"));
        try (SpinelServer own = TestServer.start("dir", spinelDir.toString(), "enable-debug-command", "yes")) {
            assertThat(listing(own.port())).isEqualTo(expected);
            assertThat(call(own.port(), b("FCALL"), b("fa"), b("1"), b("k"))).isEqualTo("$1\r\nv\r\n");
            // DEBUG RELOAD saves and loads back: the libraries are those of the file, not doubled.
            assertThat(call(own.port(), b("DEBUG"), b("RELOAD"))).isEqualTo("+OK\r\n");
            assertThat(listing(own.port())).isEqualTo(expected);
            call(own.port(), b("FUNCTION"), b("DELETE"), b("libc"));
            expected = listing(own.port());
            assertThat(call(own.port(), b("SAVE"))).isEqualTo("+OK\r\n");
        }
        try (RealRedis own = RealRedis.start("--dir", spinelDir.toString())) {
            assertThat(listing(own.port())).isEqualTo(expected).contains("liba").doesNotContain("libc");
            assertThat(call(own.port(), b("FCALL"), b("fb"), b("0"))).isEqualTo("$2\r\nfb\r\n");
        }
    }

    /** One FUNCTION2 record: the opcode and the code as an RDB string. */
    private static byte[] record(String code) {
        RdbOutput out = new RdbOutput(64, false);
        out.writeByte(0xf5);
        out.writeString(b(code));
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        List<Byte> all = new ArrayList<>();
        for (byte[] part : parts) {
            for (byte x : part) {
                all.add(x);
            }
        }
        byte[] bytes = new byte[all.size()];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = all.get(i);
        }
        return bytes;
    }

    /** {@code records}, RDB version 10 and the CRC-64: a payload as Redis 7.0 dumps it. */
    private static byte[] payload(byte[] records) {
        byte[] payload = Arrays.copyOf(records, records.length + 10);
        payload[records.length] = 10;
        long crc = Crc64.of(payload, 0, records.length + 2);
        for (int i = 0; i < 8; i++) {
            payload[records.length + 2 + i] = (byte) (crc >>> (8 * i));
        }
        return payload;
    }
}
