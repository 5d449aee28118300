package io.spinel.persistence.aof;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The manifest of a multi-part AOF (Redis 7): which files make the log, in what order. One line
 * per file, {@code file <name> seq <n> type <b|h|i>}, base first, then history, then the
 * incremental files in sequence order; lines starting with '#' are comments. This is exactly the
 * format Redis's aofLoadManifestFromFile reads and getAofManifestAsString writes, so either
 * server loads the other's directory.
 *
 * <p>Immutable.
 */
public record AofManifest(Entry base, List<Entry> history, List<Entry> incrs) {
    /** Redis's limit on a manifest line (AOF_MANIFEST_MAX_LINE... a line longer is an error). */
    private static final int MAX_LINE = 1024;

    /** A file's type letter in the manifest. */
    public enum Type {
        BASE('b'), HISTORY('h'), INCR('i');

        final char letter;

        Type(char letter) {
            this.letter = letter;
        }
    }

    /** One file of the log. */
    public record Entry(String name, long seq, Type type) {
    }

    /** An empty manifest: no base, no incremental file. */
    public static AofManifest empty() {
        return new AofManifest(null, List.of(), List.of());
    }

    /** The base sequence number (0 when there is no base). */
    public long baseSeq() {
        return base == null ? 0 : base.seq;
    }

    /** The highest incremental sequence number (0 when there is none). */
    public long lastIncrSeq() {
        return incrs.isEmpty() ? 0 : incrs.get(incrs.size() - 1).seq;
    }

    /** This manifest plus the incremental file {@code entry} at the end. */
    public AofManifest withIncr(Entry entry) {
        List<Entry> grown = new ArrayList<>(incrs);
        grown.add(entry);
        return new AofManifest(base, history, List.copyOf(grown));
    }

    /**
     * The manifest after a rewrite: {@code newBase} replaces the base and every incremental file
     * below {@code firstKeptIncr}; the replaced files are history, to be deleted.
     */
    public AofManifest rewritten(Entry newBase, long firstKeptIncr) {
        List<Entry> old = new ArrayList<>(history);
        if (base != null) {
            old.add(new Entry(base.name, base.seq, Type.HISTORY));
        }
        List<Entry> kept = new ArrayList<>();
        for (Entry incr : incrs) {
            if (incr.seq < firstKeptIncr) {
                old.add(new Entry(incr.name, incr.seq, Type.HISTORY));
            } else {
                kept.add(incr);
            }
        }
        return new AofManifest(newBase, List.copyOf(old), List.copyOf(kept));
    }

    /** This manifest without its history entries (after the history files were deleted). */
    public AofManifest withoutHistory() {
        return new AofManifest(base, List.of(), incrs);
    }

    /** The manifest's text, as Redis writes it. */
    public String format() {
        StringBuilder out = new StringBuilder();
        if (base != null) {
            line(out, base);
        }
        history.forEach(e -> line(out, e));
        incrs.forEach(e -> line(out, e));
        return out.toString();
    }

    private static void line(StringBuilder out, Entry e) {
        out.append("file ").append(quoted(e.name)).append(" seq ").append(e.seq).append(" type ").append(e.type.letter).append('\n');
    }

    /** The name as Redis writes it: as is, or quoted (sdscatrepr) when it holds spaces, quotes or unprintable bytes. */
    private static String quoted(String name) {
        boolean plain = !name.isEmpty();
        for (int i = 0; i < name.length() && plain; i++) {
            char c = name.charAt(i);
            plain = c > ' ' && c < 127 && c != '"' && c != '\'' && c != '\\';
        }
        if (plain) {
            return name;
        }
        return io.spinel.config.ConfigFile.repr(new String(name.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
    }

    /** Parses a manifest's text; throws {@link AofFormatException} naming the bad line. */
    public static AofManifest parse(String text) throws AofFormatException {
        Entry base = null;
        List<Entry> history = new ArrayList<>();
        List<Entry> incrs = new ArrayList<>();
        int number = 0;
        for (String line : text.split("\n", -1)) {
            number++;
            if (line.length() > MAX_LINE) {
                throw new AofFormatException("The AOF manifest file contains too long line");
            }
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            List<String> words = splitArgs(trimmed);
            if (words == null || words.size() % 2 != 0) {
                throw new AofFormatException("Invalid AOF manifest file format (line " + number + ")");
            }
            String name = null;
            long seq = 0;
            Type type = null;
            for (int i = 0; i < words.size(); i += 2) {
                String value = words.get(i + 1);
                switch (words.get(i)) {
                    case "file" -> name = value;
                    case "seq" -> {
                        try {
                            seq = Long.parseLong(value);
                        } catch (NumberFormatException e) {
                            throw new AofFormatException("Invalid AOF manifest file format (line " + number + ")");
                        }
                    }
                    case "type" -> {
                        for (Type t : Type.values()) {
                            if (value.length() == 1 && value.charAt(0) == t.letter) {
                                type = t;
                            }
                        }
                    }
                    default -> {
                        // Unknown keys are skipped, as Redis does, for forward compatibility.
                    }
                }
            }
            if (name == null || seq <= 0 || type == null) {
                throw new AofFormatException("Invalid AOF manifest file format (line " + number + ")");
            }
            if (name.contains("/")) {
                throw new AofFormatException("File can't be a path, just a filename");
            }
            Entry entry = new Entry(name, seq, type);
            switch (type) {
                case BASE -> {
                    if (base != null) {
                        throw new AofFormatException("Found duplicate base file information");
                    }
                    base = entry;
                }
                case HISTORY -> history.add(entry);
                case INCR -> {
                    if (!incrs.isEmpty() && incrs.get(incrs.size() - 1).seq >= seq) {
                        throw new AofFormatException("Found a non-monotonic sequence number");
                    }
                    incrs.add(entry);
                }
            }
        }
        if (base == null && incrs.isEmpty() && history.isEmpty()) {
            throw new AofFormatException("Found an empty AOF manifest");
        }
        return new AofManifest(base, List.copyOf(history), List.copyOf(incrs));
    }

    /** Splits a line into words as sdssplitargs does (double or single quotes, \-escapes and \xHH in double quotes); null when unbalanced. */
    private static List<String> splitArgs(String line) {
        List<String> words = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (true) {
            while (i < n && Character.isWhitespace(line.charAt(i))) {
                i++;
            }
            if (i == n) {
                return words;
            }
            java.io.ByteArrayOutputStream word = new java.io.ByteArrayOutputStream();
            char quote = line.charAt(i) == '"' || line.charAt(i) == '\'' ? line.charAt(i) : 0;
            if (quote != 0) {
                i++;
            }
            while (true) {
                if (i == n) {
                    if (quote != 0) {
                        return null;
                    }
                    break;
                }
                char c = line.charAt(i);
                if (quote == 0 && Character.isWhitespace(c)) {
                    break;
                }
                if (quote != 0 && c == quote) {
                    i++;
                    if (i < n && !Character.isWhitespace(line.charAt(i))) {
                        return null; // a closing quote must be followed by a space
                    }
                    break;
                }
                if (quote == '"' && c == '\\' && i + 1 < n) {
                    char e = line.charAt(i + 1);
                    if (e == 'x' && i + 3 < n && isHex(line.charAt(i + 2)) && isHex(line.charAt(i + 3))) {
                        word.write(Integer.parseInt(line.substring(i + 2, i + 4), 16));
                        i += 4;
                        continue;
                    }
                    word.write(switch (e) {
                        case 'n' -> '\n';
                        case 'r' -> '\r';
                        case 't' -> '\t';
                        case 'b' -> '\b';
                        case 'a' -> 7;
                        default -> e;
                    });
                    i += 2;
                    continue;
                }
                if (quote == '\'' && c == '\\' && i + 1 < n && line.charAt(i + 1) == '\'') {
                    word.write('\'');
                    i += 2;
                    continue;
                }
                byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                word.write(bytes, 0, bytes.length);
                i++;
            }
            words.add(word.toString(StandardCharsets.UTF_8));
        }
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }
}
