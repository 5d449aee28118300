package io.spinel.command;

/** Which locks the dispatcher takes around a command (see {@link io.spinel.store.Keyspace}). */
public enum LockMode {
    /** Touches no key, or locks what it walks itself (SCAN, RANDOMKEY). */
    NONE,
    /** The slot locks of the keys its key specs name, ascending. */
    KEYS,
    /** Every slot lock: nothing else runs on any key meanwhile. */
    ALL
}
