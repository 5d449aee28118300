package io.spinel.types;

import io.spinel.store.FieldExpiring;
import java.util.random.RandomGenerator;

/**
 * A hash: field-value pairs, each field with an optional expiry (Redis 7.4's hash field
 * expiration). Three encodings, as OBJECT ENCODING names them: {@link PackedHash} ("listpack"),
 * {@link PackedExpiringHash} ("listpackex", a listpack that also holds each field's expiry) and
 * {@link TableHash} ("hashtable").
 *
 * <p>The value itself never hides expired fields: a command first calls
 * {@link #expireElements} when {@link #earliestElementExpiry} has passed (and deletes the key if
 * nothing is left), so every method here may treat every field as live. Encoding conversions
 * (and their thresholds) are the commands' business: they build the new value and store it in
 * place of the old one. Not thread-safe: used under the key's slot lock.
 */
public sealed interface HashValue extends CollectionValue, FieldExpiring permits PackedHash, TableHash {
    /** {@link #expiryOf} of a field that does not exist. */
    long NO_FIELD = -2;

    /** Receives a field and its value. */
    @FunctionalInterface
    interface FieldConsumer {
        void accept(byte[] field, byte[] value);
    }

    @Override
    default ValueType type() {
        return ValueType.HASH;
    }

    /** The number of fields. */
    int fieldCount();

    @Override
    default boolean isEmpty() {
        return fieldCount() == 0;
    }

    /** The value of {@code field}, or null. */
    byte[] get(byte[] field);

    /** The length of {@code field}'s value (HSTRLEN), or -1 when absent. */
    int valueLength(byte[] field);

    /**
     * Sets {@code field} to {@code value}; a field that existed loses its expiry unless
     * {@code keepTtl}. Returns true when the field is new.
     */
    boolean put(byte[] field, byte[] value, boolean keepTtl);

    /** Removes {@code field}; true when it existed. */
    boolean remove(byte[] field);

    /** The expiry of {@code field} in Unix ms, 0 when it has none, {@link #NO_FIELD} when absent. */
    long expiryOf(byte[] field);

    /**
     * Sets the expiry of an existing {@code field} (0 removes it). An encoding that cannot hold
     * expiries ({@link PackedHash} itself) must have been converted first.
     */
    void expireAt(byte[] field, long unixMillis);

    /** Calls {@code action} with every field and value, in the encoding's order. */
    void forEach(FieldConsumer action);

    /** A uniformly chosen field, or null when empty. */
    byte[] randomField(RandomGenerator random);

    /**
     * Passes fields and values from {@code cursor} on until about {@code count} were passed;
     * returns the next cursor, 0 when done. Packed encodings pass everything at once.
     */
    long scan(long cursor, int count, FieldConsumer out);

    /** Whether some field may carry an expiry (the encodings that can hold one). */
    boolean canExpireFields();
}
