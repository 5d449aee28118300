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
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "spinel-signal"));
        try {
            server.start();
        } catch (IllegalStateException e) {
            server.log().warning(e.getMessage());
            System.exit(1);
        }
        server.awaitTermination();
        System.exit(0);
    }
}
