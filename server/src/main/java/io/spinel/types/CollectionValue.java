package io.spinel.types;

/**
 * A stored value that is not a string: a list, hash, set, sorted set or stream. Commands modify
 * it in place while they hold its key's slot lock; the keyspace never stores an empty one (a
 * command that removes the last element deletes the key).
 */
public interface CollectionValue {
    /** The type TYPE reports. */
    ValueType type();

    /** The encoding OBJECT ENCODING reports (listpack, quicklist, intset, hashtable, skiplist, stream). */
    String encoding();

    /** An independent deep copy, for COPY. */
    CollectionValue copy();

    /**
     * Approximate bytes of memory the value takes, for MEMORY USAGE: exact for packed encodings;
     * for the others estimated from up to {@code samples} elements (0: all of them), as Redis does.
     */
    long memoryUsage(int samples);
}
