package io.spinel.resp;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinel.server.SpinelServer;
import io.spinel.testing.Heap;
import io.spinel.testing.RawClient;
import io.spinel.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Protocol fuzzing of a live Spinel: several connections send random bytes and damaged RESP at
 * once while a well-behaved client keeps running SET and GET. The well-behaved client must always
 * get the right replies, no reply to the fuzzers may leak a Java exception, the server must stay
 * up and answer, and its heap must not keep what the fuzzers sent.
 */
class ProtocolFuzzIT {
    private static final int FUZZERS = 4;
    private static final long FUZZ_MILLIS = 4000;
    /** Generous: the server needs a few megabytes; a leak of fuzzer input would be far more. */
    private static final long HEAP_GROWTH_LIMIT = 128L * 1024 * 1024;
    private static final List<String> LEAKS = List.of("Exception", "at io.", "java.lang", "java.util", "io.netty",
            "io.spinel", "NullPointer", "IndexOutOfBounds");

    @Test
    void fuzz_serverStaysCorrectAndBounded() throws Exception {
        long seed = Long.getLong("fuzz.seed", new SplittableRandom().nextLong());
        long heapBefore = Heap.usedAfterGc();
        Queue<String> leaks = new ConcurrentLinkedQueue<>();
        AtomicBoolean running = new AtomicBoolean(true);
        try (SpinelServer server = TestServer.start()) {
            ExecutorService pool = Executors.newFixedThreadPool(FUZZERS + 1);
            List<Future<?>> fuzzers = new ArrayList<>();
            for (int i = 0; i < FUZZERS; i++) {
                SplittableRandom random = new SplittableRandom(seed + i);
                fuzzers.add(pool.submit(() -> {
                    while (running.get()) {
                        fuzzOnce(server.port(), random, leaks);
                    }
                    return null;
                }));
            }
            Future<Long> wellBehaved = pool.submit(() -> {
                long rounds = 0;
                try (RawClient client = new RawClient(server.port())) {
                    while (running.get()) {
                        String value = "value-" + rounds;
                        assertThat(client.call("SET", "fuzz:key", value)).isEqualTo("+OK\r\n");
                        assertThat(client.call("GET", "fuzz:key")).isEqualTo("$" + value.length() + "\r\n" + value + "\r\n");
                        rounds++;
                    }
                }
                return rounds;
            });
            Thread.sleep(FUZZ_MILLIS);
            running.set(false);
            for (Future<?> fuzzer : fuzzers) {
                fuzzer.get(30, TimeUnit.SECONDS);
            }
            assertThat(wellBehaved.get(30, TimeUnit.SECONDS)).as("well-behaved rounds").isPositive();
            pool.shutdown();
            assertThat(leaks).as("replies leaking Java internals (seed " + seed + ")").isEmpty();
            try (RawClient client = new RawClient(server.port())) {
                assertThat(client.call("PING")).isEqualTo("+PONG\r\n");
            }
            assertThat(server.context().stats().unexpectedErrorReplies.sum()).as("handler exceptions").isZero();
            assertThat(Heap.usedAfterGc() - heapBefore).as("heap growth").isLessThan(HEAP_GROWTH_LIMIT);
        }
    }

    /** One fuzzing connection: sends one payload, reads what comes back for a moment, closes. */
    private static void fuzzOnce(int port, SplittableRandom random, Queue<String> leaks) throws IOException {
        byte[] payload = payload(random);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(100);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(payload);
                out.flush();
            } catch (IOException closedWhileWriting) {
                return; // the server may close as soon as it sees a protocol error
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream replies = new ByteArrayOutputStream();
            byte[] chunk = new byte[8192];
            try {
                for (int n; (n = in.read(chunk)) != -1 && replies.size() < 1 << 20; ) {
                    replies.write(chunk, 0, n);
                }
            } catch (SocketTimeoutException | java.net.SocketException stillOpenOrReset) {
                // what arrived so far is checked below
            }
            String text = new String(replies.toByteArray(), StandardCharsets.ISO_8859_1);
            for (String leak : LEAKS) {
                if (text.contains(leak)) {
                    leaks.add("payload " + escape(payload) + "\n got " + escape(replies.toByteArray()));
                    return;
                }
            }
        }
    }

    /** A random hostile payload. */
    private static byte[] payload(SplittableRandom random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        switch (random.nextInt(8)) {
            case 0 -> {
                byte[] noise = new byte[random.nextInt(2000)];
                random.nextBytes(noise);
                out.writeBytes(noise);
            }
            case 1 -> out.writeBytes(truncated(random, valid(random)));
            case 2 -> {
                byte[] bytes = valid(random);
                for (int i = 0; i < 1 + random.nextInt(4); i++) {
                    bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
                }
                out.writeBytes(bytes);
            }
            case 3 -> out.writeBytes(ascii(pick(random, "*2147483647\r\n$4\r\nPING\r\n", "*1\r\n$2147483647\r\nab",
                    "*1\r\n$536870912\r\nab", "*-5\r\nPING\r\n", "*1\r\n$-5\r\nab\r\n", "$5\r\nhello\r\n",
                    "*9223372036854775807\r\n", "*1\r\n$9223372036854775808\r\n")));
            case 4 -> {
                int depth = 1 + random.nextInt(5000);
                out.writeBytes(ascii("*1\r\n".repeat(depth)));
                out.writeBytes(ascii("$4\r\nPING\r\n"));
            }
            case 5 -> out.writeBytes(ascii(pick(random, "GET \"unbalanced\r\n", "SET 'a'b c\r\n", "\"\\x\"\r\n",
                    "ECHO \"\\xzz\"\r\n", "\r\n\r\n\r\n", "GET " + "k".repeat(70_000) + "\r\n", "\u0000\u0000\r\n",
                    "SET a b c d e f g h i j k l m\r\n")));
            case 6 -> {
                // A long run of valid pipelined commands, possibly cut anywhere.
                for (int i = 0; i < 200; i++) {
                    out.writeBytes(valid(random));
                }
                byte[] all = out.toByteArray();
                out.reset();
                out.writeBytes(random.nextBoolean() ? all : truncated(random, all));
            }
            default -> {
                out.writeBytes(valid(random));
                byte[] noise = new byte[random.nextInt(100)];
                random.nextBytes(noise);
                out.writeBytes(noise);
            }
        }
        return out.toByteArray();
    }

    private static byte[] valid(SplittableRandom random) {
        String key = "fuzz:" + random.nextInt(5);
        return switch (random.nextInt(5)) {
            case 0 -> RawClient.encode("SET", key, "v" + random.nextInt(100));
            case 1 -> RawClient.encode("GET", key);
            case 2 -> RawClient.encode("PING");
            case 3 -> RawClient.encode("ECHO", "x".repeat(random.nextInt(300)));
            default -> RawClient.encode("SELECT", String.valueOf(random.nextInt(-2, 20)));
        };
    }

    private static byte[] truncated(SplittableRandom random, byte[] bytes) {
        return java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
    }

    private static String pick(SplittableRandom random, String... choices) {
        return choices[random.nextInt(choices.length)];
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String escape(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < Math.min(bytes.length, 300); i++) {
            int c = bytes[i] & 0xff;
            out.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\x%02x", c));
        }
        return bytes.length > 300 ? out + "..." : out.toString();
    }
}
