package io.spinel.persistence;

import io.spinel.command.Client;
import io.spinel.command.Dispatcher;
import io.spinel.command.Errors;
import io.spinel.command.InternalConnection;
import io.spinel.command.ServerContext;
import io.spinel.command.Snapshots;
import io.spinel.command.Version;
import io.spinel.config.Config;
import io.spinel.config.SavePoints;
import io.spinel.persistence.aof.AofFormatException;
import io.spinel.persistence.aof.AppendOnlyFile;
import io.spinel.persistence.rdb.RdbFormatException;
import io.spinel.persistence.rdb.RdbLoader;
import io.spinel.persistence.rdb.RdbOutput;
import io.spinel.persistence.rdb.RdbSnapshot;
import io.spinel.persistence.rdb.RdbValueReader;
import io.spinel.persistence.rdb.RdbValueWriter;
import io.spinel.resp.ReplyWriter;
import io.spinel.store.Database;
import io.spinel.store.Keyspace;
import io.spinel.store.SlotHash;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The RDB side of persistence for one server: SAVE, BGSAVE (and its schedule), the save points
 * of the {@code save} setting, LASTSAVE, the startup load of dir/dbfilename, DEBUG RELOAD, the
 * MISCONF refusal after a failed background save, and the INFO persistence figures.
 *
 * <h2>Saving</h2>
 * Both SAVE and BGSAVE take a fork-less {@link RdbSnapshot}: the snapshot starts on the thread of
 * the command (so the file is the dataset as of the command), then SAVE writes it on that thread
 * (its client waits, every other client keeps being served) while BGSAVE writes it on a
 * background thread. One save runs at a time, as one child does in Redis.
 *
 * <h2>Loading</h2>
 * As Redis, the server listens before it loads the AOF or dir/dbfilename: while it loads, the
 * commands without the loading flag get -LOADING (so no client sees a half loaded dataset) and
 * INFO shows loading:1 with the progress of {@link LoadingProgress}. A file that does not load
 * stops the start, as Redis exits on it. Files are read whole into memory (RDB files up to 2 GB).
 *
 * <p>Thread-safe: the save state is guarded by this object's monitor, figures are volatile.
 */
public final class Persistence implements Snapshots {
    /** Redis's CONFIG_BGSAVE_RETRY_DELAY: seconds between automatic attempts after a failure. */
    private static final long RETRY_DELAY_SECONDS = 5;

    private final ServerContext server;
    private volatile Consumer<String> notice = message -> { };
    private volatile Consumer<String> warning = message -> { };
    private final LoadingProgress loading;
    /** Whether a save is under way (from before its snapshot begins until its file is written). */
    private boolean saving;
    private RdbSnapshot running;
    private boolean runningInBackground;
    private volatile long bgsaveStartMillis;
    private volatile long lastSaveMillis;
    private volatile long lastBgsaveTryMillis;
    private volatile boolean lastBgsaveOk = true;
    private volatile long lastBgsaveSeconds = -1;
    private volatile long changesAtLastSave;
    private long saves;
    private volatile long lastLoadKeysLoaded;
    private volatile long lastLoadKeysExpired;
    private final AppendOnlyFile aof;
    /** The client that runs the commands of an AOF being loaded (Redis's fake AOF client); created on first use. */
    private Client loaderClient;
    private Dispatcher loaderDispatcher;

    private Persistence(ServerContext server) {
        this.loading = new LoadingProgress(server);
        this.server = server;
        this.lastSaveMillis = server.startMillis();
        this.aof = new AppendOnlyFile(server.config(), server.keyspace().effects(), server.clock()::millis, new AofHost());
    }

    /** The persistence of {@code server}, created and installed on first use. */
    public static synchronized Persistence of(ServerContext server) {
        if (server.snapshots() instanceof Persistence existing) {
            return existing;
        }
        Persistence persistence = new Persistence(server);
        server.snapshots(persistence);
        return persistence;
    }

    /** Where saves and loads are logged (the server's log); nowhere until set. */
    public void log(Consumer<String> notice, Consumer<String> warning) {
        this.notice = notice;
        this.warning = warning;
    }

    private Config config() {
        return server.config();
    }

    private Path file() {
        return Path.of(config().dir.value()).resolve(config().dbfilename.value());
    }

    private long changes() {
        return server.keyspace().stats().changes.sum();
    }

    private long now() {
        return server.clock().millis();
    }

    /** The AUX fields Spinel writes, as Redis does. */
    private Map<String, String> aux() {
        return aux(false);
    }

    /** The AUX fields, with aof-base 1 for the base file of an AOF. */
    private Map<String, String> aux(boolean aofBase) {
        Map<String, String> aux = new LinkedHashMap<>();
        aux.put("redis-ver", Version.REDIS_VERSION);
        aux.put("redis-bits", "64");
        aux.put("ctime", Long.toString(now() / 1000));
        Runtime runtime = Runtime.getRuntime();
        aux.put("used-mem", Long.toString(runtime.totalMemory() - runtime.freeMemory()));
        aux.put("aof-base", aofBase ? "1" : "0");
        return aux;
    }

    /**
     * Starts a snapshot unless a save is under way; null when one is. The snapshot begins
     * outside this object's monitor: beginning takes every slot lock, and a thread holding slot
     * locks (DEBUG RELOAD, EXEC) may be waiting for the monitor meanwhile.
     */
    private RdbSnapshot start(boolean background) {
        return start(background, true, () -> { });
    }

    /** {@link #start(boolean)}; {@code rdb} false for an AOF rewrite (not counted in rdb_saves), {@code atStart} run under every slot lock. */
    private RdbSnapshot start(boolean background, boolean rdb, Runnable atStart) {
        synchronized (this) {
            if (saving) {
                return null;
            }
            saving = true;
            if (rdb) {
                saves++;
            }
        }
        RdbSnapshot snapshot;
        try {
            snapshot = RdbSnapshot.begin(server.keyspace(), config().rdbcompression.value(), server.functions()::codes, atStart);
        } catch (RuntimeException e) {
            stopped();
            throw e;
        }
        synchronized (this) {
            running = snapshot;
            runningInBackground = background;
        }
        return snapshot;
    }

    private synchronized void stopped() {
        saving = false;
        running = null;
        runningInBackground = false;
    }

    /** SAVE: saves on the calling thread; null on success, else the error reply. */
    public String save() {
        long changesAtStart = changes();
        RdbSnapshot snapshot = start(false);
        if (snapshot == null) {
            return Errors.BGSAVE_IN_PROGRESS;
        }
        try {
            snapshot.writeTo(file(), aux(), config().rdbchecksum.value());
            saved(changesAtStart);
            lastBgsaveOk = true;
            notice.accept("DB saved on disk");
            return null;
        } catch (IOException | RuntimeException e) {
            warning.accept("Failed saving the DB: " + e);
            return Errors.ERR;
        } finally {
            stopped();
        }
    }

    private boolean holdsSlotLocks() {
        for (int slot = 0; slot < SlotHash.SLOTS; slot++) {
            if (server.keyspace().locks().holdCount(slot) > 0) {
                return true;
            }
        }
        return false;
    }

    private void saved(long changesAtStart) {
        changesAtLastSave = changesAtStart;
        lastSaveMillis = now();
    }

    /**
     * Waits for a running save to end, then saves (SHUTDOWN: Redis kills its child and saves
     * too). A caller holding slot locks (inside EXEC) does not wait: the running save may need
     * those locks to finish, so it gets the in-progress error instead.
     */
    @Override
    public String saveNow() {
        while (saving() && !holdsSlotLocks()) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Errors.ERR;
            }
        }
        return save();
    }

    /**
     * BGSAVE: starts a background save and returns null, or returns the error reply (one is
     * running already). A failed save is reported in the log, INFO and LASTSAVE, not here.
     */
    public String bgsave() {
        long changesAtStart = changes();
        lastBgsaveTryMillis = now();
        RdbSnapshot snapshot = start(true);
        if (snapshot == null) {
            return Errors.BGSAVE_IN_PROGRESS;
        }
        bgsaveStartMillis = now();
        notice.accept("Background saving started");
        Thread saver = new Thread(() -> {
            boolean ok = false;
            try {
                snapshot.writeTo(file(), aux(), config().rdbchecksum.value());
                ok = true;
            } catch (IOException | RuntimeException e) {
                warning.accept("Background saving error: " + e);
            }
            if (ok) {
                saved(changesAtStart);
                notice.accept("Background saving terminated with success");
            }
            lastBgsaveOk = ok;
            lastBgsaveSeconds = (now() - bgsaveStartMillis) / 1000;
            stopped();
        }, "spinel-bgsave");
        saver.setDaemon(true);
        saver.start();
        return null;
    }

    private synchronized long savesStarted() {
        return saves;
    }

    /** Whether a save is running now. */
    public synchronized boolean saving() {
        return saving;
    }

    /**
     * Run by the server's cron: starts a background save when a save point is reached (enough
     * changes, enough seconds since the last save), waiting
     * {@link #RETRY_DELAY_SECONDS} between attempts after a failure, as serverCron does.
     */
    public void cron() {
        aof.cron();
        if (saving()) {
            return;
        }
        long now = now();
        boolean retryAllowed = lastBgsaveOk || now - lastBgsaveTryMillis > RETRY_DELAY_SECONDS * 1000;
        if (!retryAllowed) {
            return;
        }
        long dirty = changes() - changesAtLastSave;
        for (SavePoints.Point point : config().save.value().points()) {
            if (dirty >= point.changes() && now - lastSaveMillis > point.seconds() * 1000) {
                notice.accept(point.changes() + " changes in " + point.seconds() + " seconds. Saving...");
                bgsave();
                return;
            }
        }
    }

    @Override
    public long lastSaveSeconds() {
        return lastSaveMillis / 1000;
    }

    @Override
    public String writeRefusal() {
        if (!lastBgsaveOk && config().stopWritesOnBgsaveError.value() && !config().save.value().points().isEmpty()) {
            return Errors.MISCONF;
        }
        return null;
    }

    @Override
    public boolean savesOnShutdown() {
        return !config().save.value().points().isEmpty();
    }

    @Override
    public long aofAppendedOffset() {
        return aof.appendedOffset();
    }

    @Override
    public long aofFsyncedOffset() {
        return aof.fsyncedOffset();
    }

    @Override
    public long serializedLength(Object value) {
        RdbOutput counter = RdbOutput.counter(config().rdbcompression.value());
        RdbValueWriter.write(counter, null, value);
        return counter.counted() - 1;
    }

    @Override
    public String reload() {
        Keyspace keyspace = server.keyspace();
        keyspace.locks().lockAll();
        try {
            String error = save();
            if (error != null) {
                return error;
            }
            byte[] data = Files.readAllBytes(file());
            for (int db = 0; db < keyspace.databaseCount(); db++) {
                keyspace.database(db).clear();
            }
            keyspace.databaseChanged(null);
            load(data);
            return null;
        } catch (IOException | RdbFormatException e) {
            warning.accept("DEBUG RELOAD failed: " + e.getMessage());
            return Errors.ERR + " Error trying to load the RDB dump, check server logs.";
        } finally {
            keyspace.locks().unlockAll();
        }
    }

    /**
     * Enters the loading state (commands get -LOADING) before the server listens, so that no
     * command runs on the empty keyspace; {@link #loadAtStartup} leaves it.
     */
    public void beginLoading() {
        loading.begin(0, notice);
    }

    /**
     * Loads the AOF when appendonly is yes (and opens it for appending), else dir/dbfilename if
     * it exists (at startup, after {@link #beginLoading}, while clients get -LOADING); throws when
     * the file exists but cannot be read or is not valid. Leaves the loading state either way.
     */
    public void loadAtStartup() throws IOException, RdbFormatException {
        try {
            loadFiles();
        } finally {
            loading.end();
        }
    }

    private void loadFiles() throws IOException, RdbFormatException {
        if (config().appendonly.value()) {
            server.keyspace().evictor().loading(true); // replayed writes are never refused for maxmemory
            try {
                aof.start();
            } catch (AofFormatException e) {
                throw new RdbFormatException(e.getMessage());
            } finally {
                server.keyspace().evictor().loading(false);
            }
            changesAtLastSave = changes();
            return;
        }
        try {
            aof.start(); // reads the manifest only, so that turning appendonly on continues the log
        } catch (AofFormatException e) {
            warning.accept("The AOF manifest could not be read: " + e.getMessage());
        }
        Path file = file();
        byte[] data;
        try {
            loading.addTotal(Files.size(file)); // known before the read, as Redis's stat
            data = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return;
        }
        long start = System.nanoTime();
        RdbLoader.Report report = load(data);
        notice.accept(String.format(java.util.Locale.ROOT, "DB loaded from disk: %.3f seconds", (System.nanoTime() - start) / 1e9));
        notice.accept("Done loading RDB, keys loaded: " + report.keysLoaded() + ", keys expired: " + report.keysExpired() + ".");
        changesAtLastSave = changes();
    }

    /** Loads {@code data} into the keyspace (which should be empty); locks each key's slot. */
    private RdbLoader.Report load(byte[] data) throws RdbFormatException {
        Keyspace keyspace = server.keyspace();
        RdbValueReader values = new RdbValueReader(config());
        RdbLoader.Report report = RdbLoader.load(data, values, keyspace.databaseCount(), now(), (db, key, value, expiresAt, idle) -> {
            Database database = keyspace.database(db);
            int slot = SlotHash.slot(key);
            keyspace.locks().lock(slot);
            try {
                if (database.peek(key) != null) {
                    throw new RdbFormatException("duplicate key '" + new String(key, java.nio.charset.StandardCharsets.ISO_8859_1) + "' in database " + db);
                }
                database.set(key, value, expiresAt);
                if (idle >= 0) {
                    database.accessClock(key, (int) (keyspace.lruClock() - idle));
                }
            } finally {
                keyspace.locks().unlock(slot);
            }
        }, loading::position, !server.skipsChecksumValidation());
        String functionError = server.functions().load(report.functions());
        if (functionError != null) {
            throw new RdbFormatException("Failed loading library, " + functionError.substring(functionError.indexOf(' ') + 1));
        }
        if (report.emptyKeysSkipped() > 0) {
            notice.accept("Done loading RDB, skipped " + report.emptyKeysSkipped() + " empty keys");
        }
        lastLoadKeysLoaded = report.keysLoaded();
        lastLoadKeysExpired = report.keysExpired();
        return report;
    }

    @Override
    public void aofInfo(BiConsumer<String, Object> field) {
        aof.info(field);
        if (server.loading()) {
            loading.info(field); // Redis writes them last in the section
        }
    }

    @Override
    public String configChanged(String name) {
        if (name.equals("appendonly")) {
            String error = aof.appendonlyChanged(config().appendonly.value());
            return error == null ? null : "Unable to turn on AOF. Check server logs.";
        }
        return null;
    }

    @Override
    public String rewriteAppendOnlyFile() {
        return aof.rewrite();
    }

    @Override
    public void close() {
        aof.close();
    }

    /** The AOF's access to snapshots, the RDB loader and the command dispatcher. */
    private final class AofHost implements AppendOnlyFile.Host {
        @Override
        public void loadRdb(byte[] data, String name) throws AofFormatException {
            try {
                load(data);
            } catch (RdbFormatException e) {
                throw new AofFormatException("Bad RDB base file " + name + ": " + e.getMessage());
            }
        }

        /** The command being replayed, for the report of an error it answers. */
        private byte[][] replaying;

        @Override
        public void execute(byte[][] argv) {
            if (loaderClient == null) {
                ReplyWriter writer = new ReplyWriter(this::errorReplied);
                writer.target(io.netty.buffer.Unpooled.buffer(256));
                loaderClient = new Client(-1, new InternalConnection(null), writer, server.keyspace().database(0), true, now());
                loaderDispatcher = Dispatcher.forReplay(server);
            }
            replaying = argv;
            loaderDispatcher.execute(loaderClient, argv);
            loaderClient.reply().target().clear();
        }

        @Override
        public void discardOpenTransaction() {
            if (loaderClient != null && loaderClient.transaction() != null && loaderClient.transaction().inMulti()) {
                execute(new byte[][] {"DISCARD".getBytes(java.nio.charset.StandardCharsets.US_ASCII)});
            }
        }

        /**
         * A replayed command answered an error: logged as Redis logs it, and fatal under
         * propagation-error-behavior panic (the data would diverge from what was acknowledged).
         */
        private void errorReplied(String error) {
            String command = replaying == null ? "<unknown>"
                    : new String(replaying[0], java.nio.charset.StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
            warning.accept("== CRITICAL == This server is sending an error to its AOF-loading-client: '" + error
                    + "' after processing the command '" + command + "'");
            if (config().propagationErrorBehavior.value().equals("panic")) {
                warning.accept("Guru Meditation: This server is sending an error to its AOF-loading-client (propagation-error-behavior panic)");
                Runtime.getRuntime().halt(1);
            }
        }

        @Override
        public RdbSnapshot beginSnapshot(Runnable atStart) {
            return start(false, false, atStart);
        }

        @Override
        public void snapshotFinished() {
            stopped();
        }

        @Override
        public void writeBase(RdbSnapshot snapshot, Path file) throws IOException {
            snapshot.writeTo(file, aux(true), config().rdbchecksum.value());
        }

        @Override
        public LoadingProgress loading() {
            return loading;
        }

        @Override
        public void notice(String message) {
            notice.accept(message);
        }

        @Override
        public void warning(String message) {
            warning.accept(message);
        }
    }

    @Override
    public void info(BiConsumer<String, Object> field) {
        RdbSnapshot snapshot;
        boolean background;
        synchronized (this) {
            snapshot = running;
            background = runningInBackground;
        }
        field.accept("loading", server.loading() ? 1 : 0);
        field.accept("async_loading", 0);
        field.accept("current_cow_peak", 0);
        field.accept("current_cow_size", 0);
        field.accept("current_cow_size_age", 0);
        field.accept("current_fork_perc", "0.00");
        field.accept("current_save_keys_processed", snapshot == null ? 0 : snapshot.keysWritten());
        field.accept("current_save_keys_total", snapshot == null ? 0 : snapshot.keysTotal());
        field.accept("rdb_changes_since_last_save", changes() - changesAtLastSave);
        field.accept("rdb_bgsave_in_progress", background ? 1 : 0);
        field.accept("rdb_last_save_time", lastSaveSeconds());
        field.accept("rdb_last_bgsave_status", lastBgsaveOk ? "ok" : "err");
        field.accept("rdb_last_bgsave_time_sec", lastBgsaveSeconds);
        field.accept("rdb_current_bgsave_time_sec", background ? (now() - bgsaveStartMillis) / 1000 : -1);
        field.accept("rdb_saves", savesStarted());
        field.accept("rdb_last_cow_size", 0);
        field.accept("rdb_last_load_keys_expired", lastLoadKeysExpired);
        field.accept("rdb_last_load_keys_loaded", lastLoadKeysLoaded);
    }
}
