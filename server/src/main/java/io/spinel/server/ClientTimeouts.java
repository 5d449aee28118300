package io.spinel.server;

import io.spinel.command.Client;
import io.spinel.command.ServerContext;

/** Closes clients idle for longer than {@code timeout} seconds (0: never), as Redis's clientsCron. */
final class ClientTimeouts {
    private ClientTimeouts() {
    }

    static void closeIdle(ServerContext server) {
        long timeoutSeconds = server.config().timeout.value();
        if (timeoutSeconds <= 0) {
            return;
        }
        long now = server.clock().millis();
        for (Client client : server.clients()) {
            if ((now - client.lastInteractionMillis()) / 1000 > timeoutSeconds) {
                client.connection().closeAfterReply();
            }
        }
    }
}
