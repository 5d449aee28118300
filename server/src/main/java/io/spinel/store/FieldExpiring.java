package io.spinel.store;

/**
 * A stored value whose elements may expire one by one (a hash with field TTLs), so that the
 * active expire cycle can reclaim them without a command touching the key. The keyspace tracks
 * which keys hold such values ({@link Database#fieldExpiryWritten}) and, once the earliest
 * element expiry of one has passed, calls {@link #expireElements} under the key's slot lock and
 * deletes the key if nothing is left.
 */
public interface FieldExpiring {
    /** The earliest element expiry in Unix ms, or Long.MAX_VALUE when no element has one. */
    long earliestElementExpiry();

    /** Removes every element whose expiry is at or before {@code now}; returns how many. */
    int expireElements(long now);

    /** Whether no element is left (the key must then be deleted). */
    boolean isEmpty();
}
