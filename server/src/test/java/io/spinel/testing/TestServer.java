package io.spinel.testing;

import io.spinel.config.Config;
import io.spinel.server.SpinelServer;

/** Starts an embedded Spinel on a free loopback port for a test. */
public final class TestServer {
    private TestServer() {
    }

    private static String tempDirectory() {
        try {
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("spinel-test");
            dir.toFile().deleteOnExit();
            return dir.toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A started server; {@code settings} are name/value pairs applied as on the command line. */
    public static SpinelServer start(String... settings) {
        Config config = new Config();
        config.setAtStartup("port", "0");
        config.setAtStartup("bind", "127.0.0.1");
        config.setAtStartup("loglevel", "warning");
        // No snapshots unless a test asks: never a dump.rdb in the working directory.
        config.setAtStartup("save", "");
        config.setAtStartup("dir", tempDirectory());
        for (int i = 0; i + 1 < settings.length; i += 2) {
            config.setAtStartup(settings[i], settings[i + 1]);
        }
        try {
            return new SpinelServer(config).start();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
