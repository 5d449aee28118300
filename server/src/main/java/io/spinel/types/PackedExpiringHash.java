package io.spinel.types;

/**
 * A small hash whose fields may expire (the "listpackex" encoding of Redis 7.4): field, value,
 * expiry triples in one listpack, the expiry in Unix ms or 0 for none. A listpack hash becomes
 * one when a field first gets a time to live, and stays one (as in Redis) until it outgrows the
 * listpack thresholds. Unlike Redis, fields keep their insertion order instead of being sorted
 * by expiry.
 */
public final class PackedExpiringHash extends PackedHash {
    public PackedExpiringHash() {
    }

    private PackedExpiringHash(PackedExpiringHash other) {
        super(other);
    }

    /** The fields and values of {@code hash}, none with an expiry yet. */
    public static PackedExpiringHash of(PackedHash hash) {
        PackedExpiringHash result = new PackedExpiringHash();
        hash.forEach((field, value) -> {
            result.append(field);
            result.append(value);
            result.insert(result.end(), 0L);
        });
        return result;
    }

    @Override
    int stride() {
        return 3;
    }

    @Override
    public String encoding() {
        return "listpackex";
    }

    @Override
    public PackedExpiringHash copy() {
        return new PackedExpiringHash(this);
    }
}
