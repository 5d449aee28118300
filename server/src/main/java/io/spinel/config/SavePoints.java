package io.spinel.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The save setting: snapshot after {@code seconds} when at least {@code changes} writes happened,
 * for each point; no points disables snapshots.
 */
public record SavePoints(List<Point> points) {
    /** One "seconds changes" pair. */
    public record Point(long seconds, long changes) {
    }

    static final SavePoints DEFAULT = new SavePoints(List.of(new Point(3600, 1), new Point(300, 100), new Point(60, 10000)));

    /** Parses "seconds changes [seconds changes ...]" (empty: no points). */
    static SavePoints parse(String text, SavePoints current) {
        if (text.isEmpty()) {
            return new SavePoints(List.of());
        }
        String[] words = text.split(" ", -1);
        if (words.length % 2 != 0) {
            throw invalid();
        }
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < words.length; i += 2) {
            Long seconds = integer(words[i]);
            Long changes = integer(words[i + 1]);
            if (seconds == null || changes == null) {
                throw invalid();
            }
            points.add(new Point(seconds, changes));
        }
        return new SavePoints(List.copyOf(points));
    }

    private static Long integer(String word) {
        Long value = io.spinel.types.StringValue.parseLong(word.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        return value == null || value < 0 || value > Integer.MAX_VALUE ? null : value;
    }

    private static IllegalArgumentException invalid() {
        return new IllegalArgumentException("Invalid save parameters");
    }

    /** Appends the points of {@code other} (a second save line in a config file adds points). */
    SavePoints plus(SavePoints other) {
        List<Point> all = new ArrayList<>(points);
        all.addAll(other.points);
        return new SavePoints(List.copyOf(all));
    }

    /** The points as CONFIG GET shows them: "seconds changes ...". */
    String format() {
        StringBuilder out = new StringBuilder();
        for (Point p : points) {
            if (!out.isEmpty()) {
                out.append(' ');
            }
            out.append(p.seconds).append(' ').append(p.changes);
        }
        return out.toString();
    }
}
