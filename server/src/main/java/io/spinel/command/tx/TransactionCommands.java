package io.spinel.command.tx;

import io.spinel.command.Client;
import io.spinel.command.CommandTable;
import io.spinel.command.Dispatcher;
import io.spinel.command.Errors;
import io.spinel.command.ServerContext;
import io.spinel.command.Transaction;
import io.spinel.command.WatchedKeys;

/**
 * The transactions family: MULTI, EXEC, DISCARD, WATCH, UNWATCH. Queueing happens in the
 * dispatcher and the atomic run in {@link Transaction#exec}; these handlers start, end and
 * watch. Runs on the client's event loop.
 */
public final class TransactionCommands {
    private final ServerContext server;
    private final WatchedKeys watches;
    /** Runs the queued commands (the dispatcher keeps no state of its own). */
    private final Dispatcher dispatcher;

    public TransactionCommands(ServerContext server) {
        this.server = server;
        this.watches = server.watches();
        this.dispatcher = new Dispatcher(server);
    }

    public void bind(CommandTable table) {
        table.bind("multi", this::multi);
        table.bind("exec", this::exec);
        table.bind("discard", this::discard);
        table.bind("watch", this::watch);
        table.bind("unwatch", this::unwatch);
    }

    /** MULTI */
    void multi(Client client, byte[][] argv) {
        Transaction tx = client.transactionState();
        if (tx.inMulti()) {
            client.reply().error(Errors.MULTI_NESTED);
            return;
        }
        tx.begin();
        client.reply().ok();
    }

    /** EXEC */
    void exec(Client client, byte[][] argv) {
        Transaction tx = client.transaction();
        if (tx == null || !tx.inMulti()) {
            client.reply().error(Errors.EXEC_WITHOUT_MULTI);
            return;
        }
        if (tx.aborted()) {
            client.reply().error(Errors.EXECABORT);
            end(tx);
            return;
        }
        if (tx.queuedAny(server.scriptGate()::runsOnRunner)) {
            // Scripts run on the script runner only: the whole transaction goes there, atomic
            // with them and with its replies in order.
            server.scriptTransactions().accept(client, () -> tx.exec(dispatcher, watches, server.keyspace().locks(), server.keyspace().effects()));
            return;
        }
        tx.exec(dispatcher, watches, server.keyspace().locks(), server.keyspace().effects());
    }

    /** DISCARD */
    void discard(Client client, byte[][] argv) {
        Transaction tx = client.transaction();
        if (tx == null || !tx.inMulti()) {
            client.reply().error(Errors.DISCARD_WITHOUT_MULTI);
            return;
        }
        end(tx);
        client.reply().ok();
    }

    private void end(Transaction tx) {
        tx.discard();
        watches.unwatchAll(tx);
    }

    /**
     * WATCH key [key ...]
     *
     * <p>A key already past its expiry is deleted first (that deletion is not a change this
     * client sees), so that its expiry counts as a change only when it happens after WATCH, as
     * Redis's watched-key expired flag makes it.
     */
    void watch(Client client, byte[][] argv) {
        Transaction tx = client.transactionState();
        if (tx.inMulti()) {
            client.reply().error(Errors.WATCH_IN_MULTI);
            return;
        }
        for (int i = 1; i < argv.length; i++) {
            client.db().peek(argv[i]);
            watches.watch(tx, client.db(), argv[i]);
        }
        client.reply().ok();
    }

    /** UNWATCH */
    void unwatch(Client client, byte[][] argv) {
        Transaction tx = client.transaction();
        if (tx != null) {
            watches.unwatchAll(tx);
        }
        client.reply().ok();
    }

    /** Ends {@code client}'s transaction and watches (RESET). */
    public static void reset(ServerContext server, Client client) {
        Transaction tx = client.transaction();
        if (tx != null) {
            tx.discard();
            server.watches().unwatchAll(tx);
        }
    }
}
