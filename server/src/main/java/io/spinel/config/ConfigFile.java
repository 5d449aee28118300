package io.spinel.config;

import io.spinel.resp.RequestDecoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads configuration in redis.conf syntax: one directive per line, arguments split and quoted
 * as Redis splits them ("double quotes" with escapes, 'single quotes'), {@code #} comments,
 * {@code include path}; and the redis-server command line, where {@code --name value} pairs
 * follow an optional config file and are applied after it.
 */
public final class ConfigFile {
    private static final int MAX_INCLUDE_DEPTH = 16;

    private ConfigFile() {
    }

    /** Applies {@code [config-file] [--name value ...]} to {@code config}. */
    public static void applyCommandLine(Config config, String[] args) throws IOException {
        int i = 0;
        if (args.length > 0 && !args[0].startsWith("--")) {
            config.configFile(Path.of(args[0]).toAbsolutePath());
            loadFile(config, Path.of(args[0]), 0);
            i = 1;
        }
        StringBuilder text = new StringBuilder();
        for (; i < args.length; i++) {
            String arg = args[i];
            if (arg.startsWith("--") && arg.length() > 2) {
                if (!text.isEmpty()) {
                    text.append('\n');
                }
                text.append(arg.substring(2));
            } else {
                text.append(' ').append(quote(arg));
            }
        }
        apply(config, text.toString(), 0);
    }

    private static String quote(String arg) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : arg.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.append('"').toString();
    }

    static void loadFile(Config config, Path path, int depth) throws IOException {
        if (depth > MAX_INCLUDE_DEPTH) {
            throw new ConfigException.Invalid("include", "include nesting too deep");
        }
        apply(config, Files.readString(path, StandardCharsets.ISO_8859_1), depth);
    }

    /** Applies the directives in {@code text}, line by line. */
    public static void apply(Config config, String text, int depth) throws IOException {
        for (String rawLine : text.split("\n", -1)) {
            String line = rawLine.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            List<byte[]> words = RequestDecoder.splitArgs(line.getBytes(StandardCharsets.ISO_8859_1));
            if (words == null) {
                throw new ConfigException.Invalid(line, "Unbalanced quotes in configuration line");
            }
            if (words.isEmpty()) {
                continue;
            }
            String name = new String(words.get(0), StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
            List<String> values = new ArrayList<>();
            for (byte[] word : words.subList(1, words.size())) {
                values.add(new String(word, StandardCharsets.ISO_8859_1));
            }
            if (name.equals("include")) {
                if (values.size() != 1) {
                    throw new ConfigException.Invalid(line, "wrong number of arguments");
                }
                loadFile(config, Path.of(values.get(0)), depth + 1);
                continue;
            }
            if (config.param(name) == null) {
                throw new ConfigException.Invalid(line, "Bad directive or wrong number of arguments");
            }
            try {
                config.setAtStartup(name, String.join(" ", values));
            } catch (ConfigException.Invalid e) {
                throw new ConfigException.Invalid(line, e.getMessage());
            }
        }
    }
}
