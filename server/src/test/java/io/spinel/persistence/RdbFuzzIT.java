package io.spinel.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinel.config.Config;
import io.spinel.persistence.rdb.Crc64;
import io.spinel.persistence.rdb.RdbFormatException;
import io.spinel.persistence.rdb.RdbLoader;
import io.spinel.persistence.rdb.RdbPayload;
import io.spinel.persistence.rdb.RdbValueReader;
import io.spinel.server.SpinelServer;
import io.spinel.testing.RawClient;
import io.spinel.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * Mutated DUMP payloads and RDB files (bytes flipped, cut, inserted, lengths changed, with the
 * checksum fixed up so the parser is reached): the loader either loads them or refuses them
 * with its format error, never anything else; RESTORE over the socket answers OK or one of
 * Redis's two payload errors, and the server keeps serving. Mutated streams that load are then
 * read and written through the stream commands.
 */
class RdbFuzzIT {
    private static final int ROUNDS = 20_000;

    @TempDir
    Path dir;

    /** A mutation of {@code seed}; with {@code footer} bytes of checksum to recompute at the end (8 for a file, 10 for a payload). */
    static byte[] mutate(byte[] seed, SplittableRandom random, int footer, boolean payload) {
        byte[] data = seed.clone();
        int body = data.length - footer;
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits && body > 1; e++) {
            int at = random.nextInt(body);
            switch (random.nextInt(5)) {
                case 0 -> data[at] ^= (byte) (1 << random.nextInt(8));
                case 1 -> data[at] = (byte) random.nextInt(256);
                case 2 -> data[at] = (byte) (random.nextBoolean() ? 0xff : 0x80 | random.nextInt(4));
                case 3 -> {
                    int cut = 1 + random.nextInt(Math.min(16, body - at));
                    byte[] shorter = new byte[data.length - cut];
                    System.arraycopy(data, 0, shorter, 0, at);
                    System.arraycopy(data, at + cut, shorter, at, data.length - at - cut);
                    data = shorter;
                    body -= cut;
                }
                default -> {
                    byte[] longer = new byte[data.length + 1];
                    System.arraycopy(data, 0, longer, 0, at);
                    longer[at] = (byte) random.nextInt(256);
                    System.arraycopy(data, at, longer, at + 1, data.length - at);
                    data = longer;
                    body++;
                }
            }
        }
        if (random.nextInt(10) != 0 && body > 0) {
            int crcFrom = payload ? body + 2 : body;
            long crc = Crc64.of(data, 0, crcFrom);
            for (int i = 0; i < 8; i++) {
                data[crcFrom + i] = (byte) (crc >>> (8 * i));
            }
        }
        return data;
    }

    @Test
    void mutatedPayloadsAndFiles_loadOrFailCleanly() throws Exception {
        List<byte[]> payloads = new ArrayList<>();
        byte[] file;
        try (SpinelServer server = TestServer.start("dir", dir.toString(), "enable-debug-command", "yes"); Jedis jedis = new Jedis("127.0.0.1", server.port(), 30_000);
                RawClient raw = new RawClient(server.port())) {
            Datasets.populate(jedis);
            jedis.hset("h:fieldttl", "a", "1");
            jedis.hset("h:fieldttl", "b", "2");
            raw.call("HPEXPIRE", "h:fieldttl", "100000", "FIELDS", "1", "a");
            for (String key : Datasets.keys()) {
                payloads.add(jedis.dump(key.getBytes(StandardCharsets.UTF_8)));
            }
            payloads.add(jedis.dump("h:fieldttl".getBytes(StandardCharsets.UTF_8)));
            jedis.save();
            file = Files.readAllBytes(dir.resolve("dump.rdb"));

            SplittableRandom random = new SplittableRandom(42);
            RdbValueReader values = new RdbValueReader(new Config());
            long now = System.currentTimeMillis();
            int accepted = 0;
            for (int round = 0; round < ROUNDS; round++) {
                byte[] seed = payloads.get(random.nextInt(payloads.size()));
                byte[] mutated = mutate(seed, random, 10, true);
                try {
                    RdbPayload.restore(mutated, values, now, true);
                    accepted++;
                } catch (RdbPayload.InvalidPayload expected) {
                    assertThat(expected.getMessage()).isNotBlank();
                }
            }
            for (int round = 0; round < ROUNDS / 20; round++) {
                byte[] mutated = mutate(file, random, 8, false);
                try {
                    RdbLoader.load(mutated, values, 16, now, (db, key, value, expiresAt, idle) -> { });
                } catch (RdbFormatException expected) {
                    assertThat(expected.getMessage()).isNotBlank();
                }
            }
            assertThat(accepted).isLessThan(ROUNDS);

            for (int round = 0; round < 500; round++) {
                byte[] mutated = mutate(payloads.get(random.nextInt(payloads.size())), random, 10, true);
                String reply = new String(raw.call("RESTORE".getBytes(), ("fuzz" + round).getBytes(), "0".getBytes(), mutated),
                        StandardCharsets.ISO_8859_1);
                assertThat(reply).isIn("+OK\r\n", "-ERR Bad data format\r\n", "-ERR DUMP payload version or checksum are wrong\r\n");
            }
            // Streams: a mutated payload that loads must serve every read and write path.
            List<byte[]> streams = new ArrayList<>();
            for (String key : Datasets.keys()) {
                if (key.startsWith("x:")) {
                    streams.add(jedis.dump(key.getBytes(StandardCharsets.UTF_8)));
                }
            }
            int restored = 0;
            for (int round = 0; round < 3000; round++) {
                byte[] mutated = mutate(streams.get(random.nextInt(streams.size())), random, 10, true);
                String reply = new String(raw.call("RESTORE".getBytes(), "xfuzz".getBytes(), "0".getBytes(), mutated, "REPLACE".getBytes()),
                        StandardCharsets.ISO_8859_1);
                assertThat(reply).isIn("+OK\r\n", "-ERR Bad data format\r\n", "-ERR DUMP payload version or checksum are wrong\r\n");
                if (reply.equals("+OK\r\n")) {
                    restored++;
                    for (String[] read : new String[][] {{"XINFO", "STREAM", "xfuzz", "FULL"}, {"XRANGE", "xfuzz", "-", "+"},
                            {"XREVRANGE", "xfuzz", "+", "-", "COUNT", "3"}, {"XINFO", "GROUPS", "xfuzz"},
                            {"DEBUG", "DIGEST-VALUE", "xfuzz"}, {"DUMP", "xfuzz"}}) {
                        assertThat(raw.call(read)).as(String.join(" ", read)).doesNotStartWith("-");
                    }
                    // Writes may refuse (a stream whose last ID is the largest takes no XADD *), but answer.
                    for (String[] write : new String[][] {{"XADD", "xfuzz", "*", "f", "v"}, {"XDEL", "xfuzz", "1002-2"},
                            {"XTRIM", "xfuzz", "MAXLEN", "5"}, {"XRANGE", "xfuzz", "-", "+"}}) {
                        assertThat(raw.call(write)).as(String.join(" ", write)).isNotEmpty();
                    }
                }
            }
            assertThat(restored).isPositive();
            assertThat(raw.call("PING")).isEqualTo("+PONG\r\n");
            assertThat(Arrays.asList(jedis.info("stats").split("\r\n"))).noneMatch(line -> line.startsWith("unexpected_error_replies:")
                    && !line.endsWith(":0"));
        }
    }
}
