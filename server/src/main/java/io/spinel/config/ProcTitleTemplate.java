package io.spinel.config;

import java.util.Set;

/**
 * proc-title-template, validated as Redis validates it: the template's {@code {variable}}s must be
 * ones Redis knows ({@code {{}} is a literal brace), and the title it gives with an empty
 * {title} must not be empty once spaces are trimmed. Spinel runs in a JVM, which cannot retitle
 * its process, so the setting is kept (CONFIG GET, CONFIG REWRITE) without effect.
 */
final class ProcTitleTemplate {
    static final String DEFAULT = "{title} {listen-addr} {server-mode}";
    /** The variables a template may name. */
    private static final Set<String> VARIABLES = Set.of("title", "listen-addr", "server-mode", "port", "tls-port",
            "unixsocket", "config-file");
    /** Those that always expand to something non-blank (server-mode is empty outside cluster and sentinel). */
    private static final Set<String> NEVER_BLANK = Set.of("listen-addr", "port", "tls-port");

    private ProcTitleTemplate() {
    }

    static String parse(String text, String current) {
        boolean blank = true;
        int i = 0;
        while (i < text.length()) {
            int open = text.indexOf('{', i);
            if (open < 0) {
                blank &= onlySpaces(text.substring(i));
                break;
            }
            blank &= onlySpaces(text.substring(i, open));
            if (open + 1 == text.length()) {
                throw invalid();
            }
            if (text.charAt(open + 1) == '{') {
                blank = false;
                i = open + 2;
                continue;
            }
            int close = text.indexOf('}', open + 1);
            if (close < 0) {
                throw invalid();
            }
            String variable = text.substring(open + 1, close);
            if (!VARIABLES.contains(variable)) {
                throw invalid();
            }
            blank &= !NEVER_BLANK.contains(variable);
            i = close + 1;
        }
        if (blank) {
            throw invalid();
        }
        return text;
    }

    /** Whether Redis's trim of spaces leaves nothing of {@code text}. */
    private static boolean onlySpaces(String text) {
        return text.chars().allMatch(c -> c == ' ');
    }

    private static IllegalArgumentException invalid() {
        return new IllegalArgumentException("template format is invalid or contains unknown variables");
    }
}
