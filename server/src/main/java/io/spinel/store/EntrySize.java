package io.spinel.store;

import io.spinel.types.CollectionValue;
import io.spinel.types.MutableString;

/**
 * The estimated bytes a key and its value take on the heap: what MEMORY USAGE reports and what
 * the keyspace adds to used_memory for each key. Strings and integers are sized exactly (array
 * header and length, data rounded up to 8 bytes, as the JVM lays them out); a collection reports
 * its own size, exact for packed encodings and estimated from its first elements for the others
 * ({@link CollectionValue#memoryUsage}), so the estimate of a given value is always the same
 * number, which keeps the keyspace's running total consistent.
 */
public final class EntrySize {
    /** The key's share of its slot table: about 1.3 positions of hash, clock and two references, plus the expiry. */
    static final long ENTRY_OVERHEAD = 32;
    /** Elements of a large collection the keyspace's accounting samples (MEMORY USAGE's default). */
    static final int ACCOUNTING_SAMPLES = 5;

    private EntrySize() {
    }

    /** Bytes of {@code key} with {@code value}, sampling up to {@code samples} elements of a collection (0: all). */
    public static long of(byte[] key, Object value, int samples) {
        return ENTRY_OVERHEAD + arrayBytes(key.length) + valueBytes(value, samples);
    }

    /** {@link #of} with the sample size the keyspace accounts with. */
    static long accounted(byte[] key, Object value) {
        return of(key, value, ACCOUNTING_SAMPLES);
    }

    /**
     * The value's bytes. Tests in the order of frequency on the write path (strings, integers),
     * as plain instanceof checks: this runs twice per SET.
     */
    private static long valueBytes(Object value, int samples) {
        if (value instanceof byte[] bytes) {
            return arrayBytes(bytes.length);
        }
        if (value instanceof Long) {
            return 16;
        }
        if (value instanceof CollectionValue collection) {
            return collection.memoryUsage(samples);
        }
        if (value instanceof MutableString string) {
            return 24 + arrayBytes(string.buffer().length);
        }
        throw new IllegalArgumentException("not a stored value: " + value.getClass());
    }

    /** A byte array: 16 bytes of header and length, the data rounded up to 8. */
    static long arrayBytes(int length) {
        return 16 + ((length + 7L) & ~7L);
    }

    /** Whether commands modify {@code value} in place, so that its size may change without a store. */
    static boolean mutable(Object value) {
        return value instanceof CollectionValue || value instanceof MutableString;
    }
}
