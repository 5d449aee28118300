package io.spinel.store;

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
 *   <li>While a snapshot runs, taking a slot's lock first serializes the slot if the snapshot
 *       has not yet ({@link SlotLocks.Barrier}): whoever touches a key without its slot's lock
 *       would also change the file being written.</li>
 * </ul>
 * A slot's table is replaced only under all slot locks, so holding a slot's lock pins it.
 */
public final class Keyspace {
    private final Database[] databases;
    private final SlotLocks locks = new SlotLocks();
    private final Clock clock;
    private final KeyspaceStats stats = new KeyspaceStats();
    private volatile KeyReadyListener readyListener = (db, key) -> { };
    private volatile KeyspaceListener[] listeners = {};
    /**
     * The time as of the last {@link #tick}: what values that need no precision read (the LRU
     * access clock, a client's last interaction) instead of the clock, as Redis caches its
     * unixtime and lruclock in serverCron.
     */
    private volatile long cachedMillis;

    public Keyspace(int databaseCount, Clock clock) {
        this.clock = clock;
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

    /** The LRU access clock a key touched now gets: the cached time in Unix seconds, as an unsigned int. */
    public int lruClock() {
        return (int) (cachedMillis / 1000);
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

    /** Tells every listener that {@code key} changed; counted in the changes since the last save. */
    void keyModified(Database db, byte[] key) {
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
