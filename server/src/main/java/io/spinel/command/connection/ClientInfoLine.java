package io.spinel.command.connection;

import io.spinel.command.Client;
import io.spinel.command.ServerContext;
import io.spinel.command.Transaction;

/**
 * One client as CLIENT LIST and CLIENT INFO describe it: Redis 7.2's fields in Redis's order.
 * Fields Spinel has no counterpart for get the values an idle Redis client shows (fd and
 * buffer sizes are plausible figures, not measurements): every client is a normal or pubsub
 * client of the default user. The MULTI state (flags x and d, multi, multi-mem), MONITOR (flag O),
 * blocking (flag b) and subscriptions (flag P, sub, psub, ssub) are the client's own.
 */
public final class ClientInfoLine {
    /** The read buffer Redis reports for a client in the middle of a command, and its base memory. */
    private static final int READ_BUFFER = 16384;
    private static final int QUERY_BUFFER = 20474;
    private static final int BASE_MEMORY = 22426;

    private ClientInfoLine() {
    }

    /** The class of {@code client} for CLIENT LIST TYPE and CLIENT KILL TYPE: "pubsub" while subscribed, else "normal". */
    static String clientClass(Client client) {
        return client.subscribed() ? "pubsub" : "normal";
    }

    /** The line of {@code client} as another client sees it (for the log). */
    public static String of(ServerContext server, Client client) {
        return of(server, client, null, null);
    }

    /**
     * The line of {@code client}, as seen by {@code self} running {@code argv}: the running
     * client reports its current command and its arguments' memory, as in Redis.
     */
    static String of(ServerContext server, Client client, Client self, byte[][] argv) {
        long now = server.clock().millis();
        boolean running = client == self;
        int qbuf = client.connection().queryBufferBytes();
        long argvMem = 0;
        if (running) {
            for (byte[] arg : argv) {
                argvMem += arg.length;
            }
        }
        long omem = client.connection().pendingOutputBytes();
        Transaction tx = client.transaction();
        long multiMem = tx == null ? 0 : tx.queuedMemory();
        String cmd = running ? ("client|" + io.spinel.command.Arguments.lower(argv[1])) : client.lastCommand();
        return "id=" + client.id()
                + " addr=" + client.connection().remoteAddress()
                + " laddr=" + client.connection().localAddress()
                + " fd=" + (7 + client.id() % 10000)
                + " name=" + client.name()
                + " age=" + Math.max(0, (now - client.createdMillis()) / 1000)
                + " idle=" + (running ? 0 : Math.max(0, (now - client.lastInteractionMillis()) / 1000))
                + " flags=" + flags(client)
                + " db=" + client.db().index()
                + " sub=" + client.subscriptions().channelCount()
                + " psub=" + client.subscriptions().patternCount()
                + " ssub=" + client.subscriptions().shardChannelCount()
                + " multi=" + (tx == null ? -1 : tx.queuedCount())
                + " qbuf=" + qbuf
                + " qbuf-free=" + (qbuf > 0 || running ? Math.max(0, QUERY_BUFFER - qbuf) : 0)
                + " argv-mem=" + argvMem
                + " multi-mem=" + multiMem
                + " rbs=" + (running ? READ_BUFFER : 1024)
                + " rbp=" + (running ? READ_BUFFER : 0)
                + " obl=0"
                + " oll=" + (omem > 0 ? 1 : 0)
                + " omem=" + omem
                + " tot-mem=" + (BASE_MEMORY + qbuf + argvMem + omem + multiMem + (running ? READ_BUFFER : 1024))
                + " events=" + (omem > 0 ? "rw" : "r")
                + " cmd=" + cmd
                + " user=default redir=" + (client.tracking() == null ? -1 : client.tracking().redirect())
                + " resp=" + client.reply().protocol()
                + " lib-name=" + client.libName()
                + " lib-ver=" + client.libVersion();
    }

    /** The flags field, letters in Redis's order: O monitor, P subscribed, x MULTI, b blocked, t tracking, R broken redirect, B broadcast tracking, d dirty CAS, e no-evict, T no-touch; N for none. */
    private static String flags(Client client) {
        StringBuilder flags = new StringBuilder();
        Transaction tx = client.transaction();
        if (client.monitor()) {
            flags.append('O');
        }
        if (client.subscribed()) {
            flags.append('P');
        }
        if (tx != null && tx.inMulti()) {
            flags.append('x');
        }
        if (client.connection().blocked()) {
            flags.append('b');
        }
        io.spinel.command.Tracking.Settings tracking = client.tracking();
        if (tracking != null) {
            flags.append('t');
            if (client.trackingRedirectBroken()) {
                flags.append('R');
            }
            if (tracking.bcast()) {
                flags.append('B');
            }
        }
        if (tx != null && tx.dirty()) {
            flags.append('d');
        }
        if (client.noEvict()) {
            flags.append('e');
        }
        if (client.noTouch()) {
            flags.append('T');
        }
        return flags.isEmpty() ? "N" : flags.toString();
    }
}
