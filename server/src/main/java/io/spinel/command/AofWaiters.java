package io.spinel.command;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The clients blocked in WAITAOF until the AOF is on disk past their last write (their
 * {@link Client#aofOffset}). The server cron, after each AOF fsync check, hands over the offset
 * on disk ({@link #fsynced}); a waiter it covers is woken through its timeout reply, which then
 * counts the local fsync. Thread-safe.
 */
public final class AofWaiters {
    private final Map<Client, Long> waiting = new ConcurrentHashMap<>();

    /** {@code client} waits for the log to be on disk up to {@code offset}. */
    public void add(Client client, long offset) {
        waiting.put(client, offset);
    }

    public void remove(Client client) {
        waiting.remove(client);
    }

    /** The log is on disk up to {@code offset}: wakes the waiters it covers, forgets those no longer blocked. */
    public void fsynced(long offset, Blocking blocking) {
        if (waiting.isEmpty()) {
            return;
        }
        waiting.forEach((client, target) -> {
            if (offset >= target) {
                waiting.remove(client);
                blocking.unblock(client, false);
            } else if (!blocking.isBlocked(client)) {
                waiting.remove(client); // timed out, unblocked or gone meanwhile
            }
        });
    }
}
