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
     * The key this thread hashed last, and its slot. A single-key command hashes its key twice,
     * once in the dispatcher (for the slot lock) and once in {@link Database} (for the slot
     * table); the memo saves the second CRC16. It is keyed by the array's identity, which is
     * sound because key arrays are never written after they are made (the tables store them as
     * they are). It keeps one key per thread reachable until that thread hashes another.
     */
    private static final ThreadLocal<Memo> LAST = ThreadLocal.withInitial(Memo::new);

    /** {@link #LAST}'s holder: one per thread, so no synchronization. */
    private static final class Memo {
        byte[] key;
        int slot;
    }

    /** The slot of {@code key}. */
    public static int slot(byte[] key) {
        Memo memo = LAST.get();
        if (memo.key != key) {
            memo.slot = compute(key);
            memo.key = key;
        }
        return memo.slot;
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
