package io.spinel.command;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * One key specification of a command, as Redis 7 declares them: where the search for keys
 * begins (an argument index, or the argument after a keyword) and how keys are found from there
 * (a range, or a count argument followed by that many keys). Used to find the keys a request
 * touches (for its locks and COMMAND GETKEYS) and rendered by COMMAND INFO.
 */
record KeySpec(List<String> flags, BeginSearch begin, FindKeys find, Map<String, Object> source) {

    /** Where the search for keys begins: an argument index, or the argument after a keyword. */
    sealed interface BeginSearch {
        record Index(int position) implements BeginSearch {
        }

        record Keyword(byte[] keyword, int startFrom) implements BeginSearch {
        }

        record Unknown() implements BeginSearch {
        }
    }

    /** How keys are found from the beginning: a range, or a count argument and that many keys. */
    sealed interface FindKeys {
        record Range(int lastKey, int keyStep, int limit) implements FindKeys {
        }

        record KeyNum(int keyNumIndex, int firstKey, int keyStep) implements FindKeys {
        }

        record Unknown() implements FindKeys {
        }
    }

    /** Whether this spec alone finds every key it describes. */
    boolean complete() {
        return !(begin instanceof BeginSearch.Unknown) && !(find instanceof FindKeys.Unknown)
                && !flags.contains("incomplete");
    }

    /** The key specification described by one {@code key_specs} entry of {@code commands.json}. */
    @SuppressWarnings("unchecked")
    static KeySpec from(Map<String, Object> json) {
        Map<String, Object> bs = (Map<String, Object>) json.get("begin_search");
        Map<String, Object> bsSpec = (Map<String, Object>) bs.get("spec");
        BeginSearch begin = switch ((String) bs.get("type")) {
            case "index" -> new BeginSearch.Index(integer(bsSpec, "index"));
            case "keyword" -> new BeginSearch.Keyword(
                    ((String) bsSpec.get("keyword")).getBytes(StandardCharsets.UTF_8), integer(bsSpec, "startfrom"));
            default -> new BeginSearch.Unknown();
        };
        Map<String, Object> fk = (Map<String, Object>) json.get("find_keys");
        Map<String, Object> fkSpec = (Map<String, Object>) fk.get("spec");
        FindKeys find = switch ((String) fk.get("type")) {
            case "range" -> new FindKeys.Range(integer(fkSpec, "lastkey"), integer(fkSpec, "keystep"), integer(fkSpec, "limit"));
            case "keynum" -> new FindKeys.KeyNum(integer(fkSpec, "keynumidx"), integer(fkSpec, "firstkey"), integer(fkSpec, "keystep"));
            default -> new FindKeys.Unknown();
        };
        return new KeySpec((List<String>) json.get("flags"), begin, find, json);
    }

    private static int integer(Map<String, Object> map, String field) {
        return ((Long) map.get(field)).intValue();
    }

    /**
     * Adds the argument positions of this spec's keys in {@code argv} to {@code out}, as Redis's
     * getKeysUsingKeySpecs does. Returns false when the arguments do not fit the spec (the
     * command itself then reports the syntax error).
     */
    boolean keyPositions(byte[][] argv, KeyPositions out) {
        int argc = argv.length;
        int first;
        switch (begin) {
            case BeginSearch.Index index -> first = index.position();
            case BeginSearch.Keyword keyword -> {
                first = findKeyword(argv, keyword);
                if (first < 0) {
                    return true; // keyword absent: this spec names no keys
                }
            }
            case BeginSearch.Unknown unknown -> {
                return false;
            }
        }
        int last;
        int step;
        switch (find) {
            case FindKeys.Range range -> {
                if (range.lastKey() >= 0) {
                    last = first + range.lastKey();
                } else if (range.limit() == 0) {
                    last = argc + range.lastKey();
                } else {
                    last = first + ((argc - first) / range.limit() + range.lastKey());
                }
                step = range.keyStep();
            }
            case FindKeys.KeyNum keyNum -> {
                if (first + keyNum.keyNumIndex() >= argc) {
                    return false;
                }
                Long count = io.spinel.types.StringValue.parseLong(argv[first + keyNum.keyNumIndex()]);
                if (count == null || count < 0 || count > argc) {
                    return false;
                }
                first += keyNum.firstKey();
                last = first + count.intValue() - 1;
                step = keyNum.keyStep();
                if (count == 0) {
                    return true;
                }
            }
            case FindKeys.Unknown unknown -> {
                return false;
            }
        }
        if (last >= argc || last < first || first >= argc) {
            return false;
        }
        for (int i = first; i <= last; i += step) {
            out.add(i);
        }
        return true;
    }

    /** The position after the keyword, searched as Redis does (the end index is exclusive), or -1. */
    private static int findKeyword(byte[][] argv, BeginSearch.Keyword keyword) {
        int argc = argv.length;
        int startFrom = keyword.startFrom();
        int start = startFrom > 0 ? startFrom : argc + startFrom;
        int end = startFrom > 0 ? argc - 1 : 1;
        for (int i = start; i != end; i = start <= end ? i + 1 : i - 1) {
            if (i >= argc || i < 1) {
                break;
            }
            if (equalsIgnoreCase(argv[i], keyword.keyword())) {
                return i + 1;
            }
        }
        return -1;
    }

    /** Whether two ASCII byte strings are equal ignoring case. */
    static boolean equalsIgnoreCase(byte[] a, byte[] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (lower(a[i]) != lower(b[i])) {
                return false;
            }
        }
        return true;
    }

    static int lower(byte c) {
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    }

    /** A growable list of argument positions, reused per connection. */
    static final class KeyPositions {
        int[] positions = new int[8];
        int size;

        void add(int position) {
            if (size == positions.length) {
                positions = java.util.Arrays.copyOf(positions, size * 2);
            }
            positions[size++] = position;
        }

        void clear() {
            size = 0;
        }
    }
}
