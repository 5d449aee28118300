package io.spinel.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Thousands of subscribers of one channel on one thread, run as a child process so that its
 * sockets do not count against the test JVM's descriptor limit (the server's ends do).
 *
 * <p>Arguments: port channel subscribers messages. Opens the connections, SUBSCRIBEs each, prints
 * "ready" once every confirmation arrived, then reads until each subscriber received
 * {@code messages} messages whose payloads are "0", "1", ... in order, and prints
 * "ok &lt;subscribers&gt;" (or "bad ..." at the first message out of order, or "timeout").
 */
public final class SubscriberFleet {
    private SubscriberFleet() {
    }

    /** One connection: its unparsed input and how many messages (after the confirmation) it saw. */
    private static final class Subscriber {
        final SocketChannel channel;
        final StringBuilder pending = new StringBuilder();
        int replies;

        Subscriber(SocketChannel channel) {
            this.channel = channel;
        }
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        String channelName = args[1];
        int count = Integer.parseInt(args[2]);
        int messages = Integer.parseInt(args[3]);
        byte[] subscribe = RawClient.encode("SUBSCRIBE", channelName);
        Selector selector = Selector.open();
        List<Subscriber> subscribers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
            channel.write(ByteBuffer.wrap(subscribe));
            channel.configureBlocking(false);
            Subscriber subscriber = new Subscriber(channel);
            channel.register(selector, SelectionKey.OP_READ, subscriber);
            subscribers.add(subscriber);
        }
        ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
        long deadline = System.nanoTime() + 120_000_000_000L;
        boolean announced = false;
        int done = 0;
        while (done < count) {
            if (System.nanoTime() > deadline) {
                System.out.println("timeout: " + done + " of " + count + " subscribers complete");
                return;
            }
            if (!announced && subscribers.stream().allMatch(s -> s.replies >= 1)) {
                System.out.println("ready");
                System.out.flush();
                announced = true;
            }
            selector.select(100);
            for (SelectionKey key : selector.selectedKeys()) {
                Subscriber subscriber = (Subscriber) key.attachment();
                buffer.clear();
                int read = subscriber.channel.read(buffer);
                if (read < 0) {
                    System.out.println("bad: a subscriber was disconnected");
                    return;
                }
                subscriber.pending.append(new String(buffer.array(), 0, read, StandardCharsets.ISO_8859_1));
                String problem = parse(subscriber);
                if (problem != null) {
                    System.out.println("bad: " + problem);
                    return;
                }
                if (subscriber.replies == messages + 1) {
                    done++;
                    subscriber.replies++;
                }
            }
            selector.selectedKeys().clear();
        }
        System.out.println("ok " + count);
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    }

    /** Consumes the complete replies (3-element arrays) in the subscriber's input; checks message order. */
    private static String parse(Subscriber subscriber) {
        StringBuilder in = subscriber.pending;
        while (true) {
            int at = 0;
            String[] parts = new String[3];
            if (in.length() < 4 || in.charAt(0) != '*') {
                return in.length() == 0 || in.charAt(0) == '*' ? null : "unexpected input " + in;
            }
            int end = in.indexOf("\r\n", at);
            if (end < 0) {
                return null;
            }
            at = end + 2;
            for (int i = 0; i < 3; i++) {
                end = in.indexOf("\r\n", at);
                if (end < 0) {
                    return null;
                }
                String header = in.substring(at, end);
                at = end + 2;
                if (header.charAt(0) == ':') {
                    parts[i] = header.substring(1);
                    continue;
                }
                int length = Integer.parseInt(header.substring(1));
                if (in.length() < at + length + 2) {
                    return null;
                }
                parts[i] = in.substring(at, at + length);
                at += length + 2;
            }
            in.delete(0, at);
            if (subscriber.replies > 0 && !parts[2].equals(String.valueOf(subscriber.replies - 1))) {
                return "expected message " + (subscriber.replies - 1) + ", got " + parts[2];
            }
            subscriber.replies++;
        }
    }
}
