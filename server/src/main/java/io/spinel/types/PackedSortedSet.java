package io.spinel.types;

import java.util.Arrays;

/**
 * The "listpack" encoding of a small sorted set: the set IS a {@link Listpack} of member, score
 * pairs in set order, so a small sorted set costs its packed bytes and one object.
 *
 * <p>A score that is an integer below 2^53 in magnitude is stored as a listpack integer, as Redis
 * stores such scores (so -0 becomes 0 here, as in Redis's listpack, though not in its skiplist); any
 * other score is a 9-byte string, a zero byte then the
 * double's bits, which reads back exactly without parsing (the zero byte keeps the string from
 * ever looking like an integer to the listpack). Every operation walks the pairs: the set holds
 * at most zset-max-listpack-entries of them.
 */
public final class PackedSortedSet extends Listpack implements SortedSetValue {
    private static final double EXACT_LONGS = 9007199254740992.0;

    public PackedSortedSet() {
    }

    private PackedSortedSet(PackedSortedSet other) {
        super(other);
    }

    @Override
    public String encoding() {
        return "listpack";
    }

    @Override
    public PackedSortedSet copy() {
        return new PackedSortedSet(this);
    }

    @Override
    public long memoryUsage(int samples) {
        return memoryUsage();
    }

    @Override
    public int size() {
        return super.size() / 2;
    }

    /** The score stored at {@code position}. */
    double scoreAt(int position) {
        if (isInteger(position)) {
            return integerAt(position);
        }
        byte[] raw = bytesAt(position);
        long bits = 0;
        for (int i = 1; i < 9; i++) {
            bits = (bits << 8) | (raw[i] & 0xFF);
        }
        return Double.longBitsToDouble(bits);
    }

    private void insertScore(int position, double score) {
        if (score == Math.rint(score) && Math.abs(score) < EXACT_LONGS) {
            insert(position, (long) score);
            return;
        }
        long bits = Double.doubleToRawLongBits(score);
        byte[] raw = new byte[9];
        for (int i = 8; i >= 1; i--) {
            raw[i] = (byte) bits;
            bits >>>= 8;
        }
        insert(position, raw);
    }

    /** The position of {@code member}'s entry, or -1. */
    private int find(byte[] member) {
        return size() == 0 ? -1 : find(first(), member, 2);
    }

    @Override
    public double score(byte[] member) {
        int p = find(member);
        return p < 0 ? Double.NaN : scoreAt(next(p));
    }

    @Override
    public void insert(byte[] member, double score) {
        int p = first();
        while (p >= 0) {
            int s = next(p);
            double other = scoreAt(s);
            if (other > score || (other == score && compareMember(p, member) > 0)) {
                break;
            }
            p = next(s);
        }
        int at = p < 0 ? end() : p;
        insert(at, member);
        int after = next(at);
        insertScore(after < 0 ? end() : after, score);
    }

    /** Compares the member at {@code position} with {@code member} in unsigned byte order. */
    private int compareMember(int position, byte[] member) {
        return Arrays.compareUnsigned(bytesAt(position), member);
    }

    @Override
    public void update(byte[] member, double score) {
        remove(member);
        insert(member, score);
    }

    @Override
    public boolean remove(byte[] member) {
        int p = find(member);
        if (p < 0) {
            return false;
        }
        delete(p, 2);
        return true;
    }

    @Override
    public long rank(byte[] member) {
        long rank = 0;
        for (int p = first(); p >= 0; p = next(next(p))) {
            if (matches(p, member)) {
                return rank;
            }
            rank++;
        }
        return -1;
    }

    @Override
    public long countBelow(double score, boolean inclusive) {
        long count = 0;
        for (int p = first(); p >= 0; p = next(next(p))) {
            double s = scoreAt(next(p));
            if (s < score || (inclusive && s == score)) {
                count++;
            } else {
                break;
            }
        }
        return count;
    }

    /** Whether any member can lie in {@code range}: Redis's zzlIsInLexRange. */
    private boolean mayContain(LexRange range) {
        return size() > 0 && !range.isEmpty() && range.aboveMin(bytesAt(position(-2))) && range.belowMax(bytesAt(first()));
    }

    @Override
    public long firstInLex(LexRange range) {
        if (!mayContain(range)) {
            return -1;
        }
        long rank = 0;
        for (int p = first(); p >= 0; p = next(next(p))) {
            byte[] member = bytesAt(p);
            if (range.aboveMin(member)) {
                return range.belowMax(member) ? rank : -1;
            }
            rank++;
        }
        return -1;
    }

    @Override
    public long lastInLex(LexRange range) {
        if (!mayContain(range)) {
            return -1;
        }
        long rank = size() - 1;
        for (int p = position(-2); p >= 0; p = prev(p) < 0 ? -1 : prev(prev(p))) {
            byte[] member = bytesAt(p);
            if (range.belowMax(member)) {
                return range.aboveMin(member) ? rank : -1;
            }
            rank--;
        }
        return -1;
    }

    @Override
    public void forEach(long rank, boolean reverse, EntryVisitor visitor) {
        if (rank < 0 || rank >= size()) {
            return;
        }
        for (int p = position(2 * rank); p >= 0; ) {
            int s = next(p);
            if (!visitor.visit(bytesAt(p), scoreAt(s))) {
                return;
            }
            if (reverse) {
                p = prev(p) < 0 ? -1 : prev(prev(p));
            } else {
                p = next(s);
            }
        }
    }

    @Override
    public void removeRange(long from, long to) {
        delete(position(2 * from), (int) (2 * (to - from + 1)));
    }
}
