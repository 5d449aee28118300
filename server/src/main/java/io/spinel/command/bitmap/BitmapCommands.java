package io.spinel.command.bitmap;

import io.spinel.command.Arguments;
import io.spinel.command.Client;
import io.spinel.command.CommandTable;
import io.spinel.command.Errors;
import io.spinel.command.ServerContext;
import io.spinel.config.KeyspaceEvents;
import io.spinel.command.string.StringCommands;
import io.spinel.resp.ReplyWriter;
import io.spinel.store.Database;
import io.spinel.types.MutableString;
import io.spinel.types.StringValue;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The bitmap commands (Redis's bitops.c): single bits, bit counts and searches, bitwise
 * operations between strings, and integer fields of any width up to 64 bits (BITFIELD).
 *
 * <h2>Values</h2>
 * Bitmaps are ordinary strings: bit 0 is the most significant bit of byte 0. Commands that write
 * (SETBIT, BITFIELD with SET or INCRBY) turn the value into a {@link MutableString} through
 * {@link StringCommands#mutable} and grow it zero-padded in place, so that GET, APPEND and
 * SETRANGE see the same bytes; a key they create holds a "raw" string, as in Redis. BITOP stores
 * its result as a new "raw" string and clears the destination's time to live, as SET does.
 *
 * <h2>Speed</h2>
 * BITCOUNT, BITPOS and BITOP read eight bytes at a time as one big-endian long (Long.bitCount,
 * Long.numberOfLeadingZeros), so that their cost on a large bitmap is one machine operation per
 * eight bytes; only the partial bytes at a range's edges are handled bit by bit.
 *
 * <h2>Limits and order of checks</h2>
 * A bit offset must be below 8 * proto-max-bulk-len (and what a Java array holds), else the
 * reply is "bit offset is not an integer or out of range", as Redis checks it before touching the
 * key. BITCOUNT and BITPOS look the key up before parsing their range, as Redis 7.2 does: a
 * missing key answers 0 (BITPOS: 0 or -1) whatever the range says, and a key of another type
 * answers WRONGTYPE before a malformed range is noticed (Redis 8 reverses that order).
 */
public final class BitmapCommands {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    /** Runs of all-zero and all-one bytes for {@link #findBit}'s searches. */
    private static final byte[] ZERO_BYTES = new byte[4096];
    private static final byte[] ONE_BYTES = new byte[4096];

    static {
        Arrays.fill(ONE_BYTES, (byte) 0xFF);
    }
    private static final byte[] EMPTY = new byte[0];
    private static final int AND = 0;
    private static final int OR = 1;
    private static final int XOR = 2;
    private static final int NOT = 3;
    private static final int GET = 0;
    private static final int SET = 1;
    private static final int INCRBY = 2;
    private static final int WRAP = 0;
    private static final int SAT = 1;
    private static final int FAIL = 2;

    private final ServerContext server;

    public BitmapCommands(ServerContext server) {
        this.server = server;
    }

    /** Binds the bitmap commands' handlers in {@code table}. */
    public void bind(CommandTable table) {
        table.bind("bitcount", this::bitcount);
        table.bind("bitfield", this::bitfield);
        table.bind("bitfield_ro", this::bitfieldRo);
        table.bind("bitop", this::bitop);
        table.bind("bitpos", this::bitpos);
        table.bind("getbit", this::getbit);
        table.bind("setbit", this::setbit);
    }

    /** The bytes of a string value without copying them: only {@code [0, length)} is the value. */
    private record View(byte[] bytes, int length) {
        static final View NONE = new View(EMPTY, 0);

        static View of(Object value) {
            if (value instanceof MutableString s) {
                return new View(s.buffer(), s.length());
            }
            byte[] bytes = StringValue.bytes(value);
            return new View(bytes, bytes.length);
        }

        /** The bit at {@code offset}; bits past the end are 0. */
        int bit(long offset) {
            long index = offset >>> 3;
            return index < length ? (bytes[(int) index] >> (7 - (int) (offset & 7))) & 1 : 0;
        }
    }

    /**
     * Parses a bit offset (with {@code #} meaning "in units of {@code width} bits" when
     * {@code width > 0}); replies the error and returns -1 when it is not one or out of range.
     */
    private long bitOffset(ReplyWriter reply, byte[] arg, int width) {
        byte[] digits = arg;
        boolean units = width > 0 && arg.length > 0 && arg[0] == '#';
        if (units) {
            digits = Arrays.copyOfRange(arg, 1, arg.length);
        }
        Long parsed = Arguments.integer(digits);
        long limit = Math.min(server.config().protoMaxBulkLen.value(), StringCommands.JAVA_MAX_LENGTH);
        long offset = parsed == null ? -1 : units ? parsed * width : parsed;
        if (offset < 0 || (offset >>> 3) >= limit) {
            reply.error(Errors.BIT_OFFSET);
            return -1;
        }
        return offset;
    }

    /**
     * The string at {@code key} made long enough to hold bit {@code maxBit}, created zero-filled
     * when missing (Redis's lookupStringForBitCommand); null after replying WRONGTYPE.
     * {@code grown[0]} tells whether the key was created or lengthened.
     */
    private static MutableString stringForWrite(Client client, byte[] key, long maxBit, boolean[] grown) {
        Database db = client.db();
        int length = (int) (maxBit >>> 3) + 1;
        Object value = db.getForWrite(key);
        MutableString string;
        if (value == null) {
            string = new MutableString(EMPTY, length);
            db.set(key, string, false);
        } else if (!StringValue.isString(value)) {
            client.reply().error(Errors.WRONGTYPE);
            return null;
        } else {
            string = StringCommands.mutable(db, key, value);
        }
        grown[0] = value == null || string.length() < length;
        string.growZero(length);
        return string;
    }

    /** SETBIT key offset value */
    void setbit(Client client, byte[][] argv) {
        long offset = bitOffset(client.reply(), argv[2], 0);
        if (offset < 0) {
            return;
        }
        Long bit = Arguments.integer(argv[3]);
        if (bit == null || (bit & ~1L) != 0) {
            client.reply().error(Errors.BIT_VALUE);
            return;
        }
        boolean[] grown = new boolean[1];
        MutableString string = stringForWrite(client, argv[1], offset, grown);
        if (string == null) {
            return;
        }
        byte[] bytes = string.buffer();
        int index = (int) (offset >>> 3);
        int mask = 1 << (7 - (int) (offset & 7));
        int old = (bytes[index] & mask) != 0 ? 1 : 0;
        bytes[index] = (byte) (bit == 1 ? bytes[index] | mask : bytes[index] & ~mask);
        if (grown[0] || old != bit) {
            client.db().changed(argv[1], KeyspaceEvents.STRING, "setbit");
        }
        client.reply().integer(old);
    }

    /** GETBIT key offset */
    void getbit(Client client, byte[][] argv) {
        long offset = bitOffset(client.reply(), argv[2], 0);
        if (offset < 0) {
            return;
        }
        Object value = client.db().get(argv[1]);
        if (value != null && !StringValue.isString(value)) {
            client.reply().error(Errors.WRONGTYPE);
            return;
        }
        client.reply().integer(value == null ? 0 : View.of(value).bit(offset));
    }

    /**
     * A range of bits parsed from BITCOUNT's and BITPOS's start, end and unit arguments and
     * clamped to a string of {@code length} bytes as Redis clamps it; empty when
     * {@code first > last}.
     */
    private record BitRange(long first, long last) {
        static BitRange of(long start, long end, boolean bits, long length) {
            long total = bits ? length << 3 : length;
            if (start < 0) {
                start = Math.max(0, total + start);
            }
            if (end < 0) {
                end = Math.max(0, total + end);
            }
            end = Math.min(end, total - 1);
            if (start > end) {
                return new BitRange(0, -1);
            }
            return bits ? new BitRange(start, end) : new BitRange(start << 3, (end << 3) + 7);
        }
    }

    /** Parses BYTE or BIT; null after replying a syntax error. */
    private static Boolean unitIsBit(ReplyWriter reply, byte[] arg) {
        if (Arguments.is(arg, "bit")) {
            return true;
        }
        if (Arguments.is(arg, "byte")) {
            return false;
        }
        reply.error(Errors.SYNTAX);
        return null;
    }

    /** The value at {@code key} for reading, {@link View#NONE} when missing; null after replying WRONGTYPE. */
    private static View stringForRead(Client client, byte[] key) {
        Object value = client.db().get(key);
        if (value == null) {
            return View.NONE;
        }
        if (!StringValue.isString(value)) {
            client.reply().error(Errors.WRONGTYPE);
            return null;
        }
        return View.of(value);
    }

    /** BITCOUNT key [start end [BYTE | BIT]] */
    void bitcount(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        View view = stringForRead(client, argv[1]);
        if (view == null) {
            return;
        }
        if (view == View.NONE) {
            reply.integer(0);
            return;
        }
        long start = 0;
        long end = -1;
        boolean bits = false;
        if (argv.length == 4 || argv.length == 5) {
            Long from = Arguments.integer(argv[2]);
            Long to = from == null ? null : Arguments.integer(argv[3]);
            if (to == null) {
                reply.error(Errors.NOT_INTEGER);
                return;
            }
            if (from < 0 && to < 0 && from > to) {
                reply.integer(0);
                return;
            }
            if (argv.length == 5) {
                Boolean unit = unitIsBit(reply, argv[4]);
                if (unit == null) {
                    return;
                }
                bits = unit;
            }
            start = from;
            end = to;
        } else if (argv.length != 2) {
            reply.error(Errors.SYNTAX);
            return;
        }
        BitRange range = BitRange.of(start, end, bits, view.length());
        reply.integer(range.first() > range.last() ? 0 : countBits(view.bytes(), range.first(), range.last()));
    }

    /** The number of set bits in bits {@code [first, last]} of {@code bytes}. */
    static long countBits(byte[] bytes, long first, long last) {
        int from = (int) (first >>> 3);
        int to = (int) (last >>> 3);
        long count = popcount(bytes, from, to + 1);
        count -= Integer.bitCount((bytes[from] & 0xFF) >>> (8 - (int) (first & 7)));
        count -= Integer.bitCount(bytes[to] & (0xFF >>> (1 + (int) (last & 7))));
        return count;
    }

    /** The number of set bits in bytes {@code [from, to)}, eight bytes at a time. */
    static long popcount(byte[] bytes, int from, int to) {
        long count = 0;
        int i = from;
        for (; i + 8 <= to; i += 8) {
            count += Long.bitCount((long) LONGS.get(bytes, i));
        }
        for (; i < to; i++) {
            count += Integer.bitCount(bytes[i] & 0xFF);
        }
        return count;
    }

    /** BITPOS key bit [start [end [BYTE | BIT]]] */
    void bitpos(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        Long bit = Arguments.integer(argv[2]);
        if (bit == null) {
            reply.error(Errors.NOT_INTEGER);
            return;
        }
        if (bit != 0 && bit != 1) {
            reply.error(Errors.BITPOS_BIT);
            return;
        }
        View view = stringForRead(client, argv[1]);
        if (view == null) {
            return;
        }
        if (view == View.NONE) {
            // A missing key is an endless run of zeros.
            reply.integer(bit == 1 ? -1 : 0);
            return;
        }
        if (argv.length > 6) {
            reply.error(Errors.SYNTAX);
            return;
        }
        long start = 0;
        long end = -1;
        boolean bits = false;
        boolean endGiven = argv.length >= 5;
        if (argv.length >= 4) {
            Long from = Arguments.integer(argv[3]);
            if (from == null) {
                reply.error(Errors.NOT_INTEGER);
                return;
            }
            start = from;
            if (argv.length == 6) {
                Boolean unit = unitIsBit(reply, argv[5]);
                if (unit == null) {
                    return;
                }
                bits = unit;
            }
            if (endGiven) {
                Long to = Arguments.integer(argv[4]);
                if (to == null) {
                    reply.error(Errors.NOT_INTEGER);
                    return;
                }
                end = to;
            }
        }
        BitRange range = BitRange.of(start, end, bits, view.length());
        if (range.first() > range.last()) {
            reply.integer(-1);
            return;
        }
        long position = findBit(view.bytes(), range.first(), range.last(), bit == 1);
        if (position < 0 && bit == 0 && !endGiven) {
            // Without an explicit end the string counts as padded with zeros on the right.
            position = range.last() + 1;
        }
        reply.integer(position);
    }

    /** The first bit equal to {@code set} in bits {@code [first, last]} of {@code bytes}, or -1. */
    static long findBit(byte[] bytes, long first, long last, boolean set) {
        int from = (int) (first >>> 3);
        int to = (int) (last >>> 3);
        int flip = set ? 0 : 0xFF;
        int head = ((bytes[from] & 0xFF) ^ flip) & (0xFF >>> (int) (first & 7));
        if (from == to) {
            head &= 0xFF << (7 - (int) (last & 7));
        }
        if (head != 0) {
            return ((long) from << 3) + Integer.numberOfLeadingZeros(head) - 24;
        }
        if (from == to) {
            return -1;
        }
        // The bytes between the edges: the first one that is not all-unwanted bits, found with
        // Arrays.mismatch against a run of such bytes (a vectorized intrinsic), a chunk at a time.
        byte[] unwanted = set ? ZERO_BYTES : ONE_BYTES;
        for (int i = from + 1; i < to; i += unwanted.length) {
            int chunk = Math.min(unwanted.length, to - i);
            int differs = Arrays.mismatch(bytes, i, i + chunk, unwanted, 0, chunk);
            if (differs >= 0) {
                int b = (bytes[i + differs] & 0xFF) ^ flip;
                return ((long) (i + differs) << 3) + Integer.numberOfLeadingZeros(b) - 24;
            }
        }
        int tail = ((bytes[to] & 0xFF) ^ flip) & (0xFF << (7 - (int) (last & 7)));
        return tail != 0 ? ((long) to << 3) + Integer.numberOfLeadingZeros(tail & 0xFF) - 24 : -1;
    }

    /** BITOP <AND | OR | XOR | NOT> destkey key [key ...] */
    void bitop(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        byte[] operation = argv[1];
        int op;
        if (Arguments.is(operation, "and")) {
            op = AND;
        } else if (Arguments.is(operation, "or")) {
            op = OR;
        } else if (Arguments.is(operation, "xor")) {
            op = XOR;
        } else if (Arguments.is(operation, "not")) {
            op = NOT;
        } else {
            reply.error(Errors.SYNTAX);
            return;
        }
        if (op == NOT && argv.length != 4) {
            reply.error(Errors.BITOP_NOT_ONE_KEY);
            return;
        }
        Database db = client.db();
        View[] sources = new View[argv.length - 3];
        int maxLength = 0;
        int minLength = Integer.MAX_VALUE;
        for (int j = 0; j < sources.length; j++) {
            View view = stringForRead(client, argv[j + 3]);
            if (view == null) {
                return;
            }
            sources[j] = view;
            maxLength = Math.max(maxLength, view.length());
            minLength = Math.min(minLength, view.length());
        }
        byte[] destination = argv[2];
        if (maxLength == 0) {
            if (db.delete(destination)) {
                db.changed(destination, KeyspaceEvents.GENERIC, "del");
            }
            reply.integer(0);
            return;
        }
        byte[] result = combine(op, sources, maxLength, minLength);
        db.set(destination, new MutableString(result, result.length), false);
        db.changed(destination, KeyspaceEvents.STRING, "set");
        reply.integer(maxLength);
    }

    /**
     * The bitwise {@code op} (AND, OR, XOR, NOT) of {@code sources} over
     * {@code maxLength} bytes, shorter sources padded with zeros: eight bytes at a time while every
     * source has them, then byte by byte.
     */
    private static byte[] combine(int op, View[] sources, int maxLength, int minLength) {
        byte[] result = new byte[maxLength];
        int i = 0;
        for (; i + 8 <= minLength; i += 8) {
            long word = (long) LONGS.get(sources[0].bytes(), i);
            for (int j = 1; j < sources.length; j++) {
                long other = (long) LONGS.get(sources[j].bytes(), i);
                word = switch (op) {
                    case AND -> word & other;
                    case OR -> word | other;
                    default -> word ^ other;
                };
            }
            LONGS.set(result, i, op == NOT ? ~word : word);
        }
        for (; i < maxLength; i++) {
            int b = byteAt(sources[0], i);
            for (int j = 1; j < sources.length; j++) {
                int other = byteAt(sources[j], i);
                b = switch (op) {
                    case AND -> b & other;
                    case OR -> b | other;
                    default -> b ^ other;
                };
            }
            result[i] = (byte) (op == NOT ? ~b : b);
        }
        return result;
    }

    private static int byteAt(View view, int index) {
        return index < view.length() ? view.bytes()[index] & 0xFF : 0;
    }

    /** One BITFIELD operation, parsed. */
    private record Field(int opcode, boolean signed, int bits, long offset, long value, int overflow) {
    }

    /** BITFIELD key [GET encoding offset | [OVERFLOW <WRAP | SAT | FAIL>] <SET encoding offset value | INCRBY encoding offset increment> [GET encoding offset | [OVERFLOW <WRAP | SAT | FAIL>] <SET encoding offset value | INCRBY encoding offset increment> ...]] */
    void bitfield(Client client, byte[][] argv) {
        bitfieldGeneric(client, argv, false);
    }

    /** BITFIELD_RO key [GET encoding offset [GET encoding offset ...]] */
    void bitfieldRo(Client client, byte[][] argv) {
        bitfieldGeneric(client, argv, true);
    }

    /**
     * BITFIELD and BITFIELD_RO: parses every operation first (any error stops the command before
     * anything is read or written), then runs them in order on one value.
     */
    private void bitfieldGeneric(Client client, byte[][] argv, boolean readOnly) {
        ReplyWriter reply = client.reply();
        Field[] fields = new Field[argv.length];
        int count = 0;
        int overflow = WRAP;
        long highestWrite = -1;
        for (int j = 2; j < argv.length; j++) {
            int remaining = argv.length - j - 1;
            byte[] sub = argv[j];
            int opcode;
            if (Arguments.is(sub, "get") && remaining >= 2) {
                opcode = GET;
            } else if (Arguments.is(sub, "set") && remaining >= 3) {
                opcode = SET;
            } else if (Arguments.is(sub, "incrby") && remaining >= 3) {
                opcode = INCRBY;
            } else if (Arguments.is(sub, "overflow") && remaining >= 1) {
                byte[] mode = argv[++j];
                if (Arguments.is(mode, "wrap")) {
                    overflow = WRAP;
                } else if (Arguments.is(mode, "sat")) {
                    overflow = SAT;
                } else if (Arguments.is(mode, "fail")) {
                    overflow = FAIL;
                } else {
                    reply.error(Errors.BITFIELD_OVERFLOW);
                    return;
                }
                continue;
            } else {
                reply.error(Errors.SYNTAX);
                return;
            }
            byte[] type = argv[j + 1];
            boolean signed = type.length > 0 && type[0] == 'i';
            boolean unsigned = type.length > 0 && type[0] == 'u';
            Long width = signed || unsigned ? Arguments.integer(Arrays.copyOfRange(type, 1, type.length)) : null;
            if (width == null || width < 1 || width > (signed ? 64 : 63)) {
                reply.error(Errors.BITFIELD_TYPE);
                return;
            }
            int bits = (int) (long) width;
            long offset = bitOffset(reply, argv[j + 2], bits);
            if (offset < 0) {
                return;
            }
            long value = 0;
            if (opcode != GET) {
                highestWrite = Math.max(highestWrite, offset + bits - 1);
                Long parsed = Arguments.integer(argv[j + 3]);
                if (parsed == null) {
                    reply.error(Errors.NOT_INTEGER);
                    return;
                }
                value = parsed;
                j += 3;
            } else {
                j += 2;
            }
            fields[count++] = new Field(opcode, signed, bits, offset, value, overflow);
        }
        if (highestWrite < 0) {
            View view = stringForRead(client, argv[1]);
            if (view == null) {
                return;
            }
            reply.array(count);
            for (int i = 0; i < count; i++) {
                reply.integer(read(view, fields[i].offset(), fields[i].bits(), fields[i].signed()));
            }
            return;
        }
        if (readOnly) {
            reply.error(Errors.BITFIELD_RO_GET_ONLY);
            return;
        }
        boolean[] grown = new boolean[1];
        MutableString string = stringForWrite(client, argv[1], highestWrite, grown);
        if (string == null) {
            return;
        }
        reply.array(count);
        int changes = 0;
        for (int i = 0; i < count; i++) {
            Field field = fields[i];
            View view = new View(string.buffer(), string.length());
            long old = read(view, field.offset(), field.bits(), field.signed());
            if (field.opcode() == GET) {
                reply.integer(old);
                continue;
            }
            boolean incr = field.opcode() == INCRBY;
            long base = incr ? old : field.value();
            long increment = incr ? field.value() : 0;
            long[] limit = new long[1];
            boolean overflowed = field.signed()
                    ? signedOverflow(base, increment, field.bits(), field.overflow(), limit)
                    : unsignedOverflow(base, increment, field.bits(), field.overflow(), limit);
            if (overflowed && field.overflow() == FAIL) {
                reply.nullBulk();
                continue;
            }
            long updated = overflowed ? limit[0] : base + increment;
            reply.integer(incr ? updated : old);
            write(string.buffer(), field.offset(), field.bits(), updated);
            if (grown[0] || updated != old) {
                changes++;
            }
        }
        if (changes > 0) {
            client.db().changed(argv[1], KeyspaceEvents.STRING, "setbit");
        }
    }

    /** The {@code bits}-wide integer at bit {@code offset}, sign-extended when {@code signed}. */
    private static long read(View view, long offset, int bits, boolean signed) {
        long value = 0;
        for (int j = 0; j < bits; j++) {
            value = (value << 1) | view.bit(offset + j);
        }
        if (signed && bits < 64 && (value >>> (bits - 1)) != 0) {
            value |= -1L << bits;
        }
        return value;
    }

    /** Writes the low {@code bits} bits of {@code value} at bit {@code offset}, most significant first. */
    private static void write(byte[] bytes, long offset, int bits, long value) {
        for (int j = 0; j < bits; j++) {
            long position = offset + j;
            int index = (int) (position >>> 3);
            int mask = 1 << (7 - (int) (position & 7));
            if (((value >>> (bits - 1 - j)) & 1) != 0) {
                bytes[index] |= (byte) mask;
            } else {
                bytes[index] &= (byte) ~mask;
            }
        }
    }

    /**
     * Whether {@code value + increment} leaves the unsigned {@code bits}-wide range (a SET passes
     * its value with increment 0, read as unsigned 64 bits); on overflow stores in {@code limit[0]}
     * the wrapped or saturated result that {@code mode} asks for.
     */
    static boolean unsignedOverflow(long value, long increment, int bits, int mode, long[] limit) {
        long max = (1L << bits) - 1;
        long maxIncrement = max - value;
        long minIncrement = -value;
        boolean above = Long.compareUnsigned(value, max) > 0 || (increment > 0 && increment > maxIncrement);
        boolean below = !above && increment < 0 && increment < minIncrement;
        if (!above && !below) {
            return false;
        }
        limit[0] = mode == WRAP ? (value + increment) & max : above ? max : 0;
        return true;
    }

    /**
     * Whether {@code value + increment} leaves the signed {@code bits}-wide range; on overflow
     * stores in {@code limit[0]} the wrapped (two's complement, sign-extended) or saturated result.
     */
    static boolean signedOverflow(long value, long increment, int bits, int mode, long[] limit) {
        long max = bits == 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1;
        long min = -max - 1;
        long maxIncrement = max - value;
        long minIncrement = min - value;
        boolean above = value > max || (bits != 64 && increment > maxIncrement)
                || (value >= 0 && increment > 0 && increment > maxIncrement);
        boolean below = !above && (value < min || (bits != 64 && increment < minIncrement)
                || (value < 0 && increment < 0 && increment < minIncrement));
        if (!above && !below) {
            return false;
        }
        if (mode == WRAP) {
            long sum = value + increment;
            if (bits < 64) {
                long high = -1L << bits;
                sum = (sum & (1L << (bits - 1))) != 0 ? sum | high : sum & ~high;
            }
            limit[0] = sum;
        } else {
            limit[0] = above ? max : min;
        }
        return true;
    }
}
