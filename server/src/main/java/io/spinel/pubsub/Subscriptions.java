package io.spinel.pubsub;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What one client is subscribed to: its channels, patterns and shard channels. Changed only on
 * the client's event loop (its commands, its disconnection); the counts are volatile so that
 * CLIENT LIST, the idle-timeout sweep and the dispatcher read them from anywhere. The sets are
 * created on first subscription: most clients never subscribe.
 */
public final class Subscriptions {
    private Set<Name> channels;
    private Set<Name> patterns;
    private Set<Name> shardChannels;
    private volatile int channelCount;
    private volatile int patternCount;
    private volatile int shardChannelCount;
    /** When ({@link System#nanoTime}) the last unsubscription left the registry; see {@link #unsubscribedSince}. */
    private long lastUnsubscribed = Long.MIN_VALUE;

    /** Whether the client is subscribed to anything: Redis's CLIENT_PUBSUB (subscribed mode, pubsub client class). */
    public boolean any() {
        return channelCount + patternCount + shardChannelCount > 0;
    }

    /** The number of channels (CLIENT LIST sub). */
    public int channelCount() {
        return channelCount;
    }

    /** The number of patterns (CLIENT LIST psub). */
    public int patternCount() {
        return patternCount;
    }

    /** The number of shard channels (CLIENT LIST ssub). */
    public int shardChannelCount() {
        return shardChannelCount;
    }

    /** The count the SUBSCRIBE family replies with: channels and patterns (shard channels apart). */
    int globalCount() {
        return channelCount + patternCount;
    }

    boolean add(PubSub.Kind kind, Name name) {
        Set<Name> set = set(kind);
        if (set == null) {
            set = new LinkedHashSet<>();
            switch (kind) {
                case CHANNEL -> channels = set;
                case PATTERN -> patterns = set;
                case SHARD -> shardChannels = set;
            }
        }
        boolean added = set.add(name);
        recount(kind, set);
        return added;
    }

    boolean remove(PubSub.Kind kind, Name name) {
        Set<Name> set = set(kind);
        if (set == null || !set.remove(name)) {
            return false;
        }
        recount(kind, set);
        return true;
    }

    /** Records that an unsubscription has just been taken out of the registry. */
    void unsubscribedNow() {
        lastUnsubscribed = System.nanoTime();
    }

    /**
     * Whether an unsubscription left the registry at or after {@code nanos}. A message stamped
     * before its publisher read the registry can only be one for an ended subscription when this
     * holds: the publisher read the registry before the removal, so before the removal's stamp.
     */
    boolean unsubscribedSince(long nanos) {
        return lastUnsubscribed >= nanos;
    }

    /** Whether the client is subscribed to {@code name} of {@code kind}. */
    boolean contains(PubSub.Kind kind, Name name) {
        Set<Name> set = set(kind);
        return set != null && set.contains(name);
    }

    /** A copy of the names of one kind, in subscription order. */
    Collection<Name> names(PubSub.Kind kind) {
        Set<Name> set = set(kind);
        return set == null ? List.of() : List.copyOf(set);
    }

    /** The count a (un)subscription of {@code kind} replies with. */
    public int count(PubSub.Kind kind) {
        return kind == PubSub.Kind.SHARD ? shardChannelCount : globalCount();
    }

    private Set<Name> set(PubSub.Kind kind) {
        return switch (kind) {
            case CHANNEL -> channels;
            case PATTERN -> patterns;
            case SHARD -> shardChannels;
        };
    }

    private void recount(PubSub.Kind kind, Set<Name> set) {
        switch (kind) {
            case CHANNEL -> channelCount = set.size();
            case PATTERN -> patternCount = set.size();
            case SHARD -> shardChannelCount = set.size();
        }
    }
}
