package io.spinel.command;

import io.spinel.store.Database;
import io.spinel.store.KeyspaceListener;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The keys clients WATCH, and the listener that marks their transactions dirty when one changes
 * (Redis's touchWatchedKey and touchAllWatchedKeysInDb).
 *
 * <p>A key is watched under its slot lock (the dispatcher takes it for WATCH) and every change
 * reaches {@link #keyModified} on the writer's thread under the same lock, so a change is either
 * before the WATCH (ignored) or after it (seen); EXEC reads the dirty flag holding the locks of
 * every watched key. While no client watches anything the listener costs one volatile read.
 * Thread-safe.
 */
public final class WatchedKeys implements KeyspaceListener {
    /** A watched key: a database and the key's bytes, compared by content. */
    record Key(Database db, ByteBuffer key) {
        byte[] bytes() {
            return key.array();
        }
    }

    private final ConcurrentHashMap<Key, Set<Transaction>> watchers = new ConcurrentHashMap<>();
    private final AtomicInteger keys = new AtomicInteger();

    /** Adds {@code tx} to the watchers of {@code key} (once, however often it is watched). */
    public void watch(Transaction tx, Database db, byte[] key) {
        Key watched = new Key(db, ByteBuffer.wrap(key));
        if (tx.watched.contains(watched)) {
            return;
        }
        tx.watched.add(watched);
        watchers.compute(watched, (k, set) -> {
            if (set == null) {
                set = ConcurrentHashMap.newKeySet();
                keys.incrementAndGet();
            }
            set.add(tx);
            return set;
        });
    }

    /** Forgets every key {@code tx} watches and clears its dirty flag (UNWATCH, EXEC, DISCARD, disconnect). */
    public void unwatchAll(Transaction tx) {
        synchronized (tx) { // see Transaction#exec
            for (Key key : tx.watched) {
                watchers.computeIfPresent(key, (k, set) -> {
                    set.remove(tx);
                    if (set.isEmpty()) {
                        keys.decrementAndGet();
                        return null;
                    }
                    return set;
                });
            }
            tx.watched.clear();
            tx.dirty = false;
        }
    }

    /** How many distinct keys are watched (INFO total_watched_keys). */
    public int watchedKeys() {
        return keys.get();
    }

    @Override
    public void keyModified(Database db, byte[] key) {
        if (keys.get() == 0) {
            return;
        }
        Set<Transaction> set = watchers.get(new Key(db, ByteBuffer.wrap(key)));
        if (set != null) {
            for (Transaction tx : set) {
                tx.dirty = true;
            }
        }
    }

    /**
     * Marks dirty the watchers of every key of {@code db} (every database when null) that
     * exists: called under every slot lock before a flush empties the database, and before and
     * after a swap replaces its contents, so a watched key that is there on either side counts.
     * A watched key that exists on neither side did not change, as in Redis.
     */
    @Override
    public void databaseChanged(Database db) {
        if (keys.get() == 0) {
            return;
        }
        watchers.forEach((key, set) -> {
            if ((db == null || key.db() == db) && key.db().exists(key.bytes())) {
                for (Transaction tx : set) {
                    tx.dirty = true;
                }
            }
        });
    }
}
