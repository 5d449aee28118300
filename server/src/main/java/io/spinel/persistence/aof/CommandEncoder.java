package io.spinel.persistence.aof;

import java.util.Arrays;

/**
 * Encodes commands as the AOF holds them: RESP arrays of bulk strings, into a growable byte array
 * that is reused from one batch to the next. Not thread-safe.
 */
final class CommandEncoder {
    /** Above this many bytes a batch's array is dropped after use rather than kept for the next. */
    private static final int KEPT_CAPACITY = 1 << 20;

    private byte[] buffer = new byte[1 << 12];
    private int length;

    /** Starts a new batch. */
    void reset() {
        if (buffer.length > KEPT_CAPACITY) {
            buffer = new byte[1 << 12];
        }
        length = 0;
    }

    byte[] buffer() {
        return buffer;
    }

    int length() {
        return length;
    }

    /** Appends one command. */
    void command(byte[]... argv) {
        room(16);
        buffer[length++] = '*';
        number(argv.length);
        crlf();
        for (byte[] arg : argv) {
            room(arg.length + 24);
            buffer[length++] = '$';
            number(arg.length);
            crlf();
            System.arraycopy(arg, 0, buffer, length, arg.length);
            length += arg.length;
            crlf();
        }
    }

    /** Appends an annotation line ({@code #TS:<seconds>}). */
    void annotation(String text) {
        room(text.length() + 3);
        buffer[length++] = '#';
        for (int i = 0; i < text.length(); i++) {
            buffer[length++] = (byte) text.charAt(i);
        }
        crlf();
    }

    private void room(int bytes) {
        if (length + bytes > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + bytes));
        }
    }

    private void number(long n) {
        room(20);
        String digits = Long.toString(n);
        for (int i = 0; i < digits.length(); i++) {
            buffer[length++] = (byte) digits.charAt(i);
        }
    }

    private void crlf() {
        buffer[length++] = '\r';
        buffer[length++] = '\n';
    }
}
