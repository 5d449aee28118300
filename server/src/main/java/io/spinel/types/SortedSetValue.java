package io.spinel.types;

/**
 * A sorted set: members (byte strings) with scores, ordered by score, then by member bytes. Its
 * two encodings are {@link PackedSortedSet} ("listpack", small sets) and {@link SkiplistSortedSet}
 * ("skiplist"); commands choose and convert between them.
 *
 * <p>Scores are never NaN, so NaN is the "no such member" answer of {@link #score}. Scores compare
 * as C doubles do: -0 equals 0, and members decide between equal scores. Ranks are 0-based in
 * ascending order. Positions and ranks are invalid after any change. Not thread-safe: callers hold
 * the key's slot lock.
 */
public sealed interface SortedSetValue extends CollectionValue permits PackedSortedSet, SkiplistSortedSet {
    /** Receives entries of a walk; returns false to stop it. */
    @FunctionalInterface
    interface EntryVisitor {
        boolean visit(byte[] member, double score);
    }

    @Override
    default ValueType type() {
        return ValueType.ZSET;
    }

    /** The number of members. */
    int size();

    /** The score of {@code member}, or NaN when it is not a member. */
    double score(byte[] member);

    /** Adds {@code member}, which must not be a member yet. */
    void insert(byte[] member, double score);

    /** Changes the score of {@code member}, which must be a member, to {@code score}. */
    void update(byte[] member, double score);

    /** Removes {@code member}; returns whether it was a member. */
    boolean remove(byte[] member);

    /** The ascending rank of {@code member}, or -1 when it is not a member. */
    long rank(byte[] member);

    /** How many members score below {@code score} (or at most {@code score} when {@code inclusive}). */
    long countBelow(double score, boolean inclusive);

    /**
     * The rank of the first member of {@code range}, or -1: the first member not below its minimum,
     * if that one is not above its maximum (members are assumed to share one score, as in Redis).
     */
    long firstInLex(LexRange range);

    /** The rank of the last member of {@code range}, or -1 (the mirror of {@link #firstInLex}). */
    long lastInLex(LexRange range);

    /**
     * Calls {@code visitor} with the members from rank {@code rank} on, ascending (or descending
     * when {@code reverse}), until it returns false or the set ends.
     */
    void forEach(long rank, boolean reverse, EntryVisitor visitor);

    /** Removes the members with ranks {@code from} to {@code to}, both included and in range. */
    void removeRange(long from, long to);

    /** The longest member's length in bytes (for choosing a result's encoding). */
    default int maxMemberLength() {
        int[] longest = {0};
        forEach(0, false, (member, score) -> {
            longest[0] = Math.max(longest[0], member.length);
            return true;
        });
        return longest[0];
    }
}
