package io.spinel.resp;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinel.testing.Differential;
import io.spinel.testing.RawClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Protocol edge cases sent as raw bytes to Spinel and to a real Redis: the replies, and whether
 * the connection is closed afterwards, must be identical.
 */
class ProtocolIT {
    @RegisterExtension
    static final Differential servers = new Differential();

    static List<String> requests() {
        return List.of(
                "PING\r\n",
                "PING\n",
                "  ping   \r\n",
                "ECHO \"a\\x41\\n\"\r\n",
                "ECHO 'it''s'\r\n",
                "ECHO \"unbalanced\r\n",
                "ECHO \"closed\"x\r\n",
                "\r\n\r\nPING\r\n",
                "*0\r\nPING\r\n",
                "*-1\r\nPING\r\n",
                "*1\r\n$4\r\nPING\r\n",
                "*x\r\n",
                "*2\r\n$4\r\nECHO\r\n$-1\r\n",
                "*2\r\n$4\r\nECHO\r\n$abc\r\n",
                "*2\r\n$4\r\nECHO\r\n+abc\r\n",
                "*2\r\n$4\r\nECHO\r\n$3\r\nabc\r\nPING\r\n",
                "*1\r\n$4\r\nPING\r\n*1\r\n:4\r\n",
                "*01\r\n$4\r\nPING\r\n",
                "*3000000000\r\n",
                "*2\r\n$4\r\nECHO\r\n$99999999999\r\n",
                "*1\r\n$600000000\r\n",
                "NOSUCH a b\r\n",
                "nosuch " + "x".repeat(200) + "\r\n",
                "GET\r\n",
                "SELECT 99\r\nSELECT x\r\nSELECT -1\r\n");
    }

    @ParameterizedTest
    @MethodSource("requests")
    void sameRepliesAndSameClose(String request) {
        assertThat(exchange(servers.spinel().port(), request)).isEqualTo(exchange(servers.redis().port(), request));
    }

    /** Sends the bytes, then PING; returns everything read until the server closes or stops answering. */
    static String exchange(int port, String request) {
        try (RawClient client = new RawClient(port)) {
            client.send(request.getBytes(StandardCharsets.ISO_8859_1));
            client.send("*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
            StringBuilder out = new StringBuilder();
            while (true) {
                byte[] reply = client.readReply();
                if (reply == null) {
                    return out.append("<closed>").toString();
                }
                String text = new String(reply, StandardCharsets.ISO_8859_1);
                out.append(text);
                if (text.equals("+PONG\r\n") && out.toString().endsWith("+PONG\r\n") && lastPingAnswered(request, out)) {
                    return out.toString();
                }
            }
        }
    }

    private static boolean lastPingAnswered(String request, StringBuilder out) {
        int pingsInRequest = request.toUpperCase().split("PING", -1).length - 1;
        int pongs = out.toString().split("\\+PONG", -1).length - 1;
        return pongs > pingsInRequest;
    }
}
