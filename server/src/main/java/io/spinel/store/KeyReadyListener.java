package io.spinel.store;

/**
 * Told when a key may now serve a client blocked on it (Redis's signalKeyAsReady): a collection
 * was stored under it, or a stream got new entries. Called on the thread of the command that
 * changed the key, with the key's slot lock held; must be quick and must not take slot locks.
 */
public interface KeyReadyListener {
    void keyReady(Database db, byte[] key);
}
