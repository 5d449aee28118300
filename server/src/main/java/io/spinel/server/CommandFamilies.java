package io.spinel.server;

import io.spinel.command.ServerContext;
import io.spinel.command.connection.ConnectionCommands;
import io.spinel.command.server.CommandCommands;
import io.spinel.command.server.DebugCommands;
import io.spinel.command.server.ServerCommands;
import io.spinel.command.string.StringCommands;

/** Binds every command family's handlers into the server's command table. */
final class CommandFamilies {
    private CommandFamilies() {
    }

    static void bindAll(ServerContext server) {
        new ConnectionCommands(server).bind(server.commands());
        new StringCommands(server).bind(server.commands());
        new CommandCommands(server).bind(server.commands());
        new ServerCommands(server).bind(server.commands());
        new DebugCommands(server).bind(server.commands());
    }
}
