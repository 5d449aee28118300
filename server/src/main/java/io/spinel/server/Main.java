package io.spinel.server;

import io.spinel.command.Version;
import io.spinel.command.ServerContext;
import io.spinel.config.Config;
import io.spinel.config.ConfigException;
import io.spinel.config.ConfigFile;

/**
 * Starts a server from redis-server's command line: {@code [config-file] [--name value ...]}.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        nettyDefaults();
        Config config = new Config();
        try {
            ConfigFile.applyCommandLine(config, args);
        } catch (ConfigException e) {
            System.err.println();
            System.err.println("*** FATAL CONFIG FILE ERROR (Redis " + Version.REDIS_VERSION + ") ***");
            if (e instanceof ConfigException.AtLine line) {
                System.err.println("Reading the configuration file, at line " + line.lineNumber());
            }
            System.err.println(">>> '" + e.parameter() + "'");
            System.err.println(e.getMessage());
            System.exit(1);
        } catch (java.io.IOException e) {
            System.err.println("Fatal error, can't open config file '" + (args.length > 0 ? args[0] : "") + "': "
                    + (e instanceof java.nio.file.NoSuchFileException ? "No such file or directory" : e.getMessage()));
            System.exit(1);
        }
        SpinelServer server = new SpinelServer(config);
        handleSignals(server);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "spinel-exit"));
        try {
            server.start();
        } catch (IllegalStateException e) {
            server.log().warning(e.getMessage());
            System.exit(1);
        }
        server.awaitTermination();
        System.exit(0);
    }

    /**
     * SIGTERM and SIGINT shut the server down as Redis does ({@link SpinelServer#signalled}: a
     * final save, or staying up when it fails), instead of the JVM's default of running the
     * shutdown hooks and exiting. Other ways out (System.exit, SIGHUP) still close the server
     * through the shutdown hook, without a save.
     */
    @SuppressWarnings("restriction")
    private static void handleSignals(SpinelServer server) {
        for (String name : new String[] {"TERM", "INT"}) {
            sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> server.signalled("SIG" + name));
        }
    }

    /**
     * Turns off two checks Netty makes on every buffer access and allocation, unless the command
     * line set them: that a buffer is not yet released (a read of its reference count before
     * each write: a GET's reply paid it for every write into the batch's output buffer), and the
     * sampling leak detector (a stack trace per sampled buffer). The server owns its buffers in
     * one place ({@link ClientHandler}), and the tests run with paranoid leak detection instead.
     * Bounds checks stay on. Measured: p16 GET server user time 1.31-1.34 -> 0.77-1.04 us per
     * request (docs/benchmarks.md, "Replies flushed per pass").
     */
    private static void nettyDefaults() {
        if (System.getProperty("io.netty.buffer.checkAccessible") == null) {
            System.setProperty("io.netty.buffer.checkAccessible", "false");
        }
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            System.setProperty("io.netty.leakDetection.level", "disabled");
        }
    }
}
