package io.spinel.persistence.aof;

import io.spinel.store.Effects;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Appends the propagated command stream to the current incremental AOF file: each unit of
 * {@link Effects} is encoded as RESP arrays of bulk strings (feedAppendOnlyFile's
 * catAppendOnlyGenericCommand), preceded by a SELECT when its database is not the one the file
 * last selected, and by a {@code #TS:<unix seconds>} annotation when aof-timestamp-enabled is on
 * and the second changed.
 *
 * <h2>Durability</h2>
 * {@link #append} encodes a unit into a buffer shared by every thread. Before any connection's
 * replies are written out, {@link #flush} writes the buffer to the file (the operating system's
 * cache), and under {@code appendfsync always} fsyncs it, as Redis does in beforeSleep: a killed
 * process loses nothing that was acknowledged, and a batch of pipelined commands costs one write
 * and at most one fsync (group commit). Under {@code everysec} the server's cron calls
 * {@link #fsyncIfDue} and an fsync runs at most once a second; under {@code no} the operating
 * system decides. Units from threads that send no replies (the active expire cycle) are written
 * by the next flush, at the latest the next cron run.
 *
 * <h2>Concurrency</h2>
 * {@link #append} runs on the threads of the commands, under their slot locks; this object's
 * monitor serializes them, so the file holds units in the order they were appended and a unit is
 * never interleaved with another. {@link #switchTo} runs under every slot lock (a rewrite's start).
 */
public final class AofWriter implements Effects.Sink {
    private static final byte[] SELECT = {'S', 'E', 'L', 'E', 'C', 'T'};
    /** Appended bytes written at once without waiting for the replies' flush, to bound the buffer. */
    private static final int FLUSH_BYTES = 1 << 20;

    private final LongSupplier clockMillis;
    private FileChannel channel;
    private int selectedDb = -1;
    private long lastTimestampSeconds;
    private final CommandEncoder encoder = new CommandEncoder();
    private volatile String fsyncPolicy;
    private volatile boolean timestamps;
    /** Bytes in the current incremental file. */
    private volatile long incrSize;
    /** Bytes appended to the log by this writer, across file switches, written or still buffered (WAITAOF's offsets). */
    private volatile long appendedOffset;
    /** Of {@link #appendedOffset}, how many were written to the file. */
    private volatile long writtenOffset;
    /** Of {@link #writtenOffset}, how many are known to be on disk (fsynced, or written under appendfsync no). */
    private volatile long fsyncedOffset;
    private volatile boolean lastWriteOk = true;
    private volatile boolean dirtySinceFsync;
    private volatile long lastFsyncMillis;
    private volatile IOException lastError;

    /**
     * A writer appending to {@code channel} (positioned at its end, {@code size} bytes long);
     * {@code fsyncPolicy} is appendfsync's value.
     */
    public AofWriter(FileChannel channel, long size, String fsyncPolicy, boolean timestamps, LongSupplier clockMillis) {
        this.channel = channel;
        this.incrSize = size;
        this.fsyncPolicy = fsyncPolicy;
        this.timestamps = timestamps;
        this.clockMillis = clockMillis;
        this.lastFsyncMillis = clockMillis.getAsLong();
    }

    /** Follows a change of appendfsync or aof-timestamp-enabled. */
    public void settings(String fsyncPolicy, boolean timestamps) {
        this.fsyncPolicy = fsyncPolicy;
        this.timestamps = timestamps;
    }

    @Override
    public synchronized void append(List<Effects.Effect> unit) {
        int before = encoder.length();
        if (timestamps) {
            long seconds = clockMillis.getAsLong() / 1000;
            if (seconds > lastTimestampSeconds) {
                encoder.annotation("TS:" + seconds);
                lastTimestampSeconds = seconds;
            }
        }
        for (Effects.Effect effect : unit) {
            if (effect.db() != Effects.NO_DB && effect.db() != selectedDb) {
                encoder.command(SELECT, Effects.bytes(effect.db()));
                selectedDb = effect.db();
            }
            encoder.command(effect.argv());
        }
        appendedOffset += encoder.length() - before;
        if (encoder.length() >= FLUSH_BYTES) {
            flush();
        }
    }

    /** Writes what was appended since the last flush (and fsyncs it under appendfsync always). */
    @Override
    public synchronized void flush() {
        if (encoder.length() > 0) {
            write(fsyncPolicy.equals("always"));
            encoder.reset();
        }
    }

    /** Writes the encoded bytes; on failure the error is kept for INFO and the log (aof_last_write_status). */
    private void write(boolean fsync) {
        try {
            ByteBuffer bytes = ByteBuffer.wrap(encoder.buffer(), 0, encoder.length());
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            incrSize += encoder.length();
            writtenOffset += encoder.length();
            if (fsync) {
                channel.force(false);
                fsyncedOffset = writtenOffset;
            } else if (fsyncPolicy.equals("no")) {
                fsyncedOffset = writtenOffset; // no fsync to wait for: the system writes it when it will
            } else {
                dirtySinceFsync = true;
            }
            lastWriteOk = true;
        } catch (IOException e) {
            lastWriteOk = false;
            lastError = e;
        }
    }

    /**
     * Called by the cron: writes what waits in the buffer, and under {@code everysec} fsyncs when
     * a second has passed since the last fsync.
     */
    public void fsyncIfDue() {
        flush(); // units appended by threads that send no replies (the active expire cycle)
        if (!fsyncPolicy.equals("everysec") || !dirtySinceFsync) {
            return;
        }
        long now = clockMillis.getAsLong();
        if (now - lastFsyncMillis < 1000) {
            return;
        }
        FileChannel current;
        long target;
        synchronized (this) {
            current = channel;
            target = writtenOffset;
            dirtySinceFsync = false;
        }
        try {
            current.force(false); // outside the monitor: writers keep appending meanwhile
            synchronized (this) {
                fsyncedOffset = Math.max(fsyncedOffset, target);
            }
        } catch (IOException e) {
            lastWriteOk = false;
            lastError = e;
        }
        lastFsyncMillis = now;
    }

    /**
     * Continues in {@code next} (a new, empty incremental file): the current file is fsynced and
     * closed, and the next unit starts with a SELECT. Call under every slot lock.
     */
    public synchronized void switchTo(FileChannel next) throws IOException {
        flush();
        FileChannel previous = channel;
        channel = next;
        selectedDb = -1;
        incrSize = 0;
        try {
            previous.force(true);
            fsyncedOffset = writtenOffset;
        } finally {
            previous.close();
        }
    }

    /** Fsyncs and closes the file (appendonly turned off, shutdown). */
    public synchronized void close() throws IOException {
        flush();
        try {
            channel.force(true);
        } finally {
            channel.close();
        }
    }

    /** The offset just past everything appended so far, written or still buffered. */
    public long appendedOffset() {
        return appendedOffset;
    }

    /** The offset up to which the log is on disk. */
    public long fsyncedOffset() {
        return fsyncedOffset;
    }

    /** Bytes written to the current incremental file. */
    public long incrSize() {
        return incrSize;
    }

    /** Whether the last write succeeded (aof_last_write_status). */
    public boolean lastWriteOk() {
        return lastWriteOk;
    }

    /** The last write or fsync error, or null. */
    public IOException lastError() {
        return lastError;
    }

    /** Whether written bytes still wait for their fsync (aof_pending_bio_fsync). */
    public boolean fsyncPending() {
        return dirtySinceFsync;
    }
}
