package io.spinel.command;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import io.spinel.resp.ReplyWriter;
import io.spinel.store.Clock;

/**
 * The CLIENT PAUSE state: until when, and whether all commands or only writes wait.
 *
 * <h2>How a paused command waits</h2>
 * The dispatcher asks {@link #holds} before running a command; when it holds, the client is
 * blocked ({@link Client.Connection#block}) until the pause ends, and the command runs again
 * from the start when it is released: by its timeout at the pause's end, or by
 * {@link #unpause}, which unblocks every waiting client. A command released while a new pause
 * holds simply waits again. Client connections read what they buffered only after the blocked
 * command ran, so the order of one client's commands is kept.
 *
 * <p>As in Redis, WRITE mode holds commands flagged write or may-replicate (and an EXEC whose
 * queued commands are), ALL mode holds
 * every command (CLIENT UNPAUSE from another client included, so an ALL pause ends by its
 * timeout unless the pausing client's own pipeline unpauses first). Thread-safe.
 */
public final class ClientPause {
    /** What CLIENT PAUSE holds. */
    public enum Mode { WRITE, ALL }

    private volatile long untilMillis;
    private volatile Mode mode = Mode.WRITE;
    private final Map<Client, Consumer<ReplyWriter>> waiting = new ConcurrentHashMap<>();

    /**
     * Pauses until {@code untilMillis}; a pause already running keeps the later end and the
     * stricter mode.
     */
    public synchronized void pause(Mode newMode, long untilMillis, long nowMillis) {
        boolean active = this.untilMillis > nowMillis;
        this.mode = active && this.mode == Mode.ALL ? Mode.ALL : newMode;
        this.untilMillis = active ? Math.max(this.untilMillis, untilMillis) : untilMillis;
    }

    /** Ends the pause and releases every waiting client. */
    public void unpause() {
        synchronized (this) {
            untilMillis = 0;
        }
        for (Map.Entry<Client, Consumer<ReplyWriter>> entry : waiting.entrySet()) {
            if (waiting.remove(entry.getKey(), entry.getValue())) {
                entry.getKey().connection().unblock(entry.getValue());
            }
        }
    }

    /**
     * Milliseconds {@code command} of {@code client} must still wait, or 0 when it may run now
     * (an EXEC waits in WRITE mode when its transaction writes). Asked before every
     * command, so it reads the clock (tens of nanoseconds) only while a pause has been set.
     */
    long holds(CommandSpec command, Client client, Clock clock) {
        long until = untilMillis;
        if (until == 0) {
            return 0;
        }
        long remaining = until - clock.millis();
        if (remaining <= 0) {
            return 0;
        }
        boolean held = mode == Mode.ALL || command.has(CommandFlag.WRITE) || command.has(CommandFlag.MAY_REPLICATE)
                || (command.fullName().equals("exec") && client.transaction() != null && client.transaction().replicates());
        return held ? remaining : 0;
    }

    /** Blocks {@code client} until the pause ends; {@code retry} then runs its command again. */
    void await(Client client, long remainingMillis, Consumer<ReplyWriter> retry) {
        Consumer<ReplyWriter> release = reply -> {
            waiting.remove(client);
            retry.accept(reply);
        };
        waiting.put(client, release);
        client.connection().block(remainingMillis, release);
    }

    /** Forgets a client that disconnected while waiting. */
    public void forget(Client client) {
        waiting.remove(client);
    }
}
