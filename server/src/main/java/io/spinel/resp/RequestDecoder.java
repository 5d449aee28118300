package io.spinel.resp;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes client requests, multibulk ({@code *2\r\n$3\r\nGET\r\n$1\r\nk\r\n}) or inline
 * ({@code GET k\r\n}), into argument vectors.
 *
 * <p>An explicit state machine over the connection's input buffer: {@link #decode} consumes at
 * most one request and returns {@code null} when the buffer holds only part of one; the state
 * survives to the next call, so a request may arrive split at any byte. Every length is checked
 * against its limit before anything is allocated, and a violation throws a
 * {@link ProtocolException} whose message is Redis's exact reply. Not thread-safe: one decoder per
 * connection, used on its event loop.
 */
public final class RequestDecoder {
    /** PROTO_INLINE_MAX_SIZE: the longest inline request and the longest length line. */
    public static final int INLINE_MAX = 64 * 1024;
    private static final int UNAUTHENTICATED_MAX_ARGS = 10;
    private static final int UNAUTHENTICATED_MAX_BULK = 16384;
    private static final byte[][] EMPTY = new byte[0][];

    private final RequestLimits limits;
    /** Arguments still expected in the current multibulk request; 0 between requests. */
    private int pendingArgs;
    /** Length of the bulk argument being read, or -1 while its {@code $} line is still due. */
    private long bulkLength = -1;
    private byte[][] args;
    private int argCount;

    public RequestDecoder(RequestLimits limits) {
        this.limits = limits;
    }

    /**
     * Consumes one request from {@code in} and returns its arguments, an empty array for a request
     * that carries no command (an empty inline line, {@code *0}), or {@code null} when more bytes
     * are needed.
     */
    public byte[][] decode(ByteBuf in) throws ProtocolException {
        if (pendingArgs == 0) {
            if (!in.isReadable()) {
                return null;
            }
            if (in.getByte(in.readerIndex()) != '*') {
                return decodeInline(in);
            }
            long count = shortLengthLine(in);
            if (count < 0) {
                count = readLengthLine(in, "ERR Protocol error: too big mbulk count string");
            }
            if (count == NEED_MORE) {
                return null;
            }
            if (count == INVALID || count > Integer.MAX_VALUE) {
                throw new ProtocolException("ERR Protocol error: invalid multibulk length");
            }
            if (count > UNAUTHENTICATED_MAX_ARGS && limits.authRequired()) {
                throw new ProtocolException("ERR Protocol error: unauthenticated multibulk length");
            }
            if (count <= 0) {
                return EMPTY;
            }
            pendingArgs = (int) count;
            // The count is client-controlled: grow the array as arguments actually arrive.
            args = new byte[(int) Math.min(count, 1024)][];
            argCount = 0;
        }
        while (pendingArgs > 0) {
            if (bulkLength < 0) {
                if (!in.isReadable()) {
                    return null;
                }
                long length = in.getByte(in.readerIndex()) == '$' ? shortLengthLine(in) : -1;
                if (length < 0) {
                    int eol = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\r');
                    if (eol < 0) {
                        if (in.readableBytes() > INLINE_MAX) {
                            throw new ProtocolException("ERR Protocol error: too big bulk count string");
                        }
                        return null;
                    }
                    byte first = in.getByte(in.readerIndex());
                    if (first != '$') {
                        throw new ProtocolException("ERR Protocol error: expected '$', got '" + (char) (first & 0xff) + "'");
                    }
                    length = readLengthLine(in, "ERR Protocol error: too big bulk count string");
                    if (length == NEED_MORE) {
                        return null;
                    }
                    if (length < 0) {
                        throw new ProtocolException("ERR Protocol error: invalid bulk length");
                    }
                }
                if (length > limits.maxBulkLength()) {
                    throw new ProtocolException("ERR Protocol error: invalid bulk length");
                }
                if (length > UNAUTHENTICATED_MAX_BULK && limits.authRequired()) {
                    throw new ProtocolException("ERR Protocol error: unauthenticated bulk length");
                }
                bulkLength = length;
            }
            if (in.readableBytes() < bulkLength + 2) {
                return null;
            }
            byte[] arg = new byte[(int) bulkLength];
            in.readBytes(arg);
            in.skipBytes(2);
            bulkLength = -1;
            if (argCount == args.length) {
                args = java.util.Arrays.copyOf(args, Math.min(args.length * 2, argCount + pendingArgs));
            }
            args[argCount++] = arg;
            pendingArgs--;
        }
        byte[][] request = args;
        args = null;
        return request;
    }

    private static final long NEED_MORE = Long.MIN_VALUE;
    private static final long INVALID = Long.MIN_VALUE + 1;

    /** Digits of the longest length the fast path reads: no overflow is possible below 19. */
    private static final int SHORT_LENGTH_DIGITS = 18;

    /**
     * The fast path for the common length line: when the buffer holds a whole {@code *<n>\r\n} or
     * {@code $<n>\r\n} whose number is canonical (no sign, no leading zero, at most 18 digits),
     * consumes it and returns the number, reading each byte once. Otherwise returns -1 and
     * consumes nothing, leaving every other case (incomplete, invalid, too big) to
     * {@link #readLengthLine}.
     */
    private static long shortLengthLine(ByteBuf in) {
        int start = in.readerIndex() + 1;
        int end = Math.min(in.writerIndex(), start + SHORT_LENGTH_DIGITS + 2);
        long value = 0;
        for (int i = start; i < end; i++) {
            byte b = in.getByte(i);
            if (b >= '0' && b <= '9') {
                if (value == 0 && i > start) {
                    return -1;
                }
                value = value * 10 + (b - '0');
            } else if (b == '\r' && i > start && i + 1 < end) {
                in.readerIndex(i + 2);
                return value;
            } else {
                return -1;
            }
        }
        return -1;
    }

    /**
     * Reads a {@code *<n>\r\n} or {@code $<n>\r\n} line: the number, {@link #NEED_MORE} when the
     * line is incomplete (nothing consumed), or {@link #INVALID} when it is not a number as
     * Redis's string2ll accepts it.
     */
    private static long readLengthLine(ByteBuf in, String tooBig) throws ProtocolException {
        int start = in.readerIndex();
        int cr = in.indexOf(start, in.writerIndex(), (byte) '\r');
        if (cr < 0) {
            if (in.readableBytes() > INLINE_MAX) {
                throw new ProtocolException(tooBig);
            }
            return NEED_MORE;
        }
        if (cr + 1 >= in.writerIndex()) {
            return NEED_MORE;
        }
        long value = parseLong(in, start + 1, cr);
        in.readerIndex(cr + 2);
        return value;
    }

    /** string2ll over buffer bytes [from, to): optional '-', no '+', no leading zeros. */
    private static long parseLong(ByteBuf in, int from, int to) {
        int length = to - from;
        if (length == 0 || length > 20) {
            return INVALID;
        }
        int i = from;
        boolean negative = false;
        if (in.getByte(i) == '-') {
            negative = true;
            i++;
            if (i == to) {
                return INVALID;
            }
        }
        byte first = in.getByte(i);
        if (first == '0') {
            return (i + 1 == to && !negative) ? 0 : INVALID;
        }
        long value = 0;
        for (; i < to; i++) {
            int digit = in.getByte(i) - '0';
            if (digit < 0 || digit > 9) {
                return INVALID;
            }
            if (value > (Long.MAX_VALUE - digit) / 10) {
                return INVALID;
            }
            value = value * 10 + digit;
        }
        return negative ? -value : value;
    }

    private byte[][] decodeInline(ByteBuf in) throws ProtocolException {
        int start = in.readerIndex();
        int newline = in.indexOf(start, in.writerIndex(), (byte) '\n');
        if (newline < 0) {
            if (in.readableBytes() > INLINE_MAX) {
                throw new ProtocolException("ERR Protocol error: too big inline request");
            }
            return null;
        }
        int end = newline;
        if (end > start && in.getByte(end - 1) == '\r') {
            end--;
        }
        byte[] line = new byte[end - start];
        in.getBytes(start, line);
        in.readerIndex(newline + 1);
        List<byte[]> split = splitArgs(line);
        if (split == null) {
            throw new ProtocolException("ERR Protocol error: unbalanced quotes in request");
        }
        return split.toArray(EMPTY);
    }

    /**
     * Splits an inline line the way Redis's sdssplitargs does: blanks separate arguments,
     * "double quotes" understand \n \r \t \b \a \xHH and \c escapes, 'single quotes' only \',
     * and a closing quote must be followed by a blank. Returns null for unbalanced quotes.
     */
    public static List<byte[]> splitArgs(byte[] line) {
        List<byte[]> out = new ArrayList<>();
        int i = 0;
        int n = 0;
        while (n < line.length && line[n] != 0) {
            n++; // a C string ends at its first NUL, and so does Redis's inline request
        }
        java.io.ByteArrayOutputStream current = new java.io.ByteArrayOutputStream();
        while (true) {
            while (i < n && isSpace(line[i])) {
                i++;
            }
            if (i == n) {
                return out;
            }
            boolean inDouble = false;
            boolean inSingle = false;
            boolean done = false;
            current.reset();
            while (!done) {
                if (inDouble) {
                    if (i == n) {
                        return null;
                    }
                    byte c = line[i];
                    if (c == '\\' && i + 3 < n && line[i + 1] == 'x' && isHex(line[i + 2]) && isHex(line[i + 3])) {
                        current.write(hexValue(line[i + 2]) * 16 + hexValue(line[i + 3]));
                        i += 3;
                    } else if (c == '\\' && i + 1 < n) {
                        i++;
                        current.write(switch (line[i]) {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            case 'b' -> '\b';
                            case 'a' -> 7;
                            default -> line[i];
                        });
                    } else if (c == '"') {
                        if (i + 1 < n && !isSpace(line[i + 1])) {
                            return null;
                        }
                        done = true;
                    } else {
                        current.write(c);
                    }
                } else if (inSingle) {
                    if (i == n) {
                        return null;
                    }
                    byte c = line[i];
                    if (c == '\\' && i + 1 < n && line[i + 1] == '\'') {
                        i++;
                        current.write('\'');
                    } else if (c == '\'') {
                        if (i + 1 < n && !isSpace(line[i + 1])) {
                            return null;
                        }
                        done = true;
                    } else {
                        current.write(c);
                    }
                } else {
                    if (i == n) {
                        done = true;
                        continue;
                    }
                    byte c = line[i];
                    switch (c) {
                        case ' ', '\n', '\r', '\t' -> done = true;
                        case '"' -> inDouble = true;
                        case '\'' -> inSingle = true;
                        default -> current.write(c);
                    }
                }
                if (i < n) {
                    i++;
                }
            }
            out.add(current.toByteArray());
        }
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == '\f';
    }

    private static boolean isHex(byte c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static int hexValue(byte c) {
        return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
    }
}
