package io.spinel.server;

import io.spinel.command.Client;
import io.spinel.command.ServerContext;

/**
 * Closes clients idle for longer than {@code timeout} seconds (0: never), as Redis's clientsCron.
 * Blocked clients (WAIT, a write held by CLIENT PAUSE) are left alone: their command has its own
 * timeout, and Redis does not count the wait as idleness. Subscribers are left alone too: they
 * wait for messages, not idle.
 */
final class ClientTimeouts {
    private ClientTimeouts() {
    }

    /** Closes every idle client that is neither blocked nor subscribed; runs on the cron thread. */
    static void closeIdle(ServerContext server) {
        long timeoutSeconds = server.config().timeout.value();
        if (timeoutSeconds <= 0) {
            return;
        }
        long now = server.clock().millis();
        for (Client client : server.clients()) {
            if ((now - client.lastInteractionMillis()) / 1000 > timeoutSeconds && !client.connection().blocked()
                    && !client.subscribed()) {
                client.connection().closeAfterReply();
            }
        }
    }
}
