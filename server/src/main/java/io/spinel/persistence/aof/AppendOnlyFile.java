package io.spinel.persistence.aof;

import io.spinel.config.Config;
import io.spinel.persistence.rdb.RdbSnapshot;
import io.spinel.store.Effects;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/**
 * The multi-part append-only file of Redis 7: a directory (dir/appenddirname) holding a base
 * file (an RDB file when aof-use-rdb-preamble is yes, else AOF commands), incremental files of
 * the commands written since, and the manifest that lists them ({@link AofManifest}).
 *
 * <h2>Writing</h2>
 * While appendonly is on, an {@link AofWriter} is a sink of the keyspace's {@link Effects}: every
 * execution unit is appended to the last incremental file before its command's reply leaves.
 *
 * <h2>Rewriting without a fork</h2>
 * BGREWRITEAOF (and turning appendonly on, and the automatic rewrite) takes a fork-less
 * {@link RdbSnapshot}. At the instant the snapshot begins, under every slot lock, the writer
 * moves to a new incremental file and the manifest is saved listing the old base, the old
 * incremental files and the new one; so every write is either in the snapshot or in the new
 * file. A background thread then writes the snapshot as the new base and saves the manifest
 * with only the new base and the new incremental file; the replaced files become history and
 * are deleted. A rewrite that fails leaves the previous manifest, which still loads the whole
 * dataset. Clients are never blocked beyond the instant of the switch.
 *
 * <h2>Loading</h2>
 * At startup with appendonly yes the base and incremental files are loaded in manifest order
 * through the {@link Host}; a file cut short is loaded up to its last complete command (and cut
 * there) only when it is the last file and aof-load-truncated is yes, as in Redis.
 *
 * <p>Thread-safe: state changes are guarded by this object's monitor.
 */
public final class AppendOnlyFile {
    /** What the AOF needs from the rest of persistence. */
    public interface Host {
        /** Loads an RDB file's keys (a base with RDB preamble) into the keyspace. */
        void loadRdb(byte[] data, String name) throws AofFormatException;

        /** Runs one command read from the log, as Redis's fake AOF client does. */
        void execute(byte[][] argv);

        /** Drops the transaction a log cut in the middle of a MULTI left open, if there is one. */
        void discardOpenTransaction();

        /**
         * Starts a snapshot, running {@code atStart} under every slot lock at its start; null
         * when another save runs (the rewrite is then scheduled).
         */
        RdbSnapshot beginSnapshot(Runnable atStart);

        /** The snapshot of {@link #beginSnapshot} is written (or failed): others may start. */
        void snapshotFinished();

        /** Writes {@code snapshot} as an RDB file at {@code file} (temp file, fsync, rename), with aof-base 1. */
        void writeBase(RdbSnapshot snapshot, Path file) throws IOException;

        /** The progress of the startup load, which the AOF's files add to. */
        io.spinel.persistence.LoadingProgress loading();

        /** Logs at notice level. */
        void notice(String message);

        /** Logs at warning level. */
        void warning(String message);
    }

    private final Config config;
    private final Effects effects;
    private final LongSupplier clock;
    private final Host host;
    private AofManifest manifest = AofManifest.empty();
    private volatile AofWriter writer; // volatile: INFO reads it while start() holds the monitor loading the log
    private volatile boolean rewriting;
    private volatile boolean rewriteScheduled;
    private volatile long rewriteStartMillis;
    private volatile long lastRewriteSeconds = -1;
    private volatile boolean lastRewriteOk = true;
    private volatile long rewrites;
    private volatile long consecutiveFailures;
    /** Bytes of the base file and of the incremental files before the writer's current one. */
    private volatile long baseSize;
    private volatile long olderIncrSize;
    /** aof_rewrite_base_size: the log's size after the last rewrite (or load), for auto-aof-rewrite-percentage. */
    private volatile long rewriteBaseSize;

    public AppendOnlyFile(Config config, Effects effects, LongSupplier clockMillis, Host host) {
        this.config = config;
        this.effects = effects;
        this.clock = clockMillis;
        this.host = host;
    }

    private Path directory() {
        return Path.of(config.dir.value()).resolve(config.appenddirname.value());
    }

    private String prefix() {
        return config.appendfilename.value();
    }

    private Path manifestPath() {
        return directory().resolve(prefix() + ".manifest");
    }

    /**
     * WAITAOF's view of the log: the offset past everything appended so far (0 while the AOF is
     * off), and the offset up to which it is on disk (-1 while off).
     */
    public long appendedOffset() {
        AofWriter current = writer;
        return current == null ? 0 : current.appendedOffset();
    }

    public long fsyncedOffset() {
        AofWriter current = writer;
        return current == null ? -1 : current.fsyncedOffset();
    }

    /** Whether appendonly is on and the log is being written. */
    public synchronized boolean enabled() {
        return writer != null;
    }

    /**
     * At startup: reads the manifest if there is one; with appendonly yes, loads the log into
     * the keyspace and opens it for appending (creating the base and first incremental file when
     * there is no log yet). Throws with Redis's message when the log cannot be loaded.
     */
    public synchronized void start() throws IOException, AofFormatException {
        Path manifestFile = manifestPath();
        if (Files.exists(manifestFile)) {
            manifest = AofManifest.parse(Files.readString(manifestFile, StandardCharsets.UTF_8));
        }
        if (!config.appendonly.value()) {
            return;
        }
        Path legacy = Path.of(config.dir.value()).resolve(prefix());
        if (!Files.exists(manifestFile) && Files.isRegularFile(legacy)) {
            migrateLegacy(legacy);
        }
        if (manifest.base() == null && manifest.incrs().isEmpty()) {
            host.notice("Creating AOF base and incr files on server start");
            rewriteNow();
            return;
        }
        load();
        if (manifest.incrs().isEmpty()) {
            AofManifest.Entry incr = newIncr();
            manifest = manifest.withIncr(incr);
            saveManifest();
        }
        AofManifest.Entry last = manifest.incrs().get(manifest.incrs().size() - 1);
        FileChannel channel = FileChannel.open(directory().resolve(last.name()), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        long size = channel.size();
        olderIncrSize = currentSize() - size - baseSize;
        install(new AofWriter(channel, size, config.appendfsync.value(), config.aofTimestampEnabled.value(), clock));
        rewriteBaseSize = currentSize();
    }

    /**
     * Makes a single-file AOF of Redis 6 and older (dir/appendfilename) the base of a multi-part
     * one, as Redis 7 upgrades it: the file moves into the AOF directory under its name and the
     * manifest lists it as the base.
     */
    private void migrateLegacy(Path legacy) throws IOException {
        Files.createDirectories(directory());
        Files.move(legacy, directory().resolve(prefix()), StandardCopyOption.ATOMIC_MOVE);
        manifest = new AofManifest(new AofManifest.Entry(prefix(), 1, AofManifest.Type.BASE), List.of(), List.of());
        saveManifest();
        host.notice("Successfully migrated an old-style AOF into the AOF directory");
    }

    /** Loads the base and incremental files in order. */
    private void load() throws IOException, AofFormatException {
        long start = System.nanoTime();
        List<AofManifest.Entry> files = new java.util.ArrayList<>();
        if (manifest.base() != null) {
            files.add(manifest.base());
        }
        files.addAll(manifest.incrs());
        for (AofManifest.Entry entry : files) {
            Path file = directory().resolve(entry.name());
            if (Files.exists(file)) {
                host.loading().addTotal(Files.size(file));
            }
        }
        long total = 0;
        for (int i = 0; i < files.size(); i++) {
            AofManifest.Entry entry = files.get(i);
            Path file = directory().resolve(entry.name());
            if (!Files.exists(file)) {
                throw new AofFormatException("The AOF file " + entry.name() + " doesn't exist");
            }
            byte[] data = Files.readAllBytes(file);
            boolean last = i == files.size() - 1;
            if (entry.type() == AofManifest.Type.BASE) {
                baseSize = data.length;
            }
            total += loadFile(entry.name(), file, data, last);
            host.loading().fileDone(data.length);
        }
        host.notice(String.format(java.util.Locale.ROOT, "DB loaded from append only file: %.3f seconds (%d commands)",
                (System.nanoTime() - start) / 1e9, total));
    }

    /** Loads one file; returns the commands read. Cuts a truncated last file when allowed. */
    private long loadFile(String name, Path file, byte[] data, boolean last) throws IOException, AofFormatException {
        if (data.length == 0) {
            return 0;
        }
        if (data.length >= 5 && new String(data, 0, 5, StandardCharsets.US_ASCII).equals("REDIS")) {
            host.notice("Reading RDB base file on AOF loading...");
            host.loadRdb(data, name);
            host.notice("DB loaded from base file " + name);
            return 0;
        }
        // Each file starts in database 0, as Redis reads each with a fresh fake client.
        host.execute(new byte[][] {"SELECT".getBytes(StandardCharsets.US_ASCII), {'0'}});
        AofReader.Result result = AofReader.read(data, 0, name, host::execute, host.loading()::position);
        if (result.truncated()) {
            host.discardOpenTransaction();
            if (!last) {
                throw new AofFormatException("Fatal error: the truncated file " + name + " is not the last file");
            }
            if (!config.aofLoadTruncated.value()) {
                throw new AofFormatException("Unexpected end of file reading the append only file " + name
                        + ". You can: 1) Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>."
                        + " 2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server.");
            }
            host.warning("!!! Warning: short read while loading the AOF file " + name + "!!!");
            host.warning("!!! Truncating the AOF " + name + " at offset " + result.validEnd() + " !!!"
                    + " (" + (data.length - result.validEnd()) + " bytes cut)");
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.truncate(result.validEnd());
                channel.force(true);
            }
            host.warning("AOF " + name + " loaded anyway because aof-load-truncated is enabled");
        }
        host.notice("DB loaded from incr file " + name);
        return result.commands();
    }

    private AofManifest.Entry newIncr() {
        long seq = manifest.lastIncrSeq() + 1;
        return new AofManifest.Entry(prefix() + "." + seq + ".incr.aof", seq, AofManifest.Type.INCR);
    }

    /** Writes the manifest to a temporary file, fsyncs it and renames it over the manifest. */
    private void saveManifest() throws IOException {
        Files.createDirectories(directory());
        Path temp = directory().resolve("temp-" + prefix() + ".manifest");
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(java.nio.ByteBuffer.wrap(manifest.format().getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
        }
        Files.move(temp, manifestPath(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        syncDirectory();
    }

    private void syncDirectory() {
        try (FileChannel dir = FileChannel.open(directory(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // Some file systems cannot fsync a directory; the rename is still atomic.
        }
    }

    private void install(AofWriter next) {
        writer = next;
        effects.addSink(next);
    }

    /** Current bytes of the log: base plus incremental files (aof_current_size). */
    private long currentSize() {
        AofWriter current = writer;
        if (current == null) {
            long size = 0;
            for (AofManifest.Entry e : manifest.incrs()) {
                size += sizeOf(e.name());
            }
            return size + (manifest.base() == null ? 0 : sizeOf(manifest.base().name()));
        }
        return baseSize + olderIncrSize + current.incrSize();
    }

    private long sizeOf(String name) {
        try {
            return Files.size(directory().resolve(name));
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * BGREWRITEAOF: starts a rewrite in the background. Returns null when started, "scheduled"
     * when a save runs (it starts when that ends), or the error reply text when one runs already.
     */
    public String rewrite() {
        synchronized (this) {
            if (rewriting) {
                return "ERR Background append only file rewriting already in progress";
            }
            rewriting = true;
        }
        RdbSnapshot snapshot;
        try {
            snapshot = host.beginSnapshot(this::switchIncr);
        } catch (UncheckedIOException e) {
            failed("Can't open the append-only file: " + e.getCause().getMessage());
            return "ERR Can't open the append-only file";
        }
        if (snapshot == null) {
            synchronized (this) {
                rewriting = false;
            }
            rewriteScheduled = true;
            return "scheduled";
        }
        rewriteScheduled = false;
        rewriteStartMillis = clock.getAsLong();
        host.notice("Background append only file rewriting started");
        Thread thread = new Thread(() -> finishRewrite(snapshot, true), "spinel-aof-rewrite");
        thread.setDaemon(true);
        thread.start();
        return null;
    }

    /** Creates the base and first incremental file on this thread (startup without a log). */
    private void rewriteNow() throws IOException {
        rewriting = true;
        rewriteStartMillis = clock.getAsLong();
        RdbSnapshot snapshot;
        try {
            snapshot = host.beginSnapshot(this::switchIncr);
        } catch (UncheckedIOException e) {
            rewriting = false;
            throw e.getCause();
        }
        if (snapshot == null) {
            rewriting = false;
            throw new IOException("a save is running");
        }
        if (!finishRewrite(snapshot, false)) {
            throw new IOException("could not write the AOF base file");
        }
    }

    /**
     * The instant of a rewrite, under every slot lock: writes go to a new incremental file from
     * now on, and the manifest lists it after the files it will replace. Turns appendonly on
     * when it was off.
     */
    private void switchIncr() {
        synchronized (this) {
            try {
                Files.createDirectories(directory());
                AofManifest.Entry incr = newIncr();
                FileChannel channel = FileChannel.open(directory().resolve(incr.name()), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                manifest = manifest.withIncr(incr);
                saveManifest();
                if (writer == null) {
                    olderIncrSize = 0;
                    install(new AofWriter(channel, 0, config.appendfsync.value(), config.aofTimestampEnabled.value(), clock));
                } else {
                    olderIncrSize += writer.incrSize();
                    writer.switchTo(channel);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Writes the snapshot as the new base, then saves the manifest without the replaced files and
     * deletes them; true when it worked. Only a {@code background} rewrite counts in the INFO
     * figures (aof_rewrites...), as in Redis, where the base made at startup is not one.
     */
    private boolean finishRewrite(RdbSnapshot snapshot, boolean background) {
        long baseSeq;
        long keptIncr;
        synchronized (this) {
            baseSeq = manifest.baseSeq() + 1;
            keptIncr = manifest.lastIncrSeq();
        }
        boolean preamble = config.aofUseRdbPreamble.value();
        AofManifest.Entry base = new AofManifest.Entry(prefix() + "." + baseSeq + (preamble ? ".base.rdb" : ".base.aof"), baseSeq,
                AofManifest.Type.BASE);
        Path baseFile = directory().resolve(base.name());
        boolean ok = false;
        try {
            if (preamble) {
                host.writeBase(snapshot, baseFile);
            } else {
                writeCommandBase(snapshot, baseFile);
            }
            synchronized (this) {
                manifest = manifest.rewritten(base, keptIncr);
                saveManifest();
                for (AofManifest.Entry old : manifest.history()) {
                    Files.deleteIfExists(directory().resolve(old.name()));
                }
                manifest = manifest.withoutHistory();
                saveManifest();
                baseSize = Files.size(baseFile);
                olderIncrSize = 0;
                rewriteBaseSize = currentSize();
            }
            ok = true;
            host.notice("Background AOF rewrite finished successfully");
        } catch (IOException | RuntimeException e) {
            host.warning("Background AOF rewrite failed: " + e);
            try {
                Files.deleteIfExists(baseFile);
            } catch (IOException ignored) {
                // best effort: the manifest does not name it
            }
        } finally {
            host.snapshotFinished();
        }
        synchronized (this) {
            rewriting = false;
            if (background) {
                rewrites++;
                lastRewriteOk = ok;
                consecutiveFailures = ok ? 0 : consecutiveFailures + 1;
                lastRewriteSeconds = (clock.getAsLong() - rewriteStartMillis) / 1000;
            }
        }
        return ok;
    }

    /**
     * Writes the snapshot as a base of commands: the RDB image goes to a temporary file first
     * (the snapshot's only output form), is read back and written out as commands to another
     * temporary file, which is fsynced and renamed over {@code baseFile}.
     */
    private void writeCommandBase(RdbSnapshot snapshot, Path baseFile) throws IOException {
        Path rdb = directory().resolve("temp-rewriteaof-" + ProcessHandle.current().pid() + ".rdb");
        Path temp = directory().resolve("temp-rewriteaof-bg-" + ProcessHandle.current().pid() + ".aof");
        try {
            host.writeBase(snapshot, rdb);
            byte[] image = Files.readAllBytes(rdb);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
                    java.io.OutputStream out = new java.io.BufferedOutputStream(java.nio.channels.Channels.newOutputStream(channel), 1 << 16)) {
                AofBaseWriter.write(image, new io.spinel.persistence.rdb.RdbValueReader(config), config.databases.intValue(),
                        clock.getAsLong(), out);
                out.flush();
                channel.force(true);
            }
            Files.move(temp, baseFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory();
        } catch (io.spinel.persistence.rdb.RdbFormatException e) {
            throw new IOException("the snapshot could not be read back: " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(rdb);
            Files.deleteIfExists(temp);
        }
    }

    private synchronized void failed(String message) {
        host.warning(message);
        rewriting = false;
        lastRewriteOk = false;
        consecutiveFailures++;
    }

    /**
     * CONFIG SET appendonly: turning it on starts a rewrite whose first instant opens the log
     * (null when started or scheduled, else an error); turning it off stops appending.
     */
    public String appendonlyChanged(boolean on) {
        if (on) {
            if (enabled()) {
                return null;
            }
            String result = rewrite();
            return result == null || result.equals("scheduled") || result.startsWith("ERR Background") ? null : result;
        }
        AofWriter current;
        synchronized (this) {
            current = writer;
            writer = null;
            rewriteScheduled = false;
        }
        if (current != null) {
            effects.removeSink(current);
            try {
                current.close();
            } catch (IOException e) {
                host.warning("Error closing the AOF: " + e.getMessage());
            }
        }
        return null;
    }

    /** The cron: fsync under everysec, scheduled rewrites, and auto-aof-rewrite-percentage. */
    public void cron() {
        AofWriter current;
        synchronized (this) {
            current = writer;
        }
        if (current != null) {
            current.settings(config.appendfsync.value(), config.aofTimestampEnabled.value());
            current.fsyncIfDue();
        }
        boolean busy;
        synchronized (this) {
            busy = rewriting;
        }
        if (busy) {
            return;
        }
        if (rewriteScheduled && (current != null || config.appendonly.value())) {
            rewrite();
            return;
        }
        long percentage = config.autoAofRewritePercentage.value();
        if (current != null && percentage > 0) {
            long size = currentSize();
            long base = Math.max(rewriteBaseSize, 1);
            if (size > config.autoAofRewriteMinSize.value() && (size - base) * 100 / base >= percentage) {
                host.notice("Starting automatic rewriting of AOF on " + (size - base) * 100 / base + "% growth");
                rewrite();
            }
        }
    }

    /** Fsyncs and closes the log (shutdown). */
    public void close() {
        appendonlyChanged(false);
    }

    /** The aof_* fields of INFO persistence, in Redis's order. */
    public void info(BiConsumer<String, Object> field) {
        AofWriter current = writer;
        boolean inProgress = rewriting;
        field.accept("aof_enabled", current != null ? 1 : 0);
        field.accept("aof_rewrite_in_progress", inProgress ? 1 : 0);
        field.accept("aof_rewrite_scheduled", rewriteScheduled ? 1 : 0);
        field.accept("aof_last_rewrite_time_sec", lastRewriteSeconds);
        field.accept("aof_current_rewrite_time_sec", inProgress ? (clock.getAsLong() - rewriteStartMillis) / 1000 : -1);
        field.accept("aof_last_bgrewrite_status", lastRewriteOk ? "ok" : "err");
        field.accept("aof_rewrites", rewrites);
        field.accept("aof_rewrites_consecutive_failures", consecutiveFailures);
        field.accept("aof_last_write_status", current == null || current.lastWriteOk() ? "ok" : "err");
        field.accept("aof_last_cow_size", 0);
        field.accept("module_fork_in_progress", 0);
        field.accept("module_fork_last_cow_size", 0);
        if (current != null) {
            field.accept("aof_current_size", currentSize());
            field.accept("aof_base_size", rewriteBaseSize);
            field.accept("aof_pending_rewrite", rewriteScheduled ? 1 : 0);
            field.accept("aof_buffer_length", 0);
            field.accept("aof_pending_bio_fsync", current.fsyncPending() ? 1 : 0);
            field.accept("aof_delayed_fsync", 0);
        }
    }
}
