package io.spinel.command;

import java.util.List;

/**
 * The FUNCTION libraries as persistence sees them (implemented by the script runner in
 * {@code io.spinel.scripting}, which depends on this package, not the reverse): the code of every
 * library, for FUNCTION DUMP and RDB files, and libraries loaded back from code, for FUNCTION
 * RESTORE and RDB files. {@link #NONE} stands in until scripting is installed.
 */
public interface FunctionStore {
    /** What FUNCTION RESTORE does with the libraries already loaded. */
    enum RestorePolicy {
        /** Drop them all first. */
        FLUSH,
        /** Keep them; a library or function name already taken fails the restore. */
        APPEND,
        /** Libraries of the same name are replaced; a function name taken by another library fails the restore. */
        REPLACE
    }

    /** The code (with its {@code #!lua name=...} line) of every library, in load order. Thread-safe. */
    List<byte[]> codes();

    /**
     * FUNCTION RESTORE: compiles and registers the libraries of {@code codes} and installs them
     * as {@code policy} says, all or nothing; replies OK or Redis's error to {@code caller}, from
     * the script runner (called on the caller's event loop). {@code payloadError}, when not null,
     * is the error of a damaged record after those codes: replied once they all loaded. A
     * successful restore propagates {@code argv} (the FUNCTION RESTORE command) to the AOF.
     */
    void restore(Client caller, List<byte[]> codes, String payloadError, RestorePolicy policy, byte[][] argv);

    /**
     * An RDB file was loaded: the libraries of {@code codes} replace every loaded one, all or
     * nothing. Returns null, or the error (as FUNCTION RESTORE would reply it) of the first library
     * that fails. Runs on the calling thread, under the keyspace lock (which excludes scripts).
     */
    String load(List<byte[]> codes);

    /** No scripting: no libraries, and a file's libraries cannot be loaded. */
    FunctionStore NONE = new FunctionStore() {
        @Override
        public List<byte[]> codes() {
            return List.of();
        }

        @Override
        public void restore(Client caller, List<byte[]> codes, String payloadError, RestorePolicy policy, byte[][] argv) {
            caller.reply().error("ERR Engine 'LUA' not found");
        }

        @Override
        public String load(List<byte[]> codes) {
            return codes.isEmpty() ? null : "ERR Engine 'LUA' not found";
        }
    };
}
