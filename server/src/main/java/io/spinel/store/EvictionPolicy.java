package io.spinel.store;

/**
 * The maxmemory-policy values: which keys eviction may take (every key or only those with a time
 * to live) and how it ranks them (least recently used, least frequently used, nearest expiry, or
 * none). The policy also decides what a key's access clock holds: LFU data under the LFU
 * policies, LRU seconds under every other.
 */
public enum EvictionPolicy {
    VOLATILE_LRU("volatile-lru", true, Rank.LRU),
    VOLATILE_LFU("volatile-lfu", true, Rank.LFU),
    VOLATILE_RANDOM("volatile-random", true, Rank.RANDOM),
    VOLATILE_TTL("volatile-ttl", true, Rank.TTL),
    ALLKEYS_LRU("allkeys-lru", false, Rank.LRU),
    ALLKEYS_LFU("allkeys-lfu", false, Rank.LFU),
    ALLKEYS_RANDOM("allkeys-random", false, Rank.RANDOM),
    NOEVICTION("noeviction", false, Rank.NONE);

    /** How a policy orders the candidates for eviction. */
    enum Rank { LRU, LFU, TTL, RANDOM, NONE }

    private final String configName;
    private final boolean volatileOnly;
    private final Rank rank;

    EvictionPolicy(String configName, boolean volatileOnly, Rank rank) {
        this.configName = configName;
        this.volatileOnly = volatileOnly;
        this.rank = rank;
    }

    /** The policy named {@code name} as maxmemory-policy spells it; noeviction for anything else. */
    public static EvictionPolicy of(String name) {
        for (EvictionPolicy policy : values()) {
            if (policy.configName.equals(name)) {
                return policy;
            }
        }
        return NOEVICTION;
    }

    public String configName() {
        return configName;
    }

    /** Whether only keys with a time to live may be evicted. */
    public boolean volatileOnly() {
        return volatileOnly;
    }

    /** Whether keys' access clocks hold LFU data. */
    public boolean lfu() {
        return rank == Rank.LFU;
    }

    Rank rank() {
        return rank;
    }
}
