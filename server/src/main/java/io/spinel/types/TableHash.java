package io.spinel.types;

import io.spinel.store.KeyTable;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * A large hash: the fields in a {@link KeyTable} (the "hashtable" encoding), each field's expiry
 * in the table's per-position expiry array, which the table allocates only once a field gets
 * one. A hash becomes one when it outgrows the listpack thresholds and never converts back, as in
 * Redis.
 *
 * <p>Memory: each field and its value live in one array, the table's packed key
 * ({@link KeyTable#packedKey}: length, field, value), so a field costs one array header and its
 * share of the table's positions; values are copied out when read.
 */
public final class TableHash implements HashValue {
    private final KeyTable table = new KeyTable(true);

    /** The fields, values and expiries of {@code hash}. */
    public static TableHash of(HashValue hash) {
        TableHash result = new TableHash();
        hash.forEach((field, value) -> {
            long at = hash.expiryOf(field);
            result.put(field, value, false);
            if (at > 0) {
                result.expireAt(field, at);
            }
        });
        return result;
    }

    @Override
    public String encoding() {
        return "hashtable";
    }

    @Override
    public TableHash copy() {
        return of(this);
    }

    @Override
    public long memoryUsage(int samples) {
        int count = table.size();
        if (count == 0) {
            return 64;
        }
        long sampledBytes = 0;
        int seen = 0;
        for (int p = table.nextPosition(0); p >= 0 && (samples == 0 || seen < samples); p = table.nextPosition(p + 1)) {
            seen++;
            sampledBytes += (16 + table.keyAt(p).length + 7) & ~7;
        }
        // Per field: its share of the table's positions (hash, clock, two references) plus its array.
        return 64 + count * 21L + sampledBytes * count / seen;
    }

    @Override
    public int fieldCount() {
        return table.size();
    }

    private static byte[] fieldOf(byte[] packed) {
        int offset = KeyTable.packedKeyOffset(packed);
        return Arrays.copyOfRange(packed, offset, offset + KeyTable.packedKeyLength(packed));
    }

    /** Where the value starts in a packed field: after the length and the field. */
    private static int valueOffset(byte[] packed) {
        return KeyTable.packedKeyOffset(packed) + KeyTable.packedKeyLength(packed);
    }

    private static byte[] valueOf(byte[] packed) {
        return Arrays.copyOfRange(packed, valueOffset(packed), packed.length);
    }

    @Override
    public byte[] get(byte[] field) {
        int p = table.find(field);
        return p < 0 ? null : valueOf(table.keyAt(p));
    }

    @Override
    public int valueLength(byte[] field) {
        int p = table.find(field);
        if (p < 0) {
            return -1;
        }
        byte[] packed = table.keyAt(p);
        return packed.length - valueOffset(packed);
    }

    /**
     * Stores the field's value. A value equal to the stored one keeps the stored array (as a
     * string key does, {@code Database.overwrite}): the collector then has nothing new to copy.
     */
    @Override
    public boolean put(byte[] field, byte[] value, boolean keepTtl) {
        int hash = KeyTable.hashOf(field);
        int p = table.find(field, hash);
        if (p < 0) {
            table.insert(KeyTable.packedKey(field, value), hash, null, 0);
            return true;
        }
        byte[] stored = table.keyAt(p);
        if (!Arrays.equals(stored, valueOffset(stored), stored.length, value, 0, value.length)) {
            table.setKeyAt(p, KeyTable.packedKey(field, value));
        }
        if (!keepTtl) {
            table.setExpiryAt(p, 0);
        }
        return false;
    }

    @Override
    public boolean remove(byte[] field) {
        int p = table.find(field);
        if (p < 0) {
            return false;
        }
        table.removeAt(p);
        return true;
    }

    @Override
    public long expiryOf(byte[] field) {
        int p = table.find(field);
        return p < 0 ? NO_FIELD : table.expiryAt(p);
    }

    @Override
    public void expireAt(byte[] field, long unixMillis) {
        int p = table.find(field);
        if (p >= 0) {
            table.setExpiryAt(p, unixMillis);
        }
    }

    @Override
    public boolean canExpireFields() {
        return true;
    }

    /** A lower bound: exact after {@link #expireElements}, lower after an expiry was raised or removed. */
    @Override
    public long earliestElementExpiry() {
        return table.volatileCount() == 0 ? Long.MAX_VALUE : table.earliestExpiry();
    }

    @Override
    public int expireElements(long now) {
        return table.removeExpired(now, field -> { });
    }

    @Override
    public void forEach(FieldConsumer action) {
        table.forEachPosition(p -> {
            byte[] packed = table.keyAt(p);
            action.accept(fieldOf(packed), valueOf(packed));
        });
    }

    @Override
    public byte[] randomField(RandomGenerator random) {
        byte[] packed = table.randomKey(random);
        return packed == null ? null : fieldOf(packed);
    }

    @Override
    public long scan(long cursor, int count, FieldConsumer out) {
        return table.scan(cursor, count, packed -> out.accept(fieldOf(packed), valueOf(packed)));
    }
}
