package io.spinel.store;

import io.spinel.config.Config;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Keeps used_memory under maxmemory by evicting keys as the maxmemory-policy says, the way Redis's
 * evict.c does; called before every command while a limit is set.
 *
 * <h2>Choosing keys</h2>
 * The LRU, LFU and TTL policies rank candidates and evict the best of a pool of 16
 * (EVPOOL_SIZE) that survives between calls: every round samples maxmemory-samples keys from each
 * database that has keys, each sample a random slot (the next one that holds keys, from a random
 * start) and a random key in it, and inserts into the pool those that beat its worst entry. The
 * score is the idle time in ms (LRU), 255 minus the decayed LFU counter, then the idle time
 * among equal counters (LFU), or the distance of the expiry from the end of time (TTL), higher
 * first. The random policies take a random key of
 * the next database in turn. The volatile policies only look at keys with a time to live. A key
 * picked from the pool is looked up again, as it may have gone since it was sampled.
 *
 * <h2>Bounded steps</h2>
 * A call evicts until memory is under the limit, or until its time budget is spent (Redis's
 * eviction time limit: 50 us per point of maxmemory-eviction-tenacity up to 10, then 15% more
 * per point, unlimited at 100); then a background thread goes on evicting in steps of the same
 * budget while commands are accepted, as Redis's eviction timer proc does. Each key is evicted
 * under its slot's lock alone, so other clients wait at most one key's removal. Only one thread
 * evicts at a time: the pool is shared, and a writer finding memory over the limit waits for the
 * running step rather than adding to the overshoot.
 *
 * <h2>Out of memory</h2>
 * {@link #perform} answers {@link Result#FAIL} when memory is over the limit and nothing may be
 * evicted (noeviction, or a volatile policy without volatile keys), and the dispatcher then
 * refuses commands flagged denyoom with Redis's OOM error.
 */
public final class Evictor {
    /** What {@link #perform} achieved. */
    /** While the dataset loads (an AOF replayed at startup), nothing is evicted nor refused, as in Redis. */
    private volatile boolean loading;

    /** Marks the start (true) or end (false) of loading the dataset: no eviction meanwhile. */
    public void loading(boolean on) {
        loading = on;
    }

    public enum Result {
        /** Under the limit (or no limit). */
        OK,
        /** Over the limit, and eviction goes on in the background. */
        RUNNING,
        /** Over the limit and nothing left to evict. */
        FAIL
    }

    /** Receives a sampled key with its access clock and expiry (0: none). */
    interface Sink {
        void offer(byte[] key, int accessClock, long expiresAt);
    }

    private static final int POOL_SIZE = 16;
    private static final long HEAP_CAP = Math.max(16L << 20, Runtime.getRuntime().maxMemory() / 2 - (32L << 20));

    private final Keyspace keyspace;
    private final Config config;
    private final Object stepLock = new Object();
    private final AtomicBoolean background = new AtomicBoolean();
    /** The candidates, worst first: scores ascending, the best at the highest filled index. */
    private final long[] poolScores = new long[POOL_SIZE];
    private final byte[][] poolKeys = new byte[POOL_SIZE][];
    private final Database[] poolDatabases = new Database[POOL_SIZE];
    private int nextRandomDatabase;
    /** Whether the last {@link #populate} found no key at all to sample. */
    private boolean poolEmptyAfterSampling;
    /** When memory last went over the limit (ns, 0: under it), for total_eviction_exceeded_time. */
    private volatile long overSince;

    Evictor(Keyspace keyspace, Config config) {
        this.keyspace = keyspace;
        this.config = config;
    }

    /**
     * Evicts keys until used_memory is at most maxmemory, within the time budget (performEvictions).
     * Must be called without slot locks held.
     */
    public Result perform() {
        long limit = limit();
        if (limit == 0 || loading || keyspace.usedMemory() <= limit) {
            exceeded(false);
            return Result.OK;
        }
        exceeded(true);
        if (keyspace.policy() == EvictionPolicy.NOEVICTION) {
            return Result.FAIL;
        }
        Result result;
        synchronized (stepLock) {
            result = step(limit, timeLimitNanos());
        }
        if (result == Result.RUNNING) {
            startBackground();
        }
        return result == Result.FAIL && background.get() ? Result.RUNNING : result;
    }

    /** Whether memory is over maxmemory now (no eviction attempted). */
    public boolean overLimit() {
        long limit = limit();
        return limit != 0 && keyspace.usedMemory() > limit;
    }

    /**
     * The limit eviction keeps to: maxmemory, but never more than half the heap less 32 MB, so
     * that a maxmemory raised at run time past what the heap was sized for (the launcher gives
     * the heap twice maxmemory and 64 MB) evicts before the heap runs out, instead of failing
     * with OutOfMemoryError. 0: no limit.
     */
    private long limit() {
        long configured = config.maxmemory.value();
        return configured == 0 ? 0 : Math.min(configured, HEAP_CAP);
    }

    /** Microseconds spent over the limit in the current episode (current_eviction_exceeded_time). */
    public long currentExceededMicros() {
        long since = overSince;
        return since == 0 ? 0 : (System.nanoTime() - since) / 1000;
    }

    private void exceeded(boolean over) {
        long since = overSince;
        if (over && since == 0) {
            overSince = System.nanoTime();
        } else if (!over && since != 0) {
            overSince = 0;
            keyspace.stats().evictionExceededMicros.add((System.nanoTime() - since) / 1000);
        }
    }

    /** Redis's evictionTimeLimitUs, in ns; Long.MAX_VALUE for no limit. */
    private long timeLimitNanos() {
        long tenacity = config.maxmemoryEvictionTenacity.value();
        if (tenacity <= 10) {
            return 50_000L * tenacity;
        }
        if (tenacity < 100) {
            return (long) (500_000.0 * Math.pow(1.15, tenacity - 10));
        }
        return Long.MAX_VALUE;
    }

    /** Evicts until under {@code limit}, out of candidates (FAIL) or out of time (RUNNING). */
    private Result step(long limit, long budgetNanos) {
        long start = System.nanoTime();
        EvictionPolicy policy = keyspace.policy();
        boolean lazy = config.lazyfreeLazyEviction.value();
        int evicted = 0;
        while (keyspace.usedMemory() > limit) {
            if (policy == EvictionPolicy.NOEVICTION || !evictOne(policy, lazy)) {
                return Result.FAIL;
            }
            if ((++evicted & 15) == 0 && System.nanoTime() - start > budgetNanos) {
                return Result.RUNNING;
            }
        }
        return Result.OK;
    }

    /** Evicts one key chosen by {@code policy}; false when there is no candidate. */
    private boolean evictOne(EvictionPolicy policy, boolean lazy) {
        if (policy.rank() == EvictionPolicy.Rank.RANDOM) {
            return evictRandom(policy.volatileOnly(), lazy);
        }
        for (int round = 0; round < 16; round++) {
            populate(policy);
            for (int i = POOL_SIZE - 1; i >= 0; i--) {
                byte[] key = poolKeys[i];
                if (key == null) {
                    continue;
                }
                Database db = poolDatabases[i];
                removeFromPool(i);
                if (evict(db, key, lazy)) {
                    return true;
                }
            }
            if (poolEmptyAfterSampling) {
                return false;
            }
        }
        return false;
    }

    /** Samples maxmemory-samples keys of every database with keys into the pool (evictionPoolPopulate). */
    private void populate(EvictionPolicy policy) {
        int samples = (int) Math.max(1, Math.min(config.maxmemorySamples.value(), 64));
        boolean volatileOnly = policy.volatileOnly();
        long now = keyspace.clock().millis();
        boolean found = false;
        for (int d = 0; d < keyspace.databaseCount(); d++) {
            Database db = keyspace.database(d);
            if (db.bytes() == 0) {
                continue;
            }
            for (int n = 0; n < samples; n++) {
                if (!sampleInto(db, volatileOnly, policy, now)) {
                    break;
                }
                found = true;
            }
        }
        poolEmptyAfterSampling = !found;
    }

    /** Samples one key of {@code db} into the pool; false when the database has no candidate. */
    private boolean sampleInto(Database db, boolean volatileOnly, EvictionPolicy policy, long now) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int slot = db.nextCandidateSlot(random.nextInt(SlotHash.SLOTS), volatileOnly);
        if (slot < 0) {
            return false;
        }
        SlotLocks locks = keyspace.locks();
        locks.lock(slot);
        try {
            db.sample(slot, volatileOnly, random, (key, accessClock, expiresAt) -> insert(db, key, score(policy, accessClock, expiresAt, now)));
        } finally {
            locks.unlock(slot);
        }
        return true;
    }

    /** The eviction score of a sampled key: higher goes first. */
    private long score(EvictionPolicy policy, int accessClock, long expiresAt, long now) {
        return switch (policy.rank()) {
            case LRU -> keyspace.idleMillis(accessClock);
            // Fewer accesses first; among equal counters, the longest idle (the time is in ms,
            // capped below 2^31, so it never outweighs one step of the counter).
            case LFU -> ((255L - keyspace.frequency(accessClock)) << 31) + Math.min(LfuCounter.idleMillis(accessClock, keyspace.cachedMillis()), Integer.MAX_VALUE);
            case TTL -> Long.MAX_VALUE - expiresAt;
            default -> 0;
        };
    }

    /** Inserts a candidate into the pool if it beats the worst entry of a full pool. */
    private void insert(Database db, byte[] key, long score) {
        int k = 0;
        while (k < POOL_SIZE && poolKeys[k] != null && poolScores[k] < score) {
            k++;
        }
        for (int i = 0; i < POOL_SIZE && poolKeys[i] != null; i++) {
            if (poolDatabases[i] == db && java.util.Arrays.equals(poolKeys[i], key)) {
                return; // already a candidate: keep its place
            }
        }
        if (k == 0 && poolKeys[POOL_SIZE - 1] != null) {
            return;
        }
        if (k < POOL_SIZE && poolKeys[k] == null) {
            set(k, db, key, score);
            return;
        }
        if (poolKeys[POOL_SIZE - 1] == null) {
            System.arraycopy(poolScores, k, poolScores, k + 1, POOL_SIZE - k - 1);
            System.arraycopy(poolKeys, k, poolKeys, k + 1, POOL_SIZE - k - 1);
            System.arraycopy(poolDatabases, k, poolDatabases, k + 1, POOL_SIZE - k - 1);
        } else {
            k--;
            System.arraycopy(poolScores, 1, poolScores, 0, k);
            System.arraycopy(poolKeys, 1, poolKeys, 0, k);
            System.arraycopy(poolDatabases, 1, poolDatabases, 0, k);
        }
        set(k, db, key, score);
    }

    private void set(int i, Database db, byte[] key, long score) {
        poolScores[i] = score;
        poolKeys[i] = key;
        poolDatabases[i] = db;
    }

    /** Empties pool entry {@code i}; entries are only taken from the best end, so nothing shifts. */
    private void removeFromPool(int i) {
        poolKeys[i] = null;
        poolDatabases[i] = null;
    }

    /** Evicts a random key of the next database in turn that has one. */
    private boolean evictRandom(boolean volatileOnly, boolean lazy) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int tried = 0; tried < keyspace.databaseCount(); tried++) {
            Database db = keyspace.database(nextRandomDatabase);
            nextRandomDatabase = (nextRandomDatabase + 1) % keyspace.databaseCount();
            if (db.bytes() == 0) {
                continue;
            }
            int slot = db.nextCandidateSlot(random.nextInt(SlotHash.SLOTS), volatileOnly);
            if (slot < 0) {
                continue;
            }
            SlotLocks locks = keyspace.locks();
            locks.lock(slot);
            try {
                byte[][] picked = new byte[1][];
                db.sample(slot, volatileOnly, random, (key, accessClock, expiresAt) -> picked[0] = key);
                if (picked[0] != null && db.evict(picked[0], lazy)) {
                    return true;
                }
            } finally {
                locks.unlock(slot);
            }
        }
        return false;
    }

    /** Evicts {@code key} of {@code db} under its slot's lock; false when it is gone. */
    private boolean evict(Database db, byte[] key, boolean lazy) {
        int slot = SlotHash.slot(key);
        SlotLocks locks = keyspace.locks();
        locks.lock(slot);
        try {
            return db.evict(key, lazy);
        } finally {
            locks.unlock(slot);
        }
    }

    /** Starts the background eviction unless it runs already; it stops once memory is under the limit. */
    private void startBackground() {
        if (!background.compareAndSet(false, true)) {
            return;
        }
        Thread.ofPlatform().daemon().name("spinel-evict").start(() -> {
            try {
                while (true) {
                    long limit = limit();
                    Result result;
                    synchronized (stepLock) {
                        result = limit == 0 ? Result.OK : step(limit, timeLimitNanos());
                    }
                    keyspace.readyListener().serveReady(); // clients blocked on the keys the step evicted
                    if (result != Result.RUNNING) {
                        return;
                    }
                    Thread.yield();
                }
            } finally {
                background.set(false);
            }
        });
    }

    /** Whether background eviction is running (a large overshoot is being evicted). */
    public boolean backgroundRunning() {
        return background.get();
    }
}
