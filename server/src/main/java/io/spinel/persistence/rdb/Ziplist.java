package io.spinel.persistence.rdb;

import java.util.ArrayList;
import java.util.List;

/**
 * Decoder of Redis's ziplist, the packed encoding of RDB files before version 10 (list, hash
 * and zset ziplists, quicklist v1 nodes): 4-byte total size, 4-byte tail offset, 2-byte count,
 * entries (previous entry length, encoding, data), 0xFF. Every field is checked against the blob.
 * Spinel never writes ziplists.
 */
final class Ziplist {
    private static final int HEADER = 10;

    private Ziplist() {
    }

    /** The entries of a ziplist blob, fully validated. */
    static List<byte[]> decode(byte[] blob, String what) throws RdbFormatException {
        if (blob.length < HEADER + 1) {
            throw new RdbFormatException("ziplist too short in " + what);
        }
        long total = RedisListpack.littleEndian(blob, 0, 4);
        long tail = RedisListpack.littleEndian(blob, 4, 4);
        int declared = (int) RedisListpack.littleEndian(blob, 8, 2);
        if (total != blob.length || tail >= blob.length) {
            throw new RdbFormatException("ziplist header does not match its size in " + what);
        }
        List<byte[]> entries = new ArrayList<>();
        int last = blob.length - 1;
        int p = HEADER;
        int previousStart = -1;
        int previousSize = 0;
        while (p < last) {
            int start = p;
            int prevlen = blob[p] & 0xff;
            if (prevlen == 254) {
                check(p + 5 <= last, what);
                prevlen = (int) RedisListpack.littleEndian(blob, p + 1, 4);
                p += 5;
            } else {
                p += 1;
            }
            if (prevlen != previousSize) {
                throw new RdbFormatException("bad ziplist previous-entry length in " + what);
            }
            check(p < last, what);
            int enc = blob[p] & 0xff;
            byte[] value;
            switch (enc >>> 6) {
                case 0 -> {
                    int length = enc & 0x3f;
                    value = slice(blob, p + 1, length, last, what);
                    p += 1 + length;
                }
                case 1 -> {
                    check(p + 2 <= last, what);
                    int length = ((enc & 0x3f) << 8) | (blob[p + 1] & 0xff);
                    value = slice(blob, p + 2, length, last, what);
                    p += 2 + length;
                }
                case 2 -> {
                    check(p + 5 <= last && enc == 0x80, what);
                    long length = ((blob[p + 1] & 0xffL) << 24) | ((blob[p + 2] & 0xffL) << 16)
                            | ((blob[p + 3] & 0xffL) << 8) | (blob[p + 4] & 0xffL);
                    check(length <= last - p - 5, what);
                    value = slice(blob, p + 5, (int) length, last, what);
                    p += 5 + (int) length;
                }
                default -> {
                    int bytes = switch (enc) {
                        case 0xC0 -> 2;
                        case 0xD0 -> 4;
                        case 0xE0 -> 8;
                        case 0xF0 -> 3;
                        case 0xFE -> 1;
                        default -> {
                            if (enc >= 0xF1 && enc <= 0xFD) {
                                yield 0;
                            }
                            throw new RdbFormatException("bad ziplist entry encoding " + enc + " in " + what);
                        }
                    };
                    check(p + 1 + bytes <= last, what);
                    long v;
                    if (bytes == 0) {
                        v = (enc & 0x0f) - 1;
                    } else {
                        v = RedisListpack.littleEndian(blob, p + 1, bytes);
                        int shift = 64 - 8 * bytes;
                        v = (v << shift) >> shift;
                    }
                    value = RedisListpack.decimal(v);
                    p += 1 + bytes;
                }
            }
            previousStart = start;
            previousSize = p - start;
            entries.add(value);
        }
        if (p != last || (blob[last] & 0xff) != 0xFF) {
            throw new RdbFormatException("ziplist not terminated in " + what);
        }
        if (tail != (previousStart < 0 ? HEADER : previousStart)) {
            throw new RdbFormatException("bad ziplist tail offset in " + what);
        }
        if (declared != 65535 && declared != entries.size()) {
            throw new RdbFormatException("ziplist count header differs from its entries in " + what);
        }
        return entries;
    }

    private static void check(boolean ok, String what) throws RdbFormatException {
        RedisListpack.check(ok, "ziplist", what);
    }

    private static byte[] slice(byte[] blob, int from, long length, int last, String what) throws RdbFormatException {
        return RedisListpack.slice(blob, from, length, last, "ziplist", what);
    }
}
