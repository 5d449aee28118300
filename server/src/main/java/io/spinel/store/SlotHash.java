package io.spinel.store;

/**
 * A key's hash slot, exactly as Redis Cluster computes it: CRC16 (XMODEM) of the key, or of the
 * part between the first {@code &#123;} and the first {@code &#125;} after it when that part is
 * non-empty (the hash tag), modulo 16384.
 */
public final class SlotHash {
    public static final int SLOTS = 16384;
    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int crc = i << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            TABLE[i] = crc & 0xffff;
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

    /** {@link #LAST}'s holder: one per thread, so no synchronization. A ring, newest last. */
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
        for (int i = from; i < to; i++) {
            crc = ((crc << 8) ^ TABLE[((crc >>> 8) ^ bytes[i]) & 0xff]) & 0xffff;
        }
        return crc;
    }
}
