package io.spinel.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * oom-score-adj and oom-score-adj-values, as Redis applies them: when enabled, the process's
 * Linux OOM score adjustment ({@code /proc/self/oom_score_adj}) becomes the value for the
 * server's class (0 master, 1 replica, 2 background child; Spinel is always a master and forks no
 * child), added to the adjustment the process started with ({@code relative}, also spelled
 * {@code yes}) or as it is ({@code absolute}), within -1000..1000; disabling it again restores the
 * starting adjustment. One per server; calls come from CONFIG SET and startup.
 */
public final class OomScoreAdj {
    static final String NO = "no";
    static final String RELATIVE = "yes";
    static final String ABSOLUTE = "absolute";
    private static final int MASTER = 0;

    private final Path file;
    private final Consumer<String> warning;
    /** The adjustment read when Spinel first took control of it; valid while {@link #adjusted}. */
    private int base;
    private boolean adjusted;

    /** Adjusts {@code file} (normally {@code /proc/self/oom_score_adj}), logging failures to {@code warning}. */
    public OomScoreAdj(Path file, Consumer<String> warning) {
        this.file = file;
        this.warning = warning;
    }

    /**
     * Writes the adjustment the settings ask for (nothing when disabled and never enabled);
     * returns false, having logged why, when the file cannot be read or written.
     */
    public synchronized boolean apply(String mode, int[] values) {
        int value;
        if (!mode.equals(NO)) {
            if (!adjusted) {
                try {
                    base = Integer.parseInt(Files.readString(file, StandardCharsets.US_ASCII).trim());
                } catch (IOException | NumberFormatException e) {
                    warning.accept("Unable to read oom_score_adj: " + e.getMessage());
                    return false;
                }
                adjusted = true;
            }
            value = values[MASTER] + (mode.equals(RELATIVE) ? base : 0);
            value = Math.max(-1000, Math.min(1000, value));
        } else if (adjusted) {
            adjusted = false;
            value = base;
        } else {
            return true;
        }
        try {
            Files.writeString(file, Integer.toString(value), StandardCharsets.US_ASCII);
            return true;
        } catch (IOException e) {
            warning.accept("Unable to write oom_score_adj: " + e.getMessage());
            return false;
        }
    }

    /** oom-score-adj: no, yes (relative), relative, absolute; relative reads back as yes, as in Redis. */
    static String parseMode(String text, String current) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "no" -> NO;
            case "yes", "relative" -> RELATIVE;
            case "absolute" -> ABSOLUTE;
            default -> throw new IllegalArgumentException(
                    "argument(s) must be one of the following: no, yes, relative, absolute");
        };
    }

    /**
     * oom-score-adj-values: three integers separated by single spaces (an empty word reads as 0,
     * as C's strtol reads it), each within -2000..2000.
     */
    static int[] parseValues(String text, int[] current) {
        String[] words = text.split(" ", -1);
        if (words.length != 3) {
            throw new IllegalArgumentException("wrong number of arguments");
        }
        int[] values = new int[3];
        for (int i = 0; i < 3; i++) {
            long value;
            try {
                value = words[i].isEmpty() ? 0 : Long.parseLong(words[i]);
            } catch (NumberFormatException e) {
                value = Long.MAX_VALUE;
            }
            if (value < -2000 || value > 2000) {
                throw new IllegalArgumentException("Invalid oom-score-adj-values, elements must be between -2000 and 2000.");
            }
            values[i] = (int) value;
        }
        return values;
    }

    static String formatValues(int[] values) {
        return values[0] + " " + values[1] + " " + values[2];
    }
}
