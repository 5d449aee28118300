package io.spinel.persistence.aof;

import java.nio.charset.StandardCharsets;

/**
 * Reads the commands of one AOF file (RESP arrays of bulk strings, with {@code #...} annotation
 * lines between them), as Redis's loadSingleAppendOnlyFile does, and recovers like a log segment:
 * it stops at the first incomplete command and reports where the last complete one ended, so the
 * caller can cut the file there (aof-load-truncated) or refuse it. A MULTI whose EXEC never came
 * counts as incomplete from the MULTI on, so a transaction is loaded whole or not at all.
 *
 * <p>Every length is checked against the bytes that remain before anything is allocated. Not
 * thread-safe; one reader per file.
 */
public final class AofReader {
    /** Receives each complete command in file order. */
    @FunctionalInterface
    public interface Sink {
        void command(byte[][] argv) throws AofFormatException;
    }

    /**
     * How reading ended: {@code validEnd} is the offset just after the last command that was
     * applied whole (a transaction counts once its EXEC is read); {@code truncated} whether bytes
     * after it were cut off mid-command (or mid-transaction); {@code commands} how many were read.
     */
    public record Result(long validEnd, boolean truncated, long commands) {
    }

    /** Redis's limit on the argument count of one AOF command is the int range; ours is the bytes there are. */
    private final byte[] data;
    private final String name;
    private int pos;

    private AofReader(byte[] data, int start, String name) {
        this.data = data;
        this.pos = start;
        this.name = name;
    }

    /**
     * Reads the commands of {@code data} from offset {@code start} into {@code sink}; the commands
     * of a transaction (MULTI ... EXEC) are passed only once its EXEC has been read. Throws on a
     * malformed file (not a truncation): the message names the file and the offset.
     */
    public static Result read(byte[] data, int start, String name, Sink sink) throws AofFormatException {
        return read(data, start, name, sink, offset -> { });
    }

    /**
     * {@link #read(byte[], int, String, Sink)} that passes its offset in {@code data} to
     * {@code progress} every {@link io.spinel.persistence.LoadingProgress#RECORDS_PER_REPORT} commands.
     */
    public static Result read(byte[] data, int start, String name, Sink sink, java.util.function.LongConsumer progress)
            throws AofFormatException {
        return new AofReader(data, start, name).readAll(sink, progress);
    }

    private Result readAll(Sink sink, java.util.function.LongConsumer progress) throws AofFormatException {
        long commands = 0;
        int validEnd = pos;
        java.util.List<byte[][]> transaction = null;
        while (pos < data.length) {
            int commandStart = pos;
            if (data[pos] == '#') { // an annotation (#TS:...) is a whole line
                int eol = lineEnd(pos);
                if (eol < 0) {
                    return new Result(validEnd, true, commands);
                }
                pos = eol + 2;
                if (transaction == null) {
                    validEnd = pos;
                }
                continue;
            }
            byte[][] argv;
            try {
                argv = command();
            } catch (Truncated e) {
                return new Result(validEnd, true, commands);
            }
            if (argv == null) {
                throw new AofFormatException("Bad file format reading the append only file " + name + " at offset " + commandStart);
            }
            commands++;
            if (commands % io.spinel.persistence.LoadingProgress.RECORDS_PER_REPORT == 0) {
                progress.accept(pos);
            }
            if (transaction != null) {
                transaction.add(argv);
                if (is(argv[0], "exec")) {
                    for (byte[][] queued : transaction) {
                        sink.command(queued);
                    }
                    transaction = null;
                    validEnd = pos;
                }
            } else if (is(argv[0], "multi")) {
                transaction = new java.util.ArrayList<>();
                transaction.add(argv);
            } else {
                sink.command(argv);
                validEnd = pos;
            }
        }
        return new Result(validEnd, transaction != null, commands);
    }

    /** Thrown when the bytes end inside a command. */
    private static final class Truncated extends Exception {
        Truncated() {
            super(null, null, false, false);
        }
    }

    /** One command; null when the bytes are not a RESP array of bulk strings. */
    private byte[][] command() throws Truncated {
        if (data[pos] != '*') {
            return null;
        }
        long count = lengthLine(1);
        if (count < 1) {
            return null;
        }
        if (count > (data.length - pos) / 4 + 1) { // each argument takes at least "$0\r\n\r\n"... more than 4 bytes
            throw new Truncated();
        }
        byte[][] argv = new byte[(int) count][];
        for (int i = 0; i < count; i++) {
            if (pos >= data.length) {
                throw new Truncated();
            }
            if (data[pos] != '$') {
                return null;
            }
            long length = lengthLine(1);
            if (length < 0) {
                return null;
            }
            if (length > data.length - pos - 2L) {
                throw new Truncated();
            }
            argv[i] = java.util.Arrays.copyOfRange(data, pos, pos + (int) length);
            pos += (int) length;
            if (data[pos] != '\r' || data[pos + 1] != '\n') {
                return null;
            }
            pos += 2;
        }
        return argv;
    }

    /** Reads "<prefix><digits>\r\n" from pos; -1 when the digits are not a number. */
    private long lengthLine(int prefix) throws Truncated {
        int eol = lineEnd(pos);
        if (eol < 0) {
            if (data.length - pos > 32) {
                return -1; // no line end within a number's reach: garbage, not a truncation
            }
            throw new Truncated();
        }
        String digits = new String(data, pos + prefix, eol - pos - prefix, StandardCharsets.US_ASCII);
        pos = eol + 2;
        if (digits.isEmpty() || digits.length() > 18) {
            return -1;
        }
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(digits);
    }

    /** The offset of the "\r\n" ending the line that starts at {@code from}, or -1. */
    private int lineEnd(int from) {
        for (int i = from; i + 1 < data.length; i++) {
            if (data[i] == '\r' && data[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static boolean is(byte[] arg, String word) {
        return new String(arg, StandardCharsets.ISO_8859_1).equalsIgnoreCase(word);
    }
}
