package io.spinel.resp;

/**
 * A request that breaks the protocol. Its message is the error text Redis replies with (without
 * the leading {@code -}); after replying, the connection is closed as Redis closes it.
 */
public final class ProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    public ProtocolException(String message) {
        super(message, null, false, false);
    }
}
