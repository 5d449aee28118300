package io.spinel.command.hash;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import io.spinel.testing.Differential;
import io.spinel.testing.RawClient;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisProtocol;

/**
 * The hash commands over a socket: the classic commands compared byte for byte with a real Redis
 * (in RESP2 and RESP3, across the listpack and hashtable encodings); the field expiration
 * commands of Redis 7.4/8.0, which the 7.0 oracle lacks, against explicit expected replies; the
 * active reclaiming of expired fields; and the commands through Jedis and Lettuce.
 *
 * <p>Corpus scripts are commands separated by " | ", arguments by single spaces; {@code $}
 * becomes a prefix unique to the case, {@code \e} (a whole argument) the empty string and
 * {@code \s} a space.
 */
class HashCommandsIT {
    @RegisterExtension
    static final Differential servers = new Differential()
            .spinelSettings("hash-max-listpack-entries", "4", "hash-max-listpack-value", "8")
            .redisArgs("--hash-max-listpack-entries", "4", "--hash-max-listpack-value", "8");

    static List<String> corpus() {
        return List.of(
                "HSET $h a 1 b 2 | HGET $h a | HGET $h c | HGET $nope a | HLEN $h | HGETALL $h | OBJECT ENCODING $h",
                "HSET $h a 1 | HSET $h a 2 b 3 | HGETALL $h | HMSET $h c 4 | HMGET $h a c z | HMGET $nope a b",
                "HSET $h a | HSET $h a 1 b | HMSET $h a | HSETNX $h a | HGET $h",
                "HSETNX $h a 1 | HSETNX $h a 2 | HGET $h a | HSETNX $h b \\e | HGETALL $h | HSTRLEN $h b",
                "HSET $h a 1 b 2 c 3 d 4 | OBJECT ENCODING $h | HSET $h e 5 | OBJECT ENCODING $h | HLEN $h | HDEL $h a b c d | OBJECT ENCODING $h | HGETALL $h",
                "HSET $h a 123456789 | OBJECT ENCODING $h | HSET $h b 123456789012 | OBJECT ENCODING $h | HGET $h b",
                "HSET $h longfieldname v | OBJECT ENCODING $h | HSTRLEN $h longfieldname",
                "HSET $h a 1 b 2 c 3 d 4 e 5 | OBJECT ENCODING $h",
                "HSET $h a 1 a 2 a 3 a 4 a 5 | OBJECT ENCODING $h | HLEN $h",
                "HDEL $h a | HSET $h a 1 b 2 | HDEL $h a a z | HDEL $h b | EXISTS $h | HDEL $h b",
                "HSET $h a 1 | HEXISTS $h a | HEXISTS $h b | HEXISTS $nope a",
                "HSET $h a 12345 b -7 c x | HSTRLEN $h a | HSTRLEN $h b | HSTRLEN $h c | HSTRLEN $h z | HSTRLEN $nope a",
                "HSET $h b 2 a 1 c 3 | HKEYS $h | HVALS $h | HKEYS $nope | HVALS $nope | HGETALL $nope",
                "HINCRBY $h a 5 | HINCRBY $h a -10 | HGET $h a | HINCRBY $h a x | HINCRBY $h a 1.5 | HSET $h s abc | HINCRBY $h s 1",
                "HSET $h a 9223372036854775806 | HINCRBY $h a 1 | HINCRBY $h a 1 | HSET $h b -9223372036854775807 | HINCRBY $h b -2",
                "HSET $h a \\s1 | HINCRBY $h a 1 | HSET $h a 01 | HINCRBY $h a 1 | HSET $h a \\e | HINCRBY $h a 1",
                "HINCRBYFLOAT $h a 1.5 | HINCRBYFLOAT $h a 0.1 | HINCRBYFLOAT $h a -1.6 | HGET $h a | HINCRBYFLOAT $h a 1e3",
                "HINCRBYFLOAT $h a x | HINCRBYFLOAT $h a nan | HINCRBYFLOAT $h a inf | HSET $h s abc | HINCRBYFLOAT $h s 1 | HINCRBYFLOAT $h a 1e400",
                "HSET $h a 1.7976931348623157e308 | HINCRBYFLOAT $h a 1.7976931348623157e308 | HINCRBYFLOAT $h b 5.0e3 | HGET $h b",
                "HINCRBYFLOAT $h a 123456789.987654321 | HINCRBYFLOAT $h b 0.000003814697265625 | OBJECT ENCODING $h",
                "HINCRBY $h a 1 | HINCRBY $h b 1 | HINCRBY $h c 1 | HINCRBY $h d 1 | HINCRBY $h e 1 | OBJECT ENCODING $h",
                "SET $s v | HSET $s a 1 | HGET $s a | HGETALL $s | HLEN $s | HDEL $s a | HINCRBY $s a 1 | HRANDFIELD $s | HSCAN $s 0",
                "HSET $h a 1 b 2 | HRANDFIELD $h 0 | HRANDFIELD $nope | HRANDFIELD $nope 5 | HRANDFIELD $h x | HRANDFIELD $h 1 WITHVALUE | HRANDFIELD $h 1 WITHVALUES x",
                "HSET $h a 1 b 2 | HRANDFIELD $h 5 | HRANDFIELD $h 5 WITHVALUES | HRANDFIELD $h 2",
                "HSET $h a 1 | HRANDFIELD $h | HRANDFIELD $h -3 | HRANDFIELD $h -3 WITHVALUES | HRANDFIELD $h 1 WITHVALUES",
                "HSET $h a 1 | HRANDFIELD $h -9223372036854775808 | HRANDFIELD $h 9223372036854775807 WITHVALUES | HRANDFIELD $h -4611686018427387904 WITHVALUES",
                "HSET $h a 1 b 2 c 3 | HSCAN $h 0 | HSCAN $h 0 MATCH a* | HSCAN $h 0 COUNT 1 | HSCAN $h 0 MATCH",
                "HSET $h a 1 | HSCAN $h x | HSCAN $h 0 COUNT 0 | HSCAN $h 0 COUNT x | HSCAN $h 0 FOO bar | HSCAN $nope 0 COUNT 0",
                "HSET $h a 1 b 2 c 3 d 4 e 5 | HSCAN $h 0 COUNT 100 MATCH z*",
                "HGET | HSET $h | HMGET $h | HDEL $h | HINCRBY $h a | HRANDFIELD | HSCAN $h | HSTRLEN $h | HKEYS");
    }

    @ParameterizedTest
    @MethodSource("corpus")
    void sameRepliesAsRedis(String script) {
        servers.assertSame((client, protocol) ->
                run(client, protocol + ":" + Integer.toHexString(script.hashCode()) + ":", script));
    }

    /** Runs a corpus script; returns the transcript of commands and raw replies. */
    private static String run(RawClient client, String prefix, String script) {
        StringBuilder transcript = new StringBuilder();
        for (String command : script.split(" \\| ")) {
            transcript.append(command).append(" -> ")
                    .append(new String(client.call(args(prefix, command)), StandardCharsets.ISO_8859_1)).append('\n');
        }
        return transcript.toString();
    }

    private static byte[][] args(String prefix, String command) {
        String[] words = command.split(" ");
        byte[][] args = new byte[words.length][];
        for (int i = 0; i < words.length; i++) {
            String word = words[i].replace("$", prefix);
            if (word.equals("\\e")) {
                args[i] = new byte[0];
                continue;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int j = 0; j < word.length(); j++) {
                if (word.startsWith("\\s", j)) {
                    out.write(' ');
                    j++;
                } else {
                    out.write(word.charAt(j));
                }
            }
            args[i] = out.toByteArray();
        }
        return args;
    }

    /** Sends {@code command} (corpus syntax, {@code $} = "{@code test:}") to Spinel; returns the raw reply. */
    private static String spinel(RawClient client, String command) {
        return new String(client.call(args("test:", command)), StandardCharsets.ISO_8859_1);
    }

    /** Runs {@code command}s on Spinel and asserts each raw reply. */
    private static void expect(String... commandThenReply) {
        try (RawClient client = new RawClient(servers.spinel().port())) {
            for (int i = 0; i < commandThenReply.length; i += 2) {
                assertThat(spinel(client, commandThenReply[i])).as(commandThenReply[i]).isEqualTo(commandThenReply[i + 1]);
            }
        }
    }

    @Test
    void hexpire_repliesPerField() {
        expect("DEL $e1", ":0\r\n",
                "HSET $e1 a 1 b 2 c 3", ":3\r\n",
                "HEXPIRE $e1 100 FIELDS 2 a z", "*2\r\n:1\r\n:-2\r\n",
                "OBJECT ENCODING $e1", "$10\r\nlistpackex\r\n",
                "HEXPIRE $e1 200 NX FIELDS 2 a b", "*2\r\n:0\r\n:1\r\n",
                "HEXPIRE $e1 300 XX FIELDS 2 a c", "*2\r\n:1\r\n:0\r\n",
                "HEXPIRE $e1 100 GT FIELDS 3 a b c", "*3\r\n:0\r\n:0\r\n:0\r\n",
                "HEXPIRE $e1 100 LT FIELDS 3 a b c", "*3\r\n:1\r\n:1\r\n:1\r\n",
                "HPEXPIREAT $e1 1 FIELDS 1 a", "*1\r\n:2\r\n",
                "HEXPIREAT $e1 0 FIELDS 2 b c", "*2\r\n:2\r\n:2\r\n",
                "EXISTS $e1", ":0\r\n",
                "HEXPIRE $nope 10 FIELDS 2 a b", "*2\r\n:-2\r\n:-2\r\n");
    }

    @Test
    void hexpire_errors() {
        expect("SET $e2s v", "+OK\r\n",
                "HEXPIRE $e2s 10 FIELDS 1 a", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
                "HSET $e2 a 1", ":1\r\n",
                "HEXPIRE $e2 10 FIELDS 0 a", "-ERR Parameter `numFields` should be greater than 0\r\n",
                "HEXPIRE $e2 10 FIELDS x a", "-ERR Parameter `numFields` should be greater than 0\r\n",
                "HEXPIRE $e2 10 FIELDS 2 a", "-ERR The `numfields` parameter must match the number of arguments\r\n",
                "HEXPIRE $e2 10 NX NX 1 a", "-ERR Mandatory argument FIELDS is missing or not at the right position\r\n",
                "HEXPIRE $e2 -1 FIELDS 1 a", "-ERR invalid expire time, must be >= 0\r\n",
                "HEXPIRE $e2 x FIELDS 1 a", "-ERR value is not an integer or out of range\r\n",
                "HEXPIRE $e2 281474976710656 FIELDS 1 a", "-ERR invalid expire time in 'hexpire' command\r\n",
                "HPEXPIREAT $e2 281474976710656 FIELDS 1 a", "-ERR invalid expire time in 'hpexpireat' command\r\n",
                "HPEXPIREAT $e2 281474976710655 FIELDS 1 a", "*1\r\n:1\r\n",
                "HPEXPIRETIME $e2 FIELDS 1 a", "*1\r\n:281474976710655\r\n");
    }

    @Test
    void httl_family() {
        long now = System.currentTimeMillis();
        try (RawClient client = new RawClient(servers.spinel().port())) {
            spinel(client, "HSET $t1 a 1 b 2");
            assertThat(spinel(client, "HTTL $t1 FIELDS 3 a b z")).isEqualTo("*3\r\n:-1\r\n:-1\r\n:-2\r\n");
            spinel(client, "HPEXPIRE $t1 100000 FIELDS 1 a");
            assertThat(spinel(client, "HTTL $t1 FIELDS 1 a")).isEqualTo("*1\r\n:100\r\n");
            long pttl = Long.parseLong(spinel(client, "HPTTL $t1 FIELDS 1 a").split("\r\n")[1].substring(1));
            assertThat(pttl).isBetween(99_000L, 100_000L);
            long at = Long.parseLong(spinel(client, "HPEXPIRETIME $t1 FIELDS 1 a").split("\r\n")[1].substring(1));
            assertThat(at).isBetween(now + 99_000, System.currentTimeMillis() + 100_000);
            assertThat(spinel(client, "HEXPIRETIME $t1 FIELDS 2 a b")).isEqualTo("*2\r\n:" + (at + 999) / 1000 + "\r\n:-1\r\n");
            assertThat(spinel(client, "HTTL $nope FIELDS 2 a b")).isEqualTo("*2\r\n:-2\r\n:-2\r\n");
            assertThat(spinel(client, "HTTL $t1 FIELDS 0 a")).isEqualTo("-ERR Number of fields must be a positive integer\r\n");
            assertThat(spinel(client, "HTTL $t1 FIELDS 3 a")).isEqualTo("-ERR The `numfields` parameter must match the number of arguments\r\n");
            assertThat(spinel(client, "HTTL $t1 FIELD 1 a")).isEqualTo("-ERR Mandatory argument FIELDS is missing or not at the right position\r\n");
            assertThat(spinel(client, "HPERSIST $t1 FIELDS 3 a b z")).isEqualTo("*3\r\n:1\r\n:-1\r\n:-2\r\n");
            assertThat(spinel(client, "HTTL $t1 FIELDS 1 a")).isEqualTo("*1\r\n:-1\r\n");
            assertThat(spinel(client, "HPERSIST $nope FIELDS 1 a")).isEqualTo("*1\r\n:-2\r\n");
        }
    }

    @Test
    void hsetField_clearsTtlUnlessIncrement() {
        expect("HSET $t2 a 1 b 2", ":2\r\n",
                "HEXPIRE $t2 100 FIELDS 2 a b", "*2\r\n:1\r\n:1\r\n",
                "HINCRBY $t2 a 1", ":2\r\n",
                "HINCRBYFLOAT $t2 a 1", "$1\r\n3\r\n",
                "HTTL $t2 FIELDS 1 a", "*1\r\n:100\r\n",
                "HSET $t2 b 3", ":0\r\n",
                "HTTL $t2 FIELDS 2 a b", "*2\r\n:100\r\n:-1\r\n");
    }

    @Test
    void hgetdel_returnsAndDeletes() {
        expect("HSET $g1 a 1 b 2", ":2\r\n",
                "HGETDEL $g1 FIELDS 2 a z", "*2\r\n$1\r\n1\r\n$-1\r\n",
                "HGETALL $g1", "*2\r\n$1\r\nb\r\n$1\r\n2\r\n",
                "HGETDEL $g1 FIELDS 1 b", "*1\r\n$1\r\n2\r\n",
                "EXISTS $g1", ":0\r\n",
                "HGETDEL $g1 FIELDS 1 b", "*1\r\n$-1\r\n",
                "HGETDEL $g1 FIELDS 0 b", "-ERR Number of fields must be a positive integer\r\n",
                "HGETDEL $g1 FIELDS 2 b", "-ERR The `numfields` parameter must match the number of arguments\r\n",
                "HGETDEL $g1 FIELD 1 b", "-ERR Mandatory argument FIELDS is missing or not at the right position\r\n");
    }

    @Test
    void hgetex_setsAndPersists() {
        expect("HSET $g2 a 1 b 2", ":2\r\n",
                "HGETEX $g2 EX 100 FIELDS 2 a z", "*2\r\n$1\r\n1\r\n$-1\r\n",
                "HTTL $g2 FIELDS 2 a b", "*2\r\n:100\r\n:-1\r\n",
                "HGETEX $g2 PERSIST FIELDS 1 a", "*1\r\n$1\r\n1\r\n",
                "HTTL $g2 FIELDS 1 a", "*1\r\n:-1\r\n",
                "HGETEX $g2 FIELDS 1 b", "*1\r\n$1\r\n2\r\n",
                "HGETEX $g2 PXAT 1 FIELDS 1 b", "*1\r\n$1\r\n2\r\n",
                "HEXISTS $g2 b", ":0\r\n",
                "HGETEX $g2 EX -1 FIELDS 1 a", "-ERR invalid expire time, must be >= 0\r\n",
                "HGETEX $g2 EX 10 FIELDS 0 a", "-ERR Number of fields must be a positive integer\r\n",
                "HGETEX $g2 PXAT 1 FIELDS 1 a", "*1\r\n$1\r\n1\r\n",
                "EXISTS $g2", ":0\r\n",
                "HGETEX $nope EX 10 FIELDS 2 a b", "*2\r\n$-1\r\n$-1\r\n");
    }

    @Test
    void hsetex_conditionsAndExpiry() {
        expect("HSETEX $s1 FXX FIELDS 1 a 1", ":0\r\n",
                "EXISTS $s1", ":0\r\n",
                "HSETEX $s1 FNX EX 100 FIELDS 2 a 1 b 2", ":1\r\n",
                "HTTL $s1 FIELDS 2 a b", "*2\r\n:100\r\n:100\r\n",
                "HSETEX $s1 FNX FIELDS 2 a 1 c 3", ":0\r\n",
                "HSETEX $s1 FXX KEEPTTL FIELDS 1 a 5", ":1\r\n",
                "HTTL $s1 FIELDS 1 a", "*1\r\n:100\r\n",
                "HSETEX $s1 FIELDS 1 a 6", ":1\r\n",
                "HTTL $s1 FIELDS 1 a", "*1\r\n:-1\r\n",
                "HSETEX $s1 PXAT 1 FIELDS 1 b 7", ":1\r\n",
                "HGETALL $s1", "*2\r\n$1\r\na\r\n$1\r\n6\r\n",
                "HSETEX $s1 EX 10 PX 10 FIELDS 1 a 1", "-ERR Only one of EX, PX, EXAT, PXAT or KEEPTTL arguments can be specified\r\n",
                "HSETEX $s1 FNX FXX FIELDS 1 a 1", "-ERR Only one of FXX or FNX arguments can be specified\r\n",
                "HSETEX $s1 FIELDS 0 a 1", "-ERR invalid number of fields\r\n",
                "HSETEX $s1 FIELDS 2 a 1", "-ERR wrong number of arguments for 'hsetex' command\r\n",
                "HSETEX $s1 NOPE FIELDS 1 a 1", "-ERR unknown argument: NOPE\r\n",
                "HSETEX $s1 FNX FXX EX 1", "-ERR Only one of FXX or FNX arguments can be specified\r\n",
                "HSETEX $s1 FNX KEEPTTL EX 1", "-ERR Only one of EX, PX, EXAT, PXAT or KEEPTTL arguments can be specified\r\n",
                "HSETEX $s1 FNX FNX a b c", "-ERR Only one of FXX or FNX arguments can be specified\r\n");
    }

    @Test
    void fieldExpiry_convertsEncodingsAndKeepsTtls() {
        expect("HSET $c1 a 1 b 2", ":2\r\n",
                "OBJECT ENCODING $c1", "$8\r\nlistpack\r\n",
                "HPEXPIRE $c1 100000 FIELDS 1 a", "*1\r\n:1\r\n",
                "OBJECT ENCODING $c1", "$10\r\nlistpackex\r\n",
                "HSET $c1 c 3 d 4 e 5", ":3\r\n",
                "OBJECT ENCODING $c1", "$9\r\nhashtable\r\n",
                "HTTL $c1 FIELDS 2 a b", "*2\r\n:100\r\n:-1\r\n",
                "HPERSIST $c1 FIELDS 1 a", "*1\r\n:1\r\n",
                "HPEXPIRE $c1 100000 FIELDS 1 b", "*1\r\n:1\r\n",
                "HTTL $c1 FIELDS 2 a b", "*2\r\n:-1\r\n:100\r\n",
                "HEXPIRE $c1 0 FIELDS 5 a b c d e", "*5\r\n:2\r\n:2\r\n:2\r\n:2\r\n:2\r\n",
                "EXISTS $c1", ":0\r\n");
    }

    @Test
    void expiredFields_areInvisibleAtOnce() throws InterruptedException {
        var cycle = servers.spinel().context().expireCycle();
        cycle.enabled(false);
        try (RawClient client = new RawClient(servers.spinel().port())) {
            spinel(client, "HSET $x1 a 1 b 2 c 3");
            spinel(client, "HPEXPIRE $x1 30 FIELDS 2 a b");
            Thread.sleep(80);
            assertThat(spinel(client, "HLEN $x1")).isEqualTo(":1\r\n");
            assertThat(spinel(client, "HGETALL $x1")).isEqualTo("*2\r\n$1\r\nc\r\n$1\r\n3\r\n");
            assertThat(spinel(client, "HTTL $x1 FIELDS 1 a")).isEqualTo("*1\r\n:-2\r\n");
            spinel(client, "HPEXPIRE $x1 30 FIELDS 1 c");
            Thread.sleep(80);
            assertThat(spinel(client, "HGET $x1 c")).isEqualTo("$-1\r\n");
            assertThat(spinel(client, "EXISTS $x1")).isEqualTo(":0\r\n");
        } finally {
            cycle.enabled(true);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 10_000})
    void activeExpiry_reclaimsUntouchedFieldsAndTheKey(int fields) throws InterruptedException {
        try (Jedis jedis = new Jedis("127.0.0.1", servers.spinel().port(), 30_000)) {
            String key = "active:" + fields;
            String partial = "partial:" + fields;
            Pipeline pipeline = jedis.pipelined();
            for (int i = 0; i < fields; i++) {
                pipeline.hset(key, "f" + i, "v");
                pipeline.hset(partial, "f" + i, "v");
            }
            pipeline.hset(partial, "stays", "v");
            pipeline.sync();
            String[] names = new String[fields];
            for (int i = 0; i < fields; i++) {
                names[i] = "f" + i;
            }
            jedis.hpexpire(key, 100, names);
            jedis.hpexpire(partial, 100, names);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (jedis.type(key).equals("hash") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            // TYPE does not look at fields: only the active cycle can have deleted the key.
            assertThat(jedis.type(key)).isEqualTo("none");
            while (storedFieldCount(partial) > 1 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(storedFieldCount(partial)).isEqualTo(1);
            assertThat(jedis.hgetAll(partial)).isEqualTo(Map.of("stays", "v"));
        }
    }

    /** The fields {@code key} holds in Spinel, expired or not (no lookup that would reclaim them). */
    private static int storedFieldCount(String key) {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        var keyspace = servers.spinel().context().keyspace();
        int slot = io.spinel.store.SlotHash.slot(bytes);
        keyspace.locks().lock(slot);
        try {
            Object value = keyspace.database(0).peek(bytes);
            return value == null ? 0 : ((io.spinel.types.HashValue) value).fieldCount();
        } finally {
            keyspace.locks().unlock(slot);
        }
    }

    @Test
    void renamedHash_keepsItsFieldExpiries() throws InterruptedException {
        try (Jedis jedis = new Jedis("127.0.0.1", servers.spinel().port())) {
            jedis.hset("rename:a", Map.of("f", "v", "g", "w"));
            jedis.hpexpire("rename:a", 100, "f");
            jedis.rename("rename:a", "rename:b");
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (storedFieldCount("rename:b") > 1 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(storedFieldCount("rename:b")).isEqualTo(1);
        }
    }

    @Test
    void jedis_resp2AndResp3() {
        for (RedisProtocol protocol : RedisProtocol.values()) {
            var config = DefaultJedisClientConfig.builder().protocol(protocol).build();
            try (Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", servers.spinel().port()), config)) {
                String key = "jedis:" + protocol;
                assertThat(jedis.hset(key, Map.of("a", "1", "b", "2"))).isEqualTo(2);
                assertThat(jedis.hgetAll(key)).isEqualTo(Map.of("a", "1", "b", "2"));
                assertThat(jedis.hmget(key, "a", "z")).containsExactly("1", null);
                assertThat(jedis.hincrBy(key, "a", 5)).isEqualTo(6);
                assertThat(jedis.hincrByFloat(key, "a", 0.5)).isEqualTo(6.5);
                assertThat(jedis.hrandfieldWithValues(key, 2)).hasSize(2);
                assertThat(jedis.hrandfieldWithValues(key, -5)).hasSize(5);
                assertThat(jedis.hkeys(key)).containsExactlyInAnyOrder("a", "b");
                assertThat(jedis.hexpire(key, 100, "a", "z")).containsExactly(1L, -2L);
                assertThat(jedis.httl(key, "a", "b")).containsExactly(100L, -1L);
                assertThat(jedis.hpersist(key, "a")).containsExactly(1L);
                assertThat(jedis.hdel(key, "a", "b")).isEqualTo(2);
                assertThat(jedis.exists(key)).isFalse();
            }
        }
    }

    @Test
    void raw_resp3RepliesAreMapsAndPairs() {
        try (RawClient client = new RawClient(servers.spinel().port())) {
            client.call("HELLO", "3");
            spinel(client, "HSET $r3 a 1");
            assertThat(spinel(client, "HGETALL $r3")).isEqualTo("%1\r\n$1\r\na\r\n$1\r\n1\r\n");
            assertThat(spinel(client, "HGETALL $nope")).isEqualTo("%0\r\n");
            assertThat(spinel(client, "HRANDFIELD $r3 1 WITHVALUES")).isEqualTo("*1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n");
            assertThat(spinel(client, "HRANDFIELD $r3 -2 WITHVALUES")).isEqualTo("*2\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n");
        }
    }

    @Test
    void lettuce_resp3() throws Exception {
        RedisClient lettuce = RedisClient.create(RedisURI.create("127.0.0.1", servers.spinel().port()));
        lettuce.setOptions(ClientOptions.builder().protocolVersion(ProtocolVersion.RESP3).build());
        try (StatefulRedisConnection<String, String> connection = lettuce.connect()) {
            RedisCommands<String, String> sync = connection.sync();
            assertThat(sync.hset("lettuce:h", Map.of("a", "1", "b", "2", "c", "3"))).isEqualTo(3);
            assertThat(sync.hgetall("lettuce:h")).isEqualTo(Map.of("a", "1", "b", "2", "c", "3"));
            List<KeyValue<String, String>> pairs = sync.hrandfieldWithvalues("lettuce:h", 2);
            assertThat(pairs).hasSize(2).allSatisfy(kv -> assertThat(kv.getValue()).isEqualTo(kv.getKey().equals("a") ? "1" : kv.getKey().equals("b") ? "2" : "3"));
            assertThat(sync.hincrbyfloat("lettuce:h", "a", 1.5)).isEqualTo(2.5);
            assertThat(sync.hstrlen("lettuce:h", "a")).isEqualTo(3);
            List<String> scanned = new ArrayList<>();
            sync.hscan((key, value) -> scanned.add(key), "lettuce:h");
            assertThat(scanned).containsExactlyInAnyOrder("a", "b", "c");
        } finally {
            lettuce.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }

    @Test
    void hscan_largeHashReturnsEveryFieldOnce() {
        try (Jedis jedis = new Jedis("127.0.0.1", servers.spinel().port())) {
            Pipeline pipeline = jedis.pipelined();
            for (int i = 0; i < 1000; i++) {
                pipeline.hset("scan:big", "f" + i, "v" + i);
            }
            pipeline.sync();
            List<String> seen = new ArrayList<>();
            String cursor = "0";
            do {
                var page = jedis.hscan("scan:big", cursor);
                page.getResult().forEach(e -> seen.add(e.getKey()));
                cursor = page.getCursor();
            } while (!cursor.equals("0"));
            assertThat(seen).hasSize(1000).doesNotHaveDuplicates();
        }
    }
}
