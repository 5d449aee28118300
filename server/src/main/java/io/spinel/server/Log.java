package io.spinel.server;

import io.spinel.config.Config;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.Locale;

/**
 * The server log, in Redis's line format ({@code pid:M 21 Nov 2026 07:18:00.123 * message}), to
 * stdout or to {@code logfile}, filtered by {@code loglevel}. Thread-safe.
 */
public final class Log {
    /** Levels in Redis's order, with the marks Redis prints. */
    public enum Level {
        DEBUG('.'), VERBOSE('-'), NOTICE('*'), WARNING('#');

        final char mark;

        Level(char mark) {
            this.mark = mark;
        }
    }

    private static final long PID = ProcessHandle.current().pid();
    private final Config config;
    private String openedFile;
    private PrintStream out = System.out;

    public Log(Config config) {
        this.config = config;
    }

    public void debug(String message) {
        log(Level.DEBUG, message);
    }

    public void verbose(String message) {
        log(Level.VERBOSE, message);
    }

    public void notice(String message) {
        log(Level.NOTICE, message);
    }

    public void warning(String message) {
        log(Level.WARNING, message);
    }

    /** Writes {@code message} in Redis's log line format when {@code level} reaches the configured loglevel. */
    public synchronized void log(Level level, String message) {
        String configured = config.loglevel.value();
        if (configured.equals("nothing") || level.ordinal() < Level.valueOf(configured.toUpperCase(Locale.ROOT)).ordinal()) {
            return;
        }
        PrintStream target = target();
        String time = new SimpleDateFormat("dd MMM yyyy HH:mm:ss.SSS", Locale.ROOT).format(new Date());
        target.println(PID + ":M " + time + " " + level.mark + " " + message);
        target.flush();
    }

    /** Standard output, or the logfile (reopened when the setting changed). */
    private PrintStream target() {
        String file = config.logfile.value();
        if (file.isEmpty()) {
            return System.out;
        }
        if (!file.equals(openedFile)) {
            try {
                PrintStream opened = new PrintStream(new FileOutputStream(file, true), false, StandardCharsets.UTF_8);
                if (out != System.out) {
                    out.close();
                }
                out = opened;
                openedFile = file;
            } catch (IOException e) {
                System.err.println("Can't open the log file: " + e.getMessage());
                return System.out;
            }
        }
        return out;
    }
}
