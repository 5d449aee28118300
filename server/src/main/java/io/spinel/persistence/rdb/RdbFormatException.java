package io.spinel.persistence.rdb;

/**
 * A file or payload that is not valid RDB: the message names what was being read and the byte
 * offset where reading stopped, e.g. "bad listpack entry in hash value at offset 1234".
 */
public final class RdbFormatException extends Exception {
    public RdbFormatException(String message) {
        super(message);
    }
}
