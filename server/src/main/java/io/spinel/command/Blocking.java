package io.spinel.command;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.spinel.resp.ReplyWriter;
import io.spinel.store.Database;
import io.spinel.store.Effects;
import io.spinel.store.KeyReadyListener;
import io.spinel.store.SlotHash;
import io.spinel.store.SlotLocks;
import io.spinel.types.LongDouble;
import io.spinel.types.ValueType;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Clients blocked by a command (BLPOP, BZPOPMIN, WAIT...) until a key can serve them, their
 * timeout passes, CLIENT UNBLOCK releases them or they disconnect.
 *
 * <h2>How a blocked command is served</h2>
 * A blocking handler first tries its {@link Attempt} itself; when that cannot serve it, the
 * handler calls {@link #block}, still under the command's slot locks, so that no change to the
 * keys can fall between the attempt and the registration. A blocked client holds no lock and no
 * thread: it is a {@link Waiter} in the queue of each key it watches, plus the connection's
 * paused input. When a command stores a collection under a watched key, the keyspace tells
 * {@link #keyReady}, which notes the key for the thread running that command. After the command
 * (the whole transaction or script, which run as one request) the dispatcher calls
 * {@link #serveReady}: for each noted key, the waiters of that key in the order they blocked
 * retry their attempt under the slot locks of every key they touch, into a reply buffer of their
 * own; the first attempts that succeed win, and each winner's reply goes to its connection's
 * event loop. So a client that pushes and then pops in one pipeline finds its push already
 * handed to the waiter, as in Redis. As in Redis 7.2, a key is retried for a waiter only while
 * it holds the type the waiter waits for: a key replaced by a string keeps its waiters blocked.
 * A waiter that must also hear of its key's deletion or change of type (XREADGROUP, whose group
 * goes with the key: Redis's unblock_on_nokey) is retried on any change, and its attempt answers
 * the error; deletions, expiries (lazy, and the active cycle, whose cron thread serves the keys
 * after each cycle) and flushes signal the key for it.
 *
 * <h2>Races</h2>
 * A waiter ends exactly once, under its own monitor: served (by any thread), timed out (on its
 * event loop), unblocked by CLIENT UNBLOCK or disconnected. A reply computed by a serving thread
 * is kept in the waiter, so that a timeout running before the hand-over still sends it.
 */
public final class Blocking implements KeyReadyListener {
    /**
     * The part of a blocking command that runs when it can: writes the whole reply (an error
     * included) and returns true, or writes nothing and returns false when it must wait. Runs
     * with the slot locks of every key the waiter named held.
     */
    @FunctionalInterface
    public interface Attempt {
        boolean serve(Database db, ReplyWriter reply);
    }

    /** The error a client released by CLIENT UNBLOCK ... ERROR gets. */
    static final String UNBLOCKED = "UNBLOCKED client unblocked via CLIENT UNBLOCK";
    private static final byte[][] NO_KEYS = new byte[0][];
    private static final ReplyWriter.ErrorListener NO_ERROR_STATS = error -> { };

    /** A watched key: a database and the key's bytes (compared by content). */
    private record WatchedKey(Database db, ByteBuffer key) {
        WatchedKey(Database db, byte[] key) {
            this(db, ByteBuffer.wrap(key));
        }

        byte[] bytes() {
            return key.array();
        }
    }

    /** One blocked client. Its mutable fields are guarded by its monitor. */
    private static final class Waiter {
        final Client client;
        final Database db;
        final byte[][] keys;
        final int[] slots;
        final ValueType wakeType;
        final boolean wakeOnAnyChange;
        final Attempt attempt;
        final Consumer<ReplyWriter> onTimeout;
        boolean ended;
        byte[] servedReply;

        Waiter(Client client, Database db, byte[][] keys, int[] slots, ValueType wakeType, boolean wakeOnAnyChange,
               Attempt attempt, Consumer<ReplyWriter> onTimeout) {
            this.client = client;
            this.db = db;
            this.keys = keys;
            this.slots = slots;
            this.wakeType = wakeType;
            this.wakeOnAnyChange = wakeOnAnyChange;
            this.attempt = attempt;
            this.onTimeout = onTimeout;
        }

        /** Marks the waiter ended; false when something else ended it first. */
        synchronized boolean end() {
            if (ended) {
                return false;
            }
            ended = true;
            return true;
        }
    }

    private final SlotLocks locks;
    private final Effects effects;
    /** Waiters per watched key, in blocking order. Guarded by itself. */
    private final Map<WatchedKey, ArrayDeque<Waiter>> queues = new HashMap<>();
    private final Map<Client, Waiter> byClient = new ConcurrentHashMap<>();
    /** How many keys have waiters: the keyspace's signals cost one read while it is 0. */
    private final AtomicInteger watchedKeys = new AtomicInteger();
    /** Keys signalled by the commands this thread is running, to serve once they are done. */
    private final ThreadLocal<ArrayDeque<WatchedKey>> ready = ThreadLocal.withInitial(ArrayDeque::new);

    public Blocking(SlotLocks locks, Effects effects) {
        this.locks = locks;
        this.effects = effects;
    }

    /**
     * Parses a blocking command's timeout in seconds (decimals allowed) into milliseconds, as
     * Redis does ({@code ceill(seconds * 1000)}, 0 for ever); replies Redis's error and returns
     * -1 when it is not valid.
     */
    public static long timeoutMillis(byte[] argument, ReplyWriter reply, long nowMillis) {
        LongDouble seconds = LongDouble.parse(argument);
        if (seconds == null) {
            reply.error(Errors.TIMEOUT_NOT_FLOAT);
            return -1;
        }
        if (!seconds.isFinite()) {
            reply.error(seconds.toHumanString().startsWith("-") ? Errors.TIMEOUT_NEGATIVE : Errors.TIMEOUT_OUT_OF_RANGE);
            return -1;
        }
        BigInteger millis = seconds.ceilTimes(1000);
        if (millis.signum() < 0) {
            reply.error(Errors.TIMEOUT_NEGATIVE);
            return -1;
        }
        if (millis.compareTo(BigInteger.valueOf(Long.MAX_VALUE - nowMillis)) > 0) {
            reply.error(Errors.TIMEOUT_OUT_OF_RANGE);
            return -1;
        }
        return millis.longValue();
    }

    /**
     * Blocks {@code client} (from its handler, under the command's locks) until {@code attempt}
     * serves it after one of {@code keys} of its database received a value of {@code wakeType},
     * or until {@code timeoutMillis} (0: for ever) passes, when {@code onTimeout} writes the
     * reply. {@code lockKeys} are every key the attempt touches (the watched keys and any
     * destination). A client blocked without keys (WAIT) ends only by its timeout, CLIENT
     * UNBLOCK or disconnection. Inside EXEC a command cannot wait: it gets its timeout reply at
     * once, except that a command moving into a destination (BLMOVE, BRPOPLPUSH: lockKeys beyond
     * keys) answers a null bulk, as Redis's do there.
     */
    public void block(Client client, byte[][] keys, byte[][] lockKeys, ValueType wakeType, long timeoutMillis,
                      Attempt attempt, Consumer<ReplyWriter> onTimeout) {
        block(client, keys, lockKeys, wakeType, false, timeoutMillis, attempt, onTimeout);
    }

    /**
     * {@link #block} for a waiter whose attempt must also run when a watched key is deleted or
     * gets a value of another type, when {@code wakeOnAnyChange} (XREADGROUP answers NOGROUP or
     * WRONGTYPE then).
     */
    public void block(Client client, byte[][] keys, byte[][] lockKeys, ValueType wakeType, boolean wakeOnAnyChange,
                      long timeoutMillis, Attempt attempt, Consumer<ReplyWriter> onTimeout) {
        if (client.transaction() != null && client.transaction().executing()) {
            if (lockKeys.length > keys.length) {
                client.reply().nullBulk();
            } else {
                onTimeout.accept(client.reply());
            }
            return;
        }
        Waiter waiter = new Waiter(client, client.db(), keys, slotsOf(lockKeys), wakeType, wakeOnAnyChange, attempt,
                onTimeout);
        byClient.put(client, waiter);
        synchronized (queues) {
            for (byte[] key : keys) {
                ArrayDeque<Waiter> queue = queues.computeIfAbsent(new WatchedKey(waiter.db, key), k -> {
                    watchedKeys.incrementAndGet();
                    return new ArrayDeque<>();
                });
                if (!queue.contains(waiter)) { // BLPOP k k: one place in the queue
                    queue.add(waiter);
                }
            }
        }
        client.connection().block(timeoutMillis, reply -> timedOut(waiter, reply));
    }

    /** Blocks {@code client} on no key: only its timeout, CLIENT UNBLOCK or a disconnect end it (WAIT). */
    public void block(Client client, long timeoutMillis, Consumer<ReplyWriter> onTimeout) {
        block(client, NO_KEYS, NO_KEYS, null, false, timeoutMillis, (db, reply) -> false, onTimeout);
    }

    private static int[] slotsOf(byte[][] keys) {
        int[] slots = new int[keys.length];
        for (int i = 0; i < keys.length; i++) {
            slots[i] = SlotHash.slot(keys[i]);
        }
        return Arrays.stream(slots).sorted().distinct().toArray();
    }

    @Override
    public void keyReady(Database db, byte[] key) {
        if (watchedKeys.get() == 0) {
            return;
        }
        WatchedKey watched = new WatchedKey(db, key);
        synchronized (queues) {
            if (!queues.containsKey(watched)) {
                return;
            }
        }
        ArrayDeque<WatchedKey> keys = ready.get();
        if (!keys.contains(watched)) {
            keys.add(watched);
        }
    }

    /**
     * Notes every watched key of {@code db} (SWAPDB brought in other contents, FLUSHDB removed
     * them): those that exist, and the others for the waiters that hear of deletions.
     */
    public void databaseChanged(Database db) {
        if (watchedKeys.get() == 0) {
            return;
        }
        List<WatchedKey> keys;
        synchronized (queues) {
            keys = new ArrayList<>(queues.keySet());
        }
        for (WatchedKey key : keys) {
            if (key.db() == db) {
                keyReady(db, key.bytes());
            }
        }
    }

    /**
     * Serves the waiters of the keys the finished request signalled. Called by the dispatcher
     * after each request, holding no lock.
     */
    @Override
    public void serveReady() {
        if (watchedKeys.get() == 0) {
            return;
        }
        ArrayDeque<WatchedKey> keys = ready.get();
        WatchedKey key;
        while ((key = keys.poll()) != null) { // serving may signal more keys (BLMOVE's destination)
            serve(key);
        }
    }

    private void serve(WatchedKey key) {
        List<Waiter> waiters;
        synchronized (queues) {
            ArrayDeque<Waiter> queue = queues.get(key);
            if (queue == null) {
                return;
            }
            waiters = new ArrayList<>(queue);
        }
        for (Waiter waiter : waiters) {
            locks.lock(waiter.slots, waiter.slots.length);
            boolean unit = effects.enter(); // what the served command did is propagated as its own unit (its handler rewrites it)
            try {
                Object value = key.db().peek(key.bytes());
                boolean wakes = waiter.wakeOnAnyChange || (value != null && ValueType.of(value) == waiter.wakeType);
                if (!wakes || !tryServe(waiter)) {
                    continue;
                }
            } finally {
                if (unit) {
                    effects.commandRan(waiter.db.index(), null);
                    effects.exit(unit);
                }
                locks.unlock(waiter.slots, waiter.slots.length);
            }
            forget(waiter);
            waiter.client.connection().unblock(reply -> reply.raw(waiter.servedReply));
        }
    }

    /** Runs the waiter's attempt into a buffer of its own; true when it served (and ended) the waiter. */
    private static boolean tryServe(Waiter waiter) {
        synchronized (waiter) {
            if (waiter.ended) {
                return false;
            }
            ByteBuf buffer = Unpooled.buffer(64);
            ReplyWriter reply = new ReplyWriter(NO_ERROR_STATS);
            reply.protocol(waiter.client.reply().protocol());
            reply.target(buffer);
            if (!waiter.attempt.serve(waiter.db, reply)) {
                return false;
            }
            waiter.servedReply = ByteBufUtil.getBytes(buffer);
            waiter.ended = true;
            return true;
        }
    }

    /** The connection's timeout fired (on its event loop): reply, unless a server got there first. */
    private void timedOut(Waiter waiter, ReplyWriter reply) {
        synchronized (waiter) {
            if (waiter.servedReply != null) {
                reply.raw(waiter.servedReply);
                return;
            }
            waiter.ended = true;
        }
        forget(waiter);
        waiter.onTimeout.accept(reply);
    }

    /**
     * CLIENT UNBLOCK: ends {@code client}'s wait with its timeout reply, or with the UNBLOCKED
     * error when {@code error}. False when it is not blocked by a command.
     */
    public boolean unblock(Client client, boolean error) {
        Waiter waiter = byClient.get(client);
        if (waiter == null || !waiter.end()) {
            return false;
        }
        forget(waiter);
        client.connection().unblock(error ? reply -> reply.error(UNBLOCKED) : waiter.onTimeout);
        return true;
    }

    /** The client disconnected: drops its wait. */
    public void disconnected(Client client) {
        Waiter waiter = byClient.get(client);
        if (waiter != null && waiter.end()) {
            forget(waiter);
        }
    }

    /** Whether {@code client} is blocked by a command (not by CLIENT PAUSE). */
    public boolean isBlocked(Client client) {
        return byClient.containsKey(client);
    }

    /** How many clients are blocked by commands (INFO blocked_clients). */
    public int blockedClients() {
        return byClient.size();
    }

    /** How many keys blocked clients wait on (INFO total_blocking_keys). */
    public int blockingKeys() {
        return watchedKeys.get();
    }

    private void forget(Waiter waiter) {
        byClient.remove(waiter.client, waiter);
        synchronized (queues) {
            for (byte[] key : waiter.keys) {
                WatchedKey watched = new WatchedKey(waiter.db, key);
                ArrayDeque<Waiter> queue = queues.get(watched);
                if (queue != null && queue.remove(waiter) && queue.isEmpty()) {
                    queues.remove(watched);
                    watchedKeys.decrementAndGet();
                }
            }
        }
    }
}
