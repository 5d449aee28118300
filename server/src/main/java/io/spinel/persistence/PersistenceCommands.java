package io.spinel.persistence;

import io.spinel.command.Arguments;
import io.spinel.command.Client;
import io.spinel.command.CommandTable;
import io.spinel.command.Errors;
import io.spinel.command.FunctionStore;
import io.spinel.command.ServerContext;
import io.spinel.config.KeyspaceEvents;
import io.spinel.persistence.rdb.RdbPayload;
import io.spinel.persistence.rdb.RdbValueReader;
import io.spinel.store.Database;
import io.spinel.store.Effects;

/**
 * The persistence commands: SAVE, BGSAVE, DUMP and RESTORE (LASTSAVE is a server command that
 * reads {@link Persistence} through {@link io.spinel.command.Snapshots}).
 *
 * <p>DUMP payloads are Redis's: RESTORE accepts what Redis 7.x DUMPs and Redis accepts what
 * Spinel DUMPs (payloads of hashes with field expiries carry RDB version 12, which only Redis 7.4+
 * takes). RESTORE always checks the payload deeply, as Redis does with
 * sanitize-dump-payload yes.
 */
public final class PersistenceCommands {
    private final ServerContext server;
    private final Persistence persistence;

    public PersistenceCommands(ServerContext server) {
        this.server = server;
        this.persistence = Persistence.of(server);
    }

    /** Binds the handlers in {@code table}. */
    public void bind(CommandTable table) {
        table.bind("save", this::save);
        table.bind("bgsave", this::bgsave);
        table.bind("bgrewriteaof", this::bgrewriteaof);
        table.bind("dump", this::dump);
        table.bind("restore", this::restore);
        table.bind("function|dump", this::functionDump);
        table.bind("function|restore", this::functionRestore);
    }

    /** SAVE */
    void save(Client client, byte[][] argv) {
        String error = persistence.save();
        if (error == null) {
            client.reply().ok();
        } else {
            client.reply().error(error);
        }
    }

    /** BGSAVE [SCHEDULE] */
    void bgsave(Client client, byte[][] argv) {
        if (argv.length > 1 && !(argv.length == 2 && Arguments.is(argv[1], "schedule"))) {
            client.reply().error(Errors.SYNTAX);
            return;
        }
        // With no AOF rewrite to wait for, a running save is always an RDB one: SCHEDULE changes nothing.
        String error = persistence.bgsave();
        if (error == null) {
            client.reply().simple("Background saving started");
        } else {
            client.reply().error(error);
        }
    }

    /** BGREWRITEAOF */
    void bgrewriteaof(Client client, byte[][] argv) {
        String result = persistence.rewriteAppendOnlyFile();
        if (result == null) {
            client.reply().simple("Background append only file rewriting started");
        } else if (result.equals("scheduled")) {
            client.reply().simple("Background append only file rewriting scheduled");
        } else {
            client.reply().error(result);
        }
    }

    /** DUMP key */
    void dump(Client client, byte[][] argv) {
        Object value = client.db().get(argv[1]);
        if (value == null) {
            client.reply().nullBulk();
            return;
        }
        client.reply().bulk(RdbPayload.dump(value, server.config().rdbcompression.value()));
    }

    /** RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency] */
    void restore(Client client, byte[][] argv) {
        boolean replace = false;
        boolean absolute = false;
        long idle = -1;
        long frequency = -1;
        for (int i = 4; i < argv.length; i++) {
            boolean more = i + 1 < argv.length;
            if (Arguments.is(argv[i], "replace")) {
                replace = true;
            } else if (Arguments.is(argv[i], "absttl")) {
                absolute = true;
            } else if (Arguments.is(argv[i], "idletime") && more && frequency == -1) {
                Long value = Arguments.integer(argv[++i]);
                if (value == null) {
                    client.reply().error(Errors.NOT_INTEGER);
                    return;
                }
                if (value < 0) {
                    client.reply().error(Errors.INVALID_IDLETIME);
                    return;
                }
                idle = value;
            } else if (Arguments.is(argv[i], "freq") && more && idle == -1) {
                Long value = Arguments.integer(argv[++i]);
                if (value == null) {
                    client.reply().error(Errors.NOT_INTEGER);
                    return;
                }
                if (value < 0 || value > 255) {
                    client.reply().error(Errors.INVALID_FREQ);
                    return;
                }
                frequency = value;
            } else {
                client.reply().error(Errors.SYNTAX);
                return;
            }
        }
        Database db = client.db();
        byte[] key = argv[1];
        if (!replace && db.getForWrite(key) != null) {
            client.reply().error(Errors.BUSYKEY);
            return;
        }
        Long ttl = Arguments.integer(argv[2]);
        if (ttl == null) {
            client.reply().error(Errors.NOT_INTEGER);
            return;
        }
        if (ttl < 0) {
            client.reply().error(Errors.INVALID_TTL);
            return;
        }
        long now = server.clock().millis();
        Object value;
        try {
            value = RdbPayload.restore(argv[3], new RdbValueReader(server.config()), now, !server.skipsChecksumValidation());
        } catch (RdbPayload.InvalidPayload e) {
            client.reply().error(e.problem() == RdbPayload.Problem.VERSION_OR_CHECKSUM ? Errors.DUMP_PAYLOAD : Errors.BAD_DATA_FORMAT);
            return;
        }
        boolean deleted = replace && db.delete(key);
        long expiresAt = ttl == 0 ? 0 : absolute ? ttl : ttl + now;
        if (ttl != 0 && expiresAt <= now) {
            if (deleted) {
                db.changed(key, KeyspaceEvents.GENERIC, "del");
                server.keyspace().effects().rewrite(
                        Effects.bytes(server.config().lazyfreeLazyServerDel.value() ? "UNLINK" : "DEL"), key);
            }
            client.reply().ok();
            return;
        }
        db.set(key, value, expiresAt);
        if (idle >= 0) {
            db.accessClock(key, (int) (server.keyspace().lruClock() - idle));
        }
        db.changed(key, KeyspaceEvents.GENERIC, "restore");
        if (ttl != 0 && !absolute && server.keyspace().effects().active()) { // the TTL travels as absolute
            byte[][] propagated = java.util.Arrays.copyOf(argv, argv.length + 1);
            propagated[2] = Effects.bytes(expiresAt);
            propagated[argv.length] = Effects.bytes("ABSTTL");
            server.keyspace().effects().rewrite(propagated);
        }
        client.reply().ok();
    }

    /** FUNCTION DUMP */
    void functionDump(Client client, byte[][] argv) {
        client.reply().bulk(RdbPayload.dumpFunctions(server.functions().codes(), server.config().rdbcompression.value()));
    }

    /** FUNCTION RESTORE serialized-value [FLUSH | APPEND | REPLACE] */
    void functionRestore(Client client, byte[][] argv) {
        if (argv.length > 4) {
            client.reply().error(Errors.subcommandSyntax(Arguments.text(argv[1]), "function"));
            return;
        }
        FunctionStore.RestorePolicy policy = FunctionStore.RestorePolicy.APPEND;
        if (argv.length == 4) {
            if (Arguments.is(argv[3], "flush")) {
                policy = FunctionStore.RestorePolicy.FLUSH;
            } else if (Arguments.is(argv[3], "replace")) {
                policy = FunctionStore.RestorePolicy.REPLACE;
            } else if (!Arguments.is(argv[3], "append")) {
                client.reply().error(Errors.FUNCTION_RESTORE_POLICY);
                return;
            }
        }
        RdbPayload.FunctionPayload payload;
        try {
            payload = RdbPayload.restoreFunctions(argv[2], !server.skipsChecksumValidation());
        } catch (RdbPayload.InvalidPayload e) {
            client.reply().error(Errors.DUMP_PAYLOAD);
            return;
        }
        server.functions().restore(client, payload.codes(), payload.error(), policy, argv);
    }
}
