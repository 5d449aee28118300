package io.spinel.store;

import io.spinel.config.Config;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The data: every database, the slot locks that guard them, the clock and the keyspace counters.
 *
 * <h2>Concurrency</h2>
 * Commands run on the event loop thread of their connection, many at once. The rules:
 * <ul>
 *   <li>A key may be read or written only by a thread holding its slot's lock
 *       ({@link SlotLocks}); one lock per slot covers that slot in every database.</li>
 *   <li>Locks are taken in ascending slot order and released before the command's thread does
 *       anything that could wait; a command never blocks while holding them.</li>
 *   <li>Keyspace-wide operations (FLUSHALL, FLUSHDB, SWAPDB, KEYS, DBSIZE) hold every slot
 *       lock: nothing else touches any key meanwhile.</li>
 *   <li>The dispatcher takes the locks a command's key specs name before its handler runs;
 *       handlers that walk slots themselves (SCAN, RANDOMKEY) lock one slot at a time.</li>
 *   <li>The active expire cycle runs on its own thread and locks one slot at a time.</li>
 *   <li>Eviction ({@link Evictor}) runs on the thread of the command that found memory over
 *       the limit, before that command takes its locks, or on a background thread; it too locks
 *       one slot at a time, and must never be started by a thread that holds slot locks.</li>
 *   <li>What a command modified in place is measured again when it releases the slot's last
 *       hold ({@link SlotLocks}' release hook, see {@link Database}'s Memory accounting), so the
 *       per-slot list of pending measurements is only ever touched by the slot's owner.</li>
 *   <li>While a snapshot runs, taking a slot's lock first serializes the slot if the snapshot
 *       has not yet ({@link SlotLocks.Barrier}): whoever touches a key without its slot's lock
 *       would also change the file being written.</li>
 * </ul>
 * A slot's table is replaced only under all slot locks, so holding a slot's lock pins it.
 */
public final class Keyspace {
    /**
     * used_memory_startup: the part of used_memory that is there before any key, counted as the
     * slot-table directory of every database (one reference per slot), much as an empty Redis
     * reports under a megabyte.
     */
    private final long startupBytes;
    private final Database[] databases;
    private final SlotLocks locks = new SlotLocks(this::released);
    private final Clock clock;
    private final Config config;
    private final Evictor evictor;
    /** Per slot, the values modified in place under the slot's lock and not yet re-measured. */
    private final PendingWrite[] pending = new PendingWrite[SlotHash.SLOTS];
    /** The maxmemory-policy value {@link #policy} was parsed from (compared by reference). */
    private volatile String policyName;
    private volatile EvictionPolicy policy = EvictionPolicy.NOEVICTION;
    /** How many commands run now for CLIENT NO-TOUCH clients: while 0, no lookup reads {@link #NO_TOUCH}. */
    private final AtomicInteger noTouchCommands = new AtomicInteger();
    private static final ThreadLocal<Boolean> NO_TOUCH = new ThreadLocal<>();
    /** The unit of the LRU access clock. */
    static final long LRU_TICK_MILLIS = 10;
    /** Bytes of the clients' query and output buffers, as the cron last summed them. */
    private volatile long clientBytes;
    private final KeyspaceStats stats = new KeyspaceStats();
    private final Effects effects = new Effects();
    private volatile KeyReadyListener readyListener = (db, key) -> { };
    private volatile KeyspaceListener[] listeners = {};
    /**
     * The time as of the last {@link #tick}: what values that need no precision read (the LRU
     * access clock, a client's last interaction) instead of the clock, as Redis caches its
     * unixtime and lruclock in serverCron.
     */
    private volatile long cachedMillis;

    /** A keyspace of {@code databaseCount} databases with the default configuration. */
    public Keyspace(int databaseCount, Clock clock) {
        this(databaseCount, new Config(), clock);
    }

    /** The keyspace of a server: its databases, eviction and access clocks follow {@code config}. */
    public Keyspace(Config config, Clock clock) {
        this(config.databases.intValue(), config, clock);
    }

    private Keyspace(int databaseCount, Config config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.startupBytes = (long) databaseCount * SlotHash.SLOTS * 4;
        this.evictor = new Evictor(this, config);
        this.cachedMillis = clock.millis();
        this.databases = new Database[databaseCount];
        for (int i = 0; i < databaseCount; i++) {
            databases[i] = new Database(i, this);
        }
    }

    public Database database(int index) {
        return databases[index];
    }

    public int databaseCount() {
        return databases.length;
    }

    public SlotLocks locks() {
        return locks;
    }

    public Clock clock() {
        return clock;
    }

    /** Refreshes the cached time; the server's cron calls it at every run (hz times a second). */
    public void tick() {
        cachedMillis = clock.millis();
    }

    /** The cached time in Unix ms, at most one cron period old. */
    public long cachedMillis() {
        return cachedMillis;
    }

    /**
     * The LRU access clock a key touched now gets: the cached time in units of
     * {@link #LRU_TICK_MILLIS}, as an unsigned int that wraps after 497 days. Finer than Redis's
     * seconds, so that eviction tells apart keys read within the same second (a better hit ratio
     * for allkeys-lru); {@link #idleMillis} turns a key's clock into its idle time.
     */
    public int lruClock() {
        return (int) (cachedMillis / LRU_TICK_MILLIS);
    }

    /** Milliseconds since a key whose LRU access clock is {@code accessClock} was last touched (estimateObjectIdleTime). */
    public long idleMillis(int accessClock) {
        long now = Integer.toUnsignedLong(lruClock());
        long then = Integer.toUnsignedLong(accessClock);
        long ticks = now >= then ? now - then : (1L << 32) - then + now;
        return ticks * LRU_TICK_MILLIS;
    }

    /** The maxmemory-policy in force, parsed again only when the setting changed. */
    public EvictionPolicy policy() {
        String name = config.maxmemoryPolicy.value();
        if (name != policyName) {
            policy = EvictionPolicy.of(name);
            policyName = name;
        }
        return policy;
    }

    /** The access clock of a key created now: LFU data under an LFU policy, else the LRU clock. */
    int createdAccessClock() {
        return policy().lfu() ? LfuCounter.created(cachedMillis) : lruClock();
    }

    /**
     * The access clock of a key looked up now whose clock was {@code clock} (Redis's lookupKey
     * touch): an LFU update under an LFU policy, else the LRU clock; unchanged for a command of a
     * CLIENT NO-TOUCH client.
     */
    int touchedAccessClock(int clock) {
        if (noTouchCommands.get() > 0 && NO_TOUCH.get() == Boolean.TRUE) {
            return clock;
        }
        if (policy().lfu()) {
            return LfuCounter.accessed(clock, cachedMillis, config.lfuLogFactor.value(), config.lfuDecayTime.value());
        }
        return lruClock();
    }

    /**
     * Marks the commands this thread runs from now on as not touching keys (true: a CLIENT
     * NO-TOUCH client's command other than TOUCH) or as touching them again (false). Calls pair up.
     */
    public void noTouch(boolean on) {
        if (on) {
            NO_TOUCH.set(Boolean.TRUE);
            noTouchCommands.incrementAndGet();
        } else {
            NO_TOUCH.remove();
            noTouchCommands.decrementAndGet();
        }
    }

    /** The frequency OBJECT FREQ reports for a key whose access clock is {@code clock}. */
    public int frequency(int clock) {
        return LfuCounter.decayed(clock, cachedMillis, config.lfuDecayTime.value());
    }

    /** The memory limit and eviction. */
    public Evictor evictor() {
        return evictor;
    }

    /**
     * used_memory: the estimated bytes of every key and value ({@link EntrySize}), of the
     * clients' buffers (as last summed) and of the empty keyspace. Cheap enough to call before
     * every command.
     */
    public long usedMemory() {
        return startupBytes + datasetBytes() + clientBytes;
    }

    /** used_memory_startup. */
    public long startupBytes() {
        return startupBytes;
    }

    /** The estimated bytes of every key and value of every database (used_memory_dataset). */
    public long datasetBytes() {
        long total = 0;
        for (Database db : databases) {
            total += db.bytes();
        }
        return total;
    }

    /** Records the bytes the clients' buffers hold now (the cron sums them). */
    public void clientBytes(long bytes) {
        this.clientBytes = bytes;
    }

    public long clientBytes() {
        return clientBytes;
    }

    /**
     * Records that {@code db}'s {@code value} at {@code key}, measured {@code before} bytes, may
     * be modified in place by the command holding the key's slot lock: its size is measured again
     * when the lock is released (or earlier, before anything else in the slot changes). Every
     * replacement or removal of the value settles it first, so at settling the key still holds
     * that value and it is measured without a lookup.
     */
    void pendingWrite(int slot, Database db, byte[] key, Object value, long before) {
        locks.releaseHook(slot);
        for (PendingWrite p = pending[slot]; p != null; p = p.next) {
            if (p.db == db && java.util.Arrays.equals(p.key, key)) {
                return;
            }
        }
        pending[slot] = new PendingWrite(db, key, value, before, pending[slot]);
    }

    /** Measures again the values modified in place in {@code slot}. Needs the slot's lock. */
    void settle(int slot) {
        PendingWrite p = pending[slot];
        if (p == null) {
            return;
        }
        pending[slot] = null;
        for (; p != null; p = p.next) {
            p.db.remeasure(p.key, p.value, p.before);
        }
    }

    /**
     * Measures again {@code db}'s value at {@code key} if it has a pending measurement, before the
     * value is replaced or removed; the slot's other pending values stay pending, as the command
     * may still modify them. Needs the slot's lock.
     */
    void settle(int slot, Database db, byte[] key) {
        PendingWrite kept = null;
        for (PendingWrite p = pending[slot]; p != null; p = p.next) {
            if (p.db == db && java.util.Arrays.equals(p.key, key)) {
                db.remeasure(key, p.value, p.before);
            } else {
                kept = new PendingWrite(p.db, p.key, p.value, p.before, kept);
            }
        }
        pending[slot] = kept;
    }

    /** A slot's last hold is about to be released: what its commands changed in place is measured. */
    private void released(int slot) {
        if (pending[slot] != null) {
            settle(slot);
        }
    }

    /** A value modified in place under its slot's lock, with its size before. */
    private record PendingWrite(Database db, byte[] key, Object value, long before, PendingWrite next) {
    }

    public KeyspaceStats stats() {
        return stats;
    }

    /** Who hears of keys that may serve blocked clients (the blocking-command registry). */
    public void readyListener(KeyReadyListener listener) {
        this.readyListener = listener;
    }

    KeyReadyListener readyListener() {
        return readyListener;
    }

    /** Adds a listener of every change to the data (WATCH, tracking, notifications). */
    public synchronized void addListener(KeyspaceListener listener) {
        KeyspaceListener[] grown = java.util.Arrays.copyOf(listeners, listeners.length + 1);
        grown[listeners.length] = listener;
        listeners = grown;
    }

    /**
     * Tells every listener that {@code key} changed; counted in the changes since the last save
     * and, for propagation, as a change made by the running command.
     */
    void keyModified(Database db, byte[] key) {
        effects.modified();
        signalModified(db, key);
    }

    /**
     * Tells every listener that {@code key} was removed by expiry or eviction and propagates the
     * deletion; not a change of the running command (Redis's deleteExpiredKeyAndPropagate does
     * not touch server.dirty). {@code inCommand}: a command's lookup found it expired. Needs the
     * key's slot lock.
     */
    void keyRemovedBySystem(Database db, byte[] key, boolean eviction, boolean inCommand) {
        signalModified(db, key);
        if (effects.active()) {
            boolean lazy = eviction ? config.lazyfreeLazyEviction.value() : config.lazyfreeLazyExpire.value();
            effects.deleted(db.index(), key, lazy, inCommand);
        }
    }

    /**
     * A change counted as server.dirty (saved, propagated) that signals no key: a stream's groups
     * (through {@link Database#changedGroups}), FUNCTION DELETE and FLUSH.
     */
    public void changedUnsignalled() {
        effects.modified();
        stats.changes.increment();
    }

    /** The propagation of writes (AOF, replication). */
    public Effects effects() {
        return effects;
    }

    private void signalModified(Database db, byte[] key) {
        stats.changes.increment();
        for (KeyspaceListener listener : listeners) {
            listener.keyModified(db, key);
        }
    }

    /** Tells every listener of a keyspace notification. */
    void keyEvent(Database db, byte[] key, int eventClass, String event) {
        for (KeyspaceListener listener : listeners) {
            listener.keyEvent(db, key, eventClass, event);
        }
    }

    /** Tells every listener that every key of {@code db} (null: of every database) may have changed. */
    public void databaseChanged(Database db) {
        effects.modified();
        stats.changes.increment();
        for (KeyspaceListener listener : listeners) {
            listener.databaseChanged(db);
        }
    }

    /** Exchanges two databases' contents. Needs every slot lock. */
    public void swap(int a, int b) {
        databases[a].swapWith(databases[b]);
    }
}
