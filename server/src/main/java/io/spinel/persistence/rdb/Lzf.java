package io.spinel.persistence.rdb;

/**
 * LZF, the compression of RDB strings (rdbcompression) and of compressed quicklist nodes in RDB
 * files: a byte stream of literal runs (control byte 0-31: that many plus one literal bytes
 * follow) and back references (control byte's top 3 bits: length - 2, 7 meaning "add the next
 * byte"; low 5 bits and the next byte: distance - 1, up to 8192 bytes back).
 *
 * <p>The compressor is a greedy one with a hash table of the last position of each 3-byte
 * sequence, the design LZF itself uses; its output is any valid LZF stream, not necessarily the
 * bytes Redis's liblzf produces. Thread-safe (the table is per call).
 */
public final class Lzf {
    private static final int HASH_BITS = 14;
    private static final int MAX_LITERAL = 32;
    private static final int MAX_OFFSET = 1 << 13;
    private static final int MAX_MATCH = 264;

    private Lzf() {
    }

    /**
     * Compresses {@code length} bytes of {@code in} into {@code out} from offset 0; returns the
     * compressed length, or 0 when the result would not fit in {@code out} (the caller stores the
     * data uncompressed then).
     */
    public static int compress(byte[] in, int offset, int length, byte[] out) {
        int[] table = new int[1 << HASH_BITS];
        java.util.Arrays.fill(table, -1);
        int end = offset + length;
        int ip = offset;
        int literalStart = offset;
        int op = 0;
        int limit = out.length;
        while (ip + 2 < end) {
            int h = hash(in, ip);
            int ref = table[h];
            table[h] = ip;
            int distance = ip - ref - 1;
            if (ref >= offset && distance < MAX_OFFSET
                    && in[ref] == in[ip] && in[ref + 1] == in[ip + 1] && in[ref + 2] == in[ip + 2]) {
                op = literals(in, literalStart, ip, out, op);
                if (op < 0) {
                    return 0;
                }
                int max = Math.min(MAX_MATCH, end - ip);
                int len = 3;
                while (len < max && in[ref + len] == in[ip + len]) {
                    len++;
                }
                int code = len - 2;
                if (op + 3 > limit) {
                    return 0;
                }
                if (code < 7) {
                    out[op++] = (byte) ((distance >>> 8) + (code << 5));
                } else {
                    out[op++] = (byte) ((distance >>> 8) + (7 << 5));
                    out[op++] = (byte) (code - 7);
                }
                out[op++] = (byte) distance;
                ip += len;
                literalStart = ip;
            } else {
                ip++;
            }
        }
        op = literals(in, literalStart, end, out, op);
        return op < 0 ? 0 : op;
    }

    private static int hash(byte[] in, int p) {
        int v = ((in[p] & 0xff) << 16) | ((in[p + 1] & 0xff) << 8) | (in[p + 2] & 0xff);
        return (v * -1640531535) >>> (32 - HASH_BITS);
    }

    /** Writes in[from..to) as literal runs; returns the new output position or -1 when out is full. */
    private static int literals(byte[] in, int from, int to, byte[] out, int op) {
        while (from < to) {
            int run = Math.min(MAX_LITERAL, to - from);
            if (op + 1 + run > out.length) {
                return -1;
            }
            out[op++] = (byte) (run - 1);
            System.arraycopy(in, from, out, op, run);
            op += run;
            from += run;
        }
        return op;
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
