package io.spinel.store;

/**
 * The active expire cycle: reclaims keys whose time to live has passed without waiting for a
 * command to touch them, like Redis's activeExpireCycle.
 *
 * <p>Each database and each slot table keep a lower bound of their earliest expiry, so a cycle
 * skips, without locking, every database and every slot that cannot hold an expired key, and sweeps the others whole under their
 * lock (one slot at a time, so clients wait at most for one slot's sweep). A cycle stops when its
 * time budget is spent (25% of the 1/hz period, Redis's ACTIVE_EXPIRE_CYCLE_SLOW_TIME_PERC) and
 * the next one resumes where it stopped, so reclaiming a large backlog takes several cycles while
 * no cycle takes long.
 *
 * <p>While a backlog remains (the last cycle ran out of time), {@link #runFast} cycles of 1 ms
 * (Redis's ACTIVE_EXPIRE_CYCLE_FAST_DURATION) may run between the slow ones, as Redis runs fast
 * cycles before it sleeps: a mass expiry is then reclaimed at about twice the slow cycles' rate,
 * and a server without a backlog pays nothing for them. Runs on one thread; not reentrant.
 *
 * <p>active-expire-effort (1 to 10) raises both budgets as in Redis: the slow cycle's share by 2
 * points per step above 1, the fast cycle by a quarter of a millisecond. Redis's effort also
 * samples more keys per bucket and tolerates fewer stale ones; a cycle here sweeps each slot it
 * visits whole, so time is the only thing there is to give.
 */
public final class ExpireCycle {
    private static final int SLOW_TIME_PERCENT = 25;
    private static final long FAST_DURATION_MICROS = 1000;

    private final Keyspace keyspace;
    private volatile boolean enabled = true;
    private int nextDatabase;
    private int nextSlot;
    private boolean backlog;

    public ExpireCycle(Keyspace keyspace) {
        this.keyspace = keyspace;
    }

    /** DEBUG SET-ACTIVE-EXPIRE. */
    public void enabled(boolean on) {
        this.enabled = on;
    }

    public boolean enabled() {
        return enabled;
    }

    /** Whether the last cycle stopped on its time budget, leaving expired keys behind. */
    public boolean backlog() {
        return backlog;
    }

    /**
     * Runs one cycle for a server ticking {@code hz} times per second at active-expire-effort
     * {@code effort}; returns keys reclaimed.
     */
    public long run(int hz, int effort) {
        return cycle(1_000_000_000L / hz * (SLOW_TIME_PERCENT + 2L * (effort - 1)) / 100);
    }

    /** Runs a fast cycle ({@link #fastDurationMicros}) if the last cycle left a backlog; returns keys reclaimed. */
    public long runFast(int effort) {
        return backlog ? cycle(fastDurationMicros(effort) * 1000) : 0;
    }

    /** How long a fast cycle may run at active-expire-effort {@code effort}; Redis starts the next one no sooner than twice that. */
    public static long fastDurationMicros(int effort) {
        return FAST_DURATION_MICROS + FAST_DURATION_MICROS / 4 * (effort - 1);
    }

    private long cycle(long budgetNanos) {
        backlog = false;
        if (!enabled) {
            return 0;
        }
        Clock clock = keyspace.clock();
        long start = clock.nanoTime();
        long now = clock.millis();
        long reclaimed = 0;
        int total = keyspace.databaseCount() * SlotHash.SLOTS;
        KeyspaceStats stats = keyspace.stats();
        for (int visited = 0; visited < total; visited++) {
            Database db = keyspace.database(nextDatabase);
            int slot = nextSlot;
            if (slot == 0 && !db.startExpirePass(now)) {
                visited += SlotHash.SLOTS - 1;
                nextDatabase = (nextDatabase + 1) % keyspace.databaseCount();
                continue;
            }
            if (++nextSlot == SlotHash.SLOTS) {
                nextSlot = 0;
                nextDatabase = (nextDatabase + 1) % keyspace.databaseCount();
            }
            if (db.mayHaveExpired(slot, now)) {
                keyspace.locks().lock(slot);
                try {
                    reclaimed += db.expireSlot(slot, now);
                } finally {
                    keyspace.locks().unlock(slot);
                }
            }
            db.passedSlot(slot);
            if ((visited & 15) == 0 && clock.nanoTime() - start > budgetNanos) {
                stats.expiredStaleCycles.increment();
                backlog = true;
                break;
            }
        }
        return reclaimed;
    }
}
