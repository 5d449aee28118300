package io.spinel.config;

import java.util.List;

/**
 * One configuration parameter: its redis.conf name (and aliases), its type, default and
 * validation, and its current value as text. Values are kept parsed in typed subclasses so hot
 * paths read a field, not a map. Thread-safe: values are volatile, CONFIG SET applies atomically
 * under the {@link Config}'s lock.
 */
public abstract sealed class ConfigParam permits ConfigParam.Bool, ConfigParam.Num, ConfigParam.Text, ConfigParam.Choice, ConfigParam.Special {
    final String name;
    final List<String> aliases;
    final boolean mutable;
    /** Settable at run time only when enable-protected-configs allows it (dir, dbfilename). */
    boolean protectedConfig;

    ConfigParam(String name, List<String> aliases, boolean mutable) {
        this.name = name;
        this.aliases = aliases;
        this.mutable = mutable;
    }

    public String name() {
        return name;
    }

    /** The other names the parameter answers to (slave-read-only for replica-read-only). */
    public List<String> aliases() {
        return aliases;
    }

    /** Whether CONFIG SET may change it. */
    public boolean mutable() {
        return mutable;
    }

    /** The default value as CONFIG GET prints it (CONFIG REWRITE leaves defaults out). */
    public String defaultValue() {
        return defaultText();
    }

    /** The value as CONFIG GET prints it. */
    public abstract String get();

    /**
     * Parses {@code text} without applying it; returns the parsed value or throws
     * {@link IllegalArgumentException} with Redis's reason ("argument must be 'yes' or 'no'").
     */
    abstract Object parse(String text);

    abstract void apply(Object parsed);

    abstract String defaultText();

    /** yes/no. */
    public static final class Bool extends ConfigParam {
        private final boolean defaultValue;
        private volatile boolean value;

        Bool(String name, List<String> aliases, boolean mutable, boolean defaultValue) {
            super(name, aliases, mutable);
            this.defaultValue = defaultValue;
            this.value = defaultValue;
        }

        public boolean value() {
            return value;
        }

        @Override
        public String get() {
            return value ? "yes" : "no";
        }

        @Override
        Object parse(String text) {
            if (text.equalsIgnoreCase("yes")) {
                return true;
            }
            if (text.equalsIgnoreCase("no")) {
                return false;
            }
            throw new IllegalArgumentException("argument must be 'yes' or 'no'");
        }

        @Override
        void apply(Object parsed) {
            value = (Boolean) parsed;
        }

        @Override
        String defaultText() {
            return defaultValue ? "yes" : "no";
        }
    }

    /** An integer, optionally a memory size accepting units (1k, 5mb, 1gb). */
    public static final class Num extends ConfigParam {
        private final long min;
        private final long max;
        private final boolean memory;
        private final long defaultValue;
        private volatile long value;

        Num(String name, List<String> aliases, boolean mutable, long min, long max, boolean memory, long defaultValue) {
            super(name, aliases, mutable);
            this.min = min;
            this.max = max;
            this.memory = memory;
            this.defaultValue = defaultValue;
            this.value = defaultValue;
        }

        public long value() {
            return value;
        }

        public int intValue() {
            return (int) value;
        }

        /** Whether the value is a memory size (accepts units, rewritten with them). */
        public boolean memory() {
            return memory;
        }

        @Override
        public String get() {
            return Long.toString(value);
        }

        @Override
        Object parse(String text) {
            Long parsed = memory ? MemoryUnits.parse(text) : parseInteger(text);
            if (parsed == null || (memory && parsed < 0)) {
                throw new IllegalArgumentException(memory ? "argument must be a memory value"
                        : "argument couldn't be parsed into an integer");
            }
            if (parsed < min || parsed > max) {
                throw new IllegalArgumentException("argument must be between " + min + " and " + max + " inclusive");
            }
            return parsed;
        }

        private static Long parseInteger(String text) {
            return io.spinel.types.StringValue.parseLong(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        @Override
        void apply(Object parsed) {
            value = (Long) parsed;
        }

        @Override
        String defaultText() {
            return Long.toString(defaultValue);
        }
    }

    /** A string. */
    public static final class Text extends ConfigParam {
        private final String defaultValue;
        private volatile String value;

        Text(String name, List<String> aliases, boolean mutable, String defaultValue) {
            super(name, aliases, mutable);
            this.defaultValue = defaultValue;
            this.value = defaultValue;
        }

        public String value() {
            return value;
        }

        @Override
        public String get() {
            return value;
        }

        @Override
        Object parse(String text) {
            return text;
        }

        @Override
        void apply(Object parsed) {
            value = (String) parsed;
        }

        @Override
        String defaultText() {
            return defaultValue;
        }
    }

    /** One of a fixed set of words (loglevel, maxmemory-policy). */
    public static final class Choice extends ConfigParam {
        private final List<String> choices;
        private final String defaultValue;
        private volatile String value;

        Choice(String name, List<String> aliases, boolean mutable, List<String> choices, String defaultValue) {
            super(name, aliases, mutable);
            this.choices = choices;
            this.defaultValue = defaultValue;
            this.value = defaultValue;
        }

        public String value() {
            return value;
        }

        @Override
        public String get() {
            return value;
        }

        @Override
        Object parse(String text) {
            for (String choice : choices) {
                if (choice.equalsIgnoreCase(text)) {
                    return choice;
                }
            }
            throw new IllegalArgumentException("argument(s) must be one of the following: " + String.join(", ", choices));
        }

        @Override
        void apply(Object parsed) {
            value = (String) parsed;
        }

        @Override
        String defaultText() {
            return defaultValue;
        }
    }

    /**
     * A parameter with its own syntax (save, client-output-buffer-limit, notify-keyspace-events):
     * parsing sees the current value, since some of them change only the part they name, and the
     * value is kept in its parsed form {@code T} with a formatter for CONFIG GET.
     */
    public static final class Special<T> extends ConfigParam {
        /** Parses a setting given the current value; throws IllegalArgumentException with Redis's reason. */
        interface Parser<T> {
            T parse(String text, T current);
        }

        private final Parser<T> parser;
        private final java.util.function.Function<T, String> formatter;
        private final T defaultValue;
        private volatile T value;

        Special(String name, boolean mutable, T defaultValue, Parser<T> parser, java.util.function.Function<T, String> formatter) {
            super(name, List.of(), mutable);
            this.parser = parser;
            this.formatter = formatter;
            this.defaultValue = defaultValue;
            this.value = defaultValue;
        }

        public T value() {
            return value;
        }

        @Override
        public String get() {
            return formatter.apply(value);
        }

        @Override
        Object parse(String text) {
            return parser.parse(text, value);
        }

        /** Parses {@code text} on top of {@code current} (several values for one parameter in one file). */
        T parseOnto(String text, T current) {
            return parser.parse(text, current);
        }

        @Override
        @SuppressWarnings("unchecked")
        void apply(Object parsed) {
            value = (T) parsed;
        }

        @Override
        String defaultText() {
            return formatter.apply(defaultValue);
        }
    }
}
