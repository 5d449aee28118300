package io.spinel.store;

/**
 * Hears of every change to the data, as Redis's signalModifiedKey, notifyKeyspaceEvent and
 * signalFlushedDb report them: WATCH, client-side caching and keyspace notifications listen here.
 *
 * <p>Called on the thread of the command (or the expire cycle) that made the change, with the
 * key's slot lock held (every slot lock for {@link #databaseChanged}); listeners must be quick,
 * must not take slot locks and must not touch the data.
 */
public interface KeyspaceListener {
    /** The value of {@code key} changed, or the key was created or deleted (signalModifiedKey). */
    default void keyModified(Database db, byte[] key) {
    }

    /**
     * A keyspace notification: {@code eventClass} is one of the class bits of
     * {@link io.spinel.config.KeyspaceEvents}, {@code event} the event's name ("set", "lpush",
     * "expired").
     */
    default void keyEvent(Database db, byte[] key, int eventClass, String event) {
    }

    /** Every key of {@code db} may have changed (FLUSHDB, SWAPDB); {@code db} is null for all databases (FLUSHALL). */
    default void databaseChanged(Database db) {
    }
}
