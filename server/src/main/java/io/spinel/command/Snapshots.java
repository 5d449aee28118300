package io.spinel.command;

import java.util.function.BiConsumer;

/**
 * What the command layer needs from persistence (implemented in {@code io.spinel.persistence},
 * which depends on this package, not the reverse): LASTSAVE, SHUTDOWN's save, DEBUG RELOAD, the
 * MISCONF refusal of writes and the INFO persistence fields. {@link #NONE} stands in until the
 * server installs the real one. Thread-safe.
 */
public interface Snapshots {
    /** Unix time in seconds of the last successful save (the start time before any). */
    long lastSaveSeconds();

    /** The error write commands get now (MISCONF after a failed background save), or null. */
    String writeRefusal();

    /** Whether SHUTDOWN without SAVE/NOSAVE saves: save points are configured. */
    boolean savesOnShutdown();

    /** Saves now on the calling thread (SHUTDOWN SAVE); null on success, else the error reply. */
    String saveNow();

    /** DEBUG RELOAD: saves, empties the keyspace and loads the file back; null or the error reply. */
    String reload();

    /** The INFO persistence fields, in Redis's order, from {@code loading} to {@code rdb_last_load_keys_loaded}. */
    void info(BiConsumer<String, Object> field);

    /** The aof_* fields of INFO persistence, in Redis's order (after the rdb_* ones); AOF off by default. */
    default void aofInfo(BiConsumer<String, Object> field) {
        field.accept("aof_enabled", 0);
        field.accept("aof_rewrite_in_progress", 0);
        field.accept("aof_rewrite_scheduled", 0);
        field.accept("aof_last_rewrite_time_sec", -1);
        field.accept("aof_current_rewrite_time_sec", -1);
        field.accept("aof_last_bgrewrite_status", "ok");
        field.accept("aof_rewrites", 0);
        field.accept("aof_rewrites_consecutive_failures", 0);
        field.accept("aof_last_write_status", "ok");
        field.accept("aof_last_cow_size", 0);
        field.accept("module_fork_in_progress", 0);
        field.accept("module_fork_last_cow_size", 0);
    }

    /**
     * The bytes {@code value} takes in an RDB file, without its type byte and key, compressed
     * as rdbcompression says: DEBUG OBJECT's serializedlength (Redis's rdbSavedObjectLen). The
     * caller holds the value's slot lock.
     */
    long serializedLength(Object value);

    /** The AOF offset past everything appended so far; 0 while the AOF is off (WAITAOF). */
    default long aofAppendedOffset() {
        return 0;
    }

    /** The AOF offset up to which the log is on disk; -1 while the AOF is off (WAITAOF). */
    default long aofFsyncedOffset() {
        return -1;
    }

    /**
     * A configuration parameter was changed by CONFIG SET (appendonly turns the AOF on or off);
     * null when applied, else the reason it could not be (CONFIG SET's error).
     */
    default String configChanged(String name) {
        return null;
    }

    /** BGREWRITEAOF: null when started, "scheduled" when it waits for a save, else the error reply. */
    default String rewriteAppendOnlyFile() {
        return "ERR Background append only file rewriting is not supported";
    }

    /** Flushes and closes what persistence holds open (the AOF) at shutdown. */
    default void close() {
    }

    /** No persistence: nothing saved, nothing refused. */
    Snapshots NONE = new Snapshots() {
        @Override
        public long lastSaveSeconds() {
            return 0;
        }

        @Override
        public String writeRefusal() {
            return null;
        }

        @Override
        public boolean savesOnShutdown() {
            return false;
        }

        @Override
        public String saveNow() {
            return null;
        }

        @Override
        public String reload() {
            return null;
        }

        @Override
        public void info(BiConsumer<String, Object> field) {
        }

        @Override
        public long serializedLength(Object value) {
            return 0;
        }
    };
}
