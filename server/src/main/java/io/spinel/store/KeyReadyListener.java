package io.spinel.store;

/**
 * Told when a key may now serve a client blocked on it (Redis's signalKeyAsReady): a value was
 * stored under it, a stream got new entries, or it was deleted (signalDeletedKeyAsReady, for the
 * clients that must hear of that: a blocked XREADGROUP answers NOGROUP). Called on the thread of
 * the command that changed the key, with the key's slot lock held; must be quick and must not
 * take slot locks.
 */
public interface KeyReadyListener {
    void keyReady(Database db, byte[] key);

    /**
     * Serves the clients blocked on the keys this thread signalled. The dispatcher does it after
     * each request; threads of the keyspace's own (background eviction) call it after their
     * steps. Holding no lock.
     */
    default void serveReady() {
    }
}
