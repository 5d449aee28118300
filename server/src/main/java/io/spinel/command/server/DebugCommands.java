package io.spinel.command.server;

import io.spinel.command.Arguments;
import io.spinel.command.Client;
import io.spinel.command.CommandTable;
import io.spinel.command.Errors;
import io.spinel.command.ServerContext;
import io.spinel.config.MemoryUnits;
import io.spinel.resp.ReplyWriter;
import io.spinel.store.Database;
import io.spinel.store.SlotHash;
import io.spinel.store.SlotLocks;
import io.spinel.types.CollectionValue;
import io.spinel.types.Listpack;
import io.spinel.types.QuickList;
import io.spinel.types.StringValue;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * DEBUG: the test hooks of Redis's DEBUG command that Spinel supports (SLEEP, SET-ACTIVE-EXPIRE,
 * OBJECT, POPULATE, PROTOCOL, DIGEST, DIGEST-VALUE, LOG, QUICKLIST-PACKED-THRESHOLD,
 * SET-SKIP-CHECKSUM-VALIDATION, CHANGE-REPL-ID, PAUSE-CRON, LISTPACK, QUICKLIST, RELOAD, HELP).
 * The dispatcher refuses the command unless enable-debug-command allows it. DEBUG declares no
 * keys, so OBJECT and POPULATE lock each key's slot themselves.
 */
public final class DebugCommands {
    private static final String[] HELP = {
        "DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "CHANGE-REPL-ID",
        "    Change the replication IDs of the instance.",
        "    Dangerous: should be used only for testing the replication subsystem.",
        "DIGEST",
        "    Output a hex signature representing the current DB content.",
        "DIGEST-VALUE <key> [<key> ...]",
        "    Output a hex signature of the values of all the specified keys.",
        "LISTPACK <key>",
        "    Show low level info about the listpack encoding of <key>.",
        "LOG <message>",
        "    Write <message> to the server log.",
        "OBJECT <key>",
        "    Show low level info about `key` and associated value.",
        "PAUSE-CRON <0|1>",
        "    Stop periodic cron job processing.",
        "POPULATE <count> [<prefix>] [<size>]",
        "    Create <count> string keys named key:<num>. If <prefix> is specified then",
        "    it is used instead of the 'key' prefix. These are not propagated to",
        "    replicas. Cluster slots are not respected so keys not belonging to the",
        "    current node can be created in cluster mode.",
        "PROTOCOL <type>",
        "    Reply with a test value of the specified type. <type> can be: string,",
        "    integer, double, bignum, null, array, set, map, attrib, push, verbatim,",
        "    true, false.",
        "QUICKLIST <key> [<0|1>]",
        "    Show low level info about the quicklist encoding of <key>.",
        "    The optional argument (0 by default) sets the level of detail",
        "QUICKLIST-PACKED-THRESHOLD <size>",
        "    Sets the threshold for elements to be inserted as plain vs packed nodes.",
        "    0 (the default) leaves it to list-max-listpack-size; allows values up to 4GB.",
        "RELOAD",
        "    Save the RDB on disk and reload it back to memory.",
        "SET-ACTIVE-EXPIRE <0|1>",
        "    Setting it to 0 disables expiring keys in background when they are not",
        "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
        "    default.",
        "SET-SKIP-CHECKSUM-VALIDATION <0|1>",
        "    Enables or disables checksum checks for RDB files and RESTORE's payload.",
        "SLEEP <seconds>",
        "    Stop the server for <seconds>. Decimals allowed.",
    };
    /** Redis shares the integer objects below OBJ_SHARED_INTEGERS, and reports their refcount as INT_MAX. */
    private static final long SHARED_INTEGERS = 10000;

    private final ServerContext server;

    public DebugCommands(ServerContext server) {
        this.server = server;
    }

    public void bind(CommandTable table) {
        table.bind("debug", this::debug);
    }

    /** DEBUG subcommand [argument ...] */
    void debug(Client client, byte[][] argv) {
        // DEBUG RELOAD and POPULATE change the data but are never propagated: replayed from an
        // AOF they would save or invent data.
        server.keyspace().effects().suppress();
        String sub = Arguments.lower(argv[1]);
        int argc = argv.length;
        switch (sub) {
            case "help" -> CommandCommands.writeHelp(client.reply(), HELP);
            case "sleep" -> {
                if (argc == 3) {
                    sleep(client, argv);
                    return;
                }
                unknown(client, argv);
            }
            case "set-active-expire" -> {
                if (argc == 3) {
                    server.expireCycle().enabled(!Arguments.text(argv[2]).equals("0"));
                    client.reply().ok();
                    return;
                }
                unknown(client, argv);
            }
            case "object" -> {
                if (argc == 3) {
                    object(client, argv[2]);
                    return;
                }
                unknown(client, argv);
            }
            case "populate" -> {
                if (argc >= 3 && argc <= 5) {
                    populate(client, argv);
                    return;
                }
                unknown(client, argv);
            }
            case "protocol" -> {
                if (argc == 3) {
                    protocol(client, Arguments.lower(argv[2]));
                    return;
                }
                unknown(client, argv);
            }
            case "digest" -> {
                if (argc == 2) {
                    digest(client);
                    return;
                }
                unknown(client, argv);
            }
            case "digest-value" -> digestValue(client, argv);
            case "quicklist-packed-threshold" -> {
                if (argc == 3) {
                    Long bytes = MemoryUnits.parse(Arguments.text(argv[2]));
                    if (bytes == null || !QuickList.setPackedThreshold(bytes)) {
                        client.reply().error("ERR argument must be a memory value bigger than 1 and smaller than 4gb");
                    } else {
                        client.reply().ok();
                    }
                    return;
                }
                unknown(client, argv);
            }
            case "set-skip-checksum-validation" -> {
                if (argc == 3) {
                    server.skipChecksumValidation(Arguments.integer(argv[2]) instanceof Long on && on != 0);
                    client.reply().ok();
                    return;
                }
                unknown(client, argv);
            }
            case "change-repl-id" -> {
                if (argc == 2) {
                    server.changeReplicationId();
                    client.reply().ok();
                    return;
                }
                unknown(client, argv);
            }
            case "pause-cron" -> {
                if (argc == 3) {
                    server.pauseCron(!Arguments.text(argv[2]).equals("0"));
                    client.reply().ok();
                    return;
                }
                unknown(client, argv);
            }
            case "listpack" -> {
                if (argc == 3) {
                    structure(client, argv[2], false, false);
                    return;
                }
                unknown(client, argv);
            }
            case "quicklist" -> {
                if (argc == 3 || argc == 4) {
                    structure(client, argv[2], true, argc == 4 && !Arguments.text(argv[3]).equals("0"));
                    return;
                }
                unknown(client, argv);
            }
            case "log" -> {
                if (argc == 3) {
                    server.log(3, "DEBUG LOG: " + Arguments.text(argv[2]));
                    client.reply().ok();
                    return;
                }
                unknown(client, argv);
            }
            case "reload" -> {
                if (argc == 2) {
                    String error = server.snapshots().reload();
                    if (error == null) {
                        client.reply().ok();
                    } else {
                        client.reply().error(error);
                    }
                    return;
                }
                unknown(client, argv);
            }
            default -> unknown(client, argv);
        }
    }

    /** DEBUG DIGEST: the digest of every database, under every slot lock. */
    private void digest(Client client) {
        SlotLocks locks = server.keyspace().locks();
        String digest;
        locks.lockAll();
        try {
            digest = new DatasetDigest().dataset(server.keyspace(), server.clock().millis());
        } finally {
            locks.unlockAll();
        }
        client.reply().simple(digest);
    }

    /** DEBUG DIGEST-VALUE key [key ...]: one digest per key (zeros for a missing one). */
    private void digestValue(Client client, byte[][] argv) {
        SlotLocks locks = server.keyspace().locks();
        DatasetDigest digests = new DatasetDigest();
        client.reply().array(argv.length - 2);
        for (int i = 2; i < argv.length; i++) {
            int slot = SlotHash.slot(argv[i]);
            String digest;
            locks.lock(slot);
            try {
                Database db = client.db();
                Object value = db.peek(argv[i]);
                long expiresAt = value == null ? 0 : Math.max(0, db.expiresAt(argv[i]));
                digest = digests.value(value, expiresAt);
            } finally {
                locks.unlock(slot);
            }
            client.reply().simple(digest);
        }
    }

    private static void unknown(Client client, byte[][] argv) {
        client.reply().error(Errors.subcommandSyntax(Arguments.text(argv[1]), "debug"));
    }

    /**
     * DEBUG SLEEP seconds: stops this event loop, as Redis stops its one thread (clients on other
     * event loops keep being served). Like Redis's strtod, text that is not a number sleeps 0.
     */
    private static void sleep(Client client, byte[][] argv) {
        double seconds;
        try {
            seconds = Double.parseDouble(Arguments.text(argv[2]));
        } catch (NumberFormatException e) {
            seconds = 0;
        }
        long nanos = (long) (seconds * 1e9);
        if (nanos > 0) {
            try {
                Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        client.reply().ok();
    }

    /**
     * DEBUG OBJECT key: Redis's line, with an identity hash in place of the address; a quicklist
     * adds its node figures as Redis's does.
     */
    private void object(Client client, byte[] key) {
        SlotLocks locks = server.keyspace().locks();
        int slot = SlotHash.slot(key);
        String line;
        locks.lock(slot);
        try {
            line = objectLine(client.db(), key);
        } finally {
            locks.unlock(slot);
        }
        if (line == null) {
            client.reply().error(Errors.NO_SUCH_KEY);
            return;
        }
        client.reply().simple(line);
    }

    /** DEBUG OBJECT's line for {@code key}, or null when it is missing; under the key's slot lock. */
    private String objectLine(Database db, byte[] key) {
        Object value = db.peek(key);
        if (value == null) {
            return null;
        }
        int accessClock = db.accessClock(key);
        long idle = server.keyspace().idleMillis(accessClock) / 1000;
        boolean shared = value instanceof Long number && number >= 0 && number < SHARED_INTEGERS;
        String encoding = value instanceof CollectionValue collection ? collection.encoding() : StringValue.encoding(value);
        StringBuilder line = new StringBuilder("Value at:0x").append(Long.toHexString(System.identityHashCode(value)))
                .append(" refcount:").append(shared ? Integer.MAX_VALUE : 1)
                .append(" encoding:").append(encoding)
                .append(" serializedlength:").append(server.snapshots().serializedLength(value))
                .append(" lru:").append(Integer.toUnsignedLong(accessClock) & ((1 << 24) - 1))
                .append(" lru_seconds_idle:").append(idle);
        if (value instanceof QuickList list) {
            line.append(" ql_nodes:").append(list.nodeCount())
                    .append(" ql_avg_node:").append(String.format(Locale.ROOT, "%.2f", (double) list.length() / list.nodeCount()))
                    .append(" ql_listpack_max:").append(list.fill())
                    .append(" ql_compressed:").append(list.compressDepth() != 0 ? 1 : 0)
                    .append(" ql_uncompressed_size:").append(list.uncompressedBytes());
        }
        return line.toString();
    }

    /**
     * DEBUG LISTPACK key and DEBUG QUICKLIST key [full]: writes the value's structure to the log
     * (Redis prints it on its standard output) when it has that encoding, else Redis's error.
     */
    private void structure(Client client, byte[] key, boolean quicklist, boolean full) {
        SlotLocks locks = server.keyspace().locks();
        int slot = SlotHash.slot(key);
        String repr = null;
        boolean found;
        locks.lock(slot);
        try {
            Object value = client.db().peek(key);
            found = value != null;
            if (quicklist && value instanceof QuickList list) {
                repr = list.repr(full);
            } else if (!quicklist && value instanceof Listpack listpack && value instanceof CollectionValue collection
                    && collection.encoding().startsWith("listpack")) {
                repr = listpack.repr();
            }
        } finally {
            locks.unlock(slot);
        }
        String kind = quicklist ? "quicklist" : "listpack";
        if (!found) {
            client.reply().error(Errors.NO_SUCH_KEY);
        } else if (repr == null) {
            client.reply().error("ERR Not a " + kind + " encoded object.");
        } else {
            server.log(2, "DEBUG " + kind.toUpperCase(Locale.ROOT) + " " + Arguments.text(key) + ":\n" + repr);
            client.reply().simple(quicklist ? "Quicklist structure printed on stdout" : "Listpack structure printed on stdout");
        }
    }

    /** DEBUG POPULATE count [prefix] [size]: prefix:N holding value:N, cut or zero-padded to size. */
    private void populate(Client client, byte[][] argv) {
        Long count = Arguments.integer(argv[2]);
        if (count == null || count < 0) {
            client.reply().error(Errors.MUST_BE_POSITIVE);
            return;
        }
        String prefix = argv.length > 3 ? Arguments.text(argv[3]) : "key";
        long size = 0;
        if (argv.length > 4) {
            Long parsed = Arguments.integer(argv[4]);
            if (parsed == null || parsed < 0) {
                client.reply().error(Errors.MUST_BE_POSITIVE);
                return;
            }
            size = parsed;
        }
        Database db = client.db();
        SlotLocks locks = server.keyspace().locks();
        for (long i = 0; i < count; i++) {
            byte[] key = (prefix + ":" + i).getBytes(StandardCharsets.ISO_8859_1);
            byte[] value = ("value:" + i).getBytes(StandardCharsets.ISO_8859_1);
            if (size > 0) {
                value = Arrays.copyOf(value, (int) size);
            }
            int slot = SlotHash.slot(key);
            locks.lock(slot);
            try {
                if (db.peek(key) == null) {
                    db.set(key, StringValue.of(value), false);
                }
            } finally {
                locks.unlock(slot);
            }
        }
        client.reply().ok();
    }

    /** DEBUG PROTOCOL type: one sample reply of each RESP type, as Redis sends them. */
    private static void protocol(Client client, String type) {
        ReplyWriter reply = client.reply();
        switch (type) {
            case "string" -> reply.bulk("Hello World");
            case "integer" -> reply.integer(12345);
            case "double" -> reply.doubleReply("3.141");
            case "bignum" -> {
                if (reply.resp3()) {
                    reply.raw("(1234567999999999999999999999999999999\r\n".getBytes(StandardCharsets.US_ASCII));
                } else {
                    reply.bulk("1234567999999999999999999999999999999");
                }
            }
            case "null" -> reply.nullBulk();
            case "array", "set", "map" -> {
                if (type.equals("array")) {
                    reply.array(3);
                } else if (type.equals("set")) {
                    reply.set(3);
                } else {
                    reply.map(3);
                }
                for (int i = 0; i < 3; i++) {
                    reply.integer(i);
                    if (type.equals("map")) {
                        reply.bool(i == 1);
                    }
                }
            }
            case "attrib" -> {
                if (reply.resp3()) {
                    reply.raw("|1\r\n".getBytes(StandardCharsets.US_ASCII));
                    reply.bulk("key-popularity");
                    reply.array(2);
                    reply.bulk("key:123");
                    reply.integer(90);
                }
                reply.bulk("Some real reply following the attribute");
            }
            case "push" -> {
                if (!reply.resp3()) {
                    reply.error(Errors.RESP2_NOT_SUPPORTED);
                    return;
                }
                reply.push(2);
                reply.bulk("server-cpu-usage");
                reply.integer(42);
                reply.bulk("Some real reply following the push reply");
            }
            case "verbatim" -> reply.verbatim("This is a verbatim\nstring");
            case "true" -> reply.bool(true);
            case "false" -> reply.bool(false);
            default -> reply.error(Errors.WRONG_PROTOCOL_TYPE);
        }
    }
}
