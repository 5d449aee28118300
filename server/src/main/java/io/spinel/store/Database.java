package io.spinel.store;

import io.spinel.config.KeyspaceEvents;
import io.spinel.types.CollectionValue;
import io.spinel.types.StringValue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * One of the numbered databases (SELECT n): 16384 slot tables, created on first use.
 *
 * <p>Every method taking a key must be called with that key's slot lock held; the methods that
 * span slots say which lock they need. Lookups expire lazily: a key past its expiry is deleted
 * when a lookup finds it, so no command ever sees it.
 *
 * <h2>Memory accounting</h2>
 * {@link #bytes} is the running total of {@link EntrySize} over every key here, kept on the write
 * path: every insert, overwrite, replacement and removal adds or subtracts the estimate of what
 * it stores or drops (a few arithmetic operations for a string; a collection's estimate reads its
 * packed length or samples its first elements). Commands modify collections and mutable strings
 * in place after {@link #getForWrite}, which the database cannot see; so getForWrite notes such a
 * value with its size then ({@link Keyspace#pendingWrite}), and the value is measured again when
 * the command releases the slot's lock, or before any other change in that slot, whichever comes
 * first. Since the estimate of a given value is always the same number, the total stays the sum of
 * the current values' estimates however many writes went by.
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
    /** The estimated bytes of the keys and values here (see Memory accounting); swapped by SWAPDB. */
    private volatile LongAdder bytes = new LongAdder();
    /**
     * Per slot (created on first use), the keys whose values have elements with their own expiry
     * ({@link FieldExpiring}: hash fields with TTLs), each with a lower bound of its earliest
     * element expiry as the entry's expiry. A registration may outlive its key or be lower than
     * the truth (a field deleted, persisted or given a later TTL): the expire cycle drops or
     * corrects it when its time comes, so writes never search for registrations to remove.
     */
    private volatile KeyTable[] elementExpiries;

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

    /** The table of {@code slot}, or null; read without the slot's lock by {@link KeyPrefetch}. */
    KeyTable racyTable(int slot) {
        return slots[slot];
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
    private int live(KeyTable table, byte[] key) {
        return table == null ? -1 : live(table, key, KeyTable.hashOf(key));
    }

    /**
     * {@link #live(KeyTable, byte[])} with the key's table hash already known. Reads the clock
     * only for a key with an expiry: most lookups need no time at all.
     */
    private int live(KeyTable table, byte[] key, int hash) {
        int position = table.find(key, hash);
        if (position >= 0) {
            long at = table.expiryAt(position);
            if (at != 0 && at <= keyspace.clock().millis()) {
                removeAt(table, position);
                expired(key, true);
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
        return read(key, true);
    }

    /**
     * The value of {@code key} for a command about to modify it (lookupKeyWrite): expires lazily
     * and refreshes the access clock, without hit/miss statistics. Null when absent.
     */
    public Object getForWrite(byte[] key) {
        KeyTable table = table(key);
        int position = live(table, key);
        if (position < 0) {
            return null;
        }
        table.setAccessAt(position, keyspace.touchedAccessClock(table.accessAt(position)));
        Object value = table.valueAt(position);
        if (EntrySize.mutable(value)) {
            keyspace.pendingWrite(SlotHash.slot(key), this, key, value, EntrySize.accounted(key, value));
        }
        return value;
    }

    /**
     * The value of {@code key} for a command that inspects the key rather than reading it
     * (lookupKeyRead with LOOKUP_NOTOUCH: EXISTS, TYPE, TTL): expires lazily, counts a keyspace
     * hit or miss and fires "keymiss", but leaves the access clock alone. Null when absent.
     */
    public Object getNoTouch(byte[] key) {
        return read(key, false);
    }

    /** A read lookup: lazy expiry, a hit or a miss ("keymiss"), and the access clock when {@code touch}. */
    private Object read(byte[] key, boolean touch) {
        KeyTable table = table(key);
        int position = live(table, key);
        if (position < 0) {
            keyspace.stats().misses.increment();
            keyspace.keyEvent(this, key, KeyspaceEvents.KEY_MISS, "keymiss");
            return null;
        }
        keyspace.stats().hits.increment();
        if (touch) {
            table.setAccessAt(position, keyspace.touchedAccessClock(table.accessAt(position)));
        }
        return table.valueAt(position);
    }

    /** The value without statistics, notifications or access-clock update (OBJECT, DEBUG). Null when absent. */
    public Object peek(byte[] key) {
        KeyTable table = table(key);
        int position = live(table, key);
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
        int hash = KeyTable.hashOf(key); // once for the lookup and the insert
        int position = live(table, key, hash);
        if (position < 0) {
            table.insert(key, hash, value, keyspace.createdAccessClock());
            bytes.add(measureNew(key, value));
            keyspace.keyEvent(this, key, KeyspaceEvents.NEW, "new");
        } else {
            overwrite(table, position, key, value);
            if (!keepTtl) {
                table.setExpiryAt(position, 0);
            }
        }
        stored(key, value);
    }

    /** Sets {@code key} to {@code value} with an absolute expiry in Unix ms (0: none). */
    public void set(byte[] key, Object value, long expiresAtMillis) {
        KeyTable table = tableForInsert(key);
        int hash = KeyTable.hashOf(key);
        int position = live(table, key, hash);
        if (position < 0) {
            position = table.insert(key, hash, value, keyspace.createdAccessClock());
            bytes.add(measureNew(key, value));
            keyspace.keyEvent(this, key, KeyspaceEvents.NEW, "new");
        } else {
            overwrite(table, position, key, value);
        }
        table.setExpiryAt(position, expiresAtMillis);
        expiryWritten(expiresAtMillis);
        stored(key, value);
    }

    /**
     * Stores {@code value} over the existing key at {@code position}. The access clock is what
     * Redis's setKey leaves: under LFU the old counter, incremented by the write's lookup; else
     * the time now, as a new object gets.
     *
     * <p>A string written whole that equals the stored one leaves the stored object in place
     * ({@link StringValue#sameWhole}): nobody can tell the two apart, and the new one, unreferenced,
     * dies young, where storing it would make the collector copy it out of the young generation
     * and rescan the table's card, and would leave the old one as garbage in the old generation.
     * Caches that write back unchanged values (a refresh, several clients filling the same miss)
     * rewrite nothing then. Values of different lengths are not compared; equal lengths are
     * compared up to the first difference.
     */
    private void overwrite(KeyTable table, int position, byte[] key, Object value) {
        Object stored = table.valueAt(position);
        if (!StringValue.sameWhole(stored, value)) {
            bytes.add(-measuredBefore(key, stored) + measureNew(key, value));
            table.setValueAt(position, value);
        }
        table.setAccessAt(position, keyspace.touchedAccessClock(table.accessAt(position)));
    }

    /** Removes the key at {@code position}, taking its estimate off the total. */
    private void removeAt(KeyTable table, int position) {
        bytes.add(-measuredBefore(table.keyAt(position), table.valueAt(position)));
        table.removeAt(position);
    }

    /**
     * The estimate of {@code value}, being stored at {@code key}. A value commands modify in place
     * may still be modified by the command storing it (APPEND stores a mutable copy of the string,
     * then appends to it), so it is measured again when the slot's lock is released.
     */
    private long measureNew(byte[] key, Object value) {
        long size = EntrySize.accounted(key, value);
        if (EntrySize.mutable(value)) {
            keyspace.pendingWrite(SlotHash.slot(key), this, key, value, size);
        }
        return size;
    }

    /**
     * The estimate of {@code value}, stored at {@code key}, about to be replaced or removed. A
     * value modified in place may have a pending measurement ({@link Keyspace#pendingWrite}):
     * that is settled first, so that the total holds the estimate taken off here.
     */
    private long measuredBefore(byte[] key, Object value) {
        if (EntrySize.mutable(value)) {
            keyspace.settle(SlotHash.slot(key), this, key);
        }
        return EntrySize.accounted(key, value);
    }

    /**
     * Adds to the total how much {@code value}, stored at {@code key} and measured {@code before}
     * bytes when a command took it for writing, grew or shrank since. Needs the key's slot lock.
     */
    void remeasure(byte[] key, Object value, long before) {
        bytes.add(EntrySize.accounted(key, value) - before);
    }

    /** The estimated bytes of every key and value here. No lock needed. */
    long bytes() {
        return bytes.sum();
    }

    /**
     * What follows storing a value: blocked clients may be served (a string too is signalled:
     * a client blocked on a stream group must hear that its key changed type), expiring fields
     * get reclaimed.
     */
    private void stored(byte[] key, Object value) {
        keyspace.readyListener().keyReady(this, key);
        if (value instanceof CollectionValue) {
            trackElementExpiry(key, value);
        }
    }

    /** The per-slot registrations, created once even when writers of two slots race. */
    private synchronized KeyTable[] createElementExpiries() {
        if (elementExpiries == null) {
            elementExpiries = new KeyTable[SlotHash.SLOTS];
        }
        return elementExpiries;
    }

    /** Registers a value stored under {@code key} (a renamed, copied or restored hash) if its elements expire. */
    private void trackElementExpiry(byte[] key, Object value) {
        if (value instanceof FieldExpiring elements) {
            long earliest = elements.earliestElementExpiry();
            if (earliest != Long.MAX_VALUE) {
                fieldExpiryWritten(key, earliest);
            }
        }
    }

    /**
     * Reports a change a command made to {@code key}, as Redis's commands do with
     * signalModifiedKey and notifyKeyspaceEvent: WATCH and client-side caching see the key
     * modified, and the keyspace notification {@code event} of class {@code eventClass} (a
     * {@link KeyspaceEvents} bit) is published. Every command that modifies a key calls it once
     * per event Redis fires, in Redis's order, after the change.
     */
    public void changed(byte[] key, int eventClass, String event) {
        keyspace.keyModified(this, key);
        keyspace.keyEvent(this, key, eventClass, event);
    }

    /**
     * Reports a change to {@code key} that publishes no keyspace notification, as Redis's
     * signalModifiedKey alone: PFCOUNT storing the count it computed in the value's cache.
     */
    public void changedSilently(byte[] key) {
        keyspace.keyModified(this, key);
    }

    /**
     * Counts a change that Redis counts in server.dirty without signalling the key (XACK, XGROUP
     * CREATE, SETID, DESTROY, CREATECONSUMER, DELCONSUMER change a stream's groups only): it is
     * saved and propagated, but WATCH and client-side caching do not see it.
     */
    public void changedGroups() {
        keyspace.changedUnsignalled();
    }

    /**
     * Publishes a keyspace notification that is not a modification of its own (Redis fires some
     * events beside the one that signals the change, such as "expire" after "set" in SET EX).
     */
    public void event(byte[] key, int eventClass, String event) {
        keyspace.keyEvent(this, key, eventClass, event);
    }

    /**
     * What follows a key's expiry, lazy or active: counted, reported as modified and as the
     * "expired" event, propagated as a deletion ({@code inCommand} when a command's lookup found it:
     * lazy expiry), and signalled to blocked clients that hear of deletions (a blocked XREADGROUP
     * answers, as Redis 7.2's dbGenericDelete signals every deletion).
     */
    private void expired(byte[] key, boolean inCommand) {
        keyspace.stats().expiredKeys.increment();
        keyspace.keyRemovedBySystem(this, key, false, inCommand);
        keyspace.keyEvent(this, key, KeyspaceEvents.EXPIRED, "expired");
        keyspace.readyListener().keyReady(this, key); // signalDeletedKeyAsReady
    }

    /**
     * Tells clients blocked on {@code key} that it may serve them now, for a change that
     * {@link #set} does not see (new entries in an existing stream).
     */
    public void signalReady(byte[] key) {
        keyspace.readyListener().keyReady(this, key);
    }

    /**
     * Records that an element of the value at {@code key} (a hash field) now expires at
     * {@code unixMillis}, so that the active expire cycle reclaims it; the value must implement
     * {@link FieldExpiring}. Needs the key's slot lock.
     */
    public void fieldExpiryWritten(byte[] key, long unixMillis) {
        int slot = SlotHash.slot(key);
        KeyTable[] all = elementExpiries;
        if (all == null) {
            all = createElementExpiries();
        }
        KeyTable registrations = all[slot];
        if (registrations == null) {
            registrations = new KeyTable();
            all[slot] = registrations;
        }
        int hash = KeyTable.hashOf(key);
        int position = registrations.find(key, hash);
        if (position < 0) {
            position = registrations.insert(key, hash, null, 0);
            registrations.setExpiryAt(position, unixMillis);
        } else if (unixMillis < registrations.expiryAt(position)) {
            registrations.setExpiryAt(position, unixMillis);
        }
        expiryWritten(unixMillis);
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
        bytes.add(-measuredBefore(key, table.valueAt(position)) + measureNew(key, value));
        table.setValueAt(position, value);
        trackElementExpiry(key, value);
        return true;
    }

    /** Deletes {@code key}; true when it existed (and had not expired). */
    public boolean delete(byte[] key) {
        KeyTable table = table(key);
        int position = live(table, key);
        if (position < 0) {
            return false;
        }
        removeAt(table, position);
        keyspace.readyListener().keyReady(this, key); // signalDeletedKeyAsReady
        return true;
    }

    /**
     * Deletes {@code key}, the lazy way when {@code lazy} (UNLINK, or DEL under
     * lazyfree-lazy-user-del: see {@link LazyFree}); true when it existed.
     */
    public boolean delete(byte[] key, boolean lazy) {
        KeyTable table = table(key);
        int position = live(table, key);
        if (position < 0) {
            return false;
        }
        if (lazy) {
            LazyFree.dropped(table.valueAt(position), keyspace.stats());
        }
        removeAt(table, position);
        keyspace.readyListener().keyReady(this, key); // signalDeletedKeyAsReady
        return true;
    }

    /**
     * Removes {@code key} for eviction: counted in evicted_keys, reported as modified and as the
     * "evicted" event, as Redis's performEvictions does. False when it is gone. Needs its slot's lock.
     */
    boolean evict(byte[] key, boolean lazy) {
        KeyTable table = table(key);
        int position = live(table, key);
        if (position < 0) {
            return false;
        }
        if (lazy) {
            LazyFree.dropped(table.valueAt(position), keyspace.stats());
        }
        removeAt(table, position);
        keyspace.stats().evictedKeys.increment();
        keyspace.keyRemovedBySystem(this, key, true, false);
        keyspace.keyEvent(this, key, KeyspaceEvents.EVICTED, "evicted");
        keyspace.readyListener().keyReady(this, key); // a blocked XREADGROUP hears of the deletion
        return true;
    }

    /**
     * The first slot from {@code start} on (wrapping around) that holds keys, or keys with a time
     * to live when {@code volatileOnly}; -1 when none does. A racy hint, no lock needed: the
     * caller checks again under the slot's lock.
     */
    int nextCandidateSlot(int start, boolean volatileOnly) {
        KeyTable[] tables = slots;
        for (int i = 0; i < SlotHash.SLOTS; i++) {
            int slot = (start + i) & (SlotHash.SLOTS - 1);
            KeyTable table = tables[slot];
            if (table != null && (volatileOnly ? table.volatileCount() : table.size()) > 0) {
                return slot;
            }
        }
        return -1;
    }

    /**
     * Passes a random key of {@code slot} (with a time to live when {@code volatileOnly}) to
     * {@code out} with its access clock and expiry; nothing when the slot has none. Needs the
     * slot's lock.
     */
    void sample(int slot, boolean volatileOnly, java.util.random.RandomGenerator random, Evictor.Sink out) {
        KeyTable table = slots[slot];
        int position = table == null ? -1 : table.randomPosition(random, volatileOnly);
        if (position >= 0) {
            out.offer(table.keyAt(position), table.accessAt(position), table.expiryAt(position));
        }
    }

    /**
     * Removes every key (FLUSHDB, FLUSHALL), the lazy way when {@code lazy}: then the keys count
     * in lazyfreed_objects, as Redis's emptyDbAsync counts them. Needs every slot lock.
     */
    public void clear(boolean lazy) {
        if (lazy) {
            keyspace.stats().lazyfreedObjects.add(size());
        }
        clear();
    }

    /** The absolute expiry of {@code key} in Unix ms, {@link #NO_EXPIRY} or {@link #NO_KEY}. */
    public long expiresAt(byte[] key) {
        KeyTable table = table(key);
        int position = live(table, key);
        if (position < 0) {
            return NO_KEY;
        }
        long at = table.expiryAt(position);
        return at == 0 ? NO_EXPIRY : at;
    }

    /** The remaining time to live of {@code key} in ms, {@link #NO_EXPIRY} or {@link #NO_KEY}. */
    public long ttlMillis(byte[] key) {
        KeyTable table = table(key);
        int position = live(table, key);
        if (position < 0) {
            return NO_KEY;
        }
        long at = table.expiryAt(position);
        return at == 0 ? NO_EXPIRY : Math.max(0, at - keyspace.clock().millis());
    }

    /**
     * Sets the expiry of an existing key (Unix ms). An expiry at or before now deletes the key, as
     * Redis does for EXPIRE with a time in the past. Returns false when the key is absent.
     */
    public boolean expireAt(byte[] key, long unixMillis) {
        KeyTable table = table(key);
        int position = live(table, key);
        if (position < 0) {
            return false;
        }
        if (unixMillis <= keyspace.clock().millis()) {
            removeAt(table, position);
        } else {
            table.setExpiryAt(position, unixMillis);
            expiryWritten(unixMillis);
        }
        return true;
    }

    /** Removes the expiry of {@code key}; true when it had one. */
    public boolean persist(byte[] key) {
        KeyTable table = table(key);
        int position = live(table, key);
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
        int position = live(table, key);
        return position < 0 ? -1 : table.accessAt(position);
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

    /** Receives one entry of a slot: key, value and expiry in Unix ms (0: none). */
    @FunctionalInterface
    public interface EntryVisitor {
        void visit(byte[] key, Object value, long expiresAt);
    }

    /**
     * Calls {@code visitor} with every entry of {@code slot}, expired ones included, without
     * expiring, counting or touching anything (snapshots, DEBUG DIGEST). Needs that slot's lock.
     */
    public void forEachInSlot(int slot, EntryVisitor visitor) {
        KeyTable table = slots[slot];
        if (table != null) {
            table.forEachPosition(p -> visitor.visit(table.keyAt(p), table.valueAt(p), table.expiryAt(p)));
        }
    }

    /** Sets the raw access clock of an existing {@code key} (RESTORE IDLETIME/FREQ, RDB IDLE/FREQ). Needs its slot lock. */
    public void accessClock(byte[] key, int clock) {
        KeyTable table = table(key);
        int position = table == null ? -1 : table.find(key);
        if (position >= 0) {
            table.setAccessAt(position, clock);
        }
    }

    /** A random key of {@code slot} (possibly expired), or null. Needs that slot's lock. */
    public byte[] randomKeyOfSlot(int slot) {
        KeyTable table = slots[slot];
        return table == null ? null : table.randomKey(ThreadLocalRandom.current());
    }

    /**
     * Reclaims the expired keys of {@code slot} if its earliest expiry has passed, each counted
     * and reported as expired; returns how many. Needs that slot's lock.
     */
    int expireSlot(int slot, long now) {
        KeyTable table = slots[slot];
        if (table == null) {
            return 0;
        }
        int removed = 0;
        if (table.earliestExpiry() <= now) {
            removed = table.removeExpired(now, key -> {
                int position = table.find(key);
                bytes.add(-measuredBefore(key, table.valueAt(position)));
                expired(key, false);
            });
        }
        KeyTable registrations = elementExpiries == null ? null : elementExpiries[slot];
        if (registrations != null && registrations.earliestExpiry() <= now) {
            expireElements(table, registrations, now);
        }
        return removed;
    }

    /**
     * Reclaims the expired elements of every registered key of one slot whose registration is
     * due: drops registrations of keys that are gone or hold something else, deletes keys left
     * empty and registers the others again with their next element expiry.
     */
    private void expireElements(KeyTable table, KeyTable registrations, long now) {
        List<byte[]> due = new ArrayList<>();
        registrations.removeExpired(now, due::add);
        for (byte[] key : due) {
            int position = table.find(key);
            if (position < 0 || !(table.valueAt(position) instanceof FieldExpiring elements)) {
                continue;
            }
            long before = EntrySize.accounted(key, elements);
            if (elements.expireElements(now) > 0) {
                remeasure(key, elements, before);
                changed(key, KeyspaceEvents.HASH, "hexpired");
            }
            if (elements.isEmpty()) {
                removeAt(table, table.find(key));
                changed(key, KeyspaceEvents.GENERIC, "del");
                continue;
            }
            long next = elements.earliestElementExpiry();
            if (next != Long.MAX_VALUE) {
                int at = registrations.insert(key, KeyTable.hashOf(key), null, 0);
                registrations.setExpiryAt(at, next);
            }
        }
    }

    /** Whether {@code slot} may hold a key or an element whose expiry has passed. Racy hint, no lock needed. */
    boolean mayHaveExpired(int slot, long now) {
        KeyTable table = slots[slot];
        if (table == null) {
            return false;
        }
        if (table.earliestExpiry() <= now) {
            return true;
        }
        KeyTable[] registrations = elementExpiries;
        return registrations != null && registrations[slot] != null && registrations[slot].earliestExpiry() <= now;
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
        KeyTable[] registrations = elementExpiries;
        if (registrations != null && registrations[slot] != null) {
            expiryWritten(registrations[slot].earliestExpiry());
        }
    }

    /** Removes every key. Needs every slot lock. The old tables are left to the collector. */
    public void clear() {
        for (int slot = 0; slot < SlotHash.SLOTS; slot++) {
            keyspace.settle(slot);
        }
        slots = new KeyTable[SlotHash.SLOTS];
        elementExpiries = null;
        bytes = new LongAdder();
    }

    /** Exchanges the contents of two databases (SWAPDB). Needs every slot lock. */
    void swapWith(Database other) {
        for (int slot = 0; slot < SlotHash.SLOTS; slot++) {
            keyspace.settle(slot); // each pending measurement lands in its own database's total
        }
        KeyTable[] mine = slots;
        slots = other.slots;
        other.slots = mine;
        LongAdder myBytes = bytes;
        bytes = other.bytes;
        other.bytes = myBytes;
        KeyTable[] myRegistrations = elementExpiries;
        elementExpiries = other.elementExpiries;
        other.elementExpiries = myRegistrations;
        // A pass may be half way through either database: both keep the lower bound of the two.
        long bound = Math.min(earliestExpiry.get(), other.earliestExpiry.get());
        expiryWritten(bound);
        other.expiryWritten(bound);
    }
}
