package io.spinel.pubsub;

import io.spinel.command.Client;
import io.spinel.resp.ReplyWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * One published message on its way to subscribers: "message", "smessage" or "pmessage" with its
 * parts, encoded once per protocol however many subscribers receive it. Delivered through
 * {@link io.spinel.command.Client.Connection#deliver}, it writes itself in the subscriber's
 * protocol (an array in RESP2, a push in RESP3), unless the subscriber's subscription to the
 * channel or pattern it was sent for ended before it arrived: a publisher on another event loop
 * may pick a subscriber just before it unsubscribes, and as in Redis nothing of a channel follows
 * the confirmation of its unsubscription. Thread-safe: the encodings are computed at most a few
 * times when subscribers on several event loops race for them, always to the same bytes.
 */
public final class Message implements Client.Delivery {
    static final byte[] MESSAGE = ascii("message");
    static final byte[] SMESSAGE = ascii("smessage");
    static final byte[] PMESSAGE = ascii("pmessage");

    private final long published;
    private final PubSub.Kind kind;
    private final Name subscription;
    private final byte[][] parts;
    private byte[] resp2;
    private byte[] resp3;

    /**
     * A message for the subscribers of {@code subscription} (a channel, pattern or shard channel
     * as {@code kind} says) of the given parts, the first being its kind ("message", "pmessage"...),
     * published at {@code published} ({@link System#nanoTime}, read before the registry was).
     */
    Message(long published, PubSub.Kind kind, Name subscription, byte[]... parts) {
        this.published = published;
        this.kind = kind;
        this.subscription = subscription;
        this.parts = parts;
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void write(Client receiver, ReplyWriter reply) {
        Subscriptions subscriptions = receiver.subscriptions();
        // The set lookup only when an unsubscription may have overtaken this message: the cheap
        // test keeps it off the path of nearly every delivery.
        if (!subscriptions.unsubscribedSince(published) || subscriptions.contains(kind, subscription)) {
            reply.raw(encoded(reply.protocol()));
        }
    }

    /** The message in protocol {@code protocol}'s form. */
    byte[] encoded(int protocol) {
        if (protocol == 3) {
            byte[] bytes = resp3;
            if (bytes == null) {
                bytes = encode('>');
                resp3 = bytes;
            }
            return bytes;
        }
        byte[] bytes = resp2;
        if (bytes == null) {
            bytes = encode('*');
            resp2 = bytes;
        }
        return bytes;
    }

    private byte[] encode(char type) {
        int size = 16;
        for (byte[] part : parts) {
            size += part.length + 16;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        out.write(type);
        out.writeBytes(ascii(parts.length + "\r\n"));
        for (byte[] part : parts) {
            out.writeBytes(ascii("$" + part.length + "\r\n"));
            out.writeBytes(part);
            out.write('\r');
            out.write('\n');
        }
        return out.toByteArray();
    }
}
