package io.spinel.persistence.rdb;

import io.spinel.types.StringValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Redis's listpack serialization (the blob inside RDB's listpack, quicklist v2, set, zset and
 * hash listpack types): a 4-byte total size and a 2-byte count (little-endian), the entries, and
 * a 0xFF terminator. An entry is its encoding byte(s), its data and a "backlen" (the size of
 * encoding plus data in 7-bit groups, read backwards). Spinel's own {@link io.spinel.types.Listpack}
 * uses a different layout in memory; this class only converts at the file boundary.
 */
final class RedisListpack {
    private static final int HEADER = 6;

    private RedisListpack() {
    }

    /** Builds a listpack blob entry by entry. */
    static final class Builder {
        private final RdbOutput out = new RdbOutput(64, false);
        private int count;

        Builder() {
            out.writeLittleEndian(0, 4);
            out.writeLittleEndian(0, 2);
        }

        /** Appends a string, integer-encoded when it is a canonical 64-bit integer (as lpAppend does). */
        Builder add(byte[] value) {
            if (value.length > 0 && value.length <= 20 && StringValue.of(value) instanceof Long l) {
                return add(l);
            }
            int length = value.length;
            int header;
            if (length < 64) {
                out.writeByte(0x80 | length);
                header = 1;
            } else if (length < 4096) {
                out.writeByte(0xE0 | (length >>> 8));
                out.writeByte(length & 0xff);
                header = 2;
            } else {
                out.writeByte(0xF0);
                out.writeLittleEndian(length, 4);
                header = 5;
            }
            out.writeBytes(value);
            backlen(header + length);
            count++;
            return this;
        }

        /** Appends an integer in its smallest encoding. */
        Builder add(long value) {
            int size;
            if (value >= 0 && value <= 127) {
                out.writeByte((int) value);
                size = 1;
            } else if (value >= -4096 && value <= 4095) {
                int v = (int) value & 0x1fff;
                out.writeByte(0xC0 | (v >>> 8));
                out.writeByte(v & 0xff);
                size = 2;
            } else if (value >= Short.MIN_VALUE && value <= Short.MAX_VALUE) {
                out.writeByte(0xF1);
                out.writeLittleEndian(value, 2);
                size = 3;
            } else if (value >= -(1 << 23) && value < (1 << 23)) {
                out.writeByte(0xF2);
                out.writeLittleEndian(value, 3);
                size = 4;
            } else if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) {
                out.writeByte(0xF3);
                out.writeLittleEndian(value, 4);
                size = 5;
            } else {
                out.writeByte(0xF4);
                out.writeLittleEndian(value, 8);
                size = 9;
            }
            backlen(size);
            count++;
            return this;
        }

        private void backlen(int size) {
            int groups = backlenSize(size);
            for (int g = groups - 1; g >= 0; g--) {
                int bits = (size >>> (7 * g)) & 127;
                out.writeByte(g == groups - 1 ? bits : bits | 128);
            }
        }

        /** The finished blob. */
        byte[] build() {
            out.writeByte(0xFF);
            byte[] blob = out.toByteArray();
            int total = blob.length;
            for (int i = 0; i < 4; i++) {
                blob[i] = (byte) (total >>> (8 * i));
            }
            int header = Math.min(count, 65535);
            blob[4] = (byte) header;
            blob[5] = (byte) (header >>> 8);
            return blob;
        }
    }

    private static int backlenSize(long size) {
        if (size <= 127) {
            return 1;
        }
        if (size < 16383) {
            return 2;
        }
        if (size < 2097151) {
            return 3;
        }
        if (size < 268435455) {
            return 4;
        }
        return 5;
    }

    /**
     * The entries of a listpack blob, fully validated: the header's size and count, every
     * entry's encoding, length and backlen within the blob, the terminator at the end.
     */
    static List<byte[]> decode(byte[] blob, String what) throws RdbFormatException {
        if (blob.length < HEADER + 1) {
            throw new RdbFormatException("listpack too short in " + what);
        }
        long total = (blob[0] & 0xffL) | (blob[1] & 0xffL) << 8 | (blob[2] & 0xffL) << 16 | (blob[3] & 0xffL) << 24;
        int declared = (blob[4] & 0xff) | (blob[5] & 0xff) << 8;
        if (total != blob.length) {
            throw new RdbFormatException("listpack size header " + total + " differs from its " + blob.length + " bytes in " + what);
        }
        List<byte[]> entries = new ArrayList<>();
        int p = HEADER;
        int last = blob.length - 1;
        while (p < last) {
            int start = p;
            int b = blob[p] & 0xff;
            byte[] value;
            if ((b & 0x80) == 0) {
                value = decimal(b);
                p += 1;
            } else if ((b & 0xC0) == 0x80) {
                int length = b & 0x3f;
                value = slice(blob, p + 1, length, last, what);
                p += 1 + length;
            } else if ((b & 0xE0) == 0xC0) {
                check(p + 2 <= last, what);
                int v = ((b & 0x1f) << 8) | (blob[p + 1] & 0xff);
                value = decimal((v << 19) >> 19);
                p += 2;
            } else if ((b & 0xF0) == 0xE0) {
                check(p + 2 <= last, what);
                int length = ((b & 0x0f) << 8) | (blob[p + 1] & 0xff);
                value = slice(blob, p + 2, length, last, what);
                p += 2 + length;
            } else {
                switch (b) {
                    case 0xF0 -> {
                        check(p + 5 <= last, what);
                        long length = littleEndian(blob, p + 1, 4);
                        check(length <= last - p - 5, what);
                        value = slice(blob, p + 5, (int) length, last, what);
                        p += 5 + (int) length;
                    }
                    case 0xF1 -> {
                        value = integer(blob, p, 2, last, what);
                        p += 3;
                    }
                    case 0xF2 -> {
                        value = integer(blob, p, 3, last, what);
                        p += 4;
                    }
                    case 0xF3 -> {
                        value = integer(blob, p, 4, last, what);
                        p += 5;
                    }
                    case 0xF4 -> {
                        value = integer(blob, p, 8, last, what);
                        p += 9;
                    }
                    default -> throw new RdbFormatException("bad listpack entry encoding " + b + " in " + what);
                }
            }
            int size = p - start;
            int groups = backlenSize(size);
            check(p + groups <= last, what);
            long back = 0;
            for (int g = 0; g < groups; g++) {
                back = (back << 7) | (blob[p + g] & 127);
            }
            if (back != size) {
                throw new RdbFormatException("bad listpack entry length in " + what);
            }
            p += groups;
            entries.add(value);
        }
        if (p != last || (blob[last] & 0xff) != 0xFF) {
            throw new RdbFormatException("listpack not terminated in " + what);
        }
        if (declared != 65535 && declared != entries.size()) {
            throw new RdbFormatException("listpack count header " + declared + " differs from its " + entries.size() + " entries in " + what);
        }
        return entries;
    }

    private static void check(boolean ok, String what) throws RdbFormatException {
        check(ok, "listpack", what);
    }

    /** Fails with "{kind} entry past its end in {what}" unless {@code ok}: the bound check of every packed decoder. */
    static void check(boolean ok, String kind, String what) throws RdbFormatException {
        if (!ok) {
            throw new RdbFormatException(kind + " entry past its end in " + what);
        }
    }

    private static byte[] slice(byte[] blob, int from, int length, int last, String what) throws RdbFormatException {
        return slice(blob, from, length, last, "listpack", what);
    }

    /** {@code length} bytes of {@code blob} from {@code from}, which must end at or before {@code last}. */
    static byte[] slice(byte[] blob, int from, long length, int last, String kind, String what) throws RdbFormatException {
        check(from + length <= last, kind, what);
        return java.util.Arrays.copyOfRange(blob, from, from + (int) length);
    }

    private static byte[] integer(byte[] blob, int p, int bytes, int last, String what) throws RdbFormatException {
        check(p + 1 + bytes <= last, what);
        long v = littleEndian(blob, p + 1, bytes);
        int shift = 64 - 8 * bytes;
        return decimal((v << shift) >> shift);
    }

    static long littleEndian(byte[] blob, int from, int bytes) {
        long v = 0;
        for (int i = 0; i < bytes; i++) {
            v |= (blob[from + i] & 0xffL) << (8 * i);
        }
        return v;
    }

    static byte[] decimal(long value) {
        return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
    }
}
