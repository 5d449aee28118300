package io.spinel.command;

import io.spinel.resp.ReplyWriter;
import io.spinel.store.Evictor;
import io.spinel.store.KeyPrefetch;
import io.spinel.store.SlotHash;
import io.spinel.store.SlotLocks;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Runs requests: looks the command up in the table and performs, in Redis's order, every check
 * the table implies (existence, arity, protected commands, authentication, loading), takes the locks its
 * key specs name, runs the handler and keeps the statistics. Handlers repeat none of this.
 *
 * <p>Called on the client's event loop thread; thread-safe across clients.
 */
public final class Dispatcher {
    /** The commands a RESP2 client in subscribed mode may run. */
    private static final java.util.Set<String> SUBSCRIBED_MODE_COMMANDS = java.util.Set.of("ping", "subscribe", "ssubscribe",
            "unsubscribe", "sunsubscribe", "psubscribe", "punsubscribe", "quit", "reset");

    private final ServerContext server;
    private final CommandTable table;
    private final SlotLocks locks;
    private final io.spinel.store.Effects effects;
    /** False for the AOF replay, whose commands are the loading itself. */
    private final boolean refusesWhileLoading;

    public Dispatcher(ServerContext server) {
        this(server, true);
    }

    private Dispatcher(ServerContext server, boolean refusesWhileLoading) {
        this.server = server;
        this.refusesWhileLoading = refusesWhileLoading;
        this.table = server.commands();
        this.locks = server.keyspace().locks();
        this.effects = server.keyspace().effects();
    }

    /** A dispatcher for replaying the AOF: it runs commands while the server is loading. */
    public static Dispatcher forReplay(ServerContext server) {
        return new Dispatcher(server, false);
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

    /**
     * Adds the keys of the request {@code argv} to {@code batch}, whose lookups the client handler
     * reads ahead before running a pipeline's requests ({@link KeyPrefetch}). Returns whether the
     * request is a command on keys ({@link LockMode#KEYS}): any other (AUTH, HELLO, SELECT, CONFIG
     * SET, CLIENT REPLY, QUIT, ...) may change how the following requests are decoded, where their
     * keys are or whether they run, so the handler decodes nothing past it before it has run.
     */
    public boolean prefetch(Client client, byte[][] argv, KeyPrefetch batch) {
        CommandSpec command = table.lookup(argv[0]);
        if (command == null || command.isContainer() || command.lockMode() != LockMode.KEYS) {
            return false;
        }
        KeySpec.KeyPositions positions = client.keyPositions;
        positions.clear();
        if (!command.keyPositions(argv, positions)) {
            return false;
        }
        for (int i = 0; i < positions.size; i++) {
            if (!batch.add(argv[positions.positions[i]])) {
                break;
            }
        }
        return true;
    }

    private void run(Client client, byte[][] argv) {
        CommandSpec command = table.lookup(argv[0]);
        if (command != null && command.isContainer() && argv.length > 1) {
            CommandSpec sub = table.lookupSubcommand(command, argv[1]);
            if (sub == null) {
                reject(client, null, Errors.unknownSubcommand(cString(argv[1]), command.name()));
                return;
            }
            command = sub;
        }
        if (command == null) {
            reject(client, null, unknownCommand(argv));
            return;
        }
        int arity = command.arity();
        if ((arity > 0 && arity != argv.length) || argv.length < -arity) {
            reject(client, command, Errors.wrongArity(command.fullName()));
            return;
        }
        if (command.isProtected() && !debugAllowed(client)) {
            reject(client, command, Errors.DEBUG_NOT_ALLOWED);
            return;
        }
        if (server.authRequired(client) && !command.has(CommandFlag.NO_AUTH)) {
            reject(client, command, Errors.NOAUTH);
            return;
        }
        if (server.config().maxmemory.value() != 0 && server.keyspace().evictor().perform() == Evictor.Result.FAIL
                && Transaction.refusedOnOom(client, command)) {
            reject(client, command, Errors.OOM);
            return;
        }
        if (command.has(CommandFlag.WRITE) || command.name().equals("ping")) {
            String refusal = server.snapshots().writeRefusal(); // Redis's writeCommandsDeniedByDiskError
            if (refusal != null) {
                reject(client, command, refusal);
                return;
            }
        }
        if (client.subscribed() && client.reply().protocol() == 2 && !SUBSCRIBED_MODE_COMMANDS.contains(command.fullName())) {
            reject(client, command, Errors.notInSubscribedMode(command.fullName()));
            return;
        }
        if (server.loading() && refusesWhileLoading && !command.has(CommandFlag.LOADING)) {
            reject(client, command, Errors.LOADING);
            return;
        }
        long paused = server.pause().holds(command, client, server.clock());
        if (paused > 0) {
            server.pause().await(client, paused, retry -> execute(client, argv));
            return;
        }
        String busy = server.scriptGate().admit(command, server.config().busyReplyThreshold.value());
        if (busy != null) {
            reject(client, command, busy);
            return;
        }
        try {
            if (!Transaction.queues(client, command, argv, server.keyspace().cachedMillis())) {
                call(client, command, argv);
            }
        } finally {
            server.scriptGate().exit();
        }
    }

    /**
     * Runs an accepted command under its locks and records its statistics (EXEC runs its queued
     * commands through here, holding their locks already).
     */
    void call(Client client, CommandSpec command, byte[][] argv) {
        call(client, command, argv, true);
    }

    /**
     * Runs a command a script calls (its checks done by the scripting layer): the script runner
     * already holds every slot lock, so none is taken again. The keys a read-only command reads
     * are remembered for the tracking of {@code caller}, the client that ran the script, as in Redis.
     */
    public void callFromScript(Client client, Client caller, CommandSpec command, byte[][] argv) {
        call(client, command, argv, false);
        server.tracking().rememberForScriptCaller(caller, command, argv);
    }

    private void call(Client client, CommandSpec command, byte[][] argv, boolean takeLocks) {
        ServerStats stats = server.stats();
        long errorsBefore = client.reply().errorCount();
        long start = System.nanoTime();
        int locked = takeLocks ? lock(client, command, argv) : 0;
        int replyStart = client.reply().target().writerIndex();
        Tracking tracking = server.tracking();
        Client outer = tracking.starting(client);
        boolean noTouch = client.noTouch() && !command.fullName().equals("touch");
        if (noTouch) {
            server.keyspace().noTouch(true);
        }
        try {
            command.handler().execute(client, argv);
        } catch (RuntimeException e) {
            // A bug, not a client error: drop the partial reply, answer one error line, keep serving.
            client.reply().target().writerIndex(replyStart);
            client.reply().error(Errors.INTERNAL);
            stats.unexpectedErrorReplies.increment();
            server.reportUnexpected(command.fullName(), e);
        } finally {
            tracking.finished(client, command, argv, outer);
            // Fed before the locks are released, so that commands on the same key reach every
            // monitor in the order they ran, whichever event loops ran them.
            if (server.monitors().active()) {
                server.monitors().commandRan(client, command, argv, server.clock().micros());
            }
            if (effects.active()) { // propagation (AOF), under the locks for the same reason
                effects.commandRan(client.db().index(), argv);
            }
            unlock(client, locked);
            if (noTouch) {
                server.keyspace().noTouch(false);
            }
            if (effects.active()) {
                client.aofOffset(server.snapshots().aofAppendedOffset());
            }
        }
        long micros = (System.nanoTime() - start) / 1000;
        CommandStats commandStats = command.stats();
        commandStats.calls.increment();
        commandStats.micros.add(micros);
        if (server.config().latencyTracking.value()) {
            commandStats.latency.record(micros * 1000); // Redis records whole microseconds in ns
        }
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
                int distinct = sortDistinct(slots, positions.size);
                locks.lock(slots, distinct);
                return distinct;
            }
        }
    }

    /** Sorts {@code slots[0..count)} ascending and moves the distinct ones to the front; returns how many. */
    static int sortDistinct(int[] slots, int count) {
        Arrays.sort(slots, 0, count);
        int distinct = 0;
        for (int i = 0; i < count; i++) {
            if (distinct == 0 || slots[distinct - 1] != slots[i]) {
                slots[distinct++] = slots[i];
            }
        }
        return distinct;
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

    private void reject(Client client, CommandSpec command, String error) {
        if (command != null) {
            command.stats().rejectedCalls.increment();
        }
        client.reply().error(Transaction.rejected(client, command, error, server.watches()));
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
