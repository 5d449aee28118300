package io.spinel.resp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzz and limit tests of {@link RequestDecoder}: a stream of requests must decode to the same
 * argument vectors however it is split into reads; random mutations must never make it throw
 * anything but a {@link ProtocolException}; every limit must be enforced with Redis's message.
 */
class RequestDecoderTest {
    private static final RequestLimits DEFAULT = limits(512L * 1024 * 1024, false);

    private static RequestLimits limits(long maxBulk, boolean authRequired) {
        return new RequestLimits() {
            @Override
            public long maxBulkLength() {
                return maxBulk;
            }

            @Override
            public boolean authRequired() {
                return authRequired;
            }
        };
    }

    static LongStream seeds() {
        return LongStream.range(0, 20);
    }

    /** A stream of random requests, multibulk with binary arguments or inline with plain words. */
    private static List<List<byte[]>> randomRequests(SplittableRandom random, ByteArrayOutputStream wire) {
        List<List<byte[]>> requests = new ArrayList<>();
        int count = 1 + random.nextInt(8);
        for (int r = 0; r < count; r++) {
            List<byte[]> argv = new ArrayList<>();
            boolean inline = random.nextInt(4) == 0;
            int args = 1 + random.nextInt(5);
            for (int a = 0; a < args; a++) {
                byte[] arg;
                if (inline) {
                    arg = ("w" + random.nextInt(1000)).getBytes(StandardCharsets.US_ASCII);
                } else {
                    arg = new byte[random.nextInt(random.nextInt(10) == 0 ? 3000 : 20)];
                    for (int i = 0; i < arg.length; i++) {
                        arg[i] = (byte) (random.nextInt(6) == 0 ? "\r\n*$"
                                .charAt(random.nextInt(4)) : random.nextInt(256));
                    }
                }
                argv.add(arg);
            }
            if (inline) {
                List<String> words = new ArrayList<>();
                argv.forEach(arg -> words.add(new String(arg, StandardCharsets.US_ASCII)));
                wire.writeBytes((String.join(random.nextBoolean() ? " " : "  ", words)
                        + (random.nextBoolean() ? "\r\n" : "\n")).getBytes(StandardCharsets.US_ASCII));
            } else {
                wire.writeBytes(multibulk(argv));
            }
            requests.add(argv);
        }
        return requests;
    }

    private static byte[] multibulk(List<byte[]> argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("*" + argv.size() + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] arg : argv) {
            out.writeBytes(("$" + arg.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(arg);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    /**
     * Feeds {@code wire} to a fresh decoder in chunks ending at {@code cuts}, as reads of a socket
     * would arrive, and returns every non-empty request decoded.
     */
    private static List<List<byte[]>> decodeInChunks(byte[] wire, int[] cuts, RequestLimits limits) throws ProtocolException {
        RequestDecoder decoder = new RequestDecoder(limits);
        ByteBuf buffer = Unpooled.buffer();
        List<List<byte[]>> out = new ArrayList<>();
        try {
            int from = 0;
            for (int i = 0; i <= cuts.length; i++) {
                int to = i < cuts.length ? cuts[i] : wire.length;
                buffer.writeBytes(wire, from, to - from);
                from = to;
                drain(decoder, buffer, out);
            }
        } finally {
            buffer.release();
        }
        return out;
    }

    private static void drain(RequestDecoder decoder, ByteBuf buffer, List<List<byte[]>> out) throws ProtocolException {
        while (true) {
            int before = buffer.readerIndex();
            byte[][] argv = decoder.decode(buffer);
            if (argv == null) {
                return;
            }
            if (argv.length > 0) {
                out.add(List.of(argv));
            } else if (buffer.readerIndex() == before) {
                fail("an empty request consumed no input: the decoder would loop forever");
            }
        }
    }

    private static void assertSameRequests(List<List<byte[]>> actual, List<List<byte[]>> expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.get(i)).as("request %d", i).hasSameSizeAs(expected.get(i));
            for (int a = 0; a < expected.get(i).size(); a++) {
                assertThat(actual.get(i).get(a)).as("request %d argument %d", i, a).isEqualTo(expected.get(i).get(a));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void decode_anySplitGivesSameRequests(long seed) throws ProtocolException {
        SplittableRandom random = new SplittableRandom(seed);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        List<List<byte[]>> expected = randomRequests(random, wire);
        byte[] bytes = wire.toByteArray();
        assertSameRequests(decodeInChunks(bytes, new int[0], DEFAULT), expected);
        int step = Math.max(1, bytes.length / 400);
        for (int cut = 0; cut <= bytes.length; cut += step) {
            assertSameRequests(decodeInChunks(bytes, new int[] {cut}, DEFAULT), expected);
        }
        int[] everyByte = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            everyByte[i] = i;
        }
        assertSameRequests(decodeInChunks(bytes, everyByte, DEFAULT), expected);
        int[] randomCuts = random.ints(10, 0, bytes.length + 1).sorted().toArray();
        assertSameRequests(decodeInChunks(bytes, randomCuts, DEFAULT), expected);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void decode_mutatedInputThrowsOnlyProtocolException(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 300; round++) {
            ByteArrayOutputStream wire = new ByteArrayOutputStream();
            randomRequests(random, wire);
            byte[] bytes = mutate(random, wire.toByteArray());
            int[] cuts = random.ints(random.nextInt(4), 0, bytes.length + 1).sorted().toArray();
            RequestLimits limits = limits(random.nextBoolean() ? 512L * 1024 * 1024 : 100, random.nextInt(4) == 0);
            try {
                decodeInChunks(bytes, cuts, limits);
            } catch (ProtocolException e) {
                assertThat(e.getMessage()).startsWith("ERR Protocol error: ");
            } catch (RuntimeException | Error e) {
                throw new AssertionError("seed " + seed + " round " + round + ": " + e + " on input "
                        + new String(bytes, StandardCharsets.ISO_8859_1), e);
            }
        }
    }

    /** One or a few random damages: flipped bytes, truncation, inserted digits or signs, huge lengths. */
    private static byte[] mutate(SplittableRandom random, byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(bytes);
        byte[] result = out.toByteArray();
        int damages = 1 + random.nextInt(3);
        for (int d = 0; d < damages && result.length > 0; d++) {
            int at = random.nextInt(result.length);
            result = switch (random.nextInt(6)) {
                case 0 -> {
                    result[at] ^= (byte) (1 << random.nextInt(8));
                    yield result;
                }
                case 1 -> java.util.Arrays.copyOf(result, at);
                case 2 -> insert(result, at, "-1");
                case 3 -> insert(result, at, "99999999999");
                case 4 -> insert(result, at, random.nextBoolean() ? "*" : "$");
                default -> insert(result, at, "\r\n");
            };
        }
        return result;
    }

    private static byte[] insert(byte[] bytes, int at, String text) {
        byte[] piece = text.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[bytes.length + piece.length];
        System.arraycopy(bytes, 0, out, 0, at);
        System.arraycopy(piece, 0, out, at, piece.length);
        System.arraycopy(bytes, at, out, at + piece.length, bytes.length - at);
        return out;
    }

    private static ProtocolException decodeError(String wire, RequestLimits limits) {
        try {
            decodeInChunks(wire.getBytes(StandardCharsets.ISO_8859_1), new int[0], limits);
        } catch (ProtocolException e) {
            return e;
        }
        return null;
    }

    private static void assertRejected(String wire, RequestLimits limits, String message) {
        ProtocolException error = decodeError(wire, limits);
        assertThat(error).as("rejection of %s", wire.length() > 80 ? wire.substring(0, 80) + "..." : wire).isNotNull();
        assertThat(error.getMessage()).isEqualTo(message);
    }

    @Test
    void decode_bulkLongerThanProtoMaxBulkLen() {
        assertRejected("*1\r\n$101\r\n", limits(100, false), "ERR Protocol error: invalid bulk length");
        assertThat(decodeError("*1\r\n$100\r\n" + "x".repeat(100) + "\r\n", limits(100, false))).isNull();
    }

    @Test
    void decode_unauthenticatedLimits() {
        assertRejected("*11\r\n", limits(1000, true), "ERR Protocol error: unauthenticated multibulk length");
        assertRejected("*1\r\n$16385\r\n", limits(1L << 20, true), "ERR Protocol error: unauthenticated bulk length");
        assertThat(decodeError("*10\r\n", limits(1000, true))).isNull();
        assertThat(decodeError("*1\r\n$16384\r\n", limits(1L << 20, true))).isNull();
    }

    @Test
    void decode_overlongLines() {
        String digits = "1".repeat(RequestDecoder.INLINE_MAX + 10);
        assertRejected("*" + digits, DEFAULT, "ERR Protocol error: too big mbulk count string");
        assertRejected("*1\r\n$" + digits, DEFAULT, "ERR Protocol error: too big bulk count string");
        assertRejected("x".repeat(RequestDecoder.INLINE_MAX + 10), DEFAULT, "ERR Protocol error: too big inline request");
    }

    @Test
    void decode_invalidLengths() {
        assertRejected("*3000000000\r\n", DEFAULT, "ERR Protocol error: invalid multibulk length");
        assertRejected("*x\r\n", DEFAULT, "ERR Protocol error: invalid multibulk length");
        assertRejected("*1\r\n$-1\r\n", DEFAULT, "ERR Protocol error: invalid bulk length");
        assertRejected("*1\r\n$99999999999999999999\r\n", DEFAULT, "ERR Protocol error: invalid bulk length");
        assertRejected("*1\r\n:1\r\n", DEFAULT, "ERR Protocol error: expected '$', got ':'");
        assertRejected("ECHO \"open\r\n", DEFAULT, "ERR Protocol error: unbalanced quotes in request");
    }

    @Test
    void decode_hugeDeclaredLengthsAllocateNothingUpFront() throws ProtocolException {
        // Declared sizes near the limits must wait for the bytes, not allocate for them.
        assertThat(decodeInChunks("*2147483647\r\n$536870912\r\nab".getBytes(StandardCharsets.US_ASCII),
                new int[0], DEFAULT)).isEmpty();
    }
}
