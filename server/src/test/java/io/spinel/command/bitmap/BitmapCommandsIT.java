package io.spinel.command.bitmap;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinel.server.SpinelServer;
import io.spinel.testing.CommandScript;
import io.spinel.testing.Differential;
import io.spinel.testing.RawClient;
import io.spinel.testing.RealRedis;
import io.spinel.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.BitOP;
import redis.clients.jedis.args.BitCountOption;
import redis.clients.jedis.params.BitPosParams;

/**
 * The bitmap commands over a socket: a corpus compared byte for byte with a real Redis (edge
 * offsets, negative and BIT ranges, BITPOS on all-ones and all-zeros strings, BITFIELD overflow
 * at every width's limits, {@code #} offsets), random bitmaps long enough for the word-at-a-time
 * paths, the offset limit under a small proto-max-bulk-len, and the commands through Jedis.
 *
 * <p>Each corpus case is a {@link CommandScript} (a character below 256 in an argument is sent
 * as that byte); each runs in a RESP2 and in a RESP3 session.
 */
class BitmapCommandsIT {
    @RegisterExtension
    static final Differential servers = new Differential();

    private static final String ONES = "\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff";
    private static final String ZEROS = "\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000";

    static List<String> corpus() {
        List<String> cases = new ArrayList<>(List.of(
                // SETBIT / GETBIT
                "SETBIT $k 7 1 | GET $k | SETBIT $k 7 0 | SETBIT $k 100 1 | STRLEN $k | GETBIT $k 100 | GETBIT $k 101 | GETBIT $k 99999 | GET $k",
                "SETBIT $k -1 1 | SETBIT $k x 1 | SETBIT $k 1.5 1 | SETBIT $k 4294967296 1 | GETBIT $k 4294967296 | GETBIT $k -1 | EXISTS $k",
                "SETBIT $k 1 2 | SETBIT $k 1 -1 | SETBIT $k 1 x | SETBIT $k x 2 | SETBIT $k 01 1 | EXISTS $k",
                "GETBIT $k 0 | SETBIT $k 0 1 | OBJECT ENCODING $k | SET $k 12345 | GETBIT $k 2 | GETBIT $k 7 | SETBIT $k 0 1 | GET $k | OBJECT ENCODING $k",
                "SET $k abc | APPEND $k d | SETBIT $k 33 1 | SETRANGE $k 1 Z | GET $k | GETBIT $k 33 | SETBIT $k 0 0 | GET $k",
                "SET $k v EX 100 | SETBIT $k 20 1 | TTL $k | BITFIELD $k SET u8 40 1 | TTL $k",
                "LPUSH $k a | SETBIT $k 0 1 | GETBIT $k 0 | GETBIT $k x | SETBIT $k 0 2 | BITCOUNT $k | BITPOS $k 1 | BITOP AND $d $k",
                // BITCOUNT
                "SET $k foobar | BITCOUNT $k | BITCOUNT $k 0 0 | BITCOUNT $k 1 1 | BITCOUNT $k 1 1 BYTE | BITCOUNT $k 5 30 BIT | BITCOUNT $k 5 30 bit",
                "SET $k foobar | BITCOUNT $k -1 -1 | BITCOUNT $k -1 -2 | BITCOUNT $k -2 -1 | BITCOUNT $k -100 100 | BITCOUNT $k 0 -1 BIT | BITCOUNT $k -3 -1 BIT | BITCOUNT $k -10 -5 BIT",
                "SET $k foobar | BITCOUNT $k 7 7 BIT | BITCOUNT $k 3 3 BIT | BITCOUNT $k 1 46 BIT | BITCOUNT $k 47 47 BIT | BITCOUNT $k 48 1000 BIT | BITCOUNT $k 6 100",
                "SET $k foobar | BITCOUNT $k 0 | BITCOUNT $k x 0 | BITCOUNT $k 0 x | BITCOUNT $k 0 1 BITS | BITCOUNT $k -1 -2 BITS | BITCOUNT $k 0 1 BIT x",
                "BITCOUNT $k | BITCOUNT $k 0 -1 | BITCOUNT $k 0 | BITCOUNT $k x y | BITCOUNT $k 0 1 BITS | SET $k \u0000 | BITCOUNT $k 0 | BITCOUNT $k 0 -1 BIT",
                "SET $k \\e | BITCOUNT $k | BITCOUNT $k 0 -1 | BITCOUNT $k 0 -1 BIT | BITCOUNT $k 0 | BITPOS $k 0 | BITPOS $k 1 | BITPOS $k 0 0 -1",
                "SET $k 1234567 | BITCOUNT $k | BITCOUNT $k 1 2 | BITCOUNT $k 3 20 BIT",
                // BITPOS on all-ones and all-zeros, with and without end
                "SET $k " + ONES + " | BITPOS $k 0 | BITPOS $k 1 | BITPOS $k 0 1 | BITPOS $k 0 1 -1 | BITPOS $k 0 0 -1 BIT | BITPOS $k 0 5 BIT | BITPOS $k 0 -3",
                "SET $k " + ZEROS + " | BITPOS $k 1 | BITPOS $k 0 | BITPOS $k 1 1 | BITPOS $k 1 1 -1 | BITPOS $k 0 2 2 | BITPOS $k 1 3 20 BIT | BITPOS $k 0 3 20 BIT",
                "SET $k " + ONES + " | BITPOS $k 0 95 BIT | BITPOS $k 0 95 95 BIT | BITPOS $k 0 96 BIT | BITPOS $k 0 11 | BITPOS $k 0 12 | BITPOS $k 1 -1 -1 | BITPOS $k 0 -1 -1",
                "BITPOS $k 0 | BITPOS $k 1 | BITPOS $k 1 5 | BITPOS $k 0 5 7 BIT | BITPOS $k 2 | BITPOS $k x | BITPOS $k 0 x | BITPOS $k 0 0 0 BITS",
                "SET $k foobar | BITPOS $k 2 | BITPOS $k -1 | BITPOS $k 1 x | BITPOS $k 1 0 x | BITPOS $k 1 0 0 BITS | BITPOS $k 1 0 0 BIT extra | BITPOS $k 1 x 0 BIT 1",
                "SET $k foobar | BITPOS $k 1 -1 | BITPOS $k 0 -1 | BITPOS $k 1 3 2 | BITPOS $k 0 100 | BITPOS $k 1 7 7 BIT | BITPOS $k 1 9 BIT | BITPOS $k 0 9 14 BIT | BITPOS $k 0 9 9 BIT",
                "SET $k \u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0001\u0000"
                        + " | BITPOS $k 1 | BITPOS $k 1 2 -3 | BITPOS $k 1 2 -2 | BITPOS $k 0 0 -1 BIT | BITCOUNT $k 1 150 BIT | BITPOS $k 1 0 150 BIT | BITPOS $k 1 0 151 BIT",
                "SET $k \u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00fe"
                        + " | BITPOS $k 0 | BITPOS $k 0 1 17 | BITPOS $k 0 1 18 | BITPOS $k 0 1 150 BIT | BITPOS $k 0 1 151 BIT | BITCOUNT $k | BITCOUNT $k 3 148 BIT",
                "SET $k 1 | BITPOS $k 1 | BITPOS $k 0 | BITPOS $k 0 0 -1 | LPUSH $l a | BITPOS $l 1 | BITPOS $l 1 a b | BITPOS $l 3",
                // BITOP
                "SET $a foobar | SET $b " + ONES + " | BITOP AND $d $a $b | GET $d | OBJECT ENCODING $d | BITOP OR $d $a $b $n | GET $d | BITOP XOR $d $a $b | GET $d",
                "SET $a foobar | BITOP NOT $d $a | GET $d | BITOP NOT $d $a $a | BITOP not $d | BITOP nope $d $a | BITOP AND $d | BITOP and $d $a",
                "SET $d x | BITOP AND $d $n | EXISTS $d | SET $e \\e | BITOP OR $d $e $n | EXISTS $d | SET $a ab | BITOP AND $d $a $n | GET $d",
                "SET $a 123 | SET $b 456 | BITOP AND $d $a $b | GET $d | OBJECT ENCODING $d | BITOP XOR $d $d $a | GET $d",
                "SET $a foobar | LPUSH $l x | BITOP AND $d $a $l | BITOP AND $l $a | TYPE $l | BITOP NOT $d $l | EXISTS $d",
                "SET $d x EX 100 | SET $a ab | BITOP OR $d $a | TTL $d",
                // BITFIELD: widths, signs, # offsets
                "BITFIELD $k | BITFIELD $k GET u8 0 | EXISTS $k | BITFIELD $k SET u8 0 255 GET u8 0 GET i8 0 GET u4 4 GET i4 4 | GET $k",
                "BITFIELD $k SET i64 0 -1 GET u63 0 GET i64 0 GET u63 1 GET i64 1 | BITFIELD $k INCRBY u8 #3 300 GET u8 #3 | STRLEN $k",
                "BITFIELD $k SET i32 #100 -5 GET i32 #100 GET u32 #100 INCRBY i16 #200 -40000 | STRLEN $k | BITFIELD $k GET u8 #-1 | BITFIELD $k GET u8 # | BITFIELD $k GET u8 ##1",
                "BITFIELD $k SET u2 #3 3 SET i5 #2 -16 SET u13 17 8191 GET u32 0 GET i64 3 | GET $k | BITFIELD $k GET u1 0 GET i1 6 GET u17 5",
                "BITFIELD $k GET u64 0 | BITFIELD $k GET i65 0 | BITFIELD $k GET i0 0 | BITFIELD $k GET x8 0 | BITFIELD $k GET \\e 0 | BITFIELD $k GET U8 0 | BITFIELD $k GET I8 0 | BITFIELD $k GET i+8 0 | BITFIELD $k GET i08 0",
                "BITFIELD $k GET u8 -1 | BITFIELD $k GET u8 4294967296 | BITFIELD $k GET u8 4294967295 | BITFIELD $k GET u8 #536870912 | BITFIELD $k GET u8 #536870911 | BITFIELD $k GET i64 #1152921504606846976",
                "BITFIELD $k SET u8 0 x | BITFIELD $k SET u8 0 | BITFIELD $k INCRBY u8 0 | BITFIELD $k GET u8 | BITFIELD $k OVERFLOW | BITFIELD $k OVERFLOW nope GET u8 0 | BITFIELD $k FOO | EXISTS $k",
                "BITFIELD $k get u8 0 set u8 0 1 incrby u8 0 1 overflow fail incrby u8 0 1000 | BITFIELD $k GET u8 0 SET x8 0 1 | BITFIELD $k GET u8 0 SET u8 0 1 FOO | BITFIELD $k OVERFLOW sat",
                // BITFIELD overflow modes
                "BITFIELD $k OVERFLOW SAT INCRBY u8 #3 300 INCRBY u8 #3 -1000 | BITFIELD $k OVERFLOW FAIL INCRBY u8 #3 300 INCRBY u8 #3 -1000 INCRBY u8 #3 1",
                "BITFIELD $k OVERFLOW WRAP INCRBY i8 0 127 INCRBY i8 0 127 INCRBY i8 0 -300 | BITFIELD $k OVERFLOW SAT INCRBY i8 0 127 INCRBY i8 0 127 INCRBY i8 0 -300 INCRBY i8 0 -300",
                "BITFIELD $k OVERFLOW FAIL SET i8 0 128 SET i8 0 -129 SET i8 0 -128 SET i8 0 127 | BITFIELD $k OVERFLOW SAT SET i8 0 128 SET i8 0 -129 SET u8 0 -1 SET u8 0 256",
                "BITFIELD $k OVERFLOW WRAP SET i8 0 128 SET i8 0 -129 SET u8 0 -1 SET u8 0 256 GET u8 0",
                "BITFIELD $k SET i64 0 9223372036854775807 INCRBY i64 0 1 OVERFLOW SAT INCRBY i64 0 -1 INCRBY i64 0 1 INCRBY i64 0 100",
                "BITFIELD $k OVERFLOW FAIL SET i64 0 -9223372036854775808 INCRBY i64 0 -1 INCRBY i64 0 1 | BITFIELD $k OVERFLOW SAT INCRBY i64 0 -9223372036854775808 INCRBY i64 0 -1",
                "BITFIELD $k OVERFLOW WRAP SET i64 0 -9223372036854775808 INCRBY i64 0 -1 INCRBY i64 0 -9223372036854775808 INCRBY i64 0 9223372036854775807",
                "BITFIELD $k SET u63 0 9223372036854775807 GET u63 0 INCRBY u63 0 1 OVERFLOW SAT INCRBY u63 0 -1 INCRBY u63 0 9223372036854775807 INCRBY u63 0 -9223372036854775808",
                "BITFIELD $k OVERFLOW SAT SET u63 0 -1 GET u63 0 OVERFLOW FAIL SET u63 0 -1 | BITFIELD $k OVERFLOW WRAP SET u63 0 -1 GET u63 0 SET u1 3 5 GET u1 3",
                "BITFIELD $k SET i1 0 1 GET i1 0 INCRBY i1 0 1 OVERFLOW SAT INCRBY i1 0 5 INCRBY i1 0 -5 | BITFIELD $k OVERFLOW FAIL INCRBY i1 0 -1 INCRBY i1 0 1 INCRBY u1 0 1 INCRBY u1 0 1",
                "BITFIELD $k OVERFLOW FAIL SET u8 100 1000 | EXISTS $k | STRLEN $k | BITFIELD $n GET u8 0 SET u4 10 1 | GET $n",
                // BITFIELD_RO and types
                "SET $k \u00ff\u0001 | BITFIELD_RO $k GET u8 0 GET i16 3 | BITFIELD_RO $k SET u8 0 1 | BITFIELD_RO $k INCRBY u8 0 1 | BITFIELD_RO $k GET u8 0 OVERFLOW SAT | BITFIELD_RO $k",
                "BITFIELD_RO $k SET u8 0 x | BITFIELD_RO $n GET u8 0 SET u8 0 1 | BITFIELD_RO $n GET u8 0 | EXISTS $n | BITFIELD_RO $k get u4 4 GET I8 0",
                "LPUSH $l a | BITFIELD $l GET u8 0 | BITFIELD $l SET u8 0 1 | BITFIELD_RO $l GET u8 0 | BITFIELD $l SET x8 0 1 | BITFIELD_RO $l SET u8 0 1 | BITFIELD $l",
                "SET $k 255 | BITFIELD $k GET u8 0 GET i16 4 | OBJECT ENCODING $k | BITFIELD $k SET u8 0 50 | GET $k | OBJECT ENCODING $k",
                // arity
                "SETBIT $k 0 | GETBIT $k | BITCOUNT | BITPOS $k | BITOP AND $d | BITFIELD | BITFIELD_RO"));
        for (int width = 1; width <= 64; width++) {
            cases.add(overflowAtWidth(width));
        }
        return cases;
    }

    /** Every overflow mode at the limits of the signed (and, below 64, unsigned) field of {@code width} bits. */
    private static String overflowAtWidth(int width) {
        long signedMax = width == 64 ? Long.MAX_VALUE : (1L << (width - 1)) - 1;
        long signedMin = -signedMax - 1;
        StringBuilder script = new StringBuilder();
        for (String mode : new String[] {"WRAP", "SAT", "FAIL"}) {
            String i = "i" + width;
            script.append(" | BITFIELD $k OVERFLOW ").append(mode)
                    .append(" SET ").append(i).append(" 3 ").append(signedMax)
                    .append(" INCRBY ").append(i).append(" 3 1 GET ").append(i).append(" 3")
                    .append(" SET ").append(i).append(" 3 ").append(signedMin)
                    .append(" INCRBY ").append(i).append(" 3 -1 GET ").append(i).append(" 3")
                    .append(" SET ").append(i).append(" 3 ").append(signedMax == Long.MAX_VALUE ? "-1" : String.valueOf(signedMax + 1))
                    .append(" SET ").append(i).append(" 3 ").append(signedMin == Long.MIN_VALUE ? "1" : String.valueOf(signedMin - 1))
                    .append(" INCRBY ").append(i).append(" 3 ").append(Long.MIN_VALUE)
                    .append(" INCRBY ").append(i).append(" 3 ").append(Long.MAX_VALUE);
            if (width < 64) {
                String u = "u" + width;
                long unsignedMax = (1L << width) - 1;
                script.append(" | BITFIELD $k OVERFLOW ").append(mode)
                        .append(" SET ").append(u).append(" 5 ").append(unsignedMax)
                        .append(" INCRBY ").append(u).append(" 5 1 GET ").append(u).append(" 5")
                        .append(" SET ").append(u).append(" 5 0 INCRBY ").append(u).append(" 5 -1")
                        .append(" SET ").append(u).append(" 5 ").append(width == 63 ? "-1" : String.valueOf(unsignedMax + 1))
                        .append(" SET ").append(u).append(" 5 -1")
                        .append(" INCRBY ").append(u).append(" 5 ").append(Long.MIN_VALUE)
                        .append(" INCRBY ").append(u).append(" 5 ").append(Long.MAX_VALUE);
            }
        }
        return script.append(" | GET $k").substring(3);
    }

    @ParameterizedTest
    @MethodSource("corpus")
    void sameRepliesAsRedis(String script) {
        servers.assertSame((client, protocol) ->
                CommandScript.run(client, "bits:" + protocol + ":" + Integer.toHexString(script.hashCode()) + ":", script));
    }

    /**
     * Random bitmaps of a few hundred bytes (sparse, dense and mixed, so that the eight-byte
     * paths meet both set and clear words) queried with random ranges on both servers.
     */
    @Test
    void randomBitmaps_sameCountsPositionsAndOperations() {
        SplittableRandom random = new SplittableRandom(20261121);
        try (RawClient ours = new RawClient(servers.spinel().port()); RawClient theirs = new RawClient(servers.redis().port())) {
            for (int round = 0; round < 40; round++) {
                List<byte[][]> commands = new ArrayList<>();
                for (String key : new String[] {"rnd:a", "rnd:b", "rnd:c"}) {
                    byte[] value = new byte[random.nextInt(0, 300)];
                    int density = random.nextInt(4);
                    for (int i = 0; i < value.length; i++) {
                        value[i] = switch (density) {
                            case 0 -> 0;
                            case 1 -> (byte) 0xff;
                            case 2 -> (byte) (random.nextInt(40) == 0 ? 1 << random.nextInt(8) : 0);
                            default -> (byte) random.nextInt(256);
                        };
                    }
                    if (density < 2 && value.length > 0 && random.nextBoolean()) {
                        value[random.nextInt(value.length)] ^= (byte) (1 << random.nextInt(8));
                    }
                    commands.add(args("SET", key, value));
                }
                for (int q = 0; q < 30; q++) {
                    String start = String.valueOf(random.nextInt(-2500, 2500));
                    String end = String.valueOf(random.nextInt(-2500, 2500));
                    String unit = random.nextBoolean() ? "BIT" : "BYTE";
                    String bit = String.valueOf(random.nextInt(2));
                    commands.add(args("BITCOUNT", "rnd:a", start, end, unit));
                    commands.add(args("BITCOUNT", "rnd:b", String.valueOf(random.nextInt(-300, 300)), String.valueOf(random.nextInt(-300, 300))));
                    commands.add(args("BITPOS", "rnd:a", bit, start, end, unit));
                    commands.add(args("BITPOS", "rnd:b", bit, String.valueOf(random.nextInt(-300, 300))));
                    commands.add(args("BITPOS", "rnd:c", bit));
                }
                commands.add(args("BITCOUNT", "rnd:c"));
                for (String op : new String[] {"AND", "OR", "XOR"}) {
                    commands.add(args("BITOP", op, "rnd:d", "rnd:a", "rnd:b", "rnd:c"));
                    commands.add(args("GET", "rnd:d"));
                }
                commands.add(args("BITOP", "NOT", "rnd:d", "rnd:a"));
                commands.add(args("GET", "rnd:d"));
                for (byte[][] command : commands) {
                    String what = new String(command[0], StandardCharsets.ISO_8859_1) + " round " + round;
                    assertThat(ours.call(command)).as(what).isEqualTo(theirs.call(command));
                }
            }
        }
    }

    private static byte[][] args(Object... parts) {
        byte[][] out = new byte[parts.length][];
        for (int i = 0; i < parts.length; i++) {
            out[i] = parts[i] instanceof byte[] b ? b : ((String) parts[i]).getBytes(StandardCharsets.ISO_8859_1);
        }
        return out;
    }

    @Test
    void protoMaxBulkLen_limitsBitOffsets() {
        String script = "SETBIT $k 8388608 1 | SETBIT $k 8388607 1 | STRLEN $k | GETBIT $k 8388608 | GETBIT $k 8388607"
                + " | BITFIELD $k GET u8 8388608 | BITFIELD $k SET u8 #1048575 1 | BITFIELD $k SET u8 #1048576 1 | STRLEN $k";
        try (SpinelServer small = TestServer.start("proto-max-bulk-len", "1mb");
                RealRedis smallRedis = RealRedis.start("--proto-max-bulk-len", "1mb");
                RawClient ours = new RawClient(small.port()); RawClient theirs = new RawClient(smallRedis.port())) {
            assertThat(CommandScript.run(ours, "limit:", script)).isEqualTo(CommandScript.run(theirs, "limit:", script))
                    .contains("bit offset is not an integer or out of range");
        }
    }

    @Test
    void bitfieldRo_refusesWrites() {
        try (RawClient client = new RawClient(servers.spinel().port())) {
            assertThat(client.call("BITFIELD_RO", "ro:k", "GET", "u8", "0", "SET", "u8", "0", "1"))
                    .isEqualTo("-ERR BITFIELD_RO only supports the GET subcommand\r\n");
            assertThat(client.call("BITFIELD_RO", "ro:k", "INCRBY", "u8", "0", "1"))
                    .isEqualTo("-ERR BITFIELD_RO only supports the GET subcommand\r\n");
            assertThat(client.call("EXISTS", "ro:k")).isEqualTo(":0\r\n");
        }
    }

    @Test
    void jedis_commonCommands() {
        try (Jedis jedis = new Jedis("127.0.0.1", servers.spinel().port())) {
            assertThat(jedis.setbit("jb:a", 9, true)).isFalse();
            assertThat(jedis.setbit("jb:a", 9, true)).isTrue();
            assertThat(jedis.getbit("jb:a", 9)).isTrue();
            assertThat(jedis.getbit("jb:a", 8)).isFalse();
            assertThat(jedis.set("jb:b", "foobar")).isEqualTo("OK");
            assertThat(jedis.bitcount("jb:b")).isEqualTo(26);
            assertThat(jedis.bitcount("jb:b", 1, 1)).isEqualTo(6);
            assertThat(jedis.bitcount("jb:b", 5, 30, BitCountOption.BIT)).isEqualTo(17);
            assertThat(jedis.bitpos("jb:b", true)).isEqualTo(1);
            assertThat(jedis.bitpos("jb:b", false, new BitPosParams(2, -1))).isEqualTo(16);
            assertThat(jedis.bitop(BitOP.OR, "jb:c", "jb:a", "jb:b")).isEqualTo(6);
            assertThat(jedis.get("jb:c")).isEqualTo("foobar");
            assertThat(jedis.bitfield("jb:d", "SET", "i8", "0", "100", "INCRBY", "i8", "0", "100", "GET", "u8", "0"))
                    .containsExactly(0L, -56L, 200L);
            assertThat(jedis.bitfield("jb:d", "OVERFLOW", "FAIL", "INCRBY", "u8", "0", "100"))
                    .containsExactly((Long) null);
            assertThat(jedis.bitfieldReadonly("jb:d", "GET", "i8", "0", "GET", "u4", "#1")).containsExactly(-56L, 8L);
        }
    }
}
