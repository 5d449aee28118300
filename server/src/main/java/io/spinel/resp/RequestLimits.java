package io.spinel.resp;

/**
 * The limits a {@link RequestDecoder} checks before it allocates: a view of the live configuration,
 * read once per request so that CONFIG SET applies to the next request.
 */
public interface RequestLimits {
    /** proto-max-bulk-len: the longest bulk argument accepted. */
    long maxBulkLength();

    /** Whether the client still has to authenticate, which tightens the limits as in Redis. */
    boolean authRequired();
}
