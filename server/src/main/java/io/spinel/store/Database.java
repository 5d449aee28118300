package io.spinel.store;

import io.spinel.types.CollectionValue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One of the numbered databases (SELECT n): 16384 slot tables, created on first use.
 *
 * <p>Every method taking a key must be called with that key's slot lock held; the methods that
 * span slots say which lock they need. Lookups expire lazily: a key past its expiry is deleted
 * when a lookup finds it, so no command ever sees it.
 */
public final class Database {
    /** {@link #ttlMillis} of a missing key. */
    public static final long NO_KEY = -2;
    /** {@link #ttlMillis} of a key without expiry. */
    public static final long NO_EXPIRY = -1;

    private final int index;
    private final Keyspace keyspace;
    private KeyTable[] slots = new KeyTable[SlotHash.SLOTS];
    /**
     * A lower bound of the earliest expiry of any key here (Long.MAX_VALUE: none has one). Every
     * write of an expiry lowers it; a pass of the expire cycle recomputes it, so a cycle skips a
     * database without volatile keys without visiting its 16384 slots.
     */
    private final AtomicLong earliestExpiry = new AtomicLong(Long.MAX_VALUE);

    Database(int index, Keyspace keyspace) {
        this.index = index;
        this.keyspace = keyspace;
    }

    public int index() {
        return index;
    }

    private KeyTable table(byte[] key) {
        return slots[SlotHash.slot(key)];
    }

    private KeyTable tableForInsert(byte[] key) {
        int slot = SlotHash.slot(key);
        KeyTable table = slots[slot];
        if (table == null) {
            table = new KeyTable();
            slots[slot] = table;
        }
        return table;
    }

    /**
     * Finds {@code key}'s position, deleting it first when it has expired (counted in
     * expired_keys). Returns -1 when absent.
     */
    private int live(KeyTable table, byte[] key, long now) {
        return table == null ? -1 : live(table, key, KeyTable.hashOf(key), now);
    }

    /** {@link #live(KeyTable, byte[], long)} with the key's table hash already known. */
    private int live(KeyTable table, byte[] key, int hash, long now) {
        int position = table.find(key, hash);
        if (position >= 0) {
            long at = table.expiryAt(position);
            if (at != 0 && at <= now) {
                table.removeAt(position);
                keyspace.stats().expiredKeys.increment();
                return -1;
            }
        }
        return position;
    }

    /**
     * The value of {@code key} for a command that reads it (lookupKeyRead): expires lazily,
     * counts a keyspace hit or miss and refreshes the key's access clock. Null when absent.
     */
    public Object get(byte[] key) {
        KeyTable table = table(key);
        long now = keyspace.clock().millis();
        int position = live(table, key, now);
        if (position < 0) {
            keyspace.stats().misses.increment();
            return null;
        }
        keyspace.stats().hits.increment();
        table.setAccessAt(position, accessClock(now));
        return table.valueAt(position);
    }

    /**
     * The value of {@code key} for a command about to modify it (lookupKeyWrite): expires lazily
     * and refreshes the access clock, without hit/miss statistics. Null when absent.
     */
    public Object getForWrite(byte[] key) {
        KeyTable table = table(key);
        long now = keyspace.clock().millis();
        int position = live(table, key, now);
        if (position < 0) {
            return null;
        }
        table.setAccessAt(position, accessClock(now));
        return table.valueAt(position);
    }

    /** The value without statistics or access-clock update (TYPE, OBJECT, DEBUG). Null when absent. */
    public Object peek(byte[] key) {
        KeyTable table = table(key);
        int position = live(table, key, keyspace.clock().millis());
        return position < 0 ? null : table.valueAt(position);
    }

    public boolean exists(byte[] key) {
        return peek(key) != null;
    }

    /**
     * Sets {@code key} to {@code value}, creating it or replacing its value (setKey). The expiry
     * is cleared unless {@code keepTtl}.
     */
    public void set(byte[] key, Object value, boolean keepTtl) {
        KeyTable table = tableForInsert(key);
        long now = keyspace.clock().millis();
        int hash = KeyTable.hashOf(key); // once for the lookup and the insert
        int position = live(table, key, hash, now);
        if (position < 0) {
            table.insert(key, hash, value, accessClock(now));
        } else {
            table.setValueAt(position, value);
            table.setAccessAt(position, accessClock(now));
            if (!keepTtl) {
                table.setExpiryAt(position, 0);
            }
        }
        if (value instanceof CollectionValue) {
            keyspace.readyListener().keyReady(this, key);
        }
    }

    /** Sets {@code key} to {@code value} with an absolute expiry in Unix ms (0: none). */
    public void set(byte[] key, Object value, long expiresAtMillis) {
        KeyTable table = tableForInsert(key);
        long now = keyspace.clock().millis();
        int hash = KeyTable.hashOf(key);
        int position = live(table, key, hash, now);
        if (position < 0) {
            position = table.insert(key, hash, value, accessClock(now));
        } else {
            table.setValueAt(position, value);
            table.setAccessAt(position, accessClock(now));
        }
        table.setExpiryAt(position, expiresAtMillis);
        expiryWritten(expiresAtMillis);
        if (value instanceof CollectionValue) {
            keyspace.readyListener().keyReady(this, key);
        }
    }

    /**
     * Tells clients blocked on {@code key} that it may serve them now, for a change that
     * {@link #set} does not see (new entries in an existing stream).
     */
    public void signalReady(byte[] key) {
        keyspace.readyListener().keyReady(this, key);
    }

    private void expiryWritten(long unixMillis) {
        if (unixMillis != 0 && unixMillis < earliestExpiry.get()) {
            earliestExpiry.accumulateAndGet(unixMillis, Math::min);
        }
    }

    /**
     * Replaces the value of an existing key in place, keeping its expiry and access clock (for
     * commands that modify a value they looked up). Returns false when the key is absent.
     */
    public boolean replace(byte[] key, Object value) {
        KeyTable table = table(key);
        if (table == null) {
            return false;
        }
        int position = table.find(key);
        if (position < 0) {
            return false;
        }
        table.setValueAt(position, value);
        return true;
    }

    /** Deletes {@code key}; true when it existed (and had not expired). */
    public boolean delete(byte[] key) {
        KeyTable table = table(key);
        int position = live(table, key, keyspace.clock().millis());
        if (position < 0) {
            return false;
        }
        table.removeAt(position);
        return true;
    }

    /** The absolute expiry of {@code key} in Unix ms, {@link #NO_EXPIRY} or {@link #NO_KEY}. */
    public long expiresAt(byte[] key) {
        KeyTable table = table(key);
        int position = live(table, key, keyspace.clock().millis());
        if (position < 0) {
            return NO_KEY;
        }
        long at = table.expiryAt(position);
        return at == 0 ? NO_EXPIRY : at;
    }

    /** The remaining time to live of {@code key} in ms, {@link #NO_EXPIRY} or {@link #NO_KEY}. */
    public long ttlMillis(byte[] key) {
        long now = keyspace.clock().millis();
        KeyTable table = table(key);
        int position = live(table, key, now);
        if (position < 0) {
            return NO_KEY;
        }
        long at = table.expiryAt(position);
        return at == 0 ? NO_EXPIRY : Math.max(0, at - now);
    }

    /**
     * Sets the expiry of an existing key (Unix ms). An expiry at or before now deletes the key, as
     * Redis does for EXPIRE with a time in the past. Returns false when the key is absent.
     */
    public boolean expireAt(byte[] key, long unixMillis) {
        KeyTable table = table(key);
        long now = keyspace.clock().millis();
        int position = live(table, key, now);
        if (position < 0) {
            return false;
        }
        if (unixMillis <= now) {
            table.removeAt(position);
        } else {
            table.setExpiryAt(position, unixMillis);
            expiryWritten(unixMillis);
        }
        return true;
    }

    /** Removes the expiry of {@code key}; true when it had one. */
    public boolean persist(byte[] key) {
        KeyTable table = table(key);
        int position = live(table, key, keyspace.clock().millis());
        if (position < 0 || table.expiryAt(position) == 0) {
            return false;
        }
        table.setExpiryAt(position, 0);
        return true;
    }

    /**
     * The raw access clock of {@code key} (LRU seconds or LFU data, as the eviction policy keeps
     * it), or -1 when absent. No lock needed beyond the key's slot.
     */
    public int accessClock(byte[] key) {
        KeyTable table = table(key);
        int position = live(table, key, keyspace.clock().millis());
        return position < 0 ? -1 : table.accessAt(position);
    }

    /** The LRU access clock: Unix seconds, as an unsigned int. */
    static int accessClock(long nowMillis) {
        return (int) (nowMillis / 1000);
    }

    /** Number of keys (including ones expired but not yet reclaimed). Needs every slot lock. */
    public long size() {
        long total = 0;
        for (KeyTable table : slots) {
            if (table != null) {
                total += table.size();
            }
        }
        return total;
    }

    /** Number of keys with an expiry. Needs every slot lock. */
    public long volatileSize() {
        long total = 0;
        for (KeyTable table : slots) {
            if (table != null) {
                total += table.volatileCount();
            }
        }
        return total;
    }

    /** Number of live keys in {@code slot}. Needs that slot's lock. */
    public int sizeOfSlot(int slot) {
        KeyTable table = slots[slot];
        return table == null ? 0 : table.size();
    }

    /**
     * Adds the keys of {@code slot} to {@code out}, from the in-slot cursor {@code cursor} (a key
     * hash, see {@link KeyTable#scan}) on, until about {@code count} keys; returns the next
     * in-slot cursor, never 0 unless the slot is done. Expired
     * keys are passed too (the caller filters them with a lookup). Needs that slot's lock.
     */
    public long scanSlot(int slot, long cursor, int count, Consumer<byte[]> out) {
        KeyTable table = slots[slot];
        return table == null ? 0 : table.scan(cursor, count, out);
    }

    /** Every live key of {@code slot}. Needs that slot's lock. */
    public List<byte[]> keysOfSlot(int slot) {
        KeyTable table = slots[slot];
        List<byte[]> keys = new ArrayList<>();
        if (table != null) {
            long now = keyspace.clock().millis();
            table.forEachPosition(p -> {
                long at = table.expiryAt(p);
                if (at == 0 || at > now) {
                    keys.add(table.keyAt(p));
                }
            });
        }
        return keys;
    }

    /** A random key of {@code slot} (possibly expired), or null. Needs that slot's lock. */
    public byte[] randomKeyOfSlot(int slot) {
        KeyTable table = slots[slot];
        return table == null ? null : table.randomKey(ThreadLocalRandom.current());
    }

    /**
     * Reclaims the expired keys of {@code slot} if its earliest expiry has passed, passing each to
     * {@code onExpired}; returns how many. Needs that slot's lock.
     */
    int expireSlot(int slot, long now, Consumer<byte[]> onExpired) {
        KeyTable table = slots[slot];
        if (table == null || table.earliestExpiry() > now) {
            return 0;
        }
        return table.removeExpired(now, onExpired);
    }

    /** Whether {@code slot} may hold a key whose expiry has passed. Racy hint, no lock needed. */
    boolean mayHaveExpired(int slot, long now) {
        KeyTable table = slots[slot];
        return table != null && table.earliestExpiry() <= now;
    }

    /**
     * Starts an expire cycle's pass over this database: false when no key can have expired by
     * {@code now}, so the pass may skip it; otherwise resets the database's bound, which the pass
     * rebuilds slot by slot with {@link #passedSlot}. A write racing the reset keeps the old,
     * lower bound. No lock needed.
     */
    boolean startExpirePass(long now) {
        long bound = earliestExpiry.get();
        if (bound > now) {
            return false;
        }
        earliestExpiry.compareAndSet(bound, Long.MAX_VALUE);
        return true;
    }

    /** Folds the earliest expiry of {@code slot} into the database's bound (during a pass). */
    void passedSlot(int slot) {
        KeyTable table = slots[slot];
        if (table != null) {
            expiryWritten(table.earliestExpiry());
        }
    }

    /** Removes every key. Needs every slot lock. The old tables are left to the collector. */
    public void clear() {
        slots = new KeyTable[SlotHash.SLOTS];
    }

    /** Exchanges the contents of two databases (SWAPDB). Needs every slot lock. */
    void swapWith(Database other) {
        KeyTable[] mine = slots;
        slots = other.slots;
        other.slots = mine;
        // A pass may be half way through either database: both keep the lower bound of the two.
        long bound = Math.min(earliestExpiry.get(), other.earliestExpiry.get());
        expiryWritten(bound);
        other.expiryWritten(bound);
    }
}
