package io.spinel.types;

import java.util.random.RandomGenerator;

/**
 * A small hash packed in one listpack: field, value, field, value... (the "listpack" encoding).
 * The hash IS the listpack, so a small hash costs its entries' bytes and one object besides
 * its array. Lookups walk the fields: O(n), with n at most hash-max-listpack-entries.
 *
 * <p>{@link PackedExpiringHash} extends it with a third entry per field, the field's expiry;
 * every method here walks entries in steps of {@link #stride}, so both share one implementation.
 */
public sealed class PackedHash extends Listpack implements HashValue permits PackedExpiringHash {
    public PackedHash() {
    }

    /** A copy of {@code other}'s entries, exactly sized. */
    protected PackedHash(PackedHash other) {
        super(other);
    }

    /** Entries per field: field and value (2), plus the expiry in {@link PackedExpiringHash} (3). */
    int stride() {
        return 2;
    }

    @Override
    public String encoding() {
        return "listpack";
    }

    @Override
    public PackedHash copy() {
        return new PackedHash(this);
    }

    @Override
    public long memoryUsage(int samples) {
        return memoryUsage();
    }

    @Override
    public int fieldCount() {
        return size() / stride();
    }

    /** The position of {@code field}'s entry, or -1. */
    private int positionOf(byte[] field) {
        return find(first(), field, stride());
    }

    @Override
    public byte[] get(byte[] field) {
        int p = positionOf(field);
        return p < 0 ? null : bytesAt(next(p));
    }

    @Override
    public int valueLength(byte[] field) {
        int p = positionOf(field);
        return p < 0 ? -1 : valueLength(next(p));
    }

    @Override
    public boolean put(byte[] field, byte[] value, boolean keepTtl) {
        int p = positionOf(field);
        if (p < 0) {
            append(field);
            append(value);
            if (stride() == 3) {
                insert(end(), 0L);
            }
            return true;
        }
        int v = next(p);
        replace(v, value);
        if (!keepTtl && stride() == 3) {
            replace(next(v), 0L);
        }
        return false;
    }

    @Override
    public boolean remove(byte[] field) {
        int p = positionOf(field);
        if (p < 0) {
            return false;
        }
        delete(p, stride());
        return true;
    }

    @Override
    public long expiryOf(byte[] field) {
        int p = positionOf(field);
        if (p < 0) {
            return NO_FIELD;
        }
        return stride() == 3 ? integerAt(next(next(p))) : 0;
    }

    @Override
    public void expireAt(byte[] field, long unixMillis) {
        if (stride() != 3) {
            throw new IllegalStateException("a listpack hash holds no field expiries");
        }
        int p = positionOf(field);
        if (p >= 0) {
            replace(next(next(p)), unixMillis);
        }
    }

    @Override
    public boolean canExpireFields() {
        return stride() == 3;
    }

    @Override
    public long earliestElementExpiry() {
        long earliest = Long.MAX_VALUE;
        if (stride() == 3) {
            for (int p = first(); p >= 0; p = next(next(next(p)))) {
                long at = integerAt(next(next(p)));
                if (at != 0 && at < earliest) {
                    earliest = at;
                }
            }
        }
        return earliest;
    }

    @Override
    public int expireElements(long now) {
        if (stride() != 3) {
            return 0;
        }
        int removed = 0;
        int p = first();
        while (p >= 0 && p < end()) {
            long at = integerAt(next(next(p)));
            if (at != 0 && at <= now) {
                p = delete(p, 3);
                removed++;
            } else {
                p = next(next(next(p)));
            }
        }
        return removed;
    }

    @Override
    public void forEach(FieldConsumer action) {
        for (int p = first(); p >= 0; ) {
            int v = next(p);
            action.accept(bytesAt(p), bytesAt(v));
            p = stride() == 3 ? next(next(v)) : next(v);
        }
    }

    @Override
    public byte[] randomField(RandomGenerator random) {
        int count = fieldCount();
        return count == 0 ? null : bytesAt(position((long) random.nextInt(count) * stride()));
    }

    @Override
    public long scan(long cursor, int count, FieldConsumer out) {
        forEach(out);
        return 0;
    }
}
