package io.spinel.config;

/**
 * The notify-keyspace-events setting: which classes of keyspace notifications are published,
 * as a bit set parsed from and printed as Redis's class letters.
 */
public final class KeyspaceEvents {
    public static final int KEYSPACE = 1;
    public static final int KEYEVENT = 1 << 1;
    public static final int GENERIC = 1 << 2;
    public static final int STRING = 1 << 3;
    public static final int LIST = 1 << 4;
    public static final int SET = 1 << 5;
    public static final int HASH = 1 << 6;
    public static final int ZSET = 1 << 7;
    public static final int EXPIRED = 1 << 8;
    public static final int EVICTED = 1 << 9;
    public static final int STREAM = 1 << 10;
    public static final int KEY_MISS = 1 << 11;
    public static final int MODULE = 1 << 12;
    public static final int NEW = 1 << 13;
    /** What the letter A stands for: every class but key-miss and new-key events. */
    public static final int ALL = GENERIC | STRING | LIST | SET | HASH | ZSET | EXPIRED | EVICTED | STREAM | MODULE;

    /** The class letters in the order Redis prints them, with their bits. */
    private static final String TYPE_LETTERS = "g$lshzxetdn";
    private static final int[] TYPE_BITS = {GENERIC, STRING, LIST, SET, HASH, ZSET, EXPIRED, EVICTED, STREAM, MODULE, NEW};

    private KeyspaceEvents() {
    }

    /** The flags of {@code text}; throws IllegalArgumentException with Redis's reason on a bad letter. */
    static Integer parse(String text, Integer current) {
        int flags = 0;
        for (char c : text.toCharArray()) {
            int bit = switch (c) {
                case 'A' -> ALL;
                case 'K' -> KEYSPACE;
                case 'E' -> KEYEVENT;
                case 'm' -> KEY_MISS;
                default -> {
                    int i = TYPE_LETTERS.indexOf(c);
                    if (i < 0) {
                        throw new IllegalArgumentException("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
                    }
                    yield TYPE_BITS[i];
                }
            };
            flags |= bit;
        }
        return flags;
    }

    /** The flags as Redis prints them: A for every class, then K, E and m. */
    static String format(Integer flags) {
        StringBuilder out = new StringBuilder();
        if ((flags & ALL) == ALL) {
            out.append('A');
        } else {
            for (int i = 0; i < TYPE_BITS.length; i++) {
                if ((flags & TYPE_BITS[i]) != 0) {
                    out.append(TYPE_LETTERS.charAt(i));
                }
            }
        }
        if ((flags & KEYSPACE) != 0) {
            out.append('K');
        }
        if ((flags & KEYEVENT) != 0) {
            out.append('E');
        }
        if ((flags & KEY_MISS) != 0) {
            out.append('m');
        }
        return out.toString();
    }
}
