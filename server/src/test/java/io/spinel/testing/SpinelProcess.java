package io.spinel.testing;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.Jedis;

/**
 * bin/spinel-server run as a separate process on the classes the tests were built with, for
 * tests of what only a process shows: signals, crashes, restarts on the same files.
 */
public final class SpinelProcess {
    private SpinelProcess() {
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Starts the launcher with {@code args}, its output appended to {@code log}; does not wait. */
    public static Process launch(Path log, List<String> args) throws java.io.IOException {
        Path script = Path.of(System.getProperty("user.dir")).resolve("../bin/spinel-server").normalize();
        List<String> command = new ArrayList<>(List.of(script.toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("SPINEL_CLASSPATH", System.getProperty("java.class.path"));
        return builder.start();
    }

    /**
     * Starts the launcher with {@code args} ({@link #launch}) and waits until it serves on
     * {@code port}; kills it and fails, showing {@code log}, when it does not.
     */
    public static Process start(Path log, List<String> args, int port) throws java.io.IOException, InterruptedException {
        Process process = launch(log, args);
        if (!serving(process, port)) {
            process.destroyForcibly();
            throw new AssertionError("the server did not start: " + java.nio.file.Files.readString(log));
        }
        return process;
    }

    /**
     * Waits up to 90 s until the server answers PING on {@code port} (a -LOADING reply is not
     * yet); false when the process exits first or the time runs out.
     */
    public static boolean serving(Process process, int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline && process.isAlive()) {
            try (Jedis jedis = new Jedis("127.0.0.1", port)) {
                if (jedis.ping().equals("PONG")) {
                    return true;
                }
            } catch (redis.clients.jedis.exceptions.JedisConnectionException | redis.clients.jedis.exceptions.JedisDataException e) {
                Thread.sleep(100); // not listening yet, or still loading
            }
        }
        return false;
    }
}
