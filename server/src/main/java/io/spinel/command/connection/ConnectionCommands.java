package io.spinel.command.connection;

import io.spinel.command.Arguments;
import io.spinel.command.Client;
import io.spinel.command.CommandTable;
import io.spinel.command.Errors;
import io.spinel.command.ServerContext;

/** Connection commands: PING, ECHO, QUIT, SELECT. */
public final class ConnectionCommands {
    private final ServerContext server;

    public ConnectionCommands(ServerContext server) {
        this.server = server;
    }

    public void bind(CommandTable table) {
        table.bind("ping", this::ping);
        table.bind("echo", this::echo);
        table.bind("quit", this::quit);
        table.bind("select", this::select);
    }

    /** PING [message] */
    void ping(Client client, byte[][] argv) {
        if (argv.length > 2) {
            client.reply().error(Errors.wrongArity("ping"));
        } else if (argv.length == 1) {
            client.reply().simple("PONG");
        } else {
            client.reply().bulk(argv[1]);
        }
    }

    /** ECHO message */
    void echo(Client client, byte[][] argv) {
        client.reply().bulk(argv[1]);
    }

    /** QUIT */
    void quit(Client client, byte[][] argv) {
        client.reply().ok();
        client.connection().closeAfterReply();
    }

    /** SELECT index */
    void select(Client client, byte[][] argv) {
        Long index = Arguments.integer(argv[1]);
        if (index == null || index < Integer.MIN_VALUE || index > Integer.MAX_VALUE) {
            client.reply().error(Errors.NOT_INTEGER);
            return;
        }
        if (index < 0 || index >= server.keyspace().databaseCount()) {
            client.reply().error(Errors.DB_INDEX_OUT_OF_RANGE);
            return;
        }
        client.select(server.keyspace().database(index.intValue()));
        client.reply().ok();
    }
}
