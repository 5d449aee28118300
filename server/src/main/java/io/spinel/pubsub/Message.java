package io.spinel.pubsub;

import io.spinel.resp.ReplyWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * One published message on its way to subscribers: "message", "smessage" or "pmessage" with its
 * parts, encoded once per protocol however many subscribers receive it. Delivered through
 * {@link io.spinel.command.Client.Connection#deliver}, it writes itself in the subscriber's
 * protocol (an array in RESP2, a push in RESP3). Thread-safe: the encodings are computed at most
 * a few times when subscribers on several event loops race for them, always to the same bytes.
 */
public final class Message implements Consumer<ReplyWriter> {
    static final byte[] MESSAGE = ascii("message");
    static final byte[] SMESSAGE = ascii("smessage");
    static final byte[] PMESSAGE = ascii("pmessage");

    private final byte[][] parts;
    private byte[] resp2;
    private byte[] resp3;

    /** A message of the given parts, the first being its kind ("message", "pmessage"...). */
    public Message(byte[]... parts) {
        this.parts = parts;
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void accept(ReplyWriter reply) {
        reply.raw(encoded(reply.protocol()));
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
