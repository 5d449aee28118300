package io.spinel.command.hll;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinel.testing.Differential;
import io.spinel.testing.RawClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The HyperLogLog commands against a real Redis: byte-identical values for the same PFADD
 * sequences, values exchanged between the two servers through GET and SET, and corrupted values.
 */
class HyperLogLogCommandsIT {
    @RegisterExtension
    static final Differential servers = new Differential();

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The payload of a bulk reply. */
    private static byte[] bulk(byte[] reply) {
        int lineEnd = 0;
        while (reply[lineEnd] != '\r') {
            lineEnd++;
        }
        int length = Integer.parseInt(new String(reply, 1, lineEnd - 1, StandardCharsets.US_ASCII));
        return Arrays.copyOfRange(reply, lineEnd + 2, lineEnd + 2 + length);
    }

    /** Sends the same command to both servers and asserts identical replies; returns Spinel's. */
    private static byte[] both(RawClient spinel, RawClient redis, byte[]... argv) {
        byte[] mine = spinel.call(argv);
        assertThat(new String(mine, StandardCharsets.ISO_8859_1))
                .as(new String(argv[0], StandardCharsets.ISO_8859_1))
                .isEqualTo(new String(redis.call(argv), StandardCharsets.ISO_8859_1));
        return mine;
    }

    private static void pfaddRange(RawClient spinel, RawClient redis, String key, int from, int to) {
        for (int start = from; start < to; start += 200) {
            List<byte[]> argv = new ArrayList<>(List.of(b("PFADD"), b(key)));
            for (int i = start; i < Math.min(to, start + 200); i++) {
                argv.add(b("element:" + i));
            }
            both(spinel, redis, argv.toArray(byte[][]::new));
        }
    }

    @Test
    void pfadd_sameSequence_givesByteIdenticalSparseAndDenseValues() {
        try (RawClient spinel = new RawClient(servers.spinel().port());
                RawClient redis = new RawClient(servers.redis().port())) {
            for (int n : new int[] {0, 1, 3, 100, 1000, 5000, 50_000}) {
                String key = "pfadd:" + n;
                both(spinel, redis, b("PFADD"), b(key));
                pfaddRange(spinel, redis, key, 0, n);
                both(spinel, redis, b("GET"), b(key));
                both(spinel, redis, b("PFDEBUG"), b("ENCODING"), b(key));
                both(spinel, redis, b("PFCOUNT"), b(key));
                both(spinel, redis, b("GET"), b(key));
            }
            both(spinel, redis, b("PFCOUNT"), b("pfadd:100"), b("pfadd:5000"), b("pfadd:50000"));
            both(spinel, redis, b("PFMERGE"), b("pfadd:m"), b("pfadd:3"), b("pfadd:1000"));
            both(spinel, redis, b("GET"), b("pfadd:m"));
            both(spinel, redis, b("PFMERGE"), b("pfadd:m"), b("pfadd:50000"));
            both(spinel, redis, b("GET"), b("pfadd:m"));
        }
    }

    /**
     * PFCOUNT that computes the count stores it in the value, which Redis signals as a change:
     * a WATCH on the key aborts the transaction. A PFCOUNT served from the cache does not.
     */
    @Test
    void pfcount_thatFillsTheCache_abortsWatchers() {
        try (RawClient spinel = new RawClient(servers.spinel().port());
                RawClient redis = new RawClient(servers.redis().port());
                RawClient spinelOther = new RawClient(servers.spinel().port());
                RawClient redisOther = new RawClient(servers.redis().port())) {
            both(spinel, redis, b("PFADD"), b("watched:hll"), b("a"), b("b"), b("c"));
            for (int round = 0; round < 2; round++) {
                both(spinel, redis, b("WATCH"), b("watched:hll"));
                both(spinelOther, redisOther, b("PFCOUNT"), b("watched:hll"));
                both(spinel, redis, b("MULTI"));
                both(spinel, redis, b("PING"));
                byte[] exec = both(spinel, redis, b("EXEC"));
                assertThat(new String(exec, StandardCharsets.ISO_8859_1))
                        .isEqualTo(round == 0 ? "*-1\r\n" : "*1\r\n+PONG\r\n");
            }
        }
    }

    @Test
    void pfcount_ofAValueBuiltByTheOtherServer_isTheSame() {
        try (RawClient spinel = new RawClient(servers.spinel().port());
                RawClient redis = new RawClient(servers.redis().port())) {
            for (int n : new int[] {10, 2000, 30_000}) {
                String key = "cross:" + n;
                List<byte[]> argv = new ArrayList<>(List.of(b("PFADD"), b(key)));
                for (int i = 0; i < n; i++) {
                    argv.add(b("x" + i));
                }
                spinel.call(argv.toArray(byte[][]::new));
                byte[] built = bulk(spinel.call(b("GET"), b(key)));
                redis.call(b("SET"), b(key + ":fromSpinel"), built);
                byte[] count = spinel.call(b("PFCOUNT"), b(key));
                assertThat(redis.call(b("PFCOUNT"), b(key + ":fromSpinel"))).isEqualTo(count);

                String other = "cross:r" + n;
                argv.set(1, b(other));
                redis.call(argv.toArray(byte[][]::new));
                byte[] fromRedis = bulk(redis.call(b("GET"), b(other)));
                spinel.call(b("SET"), b(other + ":fromRedis"), fromRedis);
                assertThat(spinel.call(b("PFCOUNT"), b(other + ":fromRedis")))
                        .isEqualTo(redis.call(b("PFCOUNT"), b(other)));
            }
        }
    }

    @Test
    void corruptedValues_areRefusedAsRedisRefusesThem() {
        try (RawClient spinel = new RawClient(servers.spinel().port());
                RawClient redis = new RawClient(servers.redis().port())) {
            both(spinel, redis, b("SET"), b("bad:text"), b("hello"));
            both(spinel, redis, b("PFADD"), b("bad:text"), b("a"));
            both(spinel, redis, b("SET"), b("bad:int"), b("42"));
            both(spinel, redis, b("PFCOUNT"), b("bad:int"));
            both(spinel, redis, b("PFADD"), b("bad:ok"), b("a"), b("b"));
            byte[] valid = bulk(both(spinel, redis, b("GET"), b("bad:ok")));
            both(spinel, redis, b("SET"), b("bad:cut"), Arrays.copyOf(valid, valid.length - 1));
            both(spinel, redis, b("PFCOUNT"), b("bad:cut"));
            both(spinel, redis, b("PFCOUNT"), b("bad:cut"), b("bad:ok"));
            both(spinel, redis, b("PFMERGE"), b("bad:dest"), b("bad:cut"));
            both(spinel, redis, b("PFDEBUG"), b("GETREG"), b("bad:cut"));
        }
    }

    /**
     * Random mutations of valid values (bytes changed, cut, extended), each written with SET
     * and then read or updated by one HyperLogLog command: replies and resulting values match.
     */
    @Test
    void mutatedValues_getTheSameRepliesAndValues() {
        try (RawClient spinel = new RawClient(servers.spinel().port());
                RawClient redis = new RawClient(servers.redis().port())) {
            String[] sources = {"fuzz:5", "fuzz:80", "fuzz:600", "fuzz:3000"};
            for (String source : sources) {
                int n = Integer.parseInt(source.substring(5));
                pfaddRange(spinel, redis, source, 0, n);
            }
            both(spinel, redis, b("PFDEBUG"), b("TODENSE"), b("fuzz:3000"));
            Random random = new Random(7);
            for (int round = 0; round < 1500; round++) {
                byte[] value = bulk(both(spinel, redis, b("GET"), b(sources[random.nextInt(sources.length)])));
                for (int k = random.nextInt(1, 4); k > 0; k--) {
                    double op = random.nextDouble();
                    if (op < 0.6 && value.length > 0) {
                        value[random.nextInt(value.length)] = (byte) random.nextInt(256);
                    } else if (op < 0.8) {
                        value = Arrays.copyOf(value, random.nextInt(value.length + 1));
                    } else {
                        value = Arrays.copyOf(value, value.length + random.nextInt(1, 3));
                    }
                }
                both(spinel, redis, b("SET"), b("fuzz:v"), value);
                switch (random.nextInt(6)) {
                    case 0 -> both(spinel, redis, b("PFCOUNT"), b("fuzz:v"));
                    case 1 -> both(spinel, redis, b("PFCOUNT"), b("fuzz:v"), b("fuzz:5"));
                    case 2 -> both(spinel, redis, b("PFADD"), b("fuzz:v"), b("e" + random.nextInt(1000)));
                    case 3 -> both(spinel, redis, b("PFMERGE"), b("fuzz:d" + round), b("fuzz:v"));
                    case 4 -> both(spinel, redis, b("PFMERGE"), b("fuzz:v"), b("fuzz:80"));
                    default -> both(spinel, redis, b("PFDEBUG"), b("TODENSE"), b("fuzz:v"));
                }
                both(spinel, redis, b("GET"), b("fuzz:v"));
                both(spinel, redis, b("GET"), b("fuzz:d" + round));
            }
        }
    }
}
