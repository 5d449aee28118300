package io.spinel.command;

/** The command flags of the table, under the names COMMAND INFO prints. */
public enum CommandFlag {
    WRITE, READONLY, DENYOOM, MODULE, ADMIN, PUBSUB, NOSCRIPT, BLOCKING, LOADING, STALE,
    SKIP_MONITOR, SKIP_SLOWLOG, ASKING, FAST, NO_AUTH, MAY_REPLICATE, SENTINEL, ONLY_SENTINEL,
    NO_MANDATORY_KEYS, NO_ASYNC_LOADING, NO_MULTI, MOVABLEKEYS, ALLOW_BUSY;

    final int bit = 1 << ordinal();

    /** The flag COMMAND INFO prints as {@code name}, or null for a name this table does not know. */
    static CommandFlag named(String name) {
        for (CommandFlag flag : values()) {
            if (flag.name().equalsIgnoreCase(name)) {
                return flag;
            }
        }
        return null;
    }
}
