package io.spinel.scripting;

/**
 * The 48-bit linear congruential generator of POSIX {@code lrand48}, which Redis's
 * {@code math.random} uses so that scripts draw the same sequence on every platform:
 * x' = (0x5DEECE66D x + 0xB) mod 2^48, returning the top 31 bits. Not thread-safe.
 */
final class Lrand48 {
    /** The largest value {@link #next} returns, plus one (INT32_MAX). */
    static final long MAX = Integer.MAX_VALUE;
    private static final long MULTIPLIER = 0x5DEECE66DL;
    private static final long MASK = (1L << 48) - 1;

    private long state;

    Lrand48() {
        seed(0);
    }

    /** srand48: the seed's 32 bits above the constant 0x330E. */
    void seed(int seed) {
        state = (((long) seed & 0xffffffffL) << 16 | 0x330E) & MASK;
    }

    long next() {
        state = (state * MULTIPLIER + 0xB) & MASK;
        return state >>> 17;
    }
}
