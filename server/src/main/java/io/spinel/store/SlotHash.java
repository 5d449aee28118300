package io.spinel.store;

/**
 * A key's hash slot, exactly as Redis Cluster computes it: CRC16 (XMODEM) of the key, or of the
 * part between the first {@code &#123;} and the first {@code &#125;} after it when that part is
 * non-empty (the hash tag), modulo 16384.
 */
public final class SlotHash {
    public static final int SLOTS = 16384;
    /**
     * CRC16 lookup tables for eight bytes at a time (slicing-by-8): {@code TABLES[256 * j + v]} is
     * the CRC of byte {@code v} followed by {@code j} zero bytes. The CRC of eight bytes is then the
     * XOR of eight independent lookups instead of a chain of eight dependent ones (a key of 16
     * bytes hashed in about a third of the time).
     */
    private static final int[] TABLES = new int[8 * 256];

    static {
        for (int v = 0; v < 256; v++) {
            int crc = v << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            TABLES[v] = crc & 0xffff;
        }
        for (int j = 1; j < 8; j++) {
            for (int v = 0; v < 256; v++) {
                int previous = TABLES[256 * (j - 1) + v];
                TABLES[256 * j + v] = ((previous << 8) ^ TABLES[previous >>> 8]) & 0xffff;
            }
        }
    }

    private SlotHash() {
    }

    /**
     * The keys this thread hashed last ({@link Memo#SIZE}), and their slots. A command hashes
     * each key up to three times: when its pipeline's lookups are read ahead ({@link KeyPrefetch}),
     * in the dispatcher (for the slot locks) and in {@link Database} (for the slot table); the memo
     * saves all but the first CRC16, for up to {@link Memo#SIZE} keys, a whole read-ahead batch (an
     * MSET of ten keys hashes ten, not thirty). It is keyed by the arrays' identity, which is
     * sound because key arrays are never written after they are made (the tables store them as
     * they are). It keeps those keys reachable until that thread hashes others.
     */
    private static final ThreadLocal<Memo> LAST = ThreadLocal.withInitial(Memo::new);

    /**
     * {@link #LAST}'s holder: one per thread, so no synchronization. A ring, newest last, whose
     * indexes are masked: its size (a read-ahead batch, {@link KeyPrefetch#MAX_KEYS}) must be a
     * power of two.
     */
    private static final class Memo {
        static final int SIZE = KeyPrefetch.MAX_KEYS;
        final byte[][] keys = new byte[SIZE][];
        final int[] slots = new int[SIZE];
        int next;
    }

    /** The slot of {@code key}. */
    public static int slot(byte[] key) {
        Memo memo = LAST.get();
        for (int i = 1, at = memo.next; i <= Memo.SIZE; i++) {
            int index = (at - i) & (Memo.SIZE - 1);
            if (memo.keys[index] == key) {
                return memo.slots[index];
            }
        }
        int slot = compute(key);
        int index = memo.next;
        memo.keys[index] = key;
        memo.slots[index] = slot;
        memo.next = (index + 1) & (Memo.SIZE - 1);
        return slot;
    }

    /**
     * The slots of {@code keys[0..count)} into {@code slots}, for a batch of keys just decoded
     * ({@link KeyPrefetch}): computed without searching the memo, where they cannot be yet, and
     * remembered in order, so that the lookups that follow find them.
     */
    static void slotsOfNew(byte[][] keys, int count, int[] slots) {
        Memo memo = LAST.get();
        int index = memo.next;
        for (int i = 0; i < count; i++) {
            int slot = compute(keys[i]);
            slots[i] = slot;
            memo.keys[index] = keys[i];
            memo.slots[index] = slot;
            index = (index + 1) & (Memo.SIZE - 1);
        }
        memo.next = index;
    }

    private static int compute(byte[] key) {
        int length = key.length;
        int open = -1;
        for (int i = 0; i < length; i++) {
            if (key[i] == '{') {
                open = i;
                break;
            }
        }
        if (open >= 0) {
            for (int close = open + 1; close < length; close++) {
                if (key[close] == '}') {
                    if (close > open + 1) {
                        return crc16(key, open + 1, close) & (SLOTS - 1);
                    }
                    break;
                }
            }
        }
        return crc16(key, 0, length) & (SLOTS - 1);
    }

    /** CRC16-CCITT (XMODEM: polynomial 0x1021, initial value 0) of {@code bytes[from, to)}. */
    public static int crc16(byte[] bytes, int from, int to) {
        int crc = 0;
        int i = from;
        for (; i + 8 <= to; i += 8) {
            crc = TABLES[7 * 256 + (((crc >>> 8) ^ bytes[i]) & 0xff)]
                    ^ TABLES[6 * 256 + ((crc ^ bytes[i + 1]) & 0xff)]
                    ^ TABLES[5 * 256 + (bytes[i + 2] & 0xff)]
                    ^ TABLES[4 * 256 + (bytes[i + 3] & 0xff)]
                    ^ TABLES[3 * 256 + (bytes[i + 4] & 0xff)]
                    ^ TABLES[2 * 256 + (bytes[i + 5] & 0xff)]
                    ^ TABLES[256 + (bytes[i + 6] & 0xff)]
                    ^ TABLES[bytes[i + 7] & 0xff];
        }
        for (; i < to; i++) {
            crc = ((crc << 8) ^ TABLES[((crc >>> 8) ^ bytes[i]) & 0xff]) & 0xffff;
        }
        return crc;
    }
}
