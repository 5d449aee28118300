package io.spinel.command.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinel.testing.Differential;
import io.spinel.testing.RawClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** maxclients: the connection past the limit gets Redis's error and is closed; a freed place is reused. */
class MaxClientsIT {
    @RegisterExtension
    static final Differential servers = new Differential().spinelSettings("maxclients", "3").redisArgs("--maxclients", "3");

    /** Everything the server sends on a new connection before closing it (nothing is sent to it). */
    private static String refused(int port) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void maxclients_refusesTheConnectionPastTheLimit() {
        IntFunction<String> run = port -> {
            List<RawClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    RawClient client = new RawClient(port);
                    client.call("PING");
                    clients.add(client);
                }
                String transcript = refused(port);
                clients.remove(0).close();
                for (int attempt = 0; attempt < 50; attempt++) { // the server notices the close asynchronously
                    try (RawClient again = new RawClient(port)) {
                        String pong = again.call("PING");
                        if (pong.equals("+PONG\r\n")) {
                            return transcript + pong;
                        }
                    } catch (RuntimeException refusedAgain) {
                        // refused (closed before or after the PING): try again
                    }
                    sleep();
                }
                return transcript + "(no place freed)";
            } finally {
                clients.forEach(RawClient::close);
            }
        };
        String ours = run.apply(servers.spinel().port());
        assertThat(ours).isEqualTo("-ERR max number of clients reached\r\n+PONG\r\n");
        assertThat(ours).isEqualTo(run.apply(servers.redis().port()));
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
