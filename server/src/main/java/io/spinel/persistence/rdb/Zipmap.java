package io.spinel.persistence.rdb;

import java.util.ArrayList;
import java.util.List;

/**
 * Decoder of Redis's zipmap, the small-hash encoding of RDB files written before Redis 2.6: a
 * count byte, then per pair the key length, key, value length, a free-space byte, value and that
 * many free bytes; 0xFF ends it. A length is one byte below 254, else 254 and 4 bytes.
 */
final class Zipmap {
    private Zipmap() {
    }

    /** The fields and values, alternating, fully validated. */
    static List<byte[]> decode(byte[] blob, String what) throws RdbFormatException {
        List<byte[]> entries = new ArrayList<>();
        if (blob.length < 2) {
            throw new RdbFormatException("zipmap too short in " + what);
        }
        int p = 1;
        int last = blob.length - 1;
        while (p < last) {
            long[] length = new long[1];
            p = length(blob, p, last, length, what);
            byte[] key = slice(blob, p, length[0], last, what);
            p += key.length;
            p = length(blob, p, last, length, what);
            check(p < last, what);
            int free = blob[p] & 0xff;
            p++;
            byte[] value = slice(blob, p, length[0], last, what);
            p += value.length;
            check(p + (long) free <= last, what);
            p += free;
            entries.add(key);
            entries.add(value);
        }
        if (p != last || (blob[last] & 0xff) != 0xFF) {
            throw new RdbFormatException("zipmap not terminated in " + what);
        }
        return entries;
    }

    private static int length(byte[] blob, int p, int last, long[] out, String what) throws RdbFormatException {
        check(p < last, what);
        int first = blob[p] & 0xff;
        if (first < 254) {
            out[0] = first;
            return p + 1;
        }
        check(first == 254 && p + 5 <= last, what);
        out[0] = RedisListpack.littleEndian(blob, p + 1, 4);
        return p + 5;
    }

    private static void check(boolean ok, String what) throws RdbFormatException {
        RedisListpack.check(ok, "zipmap", what);
    }

    private static byte[] slice(byte[] blob, int from, long length, int last, String what) throws RdbFormatException {
        return RedisListpack.slice(blob, from, length, last, "zipmap", what);
    }
}
