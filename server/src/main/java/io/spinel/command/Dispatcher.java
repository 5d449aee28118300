package io.spinel.command;

import io.spinel.resp.ReplyWriter;
import io.spinel.store.SlotHash;
import io.spinel.store.SlotLocks;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Runs requests: looks the command up in the table and performs, in Redis's order, every check
 * the table implies (existence, arity, protected commands, authentication), takes the locks its
 * key specs name, runs the handler and keeps the statistics. Handlers repeat none of this.
 *
 * <p>Called on the client's event loop thread; thread-safe across clients.
 */
public final class Dispatcher {
    private final ServerContext server;
    private final CommandTable table;
    private final SlotLocks locks;

    public Dispatcher(ServerContext server) {
        this.server = server;
        this.table = server.commands();
        this.locks = server.keyspace().locks();
    }

    /** Runs one request; its reply (if any) goes to {@code client.reply()}. */
    public void execute(Client client, byte[][] argv) {
        if (argv.length == 0) {
            return;
        }
        ReplyWriter reply = client.reply();
        Client.ReplyMode mode = client.replyMode();
        int mark = reply.target().writerIndex();
        run(client, argv);
        server.blocking().serveReady();
        if (mode != Client.ReplyMode.ON && client.replyMode() != Client.ReplyMode.ON) {
            reply.target().writerIndex(mark); // CLIENT REPLY OFF/SKIP: dropped, unless this was CLIENT REPLY ON
            if (mode == Client.ReplyMode.SKIP && client.replyMode() == Client.ReplyMode.SKIP) {
                client.replyMode(Client.ReplyMode.ON);
            }
        }
    }

    private void run(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        CommandSpec command = table.lookup(argv[0]);
        if (command != null && command.isContainer() && argv.length > 1) {
            CommandSpec sub = table.lookupSubcommand(command, argv[1]);
            if (sub == null) {
                reject(reply, null, Errors.unknownSubcommand(cString(argv[1]), command.name()));
                return;
            }
            command = sub;
        }
        if (command == null) {
            reject(reply, null, unknownCommand(argv));
            return;
        }
        int arity = command.arity();
        if ((arity > 0 && arity != argv.length) || argv.length < -arity) {
            reject(reply, command, Errors.wrongArity(command.fullName()));
            return;
        }
        if (command.isProtected() && !debugAllowed(client)) {
            reject(reply, command, Errors.DEBUG_NOT_ALLOWED);
            return;
        }
        if (server.authRequired(client) && !command.has(CommandFlag.NO_AUTH)) {
            reject(reply, command, Errors.NOAUTH);
            return;
        }
        long paused = server.pause().holds(command, server.clock());
        if (paused > 0) {
            server.pause().await(client, paused, retry -> execute(client, argv));
            return;
        }
        String busy = server.scriptGate().admit(command, server.config().busyReplyThreshold.value());
        if (busy != null) {
            reject(reply, command, busy);
            return;
        }
        try {
            call(client, command, argv);
        } finally {
            server.scriptGate().exit();
        }
    }

    /** Runs an accepted command under its locks and records its statistics. */
    void call(Client client, CommandSpec command, byte[][] argv) {
        call(client, command, argv, true);
    }

    /**
     * Runs a command a script calls (its checks done by the scripting layer): the script runner
     * already holds every slot lock, so none is taken again.
     */
    public void callFromScript(Client client, CommandSpec command, byte[][] argv) {
        call(client, command, argv, false);
    }

    private void call(Client client, CommandSpec command, byte[][] argv, boolean takeLocks) {
        ServerStats stats = server.stats();
        long errorsBefore = client.reply().errorCount();
        long start = System.nanoTime();
        int locked = takeLocks ? lock(client, command, argv) : 0;
        int replyStart = client.reply().target().writerIndex();
        try {
            command.handler().execute(client, argv);
        } catch (RuntimeException e) {
            // A bug, not a client error: drop the partial reply, answer one error line, keep serving.
            client.reply().target().writerIndex(replyStart);
            client.reply().error(Errors.INTERNAL);
            stats.unexpectedErrorReplies.increment();
            server.reportUnexpected(command.fullName(), e);
        } finally {
            unlock(client, locked);
        }
        long micros = (System.nanoTime() - start) / 1000;
        CommandStats commandStats = command.stats();
        commandStats.calls.increment();
        commandStats.micros.add(micros);
        if (client.reply().errorCount() != errorsBefore) {
            commandStats.failedCalls.increment();
        }
        stats.commandsProcessed.increment();
        long now = server.keyspace().cachedMillis();
        server.diagnostics().commandFinished(server.config(), client, command, argv, micros, now);
        client.interacted(now, command.fullName());
    }

    /** Returns how many slots were locked: -1 for all, else the count in client.lockedSlots. */
    private int lock(Client client, CommandSpec command, byte[][] argv) {
        switch (command.lockMode()) {
            case NONE -> {
                return 0;
            }
            case ALL -> {
                locks.lockAll();
                return -1;
            }
            default -> {
                KeySpec.KeyPositions positions = client.keyPositions;
                positions.clear();
                if (!command.keyPositions(argv, positions)) {
                    locks.lockAll(); // the arguments do not fit the specs: take everything, the handler errs
                    return -1;
                }
                if (positions.size == 1) {
                    int slot = SlotHash.slot(argv[positions.positions[0]]);
                    client.lockedSlots[0] = slot;
                    locks.lock(slot);
                    return 1;
                }
                int[] slots = client.lockedSlots;
                if (slots.length < positions.size) {
                    slots = new int[positions.size];
                    client.lockedSlots = slots;
                }
                for (int i = 0; i < positions.size; i++) {
                    slots[i] = SlotHash.slot(argv[positions.positions[i]]);
                }
                Arrays.sort(slots, 0, positions.size);
                int distinct = 0;
                for (int i = 0; i < positions.size; i++) {
                    if (distinct == 0 || slots[distinct - 1] != slots[i]) {
                        slots[distinct++] = slots[i];
                    }
                }
                locks.lock(slots, distinct);
                return distinct;
            }
        }
    }

    private void unlock(Client client, int locked) {
        if (locked < 0) {
            locks.unlockAll();
        } else if (locked > 0) {
            locks.unlock(client.lockedSlots, locked);
        }
    }

    private boolean debugAllowed(Client client) {
        String setting = server.config().enableDebugCommand.value();
        return setting.equals("yes") || (setting.equals("local") && client.connection().isLocal());
    }

    private void reject(ReplyWriter reply, CommandSpec command, String error) {
        if (command != null) {
            command.stats().rejectedCalls.increment();
        }
        reply.error(error);
    }

    /** Redis's unknown-command error, with its preview of the first arguments (128 bytes). */
    static String unknownCommand(byte[][] argv) {
        StringBuilder args = new StringBuilder();
        for (int i = 1; i < argv.length && args.length() < 128; i++) {
            String arg = cString(argv[i]);
            int room = 128 - args.length();
            args.append('\'').append(arg, 0, Math.min(arg.length(), room)).append("' ");
        }
        return Errors.unknownCommand(cString(argv[0]), args.toString());
    }

    /** The argument as C's %s prints it: up to the first NUL byte. */
    private static String cString(byte[] arg) {
        int end = 0;
        while (end < arg.length && arg[end] != 0) {
            end++;
        }
        return new String(arg, 0, end, StandardCharsets.ISO_8859_1);
    }
}
