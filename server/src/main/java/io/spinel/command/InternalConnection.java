package io.spinel.command;

import io.spinel.resp.ReplyWriter;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The connection of a client the server runs itself (the Lua runner's client, the AOF loader's
 * fake client): no peer, nothing to send to, never blocks. A reply handed over by
 * {@link #unblock} goes to the writer {@code replies} supplies, or nowhere when it is null.
 */
public final class InternalConnection implements Client.Connection {
    private final Supplier<ReplyWriter> replies;

    public InternalConnection(Supplier<ReplyWriter> replies) {
        this.replies = replies;
    }

    @Override
    public String remoteAddress() {
        return "";
    }

    @Override
    public String localAddress() {
        return "";
    }

    @Override
    public boolean isLocal() {
        return true;
    }

    @Override
    public void closeAfterReply() {
    }

    @Override
    public long pendingOutputBytes() {
        return 0;
    }

    @Override
    public int queryBufferBytes() {
        return 0;
    }

    @Override
    public void block(long timeoutMillis, Consumer<ReplyWriter> onTimeout) {
    }

    @Override
    public void unblock(Consumer<ReplyWriter> reply) {
        if (replies != null) {
            reply.accept(replies.get());
        }
    }

    @Override
    public boolean blocked() {
        return false;
    }

    /** Never called: such a client cannot subscribe nor track keys. */
    @Override
    public void deliver(Client.Delivery message) {
    }
}
