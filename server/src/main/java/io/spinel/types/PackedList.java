package io.spinel.types;

import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A list held in one listpack: the "listpack" encoding of a small list, and the node of a large
 * one ({@link QuickList}). The list IS the listpack, saving a wrapper object per key.
 *
 * <h2>Redis's byte count</h2>
 * Redis decides when a list converts, and when a quicklist node is full, from the size of its
 * listpacks in Redis's own format. This listpack's format is smaller for some integers, so the
 * node keeps {@link #redisBytes}, the size Redis's listpack would have, up to date on every
 * change; conversions then happen at exactly the lengths where Redis converts.
 *
 * <h2>Plain nodes</h2>
 * Redis stores an element too large for any node alone in a "plain" node, which never takes
 * another element and never turns back into a listpack; {@link #plain} marks such a node.
 *
 * <h2>Compression</h2>
 * An interior node of a quicklist with list-compress-depth set keeps its entries deflated
 * ({@link #compress}); its count and byte figures stay readable, nothing else is until
 * {@link #decompress}. As Redis does with LZF, a node under 48 bytes, or one that would not
 * shrink by at least 8 bytes, stays as it is.
 */
public final class PackedList extends Listpack implements ListValue {
    /** Header and terminator of an empty Redis listpack. */
    static final int EMPTY_BYTES = 7;

    private static final int MIN_COMPRESS_BYTES = 48;
    private static final int MIN_COMPRESS_IMPROVE = 8;
    private static final ThreadLocal<Deflater> DEFLATER = ThreadLocal.withInitial(() -> new Deflater(Deflater.BEST_SPEED, true));
    private static final ThreadLocal<Inflater> INFLATER = ThreadLocal.withInitial(() -> new Inflater(true));

    private int redisBytes = EMPTY_BYTES;
    private boolean plain;
    /** The deflated entries while the node is compressed, else null. */
    private byte[] compressed;

    public PackedList() {
    }

    /** An uncompressed copy of {@code other}. */
    private PackedList(PackedList other) {
        super(other);
        this.redisBytes = other.redisBytes;
        this.plain = other.plain;
        if (other.compressed != null) {
            array(other.inflated());
        }
    }

    @Override
    public ValueType type() {
        return ValueType.LIST;
    }

    @Override
    public String encoding() {
        return "listpack";
    }

    @Override
    public PackedList copy() {
        return new PackedList(this);
    }

    @Override
    public long memoryUsage(int samples) {
        return memoryUsage();
    }

    @Override
    public long memoryUsage() {
        return super.memoryUsage() + (compressed == null ? 0 : 16 + ((compressed.length + 7L) & ~7L));
    }

    /** The array holding the entries (see {@link Listpack#array()}), for {@link ListCursor}. */
    byte[] entries() {
        return array();
    }

    /** Where the string entry at {@code position} starts in {@link #entries}. */
    int stringStart(int position) {
        return stringOffset(position);
    }

    // ---- compression

    /** Whether the entries are deflated (see the class comment). */
    boolean compressed() {
        return compressed != null;
    }

    /** Deflates the entries when that saves enough; a compressed node stays as it is. */
    void compress() {
        if (compressed != null || bytes() < MIN_COMPRESS_BYTES) {
            return;
        }
        Deflater deflater = DEFLATER.get();
        deflater.reset();
        deflater.setInput(array(), 0, bytes());
        deflater.finish();
        byte[] out = new byte[bytes() - MIN_COMPRESS_IMPROVE];
        int length = deflater.deflate(out);
        if (!deflater.finished() || length + MIN_COMPRESS_IMPROVE > bytes()) {
            return;
        }
        compressed = Arrays.copyOf(out, length);
        array(null);
    }

    /** Inflates the entries of a compressed node in place. */
    void decompress() {
        if (compressed != null) {
            array(inflated());
            compressed = null;
        }
    }

    /** This node readable: itself, or a decompressed copy when it is compressed. */
    PackedList readable() {
        if (compressed == null) {
            return this;
        }
        return new PackedList(this);
    }

    private byte[] inflated() {
        Inflater inflater = INFLATER.get();
        inflater.reset();
        inflater.setInput(compressed);
        byte[] out = new byte[bytes()];
        try {
            int length = inflater.inflate(out);
            if (length != out.length) {
                throw new IllegalStateException("compressed list node inflated to " + length + " of " + out.length + " bytes");
            }
        } catch (DataFormatException e) {
            throw new IllegalStateException("compressed list node is damaged", e);
        }
        return out;
    }

    @Override
    public long length() {
        return size();
    }

    /** The size in bytes this listpack would have in Redis's format (lpBytes). */
    public int redisBytes() {
        return redisBytes;
    }

    /** Whether this is a node holding one element too large for a shared node (a Redis plain node). */
    public boolean plain() {
        return plain;
    }

    void plain(boolean value) {
        plain = value;
    }

    // ---- changes that keep the Redis byte count

    /** Inserts {@code value} before the entry at {@code position} ({@link #end} appends). */
    void insertAt(int position, byte[] value) {
        insert(position, value);
        redisBytes += redisEntrySize(this, position);
    }

    /** Deletes the entry at {@code position}; returns the position of the next one (or {@link #end}). */
    int deleteAt(int position) {
        redisBytes -= redisEntrySize(this, position);
        return delete(position, 1);
    }

    /** Replaces the entry at {@code position} with {@code value}. */
    void replaceAt(int position, byte[] value) {
        redisBytes -= redisEntrySize(this, position);
        replace(position, value);
        redisBytes += redisEntrySize(this, position);
    }

    // ---- ListValue

    @Override
    public void push(boolean head, byte[] value) {
        insertAt(head ? 0 : end(), value);
    }

    @Override
    public byte[] pop(boolean head) {
        int position = head ? first() : last();
        if (position < 0) {
            return null;
        }
        byte[] value = bytesAt(position);
        deleteAt(position);
        return value;
    }

    @Override
    public byte[] index(long index) {
        int position = position(index);
        return position < 0 ? null : bytesAt(position);
    }

    @Override
    public boolean set(long index, byte[] value) {
        int position = position(index);
        if (position < 0) {
            return false;
        }
        replaceAt(position, value);
        return true;
    }

    @Override
    public boolean insert(byte[] pivot, byte[] value, boolean after) {
        int position = find(first() < 0 ? end() : first(), pivot, 1);
        if (position < 0) {
            return false;
        }
        insertAt(after ? (next(position) < 0 ? end() : next(position)) : position, value);
        return true;
    }

    @Override
    public long remove(byte[] value, long count) {
        long removed = 0;
        long wanted = ListValue.removalLimit(count);
        if (count >= 0) {
            int p = first();
            while (p >= 0 && p < end() && removed < wanted) {
                if (matches(p, value)) {
                    p = deleteAt(p);
                    removed++;
                } else {
                    p = next(p);
                }
            }
        } else {
            int p = last();
            while (p >= 0 && removed < wanted) {
                int previous = prev(p);
                if (matches(p, value)) {
                    deleteAt(p);
                    removed++;
                }
                p = previous;
            }
        }
        return removed;
    }

    @Override
    public void trim(long fromHead, long fromTail) {
        for (long i = 0; i < fromHead; i++) {
            deleteAt(first());
        }
        for (long i = 0; i < fromTail; i++) {
            deleteAt(last());
        }
    }

    @Override
    public int nodeCount() {
        return 1;
    }

    @Override
    public PackedList node(int index) {
        return this;
    }

    // ---- Redis's listpack entry sizes

    /** The bytes {@code value} takes as an entry of a Redis listpack, back-length included. */
    static int redisEntrySize(byte[] value) {
        Long number = value.length <= 20 ? StringValue.parseLong(value) : null;
        return number != null ? redisIntegerSize(number) : redisStringSize(value.length);
    }

    static int redisEntrySize(Listpack listpack, int position) {
        return listpack.isInteger(position)
                ? redisIntegerSize(listpack.integerAt(position))
                : redisStringSize(listpack.valueLength(position));
    }

    /** The bytes the integer {@code v} takes as an entry of a Redis listpack, back-length included. */
    static int redisIntegerSize(long v) {
        int encoded;
        if (v >= 0 && v <= 127) {
            encoded = 1;
        } else if (v >= -4096 && v <= 4095) {
            encoded = 2;
        } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            encoded = 3;
        } else if (v >= -(1 << 23) && v < (1 << 23)) {
            encoded = 4;
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            encoded = 5;
        } else {
            encoded = 9;
        }
        return encoded + 1;
    }

    private static int redisStringSize(int length) {
        int encoded = length + (length < 64 ? 1 : length < 4096 ? 2 : 5);
        int backLength = encoded <= 127 ? 1 : encoded < 16383 ? 2 : encoded < 2097151 ? 3 : encoded < 268435455 ? 4 : 5;
        return encoded + backLength;
    }
}
