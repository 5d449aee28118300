package io.spinel.store;

/**
 * Redis's glob-style matching (stringmatchlen), shared by KEYS, SCAN MATCH, CONFIG GET and every
 * other pattern: {@code *}, {@code ?}, {@code [abc]}, {@code [^abc]}, {@code [a-z]} (reversed
 * ranges allowed), and backslash escapes, inside brackets too. An unterminated {@code [} matches
 * as if closed at the end of the pattern. Patterns nesting more than 1000 stars never match, so
 * a hostile pattern cannot exhaust the stack.
 */
public final class Glob {
    private static final int MAX_NESTING = 1000;

    private Glob() {
    }

    public static boolean matches(byte[] pattern, byte[] string) {
        return matches(pattern, string, false);
    }

    public static boolean matches(byte[] pattern, byte[] string, boolean ignoreCase) {
        return match(pattern, 0, string, 0, ignoreCase, new boolean[1], 0);
    }

    public static boolean matches(String pattern, String string, boolean ignoreCase) {
        return matches(pattern.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                string.getBytes(java.nio.charset.StandardCharsets.UTF_8), ignoreCase);
    }

    /** True when the pattern matches every string of its form, i.e. it is exactly "*". */
    public static boolean matchesAll(byte[] pattern) {
        return pattern.length == 1 && pattern[0] == '*';
    }

    private static int at(byte[] bytes, int index) {
        return index < bytes.length ? bytes[index] & 0xff : 0;
    }

    private static int fold(int c, boolean ignoreCase) {
        return ignoreCase && c >= 'A' && c <= 'Z' ? c + 32 : c;
    }

    private static boolean match(byte[] pattern, int p, byte[] string, int s, boolean ignoreCase,
                                 boolean[] skipLongerMatches, int nesting) {
        if (nesting > MAX_NESTING) {
            return false;
        }
        int pEnd = pattern.length;
        int sEnd = string.length;
        while (p < pEnd && s < sEnd) {
            int c = pattern[p] & 0xff;
            switch (c) {
                case '*' -> {
                    while (p + 1 < pEnd && pattern[p + 1] == '*') {
                        p++;
                    }
                    if (p + 1 == pEnd) {
                        return true;
                    }
                    while (s < sEnd) {
                        if (match(pattern, p + 1, string, s, ignoreCase, skipLongerMatches, nesting + 1)) {
                            return true;
                        }
                        if (skipLongerMatches[0]) {
                            return false;
                        }
                        s++;
                    }
                    skipLongerMatches[0] = true;
                    return false;
                }
                case '?' -> s++;
                case '[' -> {
                    p++;
                    boolean not = at(pattern, p) == '^';
                    if (not) {
                        p++;
                    }
                    boolean matched = false;
                    int sc = string[s] & 0xff;
                    while (true) {
                        if (at(pattern, p) == '\\' && pEnd - p >= 2) {
                            p++;
                            if ((pattern[p] & 0xff) == sc) {
                                matched = true;
                            }
                        } else if (at(pattern, p) == ']') {
                            break;
                        } else if (p >= pEnd) {
                            p--;
                            break;
                        } else if (pEnd - p >= 3 && pattern[p + 1] == '-') {
                            int start = pattern[p] & 0xff;
                            int end = pattern[p + 2] & 0xff;
                            if (start > end) {
                                int t = start;
                                start = end;
                                end = t;
                            }
                            int ch = fold(sc, ignoreCase);
                            p += 2;
                            if (ch >= fold(start, ignoreCase) && ch <= fold(end, ignoreCase)) {
                                matched = true;
                            }
                        } else if (fold(pattern[p] & 0xff, ignoreCase) == fold(sc, ignoreCase)) {
                            matched = true;
                        }
                        p++;
                    }
                    if (not) {
                        matched = !matched;
                    }
                    if (!matched) {
                        return false;
                    }
                    s++;
                }
                default -> {
                    if (c == '\\' && pEnd - p >= 2) {
                        p++;
                        c = pattern[p] & 0xff;
                    }
                    if (fold(c, ignoreCase) != fold(string[s] & 0xff, ignoreCase)) {
                        return false;
                    }
                    s++;
                }
            }
            p++;
            if (s == sEnd) {
                while (p < pEnd && pattern[p] == '*') {
                    p++;
                }
                break;
            }
        }
        return p >= pEnd && s == sEnd;
    }
}
