package io.spinel.command.string;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.LcsArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.spinel.server.SpinelServer;
import io.spinel.store.Database;
import io.spinel.store.SlotHash;
import io.spinel.store.SlotLocks;
import io.spinel.testing.CommandScript;
import io.spinel.testing.Differential;
import io.spinel.testing.RawClient;
import io.spinel.testing.RealRedis;
import io.spinel.testing.TestServer;
import io.spinel.types.MutableString;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.GetExParams;
import redis.clients.jedis.params.SetParams;

/**
 * The string commands over a socket: a differential corpus compared byte for byte with a real
 * Redis, TTL effects checked inside Spinel, and the common commands through Jedis and Lettuce.
 *
 * <p>Each corpus case is a script of commands separated by " | ", arguments by single spaces. In
 * arguments, {@code $} becomes a prefix unique to the case (so cases never share keys), {@code \s}
 * a space, {@code \e} (a whole argument) the empty string and {@code \xHH} a byte. Each case runs
 * in a RESP2 and in a RESP3 session, with keys of its own in each.
 */
class StringCommandsIT {
    @RegisterExtension
    static final Differential servers = new Differential();

    static List<String> corpus() {
        return List.of(
                // GET / SET and SET options
                "GET $k | SET $k v | GET $k",
                // A rewrite of the same value (the stored one is kept) still clears the TTL, and a
                // string modified in place stays apart from the value that equals it
                "SET $k abc EX 100 | SET $k abc | TTL $k | APPEND $k d | GET $k | SET $k abcd | APPEND $k e | GET $k | OBJECT ENCODING $k",
                "SET $k 12345 PX 100000 | SET $k 12345 | PTTL $k | OBJECT ENCODING $k | INCR $k | SET $k 12346 | GET $k | MSET $k abc $k abc | GET $k | SETRANGE $k 0 x | SET $k xbc | GET $k | SETRANGE $k 1 y | GET $k",
                "SET $k 12345 | GET $k | SET $k -0 | GET $k | SET $k 007 | GET $k",
                "SET $k 9223372036854775807 | GET $k | SET $k -9223372036854775808 | GET $k | SET $k 9223372036854775808 | GET $k",
                "SET $k \\e | GET $k | STRLEN $k",
                "SET $k \\x00\\xff\\r\\n | GET $k",
                "SET $k v NX | SET $k w NX | GET $k | SET $k x XX | GET $k | SET $m x XX | GET $m",
                "SET $k v nx nx | SET $k v XX xx",
                "SET $k v NX XX | SET $k v XX NX | SET $k v FOO | SET $k v EX | SET $k v PX",
                "SET $k v GET | SET $k w GET | SET $k x get NX | SET $m y GET XX | GET $m | SET $n z NX GET | GET $n",
                "SET $k v EX 100 | SET $k v PX 100000 | SET $k v EXAT 99999999999 | SET $k v PXAT 99999999999999",
                "SET $k v EX 10 EX 20 | SET $k v PX 10 PX 20 | SET $k v EX 10 PX 20 | SET $k v PX 10 EXAT 20 | SET $k v EXAT 10 PXAT 20",
                "SET $k v KEEPTTL | SET $k v KEEPTTL EX 1 | SET $k v EX 1 KEEPTTL | SET $k v KEEPTTL KEEPTTL | SET $k v PERSIST",
                "SET $k v EX 0 | SET $k v EX -1 | SET $k v PX 0 | SET $k v EXAT 0 | SET $k v PXAT -5",
                "SET $k v EX abc | SET $k v EX 1.5 | SET $k v PX 99999999999999999999",
                "SET $k v EX 9223372036854775 | SET $k v EX 9223372036854776 | SET $k v PX 9223372036854775807",
                "SET $k v EXAT 9223372036854775 | GET $k | SET $k v PXAT 9223372036854775807 | GET $k",
                "SET $k v EXAT 1 | GET $k | SET $k v PXAT 1 GET | GET $k",
                "SET $k v ex abc nx | SET $k v nx ex 0 | SET $k v ex 0 get",
                "SET $k v extra | SET $k v ex 10 extra",
                "SETNX $k a | SETNX $k b | GET $k",
                "SETEX $k 100 v | GET $k | SETEX $k 0 v | SETEX $k -1 v | SETEX $k abc v | SETEX $k 9223372036854776 v",
                "PSETEX $k 100000 v | GET $k | PSETEX $k 0 v | PSETEX $k -10 v | PSETEX $k x v | PSETEX $k 9223372036854775807 v",
                // GETEX, GETDEL, GETSET
                "GETEX $k | SET $k v | GETEX $k | GETEX $k EX 100 | GETEX $k PX 100000 | GETEX $k EXAT 99999999999 | GETEX $k PXAT 99999999999999 | GETEX $k PERSIST",
                "GETEX $k EX abc | SET $k v | GETEX $k EX abc | GETEX $k EX 0 | GETEX $k PX -1 | GETEX $k EX 9223372036854776",
                "SET $k v | GETEX $k NX | GETEX $k XX | GETEX $k GET | GETEX $k KEEPTTL | GETEX $k PERSIST EX 1 | GETEX $k EX 1 PERSIST | GETEX $k EX",
                "SET $k v | GETEX $k PERSIST PERSIST | GETEX $k EX 10 EX 20 | GETEX $k EX 10 PX 20",
                "SET $k v | GETEX $k EXAT 1 | GET $k | SET $k v | GETEX $k PXAT 1 | GET $k",
                "GETDEL $k | SET $k v | GETDEL $k | GETDEL $k | GET $k",
                "GETSET $k a | GETSET $k b | GET $k | SET $n 10 | GETSET $n 20 | INCR $n",
                // MGET, MSET, MSETNX
                "MSET $a 1 $b 2 | MGET $a $b $c | MSET $a x | MGET $a",
                "MSET $a | MSET $a 1 $b | MSETNX $a | MSETNX $a 1 $b",
                "MSET $a 1 $a 2 | GET $a",
                "MSETNX $a 1 $b 2 | MSETNX $b 3 $c 4 | MGET $a $b $c",
                "MSETNX $a 1 $a 2 | GET $a",
                "MGET $nope | MGET $nope $nope",
                // INCR family
                "INCR $k | INCR $k | DECR $k | DECR $k | DECR $k | GET $k",
                "INCRBY $k 10 | INCRBY $k -20 | DECRBY $k 5 | DECRBY $k -5 | GET $k",
                "SET $k 9223372036854775806 | INCR $k | INCR $k | GET $k | SET $k -9223372036854775807 | DECR $k | DECR $k",
                "SET $k 1 | INCRBY $k 9223372036854775807 | SET $k -1 | INCRBY $k -9223372036854775808 | DECRBY $k -9223372036854775808 | DECRBY $k 9223372036854775807",
                "SET $k 0 | DECRBY $k -9223372036854775808 | DECRBY $nope -9223372036854775808 | DECRBY $k abc",
                "INCRBY $k abc | INCRBY $k 1.5 | INCRBY $k \\e | INCRBY $k 9223372036854775808 | INCRBY $k +1 | INCRBY $k 01",
                "SET $k abc | INCR $k | SET $k 1.5 | INCR $k | SET $k \\s1 | INCR $k | SET $k 01 | INCR $k | SET $k \\e | INCR $k",
                "SET $k 123456789012345678901234567890 | INCR $k | DECR $k",
                "SET $k 10 | APPEND $k 5 | INCR $k | GET $k | SETRANGE $k 0 2 | INCR $k",
                // INCRBYFLOAT
                "SET $k 10.5 | INCRBYFLOAT $k 0.1 | INCRBYFLOAT $k -5.0e3 | INCRBYFLOAT $k 1.23456789012345678901234",
                "INCRBYFLOAT $k 0.1 | INCRBYFLOAT $k 0.2 | INCRBYFLOAT $k 0.3 | INCRBYFLOAT $k -0.6 | GET $k",
                "SET $k 10 | INCRBYFLOAT $k 1 | INCR $k | INCRBYFLOAT $k -12 | INCRBYFLOAT $k -0.000000000000000001",
                "INCRBYFLOAT $k abc | INCRBYFLOAT $k \\e | INCRBYFLOAT $k \\s1 | INCRBYFLOAT $k 1\\s | INCRBYFLOAT $k 1\\x00 | INCRBYFLOAT $k .",
                "INCRBYFLOAT $k nan | INCRBYFLOAT $k inf | INCRBYFLOAT $k -Infinity | INCRBYFLOAT $k 1e | INCRBYFLOAT $k 0x | GET $k",
                "INCRBYFLOAT $k +.5 | INCRBYFLOAT $k 5. | INCRBYFLOAT $k 1E+2 | INCRBYFLOAT $k 0x1p3 | INCRBYFLOAT $k 0x.8 | INCRBYFLOAT $k -0X1.8P1",
                "INCRBYFLOAT $k 1e400 | INCRBYFLOAT $k 1e-400 | INCRBYFLOAT $k -1e400",
                "INCRBYFLOAT $k 1e4932 | INCRBYFLOAT $k 1.1e4932 | INCRBYFLOAT $k 1e5000 | INCRBYFLOAT $k 1e-4960 | INCRBYFLOAT $k 1e-4940",
                "INCRBYFLOAT $k 0.000003814697265625 | INCRBYFLOAT $m 0.000011444091796875 | INCRBYFLOAT $n 123456789.987654321",
                "SET $k 1e5000 | INCRBYFLOAT $k 1 | SET $k inf | INCRBYFLOAT $k 1 | SET $k 3 | INCRBYFLOAT $k 9223372036854775807",
                "SET $k 1.5 | INCRBYFLOAT $k 9999999999999999999999 | INCRBYFLOAT $k 0.00000000000000000000001",
                // APPEND, SETRANGE, GETRANGE, SUBSTR, STRLEN
                "APPEND $k abc | APPEND $k def | GET $k | STRLEN $k | APPEND $k \\e | GET $k",
                "APPEND $k 123 | INCR $k | APPEND $k 4 | GET $k | STRLEN $k",
                "SETRANGE $k 0 abc | SETRANGE $k 5 xy | GET $k | SETRANGE $k 1 Z | GET $k | STRLEN $k",
                "SETRANGE $k -1 x | SETRANGE $k abc x | SETRANGE $k 1 \\e | GET $k | SETRANGE $k 0 \\e",
                "SETRANGE $k 536870911 \\e | SETRANGE $k 536870912 x | SETRANGE $k 9223372036854775807 x | SET $k v | SETRANGE $k 536870912 \\e | SETRANGE $k 536870912 x",
                "SET $k 12345 | SETRANGE $k 2 9 | GET $k | SET $k 12345 | SETRANGE $k 10 9 | GET $k",
                "SET $k Hello\\sWorld | GETRANGE $k 0 4 | GETRANGE $k -5 -1 | GETRANGE $k 0 -1 | GETRANGE $k 0 100 | GETRANGE $k -100 -100 | GETRANGE $k 0 -100",
                "SET $k abc | GETRANGE $k -1 -5 | GETRANGE $k 2 1 | GETRANGE $k 3 5 | GETRANGE $k -1 0 | GETRANGE $k 9223372036854775807 -9223372036854775808",
                "GETRANGE $nope 0 1 | GETRANGE $k a 1 | GETRANGE $k 0 b | SET $k \\e | GETRANGE $k 0 -1 | GETRANGE $k -1 -1",
                "SET $k 1234567 | GETRANGE $k 1 3 | SUBSTR $k 1 3 | SUBSTR $k -2 -1 | APPEND $k 8 | SUBSTR $k 5 100",
                "STRLEN $nope | SET $k 12345 | STRLEN $k | SET $k -9223372036854775808 | STRLEN $k",
                // LCS
                "SET $a ohmytext | SET $b mynewtext | LCS $a $b | LCS $a $b LEN | LCS $a $b IDX | LCS $a $b IDX WITHMATCHLEN",
                "SET $a ohmytext | SET $b mynewtext | LCS $a $b IDX MINMATCHLEN 4 | LCS $a $b IDX MINMATCHLEN -5 WITHMATCHLEN | LCS $a $b len len",
                "SET $a x | LCS $a $b IDX LEN | LCS $a $b MINMATCHLEN | LCS $a $b MINMATCHLEN x | LCS $a $b FOO",
                "LCS $a $b | LCS $a $b IDX | LCS $a $b LEN | SET $a 12345 | SET $b 2x4x5 | LCS $a $b IDX WITHMATCHLEN",
                "SET $a ABCBDAB | SET $b BDCABA | LCS $a $b | LCS $a $b IDX WITHMATCHLEN | LCS $b $a IDX",
                "SET $a aaaa | SET $b aa | LCS $a $b IDX | SET $a abcabc | SET $b abc | LCS $a $b IDX WITHMATCHLEN | LCS $b $a IDX WITHMATCHLEN",
                // arity
                "GET | SET $k | GETEX | GETRANGE $k 0 | LCS $a | INCRBYFLOAT $k | APPEND $k | MGET | SETEX $k 1");
    }

    @ParameterizedTest
    @MethodSource("corpus")
    void sameRepliesAsRedis(String script) {
        servers.assertSame((client, protocol) ->
                CommandScript.run(client, protocol + ":" + Integer.toHexString(script.hashCode()) + ":", script));
    }

    /** The TTL of {@code key} in database 0 as Spinel holds it. */
    private static long ttlMillis(String key) {
        return inDatabase(key, Database::ttlMillis);
    }

    /** The stored value of {@code key} in database 0. */
    private static Object stored(String key) {
        return inDatabase(key, Database::peek);
    }

    /** Applies {@code read} to database 0 and {@code key} under the key's slot lock. */
    private static <T> T inDatabase(String key, BiFunction<Database, byte[], T> read) {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        SlotLocks locks = servers.spinel().context().keyspace().locks();
        int slot = SlotHash.slot(bytes);
        locks.lock(slot);
        try {
            return read.apply(servers.spinel().context().keyspace().database(0), bytes);
        } finally {
            locks.unlock(slot);
        }
    }

    @Test
    void set_expiryOptionsSetTheTtl() {
        try (RawClient client = new RawClient(servers.spinel().port())) {
            client.call("SET", "ttl:ex", "v", "EX", "100");
            assertThat(ttlMillis("ttl:ex")).isBetween(99_000L, 100_000L);
            client.call("SET", "ttl:ex", "v", "PX", "5000");
            assertThat(ttlMillis("ttl:ex")).isBetween(4_000L, 5_000L);
            long at = System.currentTimeMillis() + 50_000;
            client.call("SET", "ttl:ex", "v", "PXAT", Long.toString(at));
            assertThat(ttlMillis("ttl:ex")).isBetween(40_000L, 50_000L);
            client.call("SET", "ttl:ex", "v", "EXAT", Long.toString(System.currentTimeMillis() / 1000 + 100));
            assertThat(ttlMillis("ttl:ex")).isBetween(90_000L, 101_000L);
            client.call("SETEX", "ttl:ex", "30", "v");
            assertThat(ttlMillis("ttl:ex")).isBetween(29_000L, 30_000L);
            client.call("PSETEX", "ttl:ex", "3000", "v");
            assertThat(ttlMillis("ttl:ex")).isBetween(2_000L, 3_000L);
        }
    }

    @Test
    void set_clearsTtlUnlessKeepttl() {
        try (RawClient client = new RawClient(servers.spinel().port())) {
            client.call("SET", "ttl:keep", "v", "EX", "100");
            client.call("SET", "ttl:keep", "w", "KEEPTTL");
            assertThat(ttlMillis("ttl:keep")).isPositive();
            client.call("SET", "ttl:keep", "x");
            assertThat(ttlMillis("ttl:keep")).isEqualTo(Database.NO_EXPIRY);
            client.call("SET", "ttl:keep", "v", "EX", "100");
            client.call("GETSET", "ttl:keep", "y");
            assertThat(ttlMillis("ttl:keep")).isEqualTo(Database.NO_EXPIRY);
            client.call("SET", "ttl:keep", "v", "EX", "100");
            client.call("MSET", "ttl:keep", "z");
            assertThat(ttlMillis("ttl:keep")).isEqualTo(Database.NO_EXPIRY);
        }
    }

    @Test
    void modifyingCommands_keepTtl() {
        try (RawClient client = new RawClient(servers.spinel().port())) {
            client.call("SET", "ttl:mod", "1", "EX", "100");
            for (String[] command : new String[][] {
                    {"INCR", "ttl:mod"}, {"DECR", "ttl:mod"}, {"INCRBY", "ttl:mod", "5"}, {"DECRBY", "ttl:mod", "2"},
                    {"INCRBYFLOAT", "ttl:mod", "1.5"}, {"APPEND", "ttl:mod", "x"}, {"SETRANGE", "ttl:mod", "0", "y"}}) {
                client.call(command);
                assertThat(ttlMillis("ttl:mod")).as(command[0]).isPositive();
            }
            assertThat(client.call("GET", "ttl:mod")).isEqualTo("$4\r\ny.5x\r\n");
        }
    }

    @Test
    void getex_setsAndRemovesTtl() {
        try (RawClient client = new RawClient(servers.spinel().port())) {
            client.call("SET", "ttl:getex", "v");
            client.call("GETEX", "ttl:getex", "EX", "100");
            assertThat(ttlMillis("ttl:getex")).isBetween(99_000L, 100_000L);
            client.call("GETEX", "ttl:getex", "PERSIST");
            assertThat(ttlMillis("ttl:getex")).isEqualTo(Database.NO_EXPIRY);
            client.call("GETEX", "ttl:getex", "PX", "100000");
            client.call("GETEX", "ttl:getex");
            assertThat(ttlMillis("ttl:getex")).isPositive();
        }
    }

    @Test
    void set_px_expiresOnBothServers() throws InterruptedException {
        List<String> replies = new ArrayList<>();
        for (int port : new int[] {servers.spinel().port(), servers.redis().port()}) {
            try (RawClient client = new RawClient(port)) {
                replies.add(client.call("SET", "ttl:short", "v", "PX", "100"));
                replies.add(client.call("GET", "ttl:short"));
                Thread.sleep(200);
                replies.add(client.call("GET", "ttl:short"));
                replies.add(client.call("SET", "ttl:short2", "v", "PX", "100", "NX"));
            }
        }
        assertThat(replies.subList(0, 4)).containsExactly("+OK\r\n", "$1\r\nv\r\n", "$-1\r\n", "+OK\r\n");
        assertThat(replies.subList(4, 8)).isEqualTo(replies.subList(0, 4));
    }

    @Test
    void protoMaxBulkLen_limitsBuiltStrings() {
        String script = "SETRANGE $k 1048575 x | STRLEN $k | APPEND $k x | SETRANGE $k 1048576 x | SETRANGE $k 1048575 xy"
                + " | APPEND $n " + "y".repeat(600) + " | LCS $n $n LEN | APPEND $m " + "z".repeat(400) + " | LCS $m $m LEN";
        try (SpinelServer small = TestServer.start("proto-max-bulk-len", "1mb");
                RealRedis smallRedis = RealRedis.start("--proto-max-bulk-len", "1mb");
                RawClient ours = new RawClient(small.port()); RawClient theirs = new RawClient(smallRedis.port())) {
            assertThat(CommandScript.run(ours, "limit:", script)).isEqualTo(CommandScript.run(theirs, "limit:", script))
                    .contains("string exceeds maximum allowed size", "transient memory for LCS");
        }
    }

    @Test
    void encodings_followRedis() {
        try (RawClient client = new RawClient(servers.spinel().port())) {
            client.call("SET", "enc:int", "123");
            assertThat(stored("enc:int")).isEqualTo(123L);
            client.call("SET", "enc:float", "10");
            client.call("INCRBYFLOAT", "enc:float", "1");
            assertThat(stored("enc:float")).isInstanceOf(byte[].class);
            client.call("INCR", "enc:float");
            assertThat(stored("enc:float")).isEqualTo(12L);
            client.call("APPEND", "enc:append", "12");
            assertThat(stored("enc:append")).isEqualTo(12L);
            client.call("APPEND", "enc:append", "");
            assertThat(stored("enc:append")).isInstanceOf(MutableString.class);
            client.call("SETRANGE", "enc:range", "3", "x");
            assertThat(stored("enc:range")).isInstanceOf(MutableString.class);
        }
    }

    @Test
    void jedis_commonCommands() {
        try (Jedis jedis = new Jedis("127.0.0.1", servers.spinel().port())) {
            assertThat(jedis.set("j:a", "1")).isEqualTo("OK");
            assertThat(jedis.get("j:a")).isEqualTo("1");
            assertThat(jedis.incr("j:a")).isEqualTo(2);
            assertThat(jedis.incrBy("j:a", 10)).isEqualTo(12);
            assertThat(jedis.decrBy("j:a", 2)).isEqualTo(10);
            assertThat(jedis.incrByFloat("j:a", 0.5)).isEqualTo(10.5);
            assertThat(jedis.append("j:a", "x")).isEqualTo(5);
            assertThat(jedis.strlen("j:a")).isEqualTo(5);
            assertThat(jedis.getrange("j:a", 0, 1)).isEqualTo("10");
            assertThat(jedis.setrange("j:a", 0, "ab")).isEqualTo(5);
            assertThat(jedis.mset("j:b", "2", "j:c", "3")).isEqualTo("OK");
            assertThat(jedis.mget("j:a", "j:b", "j:nope")).containsExactly("ab.5x", "2", null);
            assertThat(jedis.msetnx("j:c", "x", "j:d", "y")).isZero();
            assertThat(jedis.setnx("j:e", "1")).isEqualTo(1);
            assertThat(jedis.set("j:e", "2", SetParams.setParams().nx())).isNull();
            assertThat(jedis.setGet("j:e", "3")).isEqualTo("1");
            assertThat(jedis.getSet("j:e", "4")).isEqualTo("3");
            assertThat(jedis.getEx("j:e", GetExParams.getExParams().ex(100))).isEqualTo("4");
            assertThat(jedis.setex("j:f", 100, "v")).isEqualTo("OK");
            assertThat(jedis.psetex("j:g", 100000, "v")).isEqualTo("OK");
            assertThat(jedis.getDel("j:g")).isEqualTo("v");
            assertThat(jedis.get("j:g")).isNull();
        }
    }

    @Test
    void jedis_pipelined() {
        try (Jedis jedis = new Jedis("127.0.0.1", servers.spinel().port())) {
            Pipeline pipeline = jedis.pipelined();
            List<Response<Long>> increments = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                increments.add(pipeline.incr("jp:counter"));
            }
            Response<String> set = pipeline.set("jp:s", "v");
            Response<String> get = pipeline.get("jp:s");
            Response<Long> append = pipeline.append("jp:s", "w");
            pipeline.sync();
            assertThat(increments.get(99).get()).isEqualTo(100);
            assertThat(set.get()).isEqualTo("OK");
            assertThat(get.get()).isEqualTo("v");
            assertThat(append.get()).isEqualTo(2);
        }
    }

    @Test
    void lettuce_syncAndPipelined() throws Exception {
        RedisClient lettuce = RedisClient.create("redis://127.0.0.1:" + servers.spinel().port());
        try (StatefulRedisConnection<String, String> connection = lettuce.connect()) {
            RedisCommands<String, String> sync = connection.sync();
            assertThat(sync.set("l:a", "10")).isEqualTo("OK");
            assertThat(sync.incrbyfloat("l:a", 0.1)).isEqualTo(10.1);
            assertThat(sync.set("l:b", "v", SetArgs.Builder.nx())).isEqualTo("OK");
            assertThat(sync.set("l:b", "v", SetArgs.Builder.nx())).isNull();
            assertThat(sync.setGet("l:b", "w")).isEqualTo("v");
            assertThat(sync.mget("l:a", "l:b", "l:nope")).hasSize(3);
            assertThat(sync.decr("l:c")).isEqualTo(-1);
            assertThat(sync.getrange("l:b", 0, -1)).isEqualTo("w");
            sync.set("l:x", "ohmytext");
            sync.set("l:y", "mynewtext");
            assertThat(sync.lcs(LcsArgs.Builder.keys("l:x", "l:y")).getMatchString()).isEqualTo("mytext");
            assertThat(sync.lcs(LcsArgs.Builder.keys("l:x", "l:y").withIdx().minMatchLen(4)).getMatches()).hasSize(1);

            RedisAsyncCommands<String, String> async = connection.async();
            connection.setAutoFlushCommands(false);
            List<RedisFuture<Long>> futures = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                futures.add(async.incrby("l:counter", 2));
            }
            RedisFuture<String> get = async.get("l:counter");
            connection.flushCommands();
            connection.setAutoFlushCommands(true);
            assertThat(futures.get(49).get(5, TimeUnit.SECONDS)).isEqualTo(100);
            assertThat(get.get(5, TimeUnit.SECONDS)).isEqualTo("100");
        } finally {
            lettuce.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }
}
