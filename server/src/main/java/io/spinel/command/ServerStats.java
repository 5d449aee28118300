package io.spinel.command;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** The server-wide counters of INFO stats and errorstats. Thread-safe. */
public final class ServerStats {
    /** Redis stops tracking new error codes past this many (ERROR_STATS_NUMBER). */
    private static final int MAX_ERROR_CODES = 128;

    public final LongAdder connectionsReceived = new LongAdder();
    public final LongAdder commandsProcessed = new LongAdder();
    public final LongAdder rejectedConnections = new LongAdder();
    public final LongAdder errorReplies = new LongAdder();
    public final LongAdder netInputBytes = new LongAdder();
    public final LongAdder netOutputBytes = new LongAdder();
    public final LongAdder unexpectedErrorReplies = new LongAdder();
    private final Map<String, LongAdder> errorCodes = new ConcurrentHashMap<>();

    /** Counts an error reply under its code: the first word of the message, as Redis does. */
    public void errorReplied(String message) {
        errorReplies.increment();
        int space = message.indexOf(' ');
        String code = space > 0 && space < 32 ? message.substring(0, space) : "ERR";
        LongAdder counter = errorCodes.get(code);
        if (counter == null) {
            if (errorCodes.size() >= MAX_ERROR_CODES) {
                return;
            }
            counter = errorCodes.computeIfAbsent(code, c -> new LongAdder());
        }
        counter.increment();
    }

    /** Error codes and their counts (INFO errorstats). */
    public Map<String, LongAdder> errorCodes() {
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
