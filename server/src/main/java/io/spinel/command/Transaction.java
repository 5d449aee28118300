package io.spinel.command;

import io.spinel.store.Database;
import io.spinel.store.Effects;
import io.spinel.store.SlotHash;
import io.spinel.store.SlotLocks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The MULTI/EXEC and WATCH state of one client: the commands queued since MULTI, whether one of
 * them failed to queue (EXEC then answers EXECABORT), the keys it watches and whether one of
 * them changed (EXEC then answers a null array).
 *
 * <h2>Queueing</h2>
 * The dispatcher runs every check that can refuse a command (unknown, arity, authentication...)
 * before it asks {@link #queues}; a refused command flags the transaction ({@link #flagAbort}),
 * an accepted one is queued with its reply {@code +QUEUED}. Like Redis, MULTI, EXEC, DISCARD,
 * WATCH, QUIT and RESET run at once even inside MULTI, and commands flagged no-multi (SAVE,
 * SHUTDOWN, SYNC, PSYNC) are refused with Redis's error.
 *
 * <h2>Atomicity</h2>
 * EXEC takes, before running the first queued command, the slot locks of every key every queued
 * command names (and of the watched keys), ascending, as one command naming all those keys would;
 * then runs each command through the dispatcher, whose locking is reentrant
 * ({@link SlotLocks}), so the commands re-take locks they already hold at the cost of a counter.
 * No other client can see or change those keys until the last command is done. A queued command
 * whose keys the table cannot name (LockMode.ALL, or arguments that do not fit the key specs) or
 * a keyless command that is not flagged fast (SCAN, RANDOMKEY, INFO, DEBUG lock slots of their
 * own choosing, which could come below a slot already held and deadlock) makes EXEC take every
 * slot lock instead.
 *
 * <h2>Threads</h2>
 * Owned by the client's event loop, except {@link #dirty}, which the writers of watched keys set
 * from their threads (under the key's slot lock, which EXEC holds when it reads it), and the
 * counters CLIENT LIST reads from other threads.
 */
public final class Transaction {
    /** Approximate bytes of Redis's multiCmd per queued command (multi-mem). */
    private static final int QUEUED_COMMAND_OVERHEAD = 24;

    private final Client client;
    private volatile boolean multi;
    private boolean aborted;
    private boolean executing;
    volatile boolean dirty;
    private final List<CommandSpec> commands = new ArrayList<>();
    private final List<byte[][]> arguments = new ArrayList<>();
    private volatile int queued = -1;
    private volatile long queuedBytes;
    /** The keys this client watches, for UNWATCH and disconnection. */
    final List<WatchedKeys.Key> watched = new ArrayList<>();

    Transaction(Client client) {
        this.client = client;
    }

    /**
     * Queues {@code command} when {@code client} is inside MULTI and the command is not one that
     * runs at once, replying {@code +QUEUED} (or Redis's error for a no-multi command, which
     * flags the transaction); false when the command must run now. A queued command is the
     * client's last command (CLIENT LIST cmd) as in Redis.
     */
    static boolean queues(Client client, CommandSpec command, byte[][] argv, long nowMillis) {
        Transaction tx = client.transaction();
        if (tx == null || !tx.multi || runsInsideMulti(command.fullName())) {
            return false;
        }
        if (command.has(CommandFlag.NO_MULTI)) {
            tx.aborted = true;
            command.stats().rejectedCalls.increment();
            client.reply().error(Errors.NOT_ALLOWED_IN_MULTI);
            return true;
        }
        tx.commands.add(command);
        tx.arguments.add(argv);
        long bytes = 0;
        for (byte[] arg : argv) {
            bytes += arg.length + 8;
        }
        tx.queuedBytes += bytes + QUEUED_COMMAND_OVERHEAD;
        tx.queued = tx.commands.size();
        client.interacted(nowMillis, command.fullName());
        client.reply().queued();
        return true;
    }

    /**
     * Whether {@code command} is refused with OOM while memory is over maxmemory, as Redis's
     * processCommand decides: a denyoom command; inside MULTI any command but EXEC, DISCARD, QUIT
     * and RESET (queuing takes memory too); an EXEC whose queued commands include a denyoom one.
     */
    static boolean refusedOnOom(Client client, CommandSpec command) {
        if (command.has(CommandFlag.DENYOOM)) {
            return true;
        }
        Transaction tx = client.transaction();
        if (tx == null || !tx.multi) {
            return false;
        }
        return switch (command.fullName()) {
            case "exec" -> tx.queuedAny(queued -> queued.has(CommandFlag.DENYOOM));
            case "discard", "quit", "reset" -> false;
            default -> true;
        };
    }

    private static boolean runsInsideMulti(String name) {
        return switch (name) {
            case "exec", "discard", "multi", "watch", "quit", "reset" -> true;
            default -> false;
        };
    }

    /**
     * A command was refused by a check before running: inside MULTI the transaction will answer
     * EXECABORT. Returns the error to reply: {@code error}, or for a refused EXEC itself Redis's
     * "EXECABORT Transaction discarded because of: " and the error without its ERR code, the
     * transaction (if any) discarded and its keys unwatched.
     */
    static String rejected(Client client, CommandSpec command, String error, WatchedKeys watches) {
        Transaction tx = client.transaction();
        if (tx != null && tx.multi) {
            tx.aborted = true;
        }
        if (command == null || !command.fullName().equals("exec")) {
            return error;
        }
        if (tx != null) {
            tx.discard();
            watches.unwatchAll(tx);
        }
        return Errors.execAbortedBecause(error.startsWith("ERR ") ? error.substring(4) : error);
    }

    /** Whether the client is between MULTI and EXEC/DISCARD. */
    public boolean inMulti() {
        return multi;
    }

    /** Whether EXEC is running this transaction's commands (blocking commands must not wait). */
    public boolean executing() {
        return executing;
    }

    /**
     * Whether EXEC of this transaction would replicate (a queued command is flagged write or
     * may-replicate): CLIENT PAUSE WRITE holds such an EXEC, as Redis does.
     */
    boolean replicates() {
        for (CommandSpec command : commands) {
            if (command.has(CommandFlag.WRITE) || command.has(CommandFlag.MAY_REPLICATE)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a queued command matches {@code test}. */
    public boolean queuedAny(java.util.function.Predicate<CommandSpec> test) {
        for (CommandSpec command : commands) {
            if (test.test(command)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the client WATCHes keys (INFO watching_clients; a racy read from another thread). */
    public boolean watching() {
        return !watched.isEmpty();
    }

    /** CLIENT LIST's multi field: queued commands, -1 outside MULTI. Thread-safe. */
    public int queuedCount() {
        return queued;
    }

    /** CLIENT LIST's multi-mem field: memory of the queued commands. Thread-safe. */
    public long queuedMemory() {
        return queuedBytes;
    }

    /** Whether a watched key changed since WATCH (CLIENT LIST flag d). Thread-safe. */
    public boolean dirty() {
        return dirty;
    }

    /** MULTI: starts queueing. */
    public void begin() {
        multi = true;
        queued = 0;
    }

    /** Ends the transaction without running it (DISCARD, RESET, EXEC): forgets the queue. */
    public void discard() {
        multi = false;
        aborted = false;
        commands.clear();
        arguments.clear();
        queued = -1;
        queuedBytes = 0;
    }

    /** Whether a command failed to queue. */
    public boolean aborted() {
        return aborted;
    }

    /**
     * EXEC: runs the queued commands atomically and replies the array of their replies, or a
     * null array when a watched key changed; ends the transaction and unwatches every key.
     * Call inside MULTI, when not {@link #aborted}.
     */
    public void exec(Dispatcher dispatcher, WatchedKeys watches, SlotLocks locks, Effects effects) {
        int[] slots = slotsToLock();
        if (slots == null) {
            locks.lockAll();
        } else {
            locks.lock(slots, slots.length);
        }
        boolean unit = effects.enter(); // the queued commands' effects go out as one MULTI/EXEC unit
        try {
            synchronized (this) { // a disconnection may unwatch from the event loop while the script runner runs EXEC
                for (WatchedKeys.Key key : watched) {
                    key.db().peek(key.bytes()); // a watched key that expired since WATCH is a change
                }
            }
            boolean changed = dirty;
            watches.unwatchAll(this);
            if (changed) {
                client.reply().nullArray();
                return;
            }
            client.reply().array(commands.size());
            executing = true;
            for (int i = 0; i < commands.size(); i++) {
                dispatcher.call(client, commands.get(i), arguments.get(i));
            }
        } finally {
            executing = false;
            discard();
            effects.exit(unit);
            if (slots == null) {
                locks.unlockAll();
            } else {
                locks.unlock(slots, slots.length);
            }
        }
    }

    /** The distinct slots, ascending, of every key the transaction touches; null for every slot. */
    private int[] slotsToLock() {
        KeySpec.KeyPositions positions = new KeySpec.KeyPositions();
        int[] slots = new int[watched.size() + commands.size()];
        int count = 0;
        for (WatchedKeys.Key key : watched) {
            slots[count++] = SlotHash.slot(key.bytes());
        }
        for (int i = 0; i < commands.size(); i++) {
            CommandSpec command = commands.get(i);
            byte[][] argv = arguments.get(i);
            switch (command.lockMode()) {
                case ALL -> {
                    return null;
                }
                case NONE -> {
                    if (!command.has(CommandFlag.FAST)) {
                        return null;
                    }
                }
                case KEYS -> {
                    positions.clear();
                    if (!command.keyPositions(argv, positions)) {
                        return null;
                    }
                    if (slots.length < count + positions.size) {
                        slots = Arrays.copyOf(slots, Math.max(slots.length * 2, count + positions.size));
                    }
                    for (int p = 0; p < positions.size; p++) {
                        slots[count++] = SlotHash.slot(argv[positions.positions[p]]);
                    }
                }
            }
        }
        int distinct = Dispatcher.sortDistinct(slots, count);
        return distinct == slots.length ? slots : Arrays.copyOf(slots, distinct);
    }
}
