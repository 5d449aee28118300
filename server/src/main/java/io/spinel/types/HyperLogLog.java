package io.spinel.types;

/**
 * Redis's HyperLogLog string format and its operations, as pure functions over byte arrays.
 *
 * <h2>Format</h2>
 * A 16-byte header: the magic {@code "HYLL"}, the encoding byte ({@link #DENSE} or {@link #SPARSE}),
 * three unused bytes, then the cached cardinality as 8 little-endian bytes whose last byte's high
 * bit marks the cache invalid. The dense body holds 16384 registers of 6 bits packed
 * little-endian (register i occupies bits 6i..6i+5 of the body). The sparse body is a sequence of
 * opcodes covering the registers in order: ZERO {@code 00xxxxxx} (1 to 64 zero registers), XZERO
 * {@code 01xxxxxx yyyyyyyy} (1 to 16384 zero registers) and VAL {@code 1vvvvvxx} (1 to 4
 * registers holding 1 to 32).
 *
 * <p>Elements are hashed with MurmurHash64A (seed 0xadc83b19): the low 14 bits pick the register,
 * the position of the first set bit in the remaining 50 bits (plus one) is the candidate value.
 * Cardinality uses the improved estimator of Otmar Ertl over the registers' histogram, as Redis 7
 * does, so that counts are the same as Redis's for the same registers.
 *
 * <p>Operations that may meet a corrupted value return {@link #CORRUPT}; bytes beyond a value's
 * end read as zero (Redis reads the string's terminator there), so no input makes them fail.
 */
public final class HyperLogLog {
    /** The encoding byte of the dense representation. */
    public static final int DENSE = 0;
    /** The encoding byte of the sparse representation. */
    public static final int SPARSE = 1;
    /** Number of registers (2^14). */
    public static final int REGISTERS = 1 << 14;
    /** Header length. */
    public static final int HEADER = 16;
    /** Length of a dense HyperLogLog. */
    public static final int DENSE_SIZE = HEADER + (REGISTERS * 6 + 7) / 8;
    /** The marker returned by operations that found the value corrupted. */
    public static final byte[] CORRUPT = new byte[0];

    private static final int P = 14;
    private static final int Q = 64 - P;
    private static final int REGISTER_MAX = 63;
    private static final int SPARSE_VAL_MAX_VALUE = 32;
    private static final int SPARSE_VAL_MAX_LEN = 4;
    private static final int SPARSE_ZERO_MAX_LEN = 64;
    private static final int SPARSE_XZERO_MAX_LEN = 16384;
    private static final double ALPHA_INF = 0.721347520444481703680;
    private static final long SEED = 0xadc83b19L;
    private static final long M = 0xc6a4a7935bd1e995L;

    private HyperLogLog() {
    }

    /** A new empty HyperLogLog: sparse, one XZERO covering every register, cached count 0. */
    public static byte[] create() {
        byte[] hll = new byte[HEADER + 2];
        hll[0] = 'H';
        hll[1] = 'Y';
        hll[2] = 'L';
        hll[3] = 'L';
        hll[4] = SPARSE;
        hll[HEADER] = (byte) (0x40 | ((REGISTERS - 1) >> 8));
        hll[HEADER + 1] = (byte) ((REGISTERS - 1) & 0xff);
        return hll;
    }

    /** Whether {@code hll} passes Redis's check of a HyperLogLog string (magic, encoding, dense length). */
    public static boolean isValid(byte[] hll, int length) {
        if (length < HEADER || hll[0] != 'H' || hll[1] != 'Y' || hll[2] != 'L' || hll[3] != 'L') {
            return false;
        }
        int encoding = hll[4] & 0xff;
        return encoding == SPARSE || (encoding == DENSE && length == DENSE_SIZE);
    }

    public static int encoding(byte[] hll) {
        return hll[4];
    }

    public static boolean cacheValid(byte[] hll) {
        return (hll[15] & 0x80) == 0;
    }

    public static void invalidateCache(byte[] hll) {
        hll[15] |= (byte) 0x80;
    }

    /** The cached cardinality (meaningful only when {@link #cacheValid}). */
    public static long cachedCount(byte[] hll) {
        long card = 0;
        for (int i = 7; i >= 0; i--) {
            card = (card << 8) | (hll[8 + i] & 0xff);
        }
        return card;
    }

    /** Stores {@code card} as the cached cardinality, which makes the cache valid. */
    public static void setCachedCount(byte[] hll, long card) {
        for (int i = 0; i < 8; i++) {
            hll[8 + i] = (byte) (card >>> (8 * i));
        }
    }

    /** MurmurHash64A of {@code data} with {@code seed}, reading 8-byte blocks little-endian. */
    public static long murmurHash64A(byte[] data, long seed) {
        int len = data.length;
        long h = seed ^ ((long) len * M);
        int blocks = len - (len & 7);
        for (int i = 0; i < blocks; i += 8) {
            long k = 0;
            for (int b = 7; b >= 0; b--) {
                k = (k << 8) | (data[i + b] & 0xffL);
            }
            k *= M;
            k ^= k >>> 47;
            k *= M;
            h ^= k;
            h *= M;
        }
        int rest = len & 7;
        if (rest > 0) {
            for (int b = rest - 1; b >= 0; b--) {
                h ^= (data[blocks + b] & 0xffL) << (8 * b);
            }
            h *= M;
        }
        h ^= h >>> 47;
        h *= M;
        h ^= h >>> 47;
        return h;
    }

    /** The register an element goes to. */
    static int registerOf(long hash) {
        return (int) (hash & (REGISTERS - 1));
    }

    /** The run length of zeros plus one in the hash bits above the register index (1..51). */
    static int countOf(long hash) {
        long bits = (hash >>> P) | (1L << Q);
        return Long.numberOfTrailingZeros(bits) + 1;
    }

    /** Register {@code index} of a dense HyperLogLog. */
    public static int denseGet(byte[] hll, int index) {
        int bit = index * 6;
        int at = HEADER + (bit >> 3);
        int shift = bit & 7;
        int b0 = hll[at] & 0xff;
        int b1 = at + 1 < hll.length ? hll[at + 1] & 0xff : 0;
        return ((b0 >> shift) | (b1 << (8 - shift))) & REGISTER_MAX;
    }

    /** Writes register {@code index} of a dense HyperLogLog. */
    public static void denseWrite(byte[] hll, int index, int value) {
        int bit = index * 6;
        int at = HEADER + (bit >> 3);
        int shift = bit & 7;
        hll[at] = (byte) ((hll[at] & ~(REGISTER_MAX << shift)) | (value << shift));
        if (at + 1 < hll.length) {
            int rest = 8 - shift;
            hll[at + 1] = (byte) ((hll[at + 1] & ~(REGISTER_MAX >> rest)) | (value >> rest));
        }
    }

    /** Raises register {@code index} of a dense HyperLogLog to {@code value}; true when it grew. */
    static boolean denseSet(byte[] hll, int index, int value) {
        if (value > denseGet(hll, index)) {
            denseWrite(hll, index, value);
            return true;
        }
        return false;
    }

    /**
     * Adds {@code element} to a valid HyperLogLog (see {@link #isValid}), possibly in place.
     * Returns null when no register changed, {@link #CORRUPT} for a corrupted sparse value, else
     * the updated value (the same array when changed in place, a new one otherwise) with its cache
     * invalidated. A sparse value that would grow beyond {@code sparseMaxBytes} or needs a value
     * above 32 becomes dense.
     */
    public static byte[] add(byte[] hll, byte[] element, long sparseMaxBytes) {
        long hash = murmurHash64A(element, SEED);
        int index = registerOf(hash);
        int count = countOf(hash);
        if (hll[4] == DENSE) {
            if (!denseSet(hll, index, count)) {
                return null;
            }
            invalidateCache(hll);
            return hll;
        }
        return sparseSet(hll, index, count, sparseMaxBytes);
    }

    private static int at(byte[] hll, int pos) {
        return pos < hll.length ? hll[pos] & 0xff : 0;
    }

    private static boolean isZero(int op) {
        return (op & 0xc0) == 0;
    }

    private static boolean isXzero(int op) {
        return (op & 0xc0) == 0x40;
    }

    private static int valValue(int op) {
        return ((op >> 2) & 0x1f) + 1;
    }

    private static int valLen(int op) {
        return (op & 3) + 1;
    }

    private static byte val(int value, int len) {
        return (byte) (0x80 | ((value - 1) << 2) | (len - 1));
    }

    /** Appends a ZERO or XZERO opcode for {@code len} zero registers at {@code n}; returns the new end. */
    private static int zeros(byte[] seq, int n, int len) {
        if (len > SPARSE_ZERO_MAX_LEN) {
            seq[n] = (byte) (0x40 | ((len - 1) >> 8));
            seq[n + 1] = (byte) ((len - 1) & 0xff);
            return n + 2;
        }
        seq[n] = (byte) (len - 1);
        return n + 1;
    }

    /** Raises register {@code index} of a sparse HyperLogLog to {@code count}, as Redis's hllSparseSet. */
    static byte[] sparseSet(byte[] hll, int index, int count, long sparseMaxBytes) {
        if (count > SPARSE_VAL_MAX_VALUE) {
            return promoteAndSet(hll, index, count);
        }
        int end = hll.length;
        int p = HEADER;
        int prev = -1;
        long first = 0;
        long span = 0;
        while (p < end) {
            int op = hll[p] & 0xff;
            int oplen = 1;
            if (isZero(op)) {
                span = (op & 0x3f) + 1;
            } else if (isXzero(op)) {
                span = (((op & 0x3f) << 8) | at(hll, p + 1)) + 1;
                oplen = 2;
            } else {
                span = valLen(op);
            }
            if (index <= first + span - 1) {
                break;
            }
            prev = p;
            p += oplen;
            first += span;
        }
        if (span == 0 || p >= end) {
            return CORRUPT;
        }
        int op = hll[p] & 0xff;
        boolean isXzero = isXzero(op);
        boolean isVal = (op & 0x80) != 0;
        int next = isXzero ? p + 2 : p + 1;
        byte[] out = hll;
        if (isVal && valValue(op) >= count) {
            return null;
        }
        if ((isVal || isZero(op)) && span == 1) {
            hll[p] = val(count, 1);
        } else {
            byte[] seq = new byte[5];
            int n = 0;
            long last = first + span - 1;
            if (!isVal) {
                if (index != first) {
                    n = zeros(seq, n, (int) (index - first));
                }
                seq[n++] = val(count, 1);
                if (index != last) {
                    n = zeros(seq, n, (int) (last - index));
                }
            } else {
                int current = valValue(op);
                if (index != first) {
                    seq[n++] = val(current, (int) (index - first));
                }
                seq[n++] = val(count, 1);
                if (index != last) {
                    seq[n++] = val(current, (int) (last - index));
                }
            }
            int oldLen = isXzero ? 2 : 1;
            int delta = n - oldLen;
            if (delta > 0 && (long) end + delta > sparseMaxBytes) {
                return promoteAndSet(hll, index, count);
            }
            out = new byte[end + delta];
            System.arraycopy(hll, 0, out, 0, p);
            // A corrupted value may end inside the XZERO being split: the sequence is cut at the new end.
            System.arraycopy(seq, 0, out, p, Math.min(n, out.length - p));
            if (next < end) {
                System.arraycopy(hll, next, out, p + n, end - next);
            }
            end += delta;
        }
        out = mergeAdjacent(out, prev < 0 ? HEADER : prev, end);
        invalidateCache(out);
        return out;
    }

    /**
     * Merges adjacent VAL opcodes with the same value, scanning up to five opcodes from
     * {@code from} as Redis does after an update; returns the (possibly shorter) value.
     */
    private static byte[] mergeAdjacent(byte[] hll, int from, int end) {
        int p = from;
        int scan = 5;
        int removed = 0;
        while (p < end && scan-- > 0) {
            int op = hll[p] & 0xff;
            if (isXzero(op)) {
                p += 2;
                continue;
            }
            if (isZero(op)) {
                p++;
                continue;
            }
            if (p + 1 < end && (hll[p + 1] & 0x80) != 0) {
                int nextOp = hll[p + 1] & 0xff;
                int value = valValue(op);
                int len = valLen(op) + valLen(nextOp);
                if (value == valValue(nextOp) && len <= SPARSE_VAL_MAX_LEN) {
                    hll[p + 1] = val(value, len);
                    System.arraycopy(hll, p + 1, hll, p, end - p - 1);
                    end--;
                    removed++;
                    continue;
                }
            }
            p++;
        }
        return removed == 0 ? hll : java.util.Arrays.copyOf(hll, end);
    }

    private static byte[] promoteAndSet(byte[] hll, int index, int count) {
        byte[] dense = toDense(hll);
        if (dense == CORRUPT) {
            return CORRUPT;
        }
        denseSet(dense, index, count);
        invalidateCache(dense);
        return dense;
    }

    /**
     * The dense form of a sparse HyperLogLog (header copied, encoding changed), {@code hll}
     * itself when already dense, or {@link #CORRUPT} when the opcodes do not cover exactly every
     * register.
     */
    public static byte[] toDense(byte[] hll) {
        if (hll[4] == DENSE) {
            return hll;
        }
        byte[] dense = new byte[DENSE_SIZE];
        System.arraycopy(hll, 0, dense, 0, HEADER);
        dense[4] = DENSE;
        int idx = 0;
        int p = HEADER;
        while (p < hll.length) {
            int op = hll[p] & 0xff;
            if (isZero(op)) {
                idx += (op & 0x3f) + 1;
                p++;
            } else if (isXzero(op)) {
                idx += (((op & 0x3f) << 8) | at(hll, p + 1)) + 1;
                p += 2;
            } else {
                int len = valLen(op);
                if (idx + len > REGISTERS) {
                    return CORRUPT;
                }
                int value = valValue(op);
                for (int i = 0; i < len; i++) {
                    denseWrite(dense, idx++, value);
                }
                p++;
            }
        }
        return idx == REGISTERS ? dense : CORRUPT;
    }

    /**
     * Raises {@code max[i]} to register i of {@code hll} for every register (PFCOUNT of several
     * keys, PFMERGE); false when a sparse value is corrupted.
     */
    public static boolean mergeInto(byte[] max, byte[] hll) {
        if (hll[4] == DENSE) {
            for (int i = 0; i < REGISTERS; i++) {
                int value = denseGet(hll, i);
                if (value > max[i]) {
                    max[i] = (byte) value;
                }
            }
            return true;
        }
        int i = 0;
        int p = HEADER;
        while (p < hll.length) {
            int op = hll[p] & 0xff;
            if (isZero(op)) {
                i += (op & 0x3f) + 1;
                p++;
            } else if (isXzero(op)) {
                i += (((op & 0x3f) << 8) | at(hll, p + 1)) + 1;
                p += 2;
            } else {
                int len = valLen(op);
                if (i + len > REGISTERS) {
                    return false;
                }
                int value = valValue(op);
                for (int k = 0; k < len; k++, i++) {
                    if (value > max[i]) {
                        max[i] = (byte) value;
                    }
                }
                p++;
            }
        }
        return i == REGISTERS;
    }

    /**
     * Writes {@code registers} (one byte each, 0 to 63) into a valid HyperLogLog with Redis's
     * PFMERGE steps: dense when {@code dense} is set or a register needs it, else sparse register
     * by register. Returns the resulting value with its cache invalidated, or {@link #CORRUPT}.
     */
    public static byte[] writeRegisters(byte[] hll, byte[] registers, boolean dense, long sparseMaxBytes) {
        byte[] out = dense ? toDense(hll) : hll;
        if (out == CORRUPT) {
            return CORRUPT;
        }
        for (int i = 0; i < REGISTERS; i++) {
            int value = registers[i];
            if (value == 0) {
                continue;
            }
            if (out[4] == DENSE) {
                denseSet(out, i, value);
            } else {
                byte[] updated = sparseSet(out, i, value, sparseMaxBytes);
                if (updated != null && updated != CORRUPT) {
                    out = updated;
                }
            }
        }
        invalidateCache(out);
        return out;
    }

    /**
     * The cardinality estimate of a valid HyperLogLog, or -1 when it is a corrupted sparse value
     * (opcodes not covering exactly every register).
     */
    public static long count(byte[] hll) {
        int[] histogram = new int[64];
        if (hll[4] == DENSE) {
            for (int i = 0; i < REGISTERS; i++) {
                histogram[denseGet(hll, i)]++;
            }
        } else {
            long idx = 0;
            int p = HEADER;
            while (p < hll.length) {
                int op = hll[p] & 0xff;
                int len;
                if (isZero(op)) {
                    len = (op & 0x3f) + 1;
                    histogram[0] += len;
                    p++;
                } else if (isXzero(op)) {
                    len = (((op & 0x3f) << 8) | at(hll, p + 1)) + 1;
                    histogram[0] += len;
                    p += 2;
                } else {
                    len = valLen(op);
                    histogram[valValue(op)] += len;
                    p++;
                }
                idx += len;
            }
            if (idx != REGISTERS) {
                return -1;
            }
        }
        return estimate(histogram);
    }

    /** The cardinality estimate of raw registers (one byte each, 0 to 63). */
    public static long countRegisters(byte[] registers) {
        int[] histogram = new int[64];
        for (int i = 0; i < REGISTERS; i++) {
            histogram[registers[i]]++;
        }
        return estimate(histogram);
    }

    /** Ertl's improved estimator over the registers' histogram (Redis's hllCount). */
    private static long estimate(int[] histogram) {
        double m = REGISTERS;
        double z = m * tau((m - histogram[Q + 1]) / m);
        for (int j = Q; j >= 1; j--) {
            z += histogram[j];
            z *= 0.5;
        }
        z += m * sigma(histogram[0] / m);
        return Math.round(ALPHA_INF * m * m / z);
    }

    private static double sigma(double x) {
        if (x == 1.0) {
            return Double.POSITIVE_INFINITY;
        }
        double y = 1;
        double z = x;
        double previous;
        do {
            x *= x;
            previous = z;
            z += x * y;
            y += y;
        } while (previous != z);
        return z;
    }

    private static double tau(double x) {
        if (x == 0.0 || x == 1.0) {
            return 0.0;
        }
        double y = 1.0;
        double z = 1 - x;
        double previous;
        do {
            x = Math.sqrt(x);
            previous = z;
            y *= 0.5;
            z -= Math.pow(1 - x, 2) * y;
        } while (previous != z);
        return z / 3;
    }

    /** The sparse opcodes of {@code hll} in PFDEBUG DECODE's text form ("z:len", "Z:len", "v:value,len"). */
    public static String decode(byte[] hll) {
        StringBuilder out = new StringBuilder();
        int p = HEADER;
        while (p < hll.length) {
            int op = hll[p] & 0xff;
            if (out.length() > 0) {
                out.append(' ');
            }
            if (isZero(op)) {
                out.append("z:").append((op & 0x3f) + 1);
                p++;
            } else if (isXzero(op)) {
                out.append("Z:").append((((op & 0x3f) << 8) | at(hll, p + 1)) + 1);
                p += 2;
            } else {
                out.append("v:").append(valValue(op)).append(',').append(valLen(op));
                p++;
            }
        }
        return out.toString();
    }
}
