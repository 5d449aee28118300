package io.spinel.types;

import java.util.Iterator;
import java.util.random.RandomGenerator;

/**
 * A set of byte strings (Redis's t_set.c type half), in one of three encodings that convert at
 * Redis 7.2's thresholds.
 *
 * <h2>Encodings</h2>
 * <ul>
 * <li>{@link IntSet} ("intset"): every member is a canonical 64-bit integer and there are at most
 * set-max-intset-entries of them; a sorted array of 16, 32 or 64-bit numbers.
 * <li>{@link PackedSet} ("listpack"): at most set-max-listpack-entries members of at most
 * set-max-listpack-value bytes each, in insertion order, in one {@link Listpack}.
 * <li>{@link TableSet} ("hashtable"): anything larger, a {@link io.spinel.store.KeyTable} whose
 * keys are the members.
 * </ul>
 * A small set is one object and its array, the set itself being the packed structure. Sets only
 * grow into larger encodings while commands add to them (as in Redis, removing members never
 * converts back); the commands that build a new set (the STORE forms, SPOP's rebuild) choose the
 * result's encoding as Redis does through {@link #create}, {@link #add} and {@link #compacted}.
 *
 * <h2>Conversions</h2>
 * {@link #add} returns the set that holds the member afterwards: this one, or a new set in a
 * larger encoding that the caller must store in place of this one. Whether the member was new
 * shows in the size. The thresholds come as {@link Limits}, read from the configuration by the
 * command for each call.
 *
 * <h2>Concurrency</h2>
 * None inside: a stored set is only touched under its key's slot lock.
 */
public sealed interface SetValue extends CollectionValue permits IntSet, PackedSet, TableSet {
    /** Redis's listpack safety cap: a listpack never grows past 1 GB. */
    long LISTPACK_MAX_SAFE_BYTES = 1L << 30;
    /** Redis caps an intset at 2^30 entries whatever set-max-intset-entries says. */
    long INTSET_MAX_ENTRIES = 1L << 30;

    /** The encoding thresholds in force: set-max-intset-entries, set-max-listpack-entries and -value. */
    record Limits(long maxIntsetEntries, long maxListpackEntries, long maxListpackValue) {
        /** set-max-intset-entries capped as Redis caps it. */
        long intsetEntries() {
            return Math.min(maxIntsetEntries, INTSET_MAX_ENTRIES);
        }
    }

    @Override
    default ValueType type() {
        return ValueType.SET;
    }

    /** The number of members. */
    int size();

    /** Whether {@code member} is in the set. */
    boolean contains(byte[] member);

    /** Removes {@code member}; true when it was there. Never converts the encoding. */
    boolean remove(byte[] member);

    /**
     * Adds {@code member}; returns the set now holding it, this one or a replacement in a larger
     * encoding. The member was new when the returned set is larger than this one was.
     */
    SetValue add(byte[] member, Limits limits);

    /** The members in the encoding's order (intset: ascending; listpack: insertion; hashtable: table order). */
    Iterator<byte[]> iterator();

    /** A uniformly chosen member; the set must not be empty. */
    byte[] randomMember(RandomGenerator random);

    @Override
    SetValue copy();

    /**
     * An empty set able to hold {@code first} and about {@code sizeHint} members (setTypeCreate):
     * an intset when {@code first} is an integer and the hint fits one, else a listpack when the
     * hint fits one, else a hashtable.
     */
    static SetValue create(byte[] first, long sizeHint, Limits limits) {
        if (sizeHint <= limits.maxIntsetEntries() && StringValue.parseLong(first) != null) {
            return new IntSet();
        }
        if (sizeHint <= limits.maxListpackEntries()) {
            return new PackedSet();
        }
        return new TableSet();
    }

    /**
     * This set, or a hashtable copy when about {@code sizeHint} members are about to be added and
     * that is more than the current encoding may hold (setTypeMaybeConvert).
     */
    default SetValue reserve(long sizeHint, Limits limits) {
        boolean over = switch (this) {
            case PackedSet packed -> sizeHint > limits.maxListpackEntries();
            case IntSet ints -> sizeHint > limits.maxIntsetEntries();
            case TableSet table -> false;
        };
        return over ? TableSet.of(this) : this;
    }

    /**
     * The set a command that built it stores (SINTERSTORE): an intset copy when
     * {@code onlyIntegers} and the set is small enough for one, else this set with its packed
     * array trimmed.
     */
    default SetValue compacted(boolean onlyIntegers, Limits limits) {
        if (onlyIntegers && !(this instanceof IntSet) && size() <= limits.intsetEntries()) {
            IntSet ints = new IntSet();
            for (Iterator<byte[]> it = iterator(); it.hasNext(); ) {
                ints.addInteger(StringValue.parseLong(it.next()));
            }
            return ints;
        }
        if (this instanceof PackedSet packed) {
            packed.trim();
        }
        return this;
    }
}
