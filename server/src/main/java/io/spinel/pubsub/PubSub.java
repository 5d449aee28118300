package io.spinel.pubsub;

import io.spinel.command.Client;
import io.spinel.store.Glob;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server's pub/sub registry: who is subscribed to which channel, pattern and shard channel,
 * and the delivery of published messages to them.
 *
 * <h2>Concurrency</h2>
 * Subscribers live on every event loop and publishers (PUBLISH, keyspace notifications, which
 * fire under slot locks) on any thread. Each name maps to an immutable array of its subscribers,
 * replaced atomically ({@link ConcurrentHashMap#compute}) on every (un)subscription: publishing,
 * by far the most frequent operation, reads one array without locking or copying; subscribing
 * costs a copy of the array, fine for the thousands of subscribers one channel may have. A
 * client's own {@link Subscriptions} change only on its event loop.
 *
 * <h2>Delivery and order</h2>
 * A message is encoded once ({@link Message}) and handed to each subscriber's connection with
 * {@link Client.Connection#deliver}, which queues it for the subscriber's event loop in the
 * order given; so the messages of one publisher reach every subscriber in publish order. As in
 * Redis, channel subscribers get a message before pattern subscribers, and a client subscribed
 * to a channel and to a matching pattern gets it twice.
 * A message whose subscriber unsubscribed before it arrived is dropped there ({@link Message}).
 */
public final class PubSub {
    /** The three namespaces of subscriptions. */
    public enum Kind { CHANNEL, PATTERN, SHARD }

    private static final Client[] NONE = {};

    private final Map<Name, Client[]> channels = new ConcurrentHashMap<>();
    private final Map<Name, Client[]> patterns = new ConcurrentHashMap<>();
    private final Map<Name, Client[]> shardChannels = new ConcurrentHashMap<>();

    private Map<Name, Client[]> registry(Kind kind) {
        return switch (kind) {
            case CHANNEL -> channels;
            case PATTERN -> patterns;
            case SHARD -> shardChannels;
        };
    }

    /**
     * Subscribes {@code client} to {@code name}; returns the count its confirmation reports
     * (Redis's subscriptionCount). Call on the client's event loop.
     */
    public int subscribe(Client client, Kind kind, byte[] name) {
        Name key = new Name(name);
        if (client.subscriptions().add(kind, key)) {
            registry(kind).compute(key, (k, subscribers) -> {
                Client[] current = subscribers == null ? NONE : subscribers;
                Client[] grown = Arrays.copyOf(current, current.length + 1);
                grown[current.length] = client;
                return grown;
            });
        }
        return client.subscriptions().count(kind);
    }

    /**
     * Unsubscribes {@code client} from {@code name} if it was subscribed; returns the count its
     * confirmation reports. Call on the client's event loop.
     */
    public int unsubscribe(Client client, Kind kind, byte[] name) {
        Name key = new Name(name);
        if (client.subscriptions().remove(kind, key)) {
            registry(kind).computeIfPresent(key, (k, subscribers) -> without(subscribers, client));
            client.subscriptions().unsubscribedNow();
        }
        return client.subscriptions().count(kind);
    }

    private static Client[] without(Client[] subscribers, Client client) {
        for (int i = 0; i < subscribers.length; i++) {
            if (subscribers[i] == client) {
                if (subscribers.length == 1) {
                    return null;
                }
                Client[] shrunk = new Client[subscribers.length - 1];
                System.arraycopy(subscribers, 0, shrunk, 0, i);
                System.arraycopy(subscribers, i + 1, shrunk, i, subscribers.length - i - 1);
                return shrunk;
            }
        }
        return subscribers;
    }

    /** The names of one kind {@code client} is subscribed to, in subscription order. */
    public List<byte[]> subscribed(Client client, Kind kind) {
        List<byte[]> out = new ArrayList<>();
        for (Name name : client.subscriptions().names(kind)) {
            out.add(name.bytes());
        }
        return out;
    }

    /**
     * Drops every subscription of {@code client} without confirmations (RESET, disconnection).
     * Call on the client's event loop.
     */
    public void unsubscribeAll(Client client) {
        if (!client.subscriptions().any()) {
            return;
        }
        for (Kind kind : Kind.values()) {
            for (byte[] name : subscribed(client, kind)) {
                unsubscribe(client, kind, name);
            }
        }
    }

    /**
     * Publishes {@code message} on {@code channel} to its subscribers and to the subscribers of
     * every matching pattern; returns how many received it. Thread-safe, takes no lock.
     */
    public int publish(byte[] channel, byte[] message) {
        long now = System.nanoTime(); // before the registry is read (Message)
        Name name = new Name(channel);
        Client[] subscribers = channels.get(name);
        int receivers = subscribers == null ? 0
                : deliver(subscribers, new Message(now, Kind.CHANNEL, name, Message.MESSAGE, channel, message));
        if (!patterns.isEmpty()) {
            for (Map.Entry<Name, Client[]> entry : patterns.entrySet()) {
                byte[] pattern = entry.getKey().bytes();
                if (Glob.matches(pattern, channel)) {
                    receivers += deliver(entry.getValue(),
                            new Message(now, Kind.PATTERN, entry.getKey(), Message.PMESSAGE, pattern, channel, message));
                }
            }
        }
        return receivers;
    }

    /** Publishes {@code message} on the shard channel {@code channel} (patterns do not apply). Thread-safe. */
    public int publishShard(byte[] channel, byte[] message) {
        long now = System.nanoTime(); // before the registry is read (Message)
        Name name = new Name(channel);
        Client[] subscribers = shardChannels.get(name);
        return subscribers == null ? 0
                : deliver(subscribers, new Message(now, Kind.SHARD, name, Message.SMESSAGE, channel, message));
    }

    private static int deliver(Client[] subscribers, Message message) {
        for (Client subscriber : subscribers) {
            subscriber.connection().deliver(message);
        }
        return subscribers.length;
    }

    /** Whether anyone is subscribed to a channel or a pattern (keyspace notifications skip their work when not). */
    public boolean hasSubscribers() {
        return !channels.isEmpty() || !patterns.isEmpty();
    }

    /** The channels (or shard channels) with subscribers whose names match {@code pattern} (null: all). */
    public List<byte[]> channels(Kind kind, byte[] pattern) {
        List<byte[]> out = new ArrayList<>();
        for (Name name : registry(kind).keySet()) {
            if (pattern == null || Glob.matches(pattern, name.bytes())) {
                out.add(name.bytes());
            }
        }
        return out;
    }

    /** The number of subscribers of a channel or shard channel (PUBSUB NUMSUB, SHARDNUMSUB). */
    public int subscriberCount(Kind kind, byte[] name) {
        Client[] subscribers = registry(kind).get(new Name(name));
        return subscribers == null ? 0 : subscribers.length;
    }

    /** The number of distinct patterns subscribed to (PUBSUB NUMPAT). */
    public int patternCount() {
        return patterns.size();
    }

    /** The number of channels (or shard channels, or patterns) with subscribers, for INFO. */
    public int size(Kind kind) {
        return registry(kind).size();
    }
}
