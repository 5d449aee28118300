package io.spinel.command.server;

import io.spinel.command.Client;
import io.spinel.command.CommandTable;
import io.spinel.command.Errors;
import io.spinel.command.ServerContext;

/** MONITOR: turns the client into a monitor of every command run (see {@link io.spinel.command.Monitors}). */
public final class MonitorCommands {
    private final ServerContext server;

    public MonitorCommands(ServerContext server) {
        this.server = server;
    }

    public void bind(CommandTable table) {
        table.bind("monitor", this::monitor);
    }

    /**
     * MONITOR
     *
     * <p>Replies +OK, then nothing but monitor lines; a second MONITOR is ignored without a
     * reply, and inside EXEC it is refused, as in Redis.
     */
    void monitor(Client client, byte[][] argv) {
        if (client.transaction() != null && client.transaction().executing()) {
            client.reply().error(Errors.MONITOR_IN_MULTI);
            return;
        }
        if (client.monitor()) {
            return;
        }
        server.monitors().add(client);
        client.reply().ok();
    }
}
