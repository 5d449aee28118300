package io.spinel.config;

/** A configuration value that cannot be applied; the message is the reason Redis gives. */
public abstract sealed class ConfigException extends RuntimeException permits ConfigException.Unknown, ConfigException.Invalid, ConfigException.AtLine {
    private static final long serialVersionUID = 1L;
    private final String parameter;

    ConfigException(String parameter, String reason) {
        super(reason, null, false, false);
        this.parameter = parameter;
    }

    /** The parameter as the user wrote it. */
    public String parameter() {
        return parameter;
    }

    /** No such parameter. */
    public static final class Unknown extends ConfigException {
        private static final long serialVersionUID = 1L;

        Unknown(String parameter) {
            super(parameter, "unknown parameter");
        }
    }

    /** The value is refused; the message says why. */
    public static final class Invalid extends ConfigException {
        private static final long serialVersionUID = 1L;

        Invalid(String parameter, String reason) {
            super(parameter, reason);
        }
    }

    /**
     * A bad line of a configuration file (or of the command line, which redis-server reads as
     * lines after the file's): {@link #parameter()} is the line as written.
     */
    public static final class AtLine extends ConfigException {
        private static final long serialVersionUID = 1L;
        private final int lineNumber;

        AtLine(String line, int lineNumber, String reason) {
            super(line, reason);
            this.lineNumber = lineNumber;
        }

        /** The 1-based line number within the file that holds the line. */
        public int lineNumber() {
            return lineNumber;
        }
    }
}
