package io.spinel.command;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The slow log: the latest commands that ran longer than slowlog-log-slower-than microseconds,
 * newest first, at most slowlog-max-len of them, as SLOWLOG GET reports them. Arguments are
 * shortened as Redis shortens them (at most 32 arguments, each at most 128 bytes), so a huge
 * request does not pin its memory in the log. Thread-safe.
 */
public final class SlowLog {
    /** SLOWLOG_ENTRY_MAX_ARGC: arguments kept per entry. */
    private static final int MAX_ARGC = 32;
    /** SLOWLOG_ENTRY_MAX_STRING: bytes kept per argument. */
    private static final int MAX_STRING = 128;

    /** One logged command. */
    public record Entry(long id, long unixSeconds, long micros, byte[][] argv, String clientAddress, String clientName) {
    }

    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private long nextId;

    /** Logs a command that took {@code micros}, keeping at most {@code maxLength} entries. */
    public synchronized void add(byte[][] argv, long micros, long unixSeconds, Client client, long maxLength) {
        entries.addFirst(new Entry(nextId++, unixSeconds, micros, shorten(argv),
                client.connection().remoteAddress(), client.name()));
        while (entries.size() > maxLength) {
            entries.removeLast();
        }
    }

    /**
     * The arguments as the slow log keeps them: at most {@code MAX_ARGC}, the last one saying how
     * many more there were, each cut to {@code MAX_STRING} bytes.
     */
    private static byte[][] shorten(byte[][] argv) {
        int kept = Math.min(argv.length, MAX_ARGC);
        byte[][] out = new byte[kept][];
        for (int i = 0; i < kept; i++) {
            if (kept != argv.length && i == kept - 1) {
                out[i] = ("... (" + (argv.length - kept + 1) + " more arguments)").getBytes(StandardCharsets.US_ASCII);
            } else if (argv[i].length > MAX_STRING) {
                byte[] tail = ("... (" + (argv[i].length - MAX_STRING) + " more bytes)").getBytes(StandardCharsets.US_ASCII);
                byte[] arg = java.util.Arrays.copyOf(argv[i], MAX_STRING + tail.length);
                System.arraycopy(tail, 0, arg, MAX_STRING, tail.length);
                out[i] = arg;
            } else {
                out[i] = argv[i].clone();
            }
        }
        return out;
    }

    /** The newest {@code count} entries, newest first (all when count is negative). */
    public synchronized List<Entry> latest(long count) {
        List<Entry> out = new ArrayList<>();
        Iterator<Entry> it = entries.iterator();
        while (it.hasNext() && (count < 0 || out.size() < count)) {
            out.add(it.next());
        }
        return out;
    }

    public synchronized int size() {
        return entries.size();
    }

    /** Drops every entry (SLOWLOG RESET); ids keep counting. */
    public synchronized void reset() {
        entries.clear();
    }
}
