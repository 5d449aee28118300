package io.spinel.command.string;

import io.spinel.command.Client;
import io.spinel.command.CommandTable;
import io.spinel.command.Errors;
import io.spinel.command.ServerContext;
import io.spinel.resp.ReplyWriter;
import io.spinel.types.MutableString;
import io.spinel.types.StringValue;

/** String commands. */
public final class StringCommands {
    private final ServerContext server;

    public StringCommands(ServerContext server) {
        this.server = server;
    }

    public void bind(CommandTable table) {
        table.bind("get", this::get);
        table.bind("set", this::set);
    }

    /** Writes a string value as a bulk reply without copying it. */
    static void writeString(ReplyWriter reply, Object value) {
        if (value instanceof byte[] bytes) {
            reply.bulk(bytes);
        } else if (value instanceof MutableString s) {
            reply.bulk(s.buffer(), 0, s.length());
        } else {
            reply.bulk(StringValue.bytes(value));
        }
    }

    /** GET key */
    void get(Client client, byte[][] argv) {
        Object value = client.db().get(argv[1]);
        if (value == null) {
            client.reply().nullBulk();
        } else if (!StringValue.isString(value)) {
            client.reply().error(Errors.WRONGTYPE);
        } else {
            writeString(client.reply(), value);
        }
    }

    /** SET key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL] */
    void set(Client client, byte[][] argv) {
        if (argv.length != 3) {
            client.reply().error(Errors.SYNTAX);
            return;
        }
        client.db().set(argv[1], StringValue.of(argv[2]), false);
        client.reply().ok();
    }
}
