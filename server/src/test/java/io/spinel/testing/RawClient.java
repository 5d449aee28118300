package io.spinel.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A plain-socket RESP client that returns replies as the exact bytes the server sent, for
 * byte-for-byte comparisons. It reads one complete reply (any RESP2/RESP3 type, nested) per call.
 */
public final class RawClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public RawClient(int port) {
        try {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(10_000);
            socket.setTcpNoDelay(true);
            in = new java.io.BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The server port this client is connected to (to open a second connection to the same server). */
    public int port() {
        return socket.getPort();
    }

    /** Encodes a command as a multibulk request. */
    public static byte[] encode(byte[]... args) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        buf.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] arg : args) {
            buf.writeBytes(("$" + arg.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            buf.writeBytes(arg);
            buf.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        return buf.toByteArray();
    }

    public static byte[] encode(String... args) {
        byte[][] bytes = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            bytes[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        return encode(bytes);
    }

    public void send(byte[] raw) {
        try {
            out.write(raw);
            out.flush();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends a command and returns its reply as raw bytes. */
    public byte[] call(byte[]... args) {
        send(encode(args));
        return readReply();
    }

    /** Sends a command and returns its reply as text (raw protocol, CRLFs included). */
    public String call(String... args) {
        send(encode(args));
        return new String(readReply(), StandardCharsets.ISO_8859_1);
    }

    /** Reads one whole reply; null when the server closed the connection first. */
    public byte[] readReply() {
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        try {
            if (!readValue(reply)) {
                return null;
            }
        } catch (SocketTimeoutException e) {
            throw new IllegalStateException("no reply within 10 s; got so far: "
                    + new String(reply.toByteArray(), StandardCharsets.ISO_8859_1), e);
        } catch (IOException e) {
            return null;
        }
        return reply.toByteArray();
    }

    /** Whether the server has closed the connection (reads until EOF or timeout). */
    public boolean closedByServer() {
        try {
            return in.read() == -1;
        } catch (IOException e) {
            return true;
        }
    }

    private boolean readValue(ByteArrayOutputStream reply) throws IOException {
        String line = readLine(reply);
        if (line == null) {
            return false;
        }
        char type = line.charAt(0);
        String rest = line.substring(1);
        switch (type) {
            case '$', '=', '!' -> {
                int length = Integer.parseInt(rest);
                if (length >= 0) {
                    reply.writeBytes(in.readNBytes(length + 2));
                }
            }
            case '*', '~', '>' -> {
                int count = Integer.parseInt(rest);
                for (int i = 0; i < count; i++) {
                    readValue(reply);
                }
            }
            case '%', '|' -> {
                int count = Integer.parseInt(rest);
                for (int i = 0; i < count * 2; i++) {
                    readValue(reply);
                }
            }
            default -> {
                // simple types: the line is the whole value
            }
        }
        return true;
    }

    private String readLine(ByteArrayOutputStream reply) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        while (true) {
            int b = in.read();
            if (b == -1) {
                return null;
            }
            reply.write(b);
            if (previous == '\r' && b == '\n') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
            previous = b;
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
