package io.spinel.persistence.rdb;

/**
 * LZF, the compression of RDB strings (rdbcompression) and of compressed quicklist nodes in RDB
 * files: a byte stream of literal runs (control byte 0-31: that many plus one literal bytes
 * follow) and back references (control byte's top 3 bits: length - 2, 7 meaning "add the next
 * byte"; low 5 bits and the next byte: distance - 1, up to 8192 bytes back).
 *
 * <p>The compressor makes the bytes Redis's lzf_compress (liblzf 3.6) makes as Redis builds it
 * (HLOG 16: a 2^16-slot table of the last position of each 3-byte sequence; VERY_FAST: of a
 * match's positions only the last two enter the table; no match from the first byte), so DUMP
 * payloads, RDB strings and DEBUG OBJECT's serializedlength equal Redis's. liblzf does not clear
 * its table between calls, so Redis can rarely find a match through a stale slot that a fresh
 * table does not; both outputs decode the same. Thread-safe: each thread keeps its own table
 * (256 KB), which a call empties by moving its base past every position an earlier call stored
 * rather than by clearing it.
 */
public final class Lzf {
    private static final int TABLE_SIZE = 1 << 16;
    private static final int MAX_LITERAL = 32;
    private static final int MAX_OFFSET = 1 << 13;
    private static final int MAX_MATCH = (1 << 8) + (1 << 3);
    private static final ThreadLocal<Table> TABLES = ThreadLocal.withInitial(Table::new);

    /**
     * The hash table of one thread: a slot holds {@code base + position} of the last position
     * stored in it; a value below the current call's base is from an earlier call and counts as
     * empty.
     */
    private static final class Table {
        final int[] slots = new int[TABLE_SIZE];
        int base = 1;

        /** Makes every stored value stale and returns the base of a call over {@code length} bytes. */
        int start(int length) {
            if (base > Integer.MAX_VALUE - length - 1) {
                java.util.Arrays.fill(slots, 0);
                base = 1;
            }
            int start = base;
            base += length + 1;
            return start;
        }
    }

    private Lzf() {
    }

    /**
     * Compresses {@code length} bytes of {@code in} from {@code offset} into {@code out} from
     * offset 0, using at most {@code outLength} bytes; returns the compressed length, or 0 when
     * the result would not fit (with lzf_compress's conservative end checks: Redis passes
     * {@code length - 4} and stores the string uncompressed on 0).
     */
    public static int compress(byte[] in, int offset, int length, byte[] out, int outLength) {
        if (length == 0 || outLength == 0) {
            return 0;
        }
        Table hashes = TABLES.get();
        int[] table = hashes.slots;
        // A stored value minus bias is the position; a stale one comes out below offset, never a match.
        int bias = hashes.start(length) - offset;
        int end = offset + length;
        int ip = offset;
        int op = 1; // a literal run starts with its control byte, written when the run ends
        int literals = 0;
        int hash = length > 2 ? first(in, ip) : 0;
        while (ip < end - 2) {
            hash = next(hash, in, ip);
            int slot = slot(hash);
            int ref = table[slot] - bias;
            table[slot] = ip + bias;
            int distance = ip - ref - 1;
            if (ref > offset && distance < MAX_OFFSET
                    && in[ref] == in[ip] && in[ref + 1] == in[ip + 1] && in[ref + 2] == in[ip + 2]) {
                if (op + 4 >= outLength && op - (literals == 0 ? 1 : 0) + 4 >= outLength) {
                    return 0;
                }
                out[op - literals - 1] = (byte) (literals - 1);
                if (literals == 0) {
                    op--;
                }
                int len = matchLength(in, ref, ip, Math.min(MAX_MATCH, end - ip - 2)) - 2;
                ip++;
                if (len < 7) {
                    out[op++] = (byte) ((distance >>> 8) + (len << 5));
                } else {
                    out[op++] = (byte) ((distance >>> 8) + (7 << 5));
                    out[op++] = (byte) (len - 7);
                }
                out[op++] = (byte) distance;
                literals = 0;
                op++;
                ip += len + 1;
                if (ip >= end - 2) {
                    break;
                }
                ip -= 2;
                hash = first(in, ip);
                for (int i = 0; i < 2; i++) {
                    hash = next(hash, in, ip);
                    table[slot(hash)] = ip + bias;
                    ip++;
                }
            } else {
                if (op >= outLength) {
                    return 0;
                }
                op = literal(in[ip++], out, op, literals);
                literals = (literals + 1) % MAX_LITERAL;
            }
        }
        if (op + 3 > outLength) {
            return 0;
        }
        while (ip < end) {
            op = literal(in[ip++], out, op, literals);
            literals = (literals + 1) % MAX_LITERAL;
        }
        out[op - literals - 1] = (byte) (literals - 1);
        if (literals == 0) {
            op--;
        }
        return op;
    }

    /**
     * Appends {@code b} to the literal run ending at {@code op}, which holds {@code literals}
     * bytes, and closes the run (writes its control byte, starts the next) when it is full;
     * returns the new end.
     */
    private static int literal(byte b, byte[] out, int op, int literals) {
        out[op++] = b;
        if (literals + 1 == MAX_LITERAL) {
            out[op - MAX_LITERAL - 1] = (byte) (MAX_LITERAL - 1);
            op++;
        }
        return op;
    }

    /**
     * How many bytes from {@code ref} equal those from {@code ip}, the first three known equal,
     * as liblzf counts them: when more than 16 may match it compares the next 16 without the
     * {@code max} bound (so a match ending the input may pass {@code max} by two), then goes on
     * byte by byte up to {@code max}.
     */
    private static int matchLength(byte[] in, int ref, int ip, int max) {
        int len = 2;
        if (max > 16) {
            for (int i = 0; i < 16; i++) {
                len++;
                if (in[ref + len] != in[ip + len]) {
                    return len;
                }
            }
        }
        do {
            len++;
        } while (len < max && in[ref + len] == in[ip + len]);
        return len;
    }

    /** liblzf's FRST: the first two bytes at {@code p}. */
    private static int first(byte[] in, int p) {
        return ((in[p] & 0xff) << 8) | (in[p + 1] & 0xff);
    }

    /** liblzf's NEXT: the hash moved on to the three bytes at {@code p}. */
    private static int next(int hash, byte[] in, int p) {
        return (hash << 8) | (in[p + 2] & 0xff);
    }

    /** liblzf's IDX for a 2^16-slot table in its VERY_FAST form. */
    private static int slot(int hash) {
        return ((hash >>> 8) - hash * 5) & (TABLE_SIZE - 1);
    }

    /**
     * Decompresses {@code length} bytes of {@code in} from {@code offset} into exactly
     * {@code expected} bytes; null when the stream is malformed or does not produce exactly that
     * many bytes (a back reference before the start, a run past either end).
     */
    public static byte[] decompress(byte[] in, int offset, int length, int expected) {
        byte[] out = new byte[expected];
        int ip = offset;
        int end = offset + length;
        int op = 0;
        while (ip < end) {
            int ctrl = in[ip++] & 0xff;
            if (ctrl < 32) {
                int run = ctrl + 1;
                if (ip + run > end || op + run > expected) {
                    return null;
                }
                System.arraycopy(in, ip, out, op, run);
                ip += run;
                op += run;
                continue;
            }
            int len = ctrl >>> 5;
            if (len == 7) {
                if (ip >= end) {
                    return null;
                }
                len += in[ip++] & 0xff;
            }
            if (ip >= end) {
                return null;
            }
            int ref = op - ((ctrl & 0x1f) << 8) - (in[ip++] & 0xff) - 1;
            len += 2;
            if (ref < 0 || op + len > expected) {
                return null;
            }
            for (int i = 0; i < len; i++) {
                out[op++] = out[ref++];
            }
        }
        return op == expected ? out : null;
    }
}
