package io.spinel.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * A load generator for MULTI/EXEC, which redis-benchmark cannot send: each connection sends
 * MULTI, ten commands and EXEC in one write, reads the twelve replies and starts again; prints
 * transactions per second. Run it against Spinel and against Redis in turn
 * ({@code tools/multi-exec-bench.sh}).
 *
 * <p>Usage: {@code TransactionLoad port connections seconds same|spread|plain}: "same" runs ten
 * INCR of one key, "spread" ten INCR of ten keys in ten slots, "plain" the same twelve commands
 * without a transaction (PING in place of MULTI and EXEC), for reference.
 */
public final class TransactionLoad {
    private TransactionLoad() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int connections = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        String mode = args.length > 3 ? args[3] : "same";
        boolean spread = mode.equals("spread");
        boolean plain = mode.equals("plain");
        AtomicBoolean stop = new AtomicBoolean();
        LongAdder transactions = new LongAdder();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            byte[] request = request(spread, plain, c);
            Thread thread = new Thread(() -> run(port, request, stop, transactions));
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        Thread.sleep(1000); // warm-up
        long before = transactions.sum();
        long cpuBefore = serverCpuMicros(port);
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long done = transactions.sum() - before;
        long cpu = serverCpuMicros(port) - cpuBefore;
        double elapsed = (System.nanoTime() - start) / 1e9;
        stop.set(true);
        System.out.printf("%s: %.0f requests/s (%.0f INCR/s), server CPU %.1f us per request%n",
                plain ? "PING + 10 INCR of one key + PING, no transaction" : spread ? "MULTI + 10 INCR over 10 slots + EXEC"
                        : "MULTI + 10 INCR of one key + EXEC",
                done / elapsed, done * 10 / elapsed, (double) cpu / Math.max(1, done));
    }

    /**
     * CPU time (user + system, all threads) the server process listening on {@code port} has used,
     * in microseconds, from /proc (its pid from INFO's process_id); 0 when unknown.
     */
    private static long serverCpuMicros(int port) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write("INFO server\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = new BufferedInputStream(socket.getInputStream());
            String header = new String(in.readNBytes(1), StandardCharsets.US_ASCII);
            long length = readLine(in);
            String info = header.equals("$") ? new String(in.readNBytes((int) length), StandardCharsets.US_ASCII) : "";
            for (String line : info.split("\r\n")) {
                if (line.startsWith("process_id:")) {
                    String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", line.substring(11).trim(), "stat"));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
                    return ticks * 1_000_000 / 100; // USER_HZ
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    private static byte[] request(boolean spread, boolean plain, int connection) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, plain ? "PING" : "MULTI");
        for (int i = 0; i < 10; i++) {
            write(out, "INCR", spread ? "txload:" + connection + ":" + i : "txload:" + connection);
        }
        write(out, plain ? "PING" : "EXEC");
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, String... args) {
        StringBuilder text = new StringBuilder("*").append(args.length).append("\r\n");
        for (String arg : args) {
            text.append('$').append(arg.length()).append("\r\n").append(arg).append("\r\n");
        }
        out.writeBytes(text.toString().getBytes(StandardCharsets.US_ASCII));
    }

    private static void run(int port, byte[] request, AtomicBoolean stop, LongAdder transactions) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream(), 65536);
            while (!stop.get()) {
                out.write(request);
                for (int reply = 0; reply < 12; reply++) {
                    skipReply(in);
                }
                transactions.increment();
            }
        } catch (IOException e) {
            if (stop.compareAndSet(false, true)) {
                System.err.println("connection to port " + port + " failed: " + e.getMessage());
            }
        }
    }

    /** Reads one reply of the kinds these requests get: status, error, integer, bulk or array of those. */
    private static void skipReply(InputStream in) throws IOException {
        int type = in.read();
        long value = readLine(in);
        if (type == '*') {
            for (long i = 0; i < value; i++) {
                skipReply(in);
            }
        } else if (type == '$' && value >= 0) {
            in.skipNBytes(value + 2);
        } else if (type < 0) {
            throw new IOException("connection closed");
        }
    }

    /** Reads to the end of the line; returns it as a number when it is one, else 0. */
    private static long readLine(InputStream in) throws IOException {
        long value = 0;
        boolean negative = false;
        boolean numeric = true;
        int b;
        while ((b = in.read()) != '\r') {
            if (b < 0) {
                throw new IOException("connection closed");
            }
            if (b == '-' && value == 0) {
                negative = true;
            } else if (b >= '0' && b <= '9') {
                value = value * 10 + (b - '0');
            } else {
                numeric = false;
            }
        }
        in.read();
        return numeric ? (negative ? -value : value) : 0;
    }
}
