package io.spinel.persistence.aof;

/** An AOF file or manifest that cannot be loaded; the message says what and where. */
public final class AofFormatException extends Exception {
    public AofFormatException(String message) {
        super(message);
    }
}
