package io.spinel.pubsub;

import io.spinel.config.Config;
import io.spinel.config.KeyspaceEvents;
import io.spinel.store.Database;
import io.spinel.store.KeyspaceListener;
import java.nio.charset.StandardCharsets;

/**
 * Publishes keyspace notifications (Redis's notifyKeyspaceEvent): for each event whose class
 * notify-keyspace-events enables, the event name on {@code __keyspace@<db>__:<key>} (K) and the
 * key on {@code __keyevent@<db>__:<event>} (E), in that order.
 *
 * <p>Runs on the writer's thread under its slot lock, as a {@link KeyspaceListener}: publishing
 * only hands messages to subscribers' event loops. With notifications disabled an event costs a
 * read of the setting and a bit test; with them enabled but nobody subscribed, a map size check.
 */
public final class KeyspaceNotifier implements KeyspaceListener {
    private static final byte[] KEYSPACE_PREFIX = "__keyspace@".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] KEYEVENT_PREFIX = "__keyevent@".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] SEPARATOR = "__:".getBytes(StandardCharsets.ISO_8859_1);

    private final Config config;
    private final PubSub pubsub;

    public KeyspaceNotifier(Config config, PubSub pubsub) {
        this.config = config;
        this.pubsub = pubsub;
    }

    @Override
    public void keyEvent(Database db, byte[] key, int eventClass, String event) {
        int flags = config.notifyKeyspaceEvents.value();
        if ((flags & eventClass) == 0 || !pubsub.hasSubscribers()) {
            return;
        }
        byte[] eventBytes = event.getBytes(StandardCharsets.ISO_8859_1);
        if ((flags & KeyspaceEvents.KEYSPACE) != 0) {
            pubsub.publish(channel(KEYSPACE_PREFIX, db.index(), key), eventBytes);
        }
        if ((flags & KeyspaceEvents.KEYEVENT) != 0) {
            pubsub.publish(channel(KEYEVENT_PREFIX, db.index(), eventBytes), key);
        }
    }

    private static byte[] channel(byte[] prefix, int db, byte[] suffix) {
        byte[] index = Integer.toString(db).getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[prefix.length + index.length + SEPARATOR.length + suffix.length];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(index, 0, out, prefix.length, index.length);
        System.arraycopy(SEPARATOR, 0, out, prefix.length + index.length, SEPARATOR.length);
        System.arraycopy(suffix, 0, out, prefix.length + index.length + SEPARATOR.length, suffix.length);
        return out;
    }
}
