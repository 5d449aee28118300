package io.spinel.resp;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Writes replies in RESP2 or RESP3 straight into a connection's output buffer.
 *
 * <p>One writer per connection, used on its event loop; the owner swaps the target buffer with
 * {@link #target} (one buffer per read batch, so a pipelined batch leaves in one write). Methods
 * whose encoding differs between the protocols (null, map, set, double, boolean, verbatim, push)
 * pick the form of the negotiated {@link #protocol}. Java strings given to it are byte strings:
 * each char is one byte (ISO-8859-1), so text that came from a client goes back unchanged.
 * Not thread-safe.
 */
public final class ReplyWriter {
    private static final byte[] OK = bytes("+OK\r\n");
    private static final byte[] QUEUED = bytes("+QUEUED\r\n");
    /** "\r\n" as one big-endian short: written with one store instead of a two-byte copy. */
    private static final short CRLF = ('\r' << 8) | '\n';
    private static final byte[] NULL_BULK = bytes("$-1\r\n");
    private static final byte[] NULL_ARRAY = bytes("*-1\r\n");
    private static final byte[] NULL3 = bytes("_\r\n");
    private static final byte[] EMPTY_ARRAY = bytes("*0\r\n");
    private static final byte[] TRUE3 = bytes("#t\r\n");
    private static final byte[] FALSE3 = bytes("#f\r\n");
    private static final byte[] VERBATIM_TXT = bytes("txt:");
    private static final int CACHED_INTEGERS = 1024;
    private static final byte[][] INTEGERS = new byte[CACHED_INTEGERS][];
    private static final byte[][] BULK_HEADERS = new byte[CACHED_INTEGERS][];
    private static final byte[][] ARRAY_HEADERS = new byte[CACHED_INTEGERS][];
    /**
     * "$0\r\n" to "$9\r\n" as big-endian ints. A bulk string is three writes (header, bytes,
     * CRLF); for the header and CRLF of a short one, a store costs less than the copy of a few
     * bytes from an array into the direct buffer (LRANGE writes a hundred of them).
     */
    private static final int[] SHORT_BULK_HEADERS = new int[10];

    static {
        for (int i = 0; i < CACHED_INTEGERS; i++) {
            INTEGERS[i] = bytes(":" + i + "\r\n");
            BULK_HEADERS[i] = bytes("$" + i + "\r\n");
            ARRAY_HEADERS[i] = bytes("*" + i + "\r\n");
        }
        for (int i = 0; i < 10; i++) {
            SHORT_BULK_HEADERS[i] = ('$' << 24) | (('0' + i) << 16) | ('\r' << 8) | '\n';
        }
    }

    /** Receives the error replies written, for the error statistics. */
    public interface ErrorListener {
        void errorReplied(String message);
    }

    private ByteBuf out;
    private int protocol = 2;
    private final ErrorListener errors;
    /** Error replies written so far: the dispatcher tells a failed call by this moving. */
    private long errorCount;

    public ReplyWriter(ErrorListener errors) {
        this.errors = errors;
    }

    /** Directs the following replies into {@code buffer}. */
    public void target(ByteBuf buffer) {
        this.out = buffer;
    }

    public ByteBuf target() {
        return out;
    }

    public int protocol() {
        return protocol;
    }

    public void protocol(int version) {
        this.protocol = version;
    }

    public boolean resp3() {
        return protocol == 3;
    }

    public void ok() {
        out.writeBytes(OK);
    }

    /** The reply to a command queued inside MULTI. */
    public void queued() {
        out.writeBytes(QUEUED);
    }

    /** A status reply: {@code +text}. */
    public void simple(String text) {
        out.writeByte('+');
        writeAscii(text);
        out.writeShort(CRLF);
    }

    /**
     * An error reply. {@code message} is the whole text after the {@code -}, starting with its
     * code ({@code ERR ...}, {@code WRONGTYPE ...}); newlines become spaces as in Redis, so the
     * reply stays one protocol line.
     */
    public void error(String message) {
        String line = message.indexOf('\r') >= 0 || message.indexOf('\n') >= 0
                ? message.replace('\r', ' ').replace('\n', ' ')
                : message;
        out.writeByte('-');
        out.writeBytes(line.getBytes(StandardCharsets.ISO_8859_1));
        out.writeShort(CRLF);
        errorCount++;
        errors.errorReplied(line);
    }

    /** How many error replies this writer has written. */
    public long errorCount() {
        return errorCount;
    }

    public void integer(long value) {
        if (value >= 0 && value < CACHED_INTEGERS) {
            out.writeBytes(INTEGERS[(int) value]);
            return;
        }
        out.writeByte(':');
        writeDecimal(value);
        out.writeShort(CRLF);
    }

    public void bulk(byte[] value) {
        bulk(value, 0, value.length);
    }

    public void bulk(byte[] value, int offset, int length) {
        bulkHeader(length);
        out.writeBytes(value, offset, length);
        out.writeShort(CRLF);
    }

    public void bulk(String value) {
        bulk(value.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** A bulk string holding the decimal form of {@code value}. */
    public void bulk(long value) {
        bulk(Long.toString(value).getBytes(StandardCharsets.US_ASCII));
    }

    public void bulkHeader(int length) {
        if (length < 10) {
            out.writeInt(SHORT_BULK_HEADERS[length]);
        } else if (length < CACHED_INTEGERS) {
            out.writeBytes(BULK_HEADERS[length]);
        } else {
            out.writeByte('$');
            writeDecimal(length);
            out.writeShort(CRLF);
        }
    }

    /** The null reply in place of a string: {@code $-1} in RESP2, {@code _} in RESP3. */
    public void nullBulk() {
        out.writeBytes(resp3() ? NULL3 : NULL_BULK);
    }

    /** The null reply in place of an array: {@code *-1} in RESP2, {@code _} in RESP3. */
    public void nullArray() {
        out.writeBytes(resp3() ? NULL3 : NULL_ARRAY);
    }

    public void array(int length) {
        if (length < CACHED_INTEGERS) {
            out.writeBytes(length == 0 ? EMPTY_ARRAY : ARRAY_HEADERS[length]);
        } else {
            aggregate('*', length);
        }
    }

    /** A map of {@code pairs} entries: {@code %} in RESP3, a flat array twice as long in RESP2. */
    public void map(int pairs) {
        if (resp3()) {
            aggregate('%', pairs);
        } else {
            array(pairs * 2);
        }
    }

    /** A set: {@code ~} in RESP3, an array in RESP2. */
    public void set(int length) {
        if (resp3()) {
            aggregate('~', length);
        } else {
            array(length);
        }
    }

    /** An out-of-band push: {@code >} in RESP3, an array in RESP2 (pub/sub messages). */
    public void push(int length) {
        if (resp3()) {
            aggregate('>', length);
        } else {
            array(length);
        }
    }

    /** A boolean: {@code #t}/{@code #f} in RESP3, the integer 1 or 0 in RESP2. */
    public void bool(boolean value) {
        if (resp3()) {
            out.writeBytes(value ? TRUE3 : FALSE3);
        } else {
            integer(value ? 1 : 0);
        }
    }

    /**
     * A floating point number already formatted as Redis formats it: a RESP3 double
     * ({@code ,text}), or a bulk string in RESP2.
     */
    public void doubleReply(String formatted) {
        if (resp3()) {
            out.writeByte(',');
            writeAscii(formatted);
            out.writeShort(CRLF);
        } else {
            bulk(formatted);
        }
    }

    /** A verbatim string ({@code =len\r\ntxt:...}) in RESP3, a bulk string in RESP2. */
    public void verbatim(String text) {
        byte[] body = text.getBytes(StandardCharsets.ISO_8859_1);
        if (resp3()) {
            out.writeByte('=');
            writeDecimal(body.length + 4);
            out.writeShort(CRLF);
            out.writeBytes(VERBATIM_TXT);
            out.writeBytes(body);
            out.writeShort(CRLF);
        } else {
            bulk(body);
        }
    }

    /** Bytes already in protocol form (pre-built replies). */
    public void raw(byte[] protocolBytes) {
        out.writeBytes(protocolBytes);
    }

    private void aggregate(char type, long length) {
        out.writeByte(type);
        writeDecimal(length);
        out.writeShort(CRLF);
    }

    private void writeAscii(String text) {
        out.writeCharSequence(text, StandardCharsets.ISO_8859_1);
    }

    private void writeDecimal(long value) {
        if (value == Long.MIN_VALUE) {
            writeAscii("-9223372036854775808");
            return;
        }
        if (value < 0) {
            out.writeByte('-');
            value = -value;
        }
        int digits = 1;
        for (long v = value; v >= 10; v /= 10) {
            digits++;
        }
        out.ensureWritable(digits);
        int end = out.writerIndex() + digits;
        for (int i = end - 1; i >= out.writerIndex(); i--) {
            out.setByte(i, (int) ('0' + value % 10));
            value /= 10;
        }
        out.writerIndex(end);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
