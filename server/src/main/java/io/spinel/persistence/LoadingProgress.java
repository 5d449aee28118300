package io.spinel.persistence;

import io.spinel.command.ServerContext;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The progress of loading the dataset at startup, as Redis's loading_* fields: the loaders call
 * {@link #position} every few thousand records with their offset in the file being read, INFO
 * reads the figures from any thread, and a line is logged at most once a second for a large load.
 *
 * <p>Thread-safety: one loading thread writes, any thread reads (the figures are volatile).
 */
public final class LoadingProgress {
    /** How many records a loader reads between two calls to {@link #position}. */
    public static final int RECORDS_PER_REPORT = 4096;
    private static final long LOG_INTERVAL_NANOS = 1_000_000_000L;

    private final ServerContext server;
    private volatile long startSeconds;
    private volatile long totalBytes;
    private volatile long loadedBytes;
    private long doneBytes;
    private long lastLogNanos;
    private Consumer<String> log = message -> { };

    LoadingProgress(ServerContext server) {
        this.server = server;
    }

    /** Starts a load of {@code totalBytes} (files may be added later); commands get -LOADING until {@link #end}. */
    void begin(long totalBytes, Consumer<String> log) {
        this.log = log;
        this.totalBytes = totalBytes;
        startSeconds = System.currentTimeMillis() / 1000;
        loadedBytes = 0;
        doneBytes = 0;
        lastLogNanos = System.nanoTime();
        server.loading(true);
    }

    /** The load grows by a file of {@code bytes} (the AOF files, found after the load began). */
    public void addTotal(long bytes) {
        totalBytes += bytes;
    }

    /** The loader is at {@code offset} in the current file; logs the progress once a second at most. */
    public void position(long offset) {
        loadedBytes = doneBytes + offset;
        long now = System.nanoTime();
        if (now - lastLogNanos >= LOG_INTERVAL_NANOS && server.loading()) {
            lastLogNanos = now;
            log.accept("Loading... " + percent(loadedBytes, totalBytes) + "% (" + loadedBytes + " of " + totalBytes + " bytes)");
        }
    }

    /** The current file of {@code bytes} has been read whole; the next one's offsets count after it. */
    public void fileDone(long bytes) {
        doneBytes += bytes;
        loadedBytes = doneBytes;
    }

    /** Ends the load (done or failed): commands are served again. */
    void end() {
        server.loading(false);
    }

    /** loading_loaded_perc: two decimals; the +1 is Redis's, so that an empty total divides. */
    private static String percent(long loaded, long total) {
        return String.format(Locale.ROOT, "%.2f", (double) loaded / (total + 1) * 100);
    }

    /** The INFO persistence fields Redis adds while loading, in its order and formats. */
    void info(BiConsumer<String, Object> field) {
        long loaded = loadedBytes;
        long total = totalBytes;
        long elapsed = System.currentTimeMillis() / 1000 - startSeconds;
        long eta = elapsed == 0 ? 1 : elapsed * (total - loaded) / (loaded + 1); // 1: Redis's figure before a second passed
        field.accept("loading_start_time", startSeconds);
        field.accept("loading_total_bytes", total);
        field.accept("loading_rdb_used_mem", 0);
        field.accept("loading_loaded_bytes", loaded);
        field.accept("loading_loaded_perc", percent(loaded, total));
        field.accept("loading_eta_seconds", eta);
    }
}
