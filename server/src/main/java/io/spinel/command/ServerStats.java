package io.spinel.command;

import io.spinel.store.Counter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The server-wide counters of INFO stats and errorstats. Thread-safe. */
public final class ServerStats {
    /** Redis stops tracking new error codes past this many (ERROR_STATS_NUMBER). */
    private static final int MAX_ERROR_CODES = 128;

    public final Counter connectionsReceived = new Counter();
    public final Counter commandsProcessed = new Counter();
    public final Counter rejectedConnections = new Counter();
    public final Counter errorReplies = new Counter();
    public final Counter netInputBytes = new Counter();
    public final Counter netOutputBytes = new Counter();
    public final Counter unexpectedErrorReplies = new Counter();
    private final Map<String, Counter> errorCodes = new ConcurrentHashMap<>();

    /** Counts an error reply under its code: the first word of the message, as Redis does. */
    public void errorReplied(String message) {
        errorReplies.increment();
        int space = message.indexOf(' ');
        String code = space > 0 && space < 32 ? message.substring(0, space) : "ERR";
        Counter counter = errorCodes.get(code);
        if (counter == null) {
            if (errorCodes.size() >= MAX_ERROR_CODES) {
                return;
            }
            counter = errorCodes.computeIfAbsent(code, c -> new Counter());
        }
        counter.increment();
    }

    /** Error codes and their counts (INFO errorstats). */
    public Map<String, Counter> errorCodes() {
        return errorCodes;
    }

    /** Clears the counters CONFIG RESETSTAT resets. */
    public void reset() {
        connectionsReceived.reset();
        commandsProcessed.reset();
        rejectedConnections.reset();
        errorReplies.reset();
        netInputBytes.reset();
        netOutputBytes.reset();
        unexpectedErrorReplies.reset();
        errorCodes.clear();
    }
}
