package io.spinel.command;

import io.spinel.resp.ReplyWriter;
import io.spinel.store.Database;
import io.spinel.store.KeyspaceListener;
import io.spinel.store.SlotHash;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Client-side caching (CLIENT TRACKING): which clients may hold which keys in a local cache, and
 * the invalidation messages that tell them a key changed.
 *
 * <h2>Modes</h2>
 * In the default mode the server remembers the keys a tracking client read (every key of a
 * read-only command; with OPTIN only after CLIENT CACHING YES, with OPTOUT unless CLIENT CACHING
 * NO) in one table of key to client ids, shared by every database as in Redis. A change to a key
 * sends one invalidation to each client of its entry and drops the entry: a client hears of a
 * key once per read. In broadcast mode (BCAST) a client names prefixes instead and hears of every
 * changed key that starts with one of them, with no table. FLUSHDB and FLUSHALL send every
 * tracking client a null invalidation and empty the table.
 *
 * <h2>Delivery</h2>
 * A RESP3 client gets a push message {@code invalidate [keys]}; with REDIRECT the message goes to
 * the named client instead, as a push when it speaks RESP3, else as a message of the
 * {@code __redis__:invalidate} channel when it is in subscribed mode (otherwise dropped, as in
 * Redis). When the redirect target is gone, a RESP3 tracking client gets
 * {@code tracking-redir-broken id}. An invalidation for the client whose command made the change
 * waits until that command's reply is written, so it follows the reply as in Redis 7; others go
 * to their client's event loop at once, one message per key (Redis batches broadcast keys per
 * event-loop turn: the keys are the same, the grouping may differ).
 *
 * <h2>Threads</h2>
 * A key is remembered (by the reading command) and invalidated (by the writing command or the
 * expire cycle) under its slot lock, so the two never interleave on one key; the maps are
 * concurrent because different keys change on different threads. Settings belong to the
 * client's own event loop and are replaced, never modified, so a writer on another thread sees
 * one consistent set.
 */
public final class Tracking implements KeyspaceListener {
    /** One client's CLIENT TRACKING ON options. {@code redirect} 0: none; prefixes sorted, BCAST only. */
    public record Settings(long redirect, boolean bcast, boolean optin, boolean optout, boolean noloop, List<byte[]> prefixes) {
    }

    /** A key as a map key: its bytes, compared by content. */
    private record Key(byte[] bytes) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Arrays.equals(bytes, key.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }

    /** What the thread running a command knows about it: who runs it, and the invalidations that wait for its reply. */
    private static final class Running {
        Client client;
        final List<Object[]> pending = new ArrayList<>();
    }

    private static final ThreadLocal<Running> RUNNING = ThreadLocal.withInitial(Running::new);

    private static final String CHANNEL = "__redis__:invalidate";

    private final ServerContext server;
    private final Map<Key, Set<Long>> table = new ConcurrentHashMap<>();
    /** Broadcast prefixes, each with the ids of the clients that registered it. */
    private final Map<Key, Set<Long>> prefixes = new ConcurrentHashMap<>();
    private final AtomicInteger trackingClients = new AtomicInteger();
    private final AtomicInteger items = new AtomicInteger();

    Tracking(ServerContext server) {
        this.server = server;
    }

    /** Number of clients with tracking on (INFO tracking_clients). */
    public int clients() {
        return trackingClients.get();
    }

    /** Number of keys in the tracking table (INFO tracking_total_keys). */
    public int keys() {
        return table.size();
    }

    /** Number of (key, client) pairs in the tracking table (INFO tracking_total_items). */
    public int items() {
        return items.get();
    }

    /** Number of broadcast prefixes (INFO tracking_total_prefixes). */
    public int prefixCount() {
        return prefixes.size();
    }

    /** Turns tracking on for {@code client} with {@code settings} (replacing earlier ones, keeping its prefixes). */
    public void enable(Client client, Settings settings) {
        Settings old = client.tracking();
        if (old == null) {
            trackingClients.incrementAndGet();
        }
        List<byte[]> all = new ArrayList<>(old == null || !settings.bcast() ? List.of() : old.prefixes());
        for (byte[] prefix : settings.bcast() && settings.prefixes().isEmpty() ? List.of(new byte[0]) : settings.prefixes()) {
            if (all.stream().noneMatch(p -> Arrays.equals(p, prefix))) {
                all.add(prefix);
            }
            prefixes.computeIfAbsent(new Key(prefix), k -> ConcurrentHashMap.newKeySet()).add(client.id());
        }
        all.sort(Arrays::compareUnsigned);
        client.tracking(new Settings(settings.redirect(), settings.bcast(), settings.optin(), settings.optout(),
                settings.noloop(), List.copyOf(all)));
        client.trackingRedirectBroken(false);
    }

    /** Turns tracking off for {@code client} (CLIENT TRACKING OFF, disconnect, RESET). */
    public void disable(Client client) {
        Settings old = client.tracking();
        if (old == null) {
            return;
        }
        for (byte[] prefix : old.prefixes()) {
            prefixes.computeIfPresent(new Key(prefix), (k, ids) -> {
                ids.remove(client.id());
                return ids.isEmpty() ? null : ids;
            });
        }
        client.tracking(null);
        client.trackingCaching(false);
        client.trackingRedirectBroken(false);
        if (trackingClients.decrementAndGet() == 0) {
            table.clear();
            items.set(0);
        }
    }

    /**
     * The prefix of {@code candidates} that overlaps another one of them or one of {@code existing}
     * (one is a prefix of the other, so both would report the same keys), as Redis's error names
     * them: {new, existing-or-other, true when existing}; null when none overlaps.
     */
    public static Object[] overlap(List<byte[]> existing, List<byte[]> candidates) {
        for (int i = 0; i < candidates.size(); i++) {
            byte[] candidate = candidates.get(i);
            for (byte[] old : existing) {
                if (overlaps(old, candidate)) {
                    return new Object[] {candidate, old, true};
                }
            }
            for (int j = i + 1; j < candidates.size(); j++) {
                if (overlaps(candidate, candidates.get(j))) {
                    return new Object[] {candidate, candidates.get(j), false};
                }
            }
        }
        return null;
    }

    private static boolean overlaps(byte[] a, byte[] b) {
        int length = Math.min(a.length, b.length);
        return Arrays.equals(a, 0, length, b, 0, length);
    }

    /**
     * Starts a command of {@code client} on this thread; returns the client that was running
     * (a script's or transaction's caller), to hand back to {@link #finished}.
     */
    Client starting(Client client) {
        if (trackingClients.get() == 0) {
            return null;
        }
        Running running = RUNNING.get();
        Client outer = running.client;
        running.client = client;
        return outer;
    }

    /**
     * Ends a command: remembers the keys a read-only command read for its tracking client,
     * writes the invalidations that waited for its reply, and consumes a CLIENT CACHING flag
     * (kept across CLIENT subcommands, as Redis keeps it until a command of another kind).
     * Called with the command's locks still held for the remembering part.
     */
    void finished(Client client, CommandSpec command, byte[][] argv, Client outer) {
        Settings settings = client.tracking();
        if (settings != null) {
            if (!settings.bcast() && command.has(CommandFlag.READONLY) && wantsKeys(client, settings)) {
                remember(client, command, argv);
            }
            if (client.trackingCaching() && !command.fullName().startsWith("client|")) {
                client.trackingCaching(false);
            }
        }
        if (trackingClients.get() == 0 && outer == null) {
            return;
        }
        Running running = RUNNING.get();
        running.client = outer;
        if (outer == null && !running.pending.isEmpty()) {
            Object[][] due = running.pending.toArray(new Object[0][]);
            running.pending.clear();
            for (Object[] entry : due) {
                send((Client) entry[0], (byte[]) entry[1], client);
            }
        }
    }

    /**
     * Remembers the keys a read-only command of a script read for the script's caller, when it
     * tracks them (default mode). Runs on the script runner, under every slot lock.
     */
    public void rememberForScriptCaller(Client caller, CommandSpec command, byte[][] argv) {
        Settings settings = caller.tracking();
        if (settings != null && !settings.bcast() && command.has(CommandFlag.READONLY) && wantsKeys(caller, settings)) {
            remember(caller, command, argv);
        }
    }

    private static boolean wantsKeys(Client client, Settings settings) {
        if (settings.optin()) {
            return client.trackingCaching();
        }
        return !settings.optout() || !client.trackingCaching();
    }

    private void remember(Client client, CommandSpec command, byte[][] argv) {
        KeySpec.KeyPositions positions = new KeySpec.KeyPositions();
        if (!command.keyPositions(argv, positions)) {
            return;
        }
        for (int i = 0; i < positions.size; i++) {
            Set<Long> ids = table.computeIfAbsent(new Key(argv[positions.positions[i]]), k -> ConcurrentHashMap.newKeySet());
            if (ids.add(client.id())) {
                items.incrementAndGet();
            }
        }
    }

    @Override
    public void keyModified(Database db, byte[] key) {
        if (trackingClients.get() == 0) {
            return;
        }
        Client current = RUNNING.get().client;
        if (!prefixes.isEmpty()) {
            for (Map.Entry<Key, Set<Long>> entry : prefixes.entrySet()) {
                byte[] prefix = entry.getKey().bytes();
                if (key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length)) {
                    for (long id : entry.getValue()) {
                        invalidate(server.client(id), key, current, true);
                    }
                }
            }
        }
        Set<Long> ids = table.remove(new Key(key));
        if (ids != null) {
            items.addAndGet(-ids.size());
            for (long id : ids) {
                invalidate(server.client(id), key, current, false);
            }
        }
    }

    /**
     * FLUSHDB and FLUSHALL: every tracking client gets a null invalidation and the table is
     * emptied, as Redis does on any flush (SWAPDB sends nothing, as in Redis).
     */
    public void flushed() {
        if (trackingClients.get() == 0) {
            return;
        }
        table.clear();
        items.set(0);
        Client current = RUNNING.get().client;
        for (Client client : server.clients()) {
            if (client.tracking() == null) {
                continue;
            }
            if (client == current) {
                RUNNING.get().pending.add(new Object[] {client, null}); // NOLOOP does not apply to flushes
            } else {
                send(client, null, current);
            }
        }
    }

    /** Sends (or, for the running client, queues) the invalidation of {@code key} (null: everything) to a tracking client. */
    private void invalidate(Client target, byte[] key, Client current, boolean bcast) {
        Settings settings = target == null ? null : target.tracking();
        if (settings == null || settings.bcast() != bcast) {
            return;
        }
        if (target == current) {
            if (settings.noloop()) {
                return;
            }
            RUNNING.get().pending.add(new Object[] {target, key});
            return;
        }
        send(target, key, current);
    }

    /** Writes the invalidation to the client that receives it: the tracking client or its redirect target. */
    private void send(Client target, byte[] key, Client current) {
        Settings settings = target.tracking();
        if (settings == null) {
            return;
        }
        Client receiver = settings.redirect() == 0 ? target : server.client(settings.redirect());
        if (settings.redirect() != 0) {
            if (receiver == null) {
                target.trackingRedirectBroken(true);
                deliver(target, current, (receiving, reply) -> {
                    if (reply.resp3()) {
                        reply.push(2);
                        reply.bulk("tracking-redir-broken");
                        reply.integer(settings.redirect());
                    }
                });
                return;
            }
        }
        deliver(receiver, current, (receiving, reply) -> {
            if (reply.resp3()) {
                reply.push(2);
                reply.bulk("invalidate");
            } else if (receiving.subscribed()) {
                reply.array(3);
                reply.bulk("message");
                reply.bulk(CHANNEL);
            } else {
                return; // a RESP2 receiver gets nothing outside subscribed mode, as in Redis
            }
            if (key == null) {
                reply.nullBulk(); // $-1 in a RESP2 message, _ in a RESP3 push, as Redis writes them
            } else {
                reply.array(1);
                reply.bulk(key);
            }
        });
    }

    private static void deliver(Client receiver, Client current, Client.Delivery message) {
        if (receiver == current) {
            message.write(receiver, receiver.reply());
        } else {
            receiver.connection().deliver(message);
        }
    }

    /**
     * Sends invalidations for keys of the tracking table beyond tracking-table-max-keys (0: no
     * limit), as Redis does in its cron: their clients drop them from their caches and the server
     * forgets them.
     */
    public void limitTable(long maxKeys) {
        if (maxKeys <= 0 || table.size() <= maxKeys) {
            return;
        }
        Iterator<Key> keys = table.keySet().iterator();
        while (table.size() > maxKeys && keys.hasNext()) {
            byte[] key = keys.next().bytes();
            int slot = SlotHash.slot(key);
            server.keyspace().locks().lock(slot); // no read may remember the key while it is dropped
            try {
                Set<Long> ids = table.remove(new Key(key));
                if (ids != null) {
                    items.addAndGet(-ids.size());
                    for (long id : ids) {
                        Client client = server.client(id);
                        if (client != null) {
                            send(client, key, null);
                        }
                    }
                }
            } finally {
                server.keyspace().locks().unlock(slot);
            }
        }
    }
}
