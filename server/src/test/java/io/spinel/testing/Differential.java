package io.spinel.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinel.server.SpinelServer;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit extension that starts an embedded Spinel and a real Redis once per test class and
 * compares their replies, in a RESP2 and in a RESP3 session. Register it as a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final Differential servers = new Differential();
 * }</pre>
 *
 * <p>The servers are started before the class's own {@code @BeforeAll} methods run and stopped
 * after its {@code @AfterAll} methods. Every comparison uses fresh connections, so state a
 * command leaves on its connection (RESP version, name, selected database) never leaks into the
 * next comparison; the keyspace is shared and the same on both sides as long as both servers get
 * the same commands.
 */
public final class Differential implements BeforeAllCallback, AfterAllCallback {
    /** The protocol a comparison session speaks: RESP2 is the default, RESP3 follows HELLO 3. */
    public enum Protocol {
        RESP2, RESP3
    }

    /** Commands run on one connection; returns a transcript of what matters to compare. */
    @FunctionalInterface
    public interface Session {
        String run(RawClient client, Protocol protocol);
    }

    private String[] spinelSettings = new String[0];
    private String[] redisArgs = new String[0];
    private SpinelServer spinel;
    private RealRedis redis;

    /** Spinel starts with these name/value settings (see {@link TestServer#start}). */
    public Differential spinelSettings(String... settings) {
        spinelSettings = settings.clone();
        return this;
    }

    /** Redis starts with these command-line arguments (see {@link RealRedis#start}). */
    public Differential redisArgs(String... args) {
        redisArgs = args.clone();
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        spinel = TestServer.start(spinelSettings);
        redis = RealRedis.start(redisArgs);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        spinel.close();
        redis.close();
    }

    /** The embedded Spinel. */
    public SpinelServer spinel() {
        return spinel;
    }

    /** The real Redis. */
    public RealRedis redis() {
        return redis;
    }

    /** Asserts that one command gets byte-identical replies from both servers, in RESP2 and RESP3. */
    public void assertSameReply(String... command) {
        assertSameReplies(List.<String[]>of(command));
    }

    /**
     * Asserts that a sequence of commands, sent on one connection to each server, gets
     * byte-identical replies, once in a RESP2 session and once in a RESP3 session.
     */
    public void assertSameReplies(List<String[]> commands) {
        assertSame((client, protocol) -> {
            StringBuilder transcript = new StringBuilder();
            for (String[] command : commands) {
                transcript.append(String.join(" ", command)).append(" -> ").append(client.call(command)).append('\n');
            }
            return transcript.toString();
        });
    }

    /** Runs {@code session} on a fresh connection to each server, in RESP2 then RESP3; the transcripts must agree. */
    public void assertSame(Session session) {
        for (Protocol protocol : Protocol.values()) {
            assertSame(protocol, session);
        }
    }

    /** Runs {@code session} on a fresh connection to each server in {@code protocol}; the transcripts must agree. */
    public void assertSame(Protocol protocol, Session session) {
        String ours = transcript(spinel.port(), protocol, session);
        String theirs = transcript(redis.port(), protocol, session);
        assertThat(ours).as(protocol.name()).isEqualTo(theirs);
    }

    private static String transcript(int port, Protocol protocol, Session session) {
        try (RawClient client = new RawClient(port)) {
            if (protocol == Protocol.RESP3) {
                String hello = client.call("HELLO", "3");
                assertThat(hello).as("HELLO 3 on port " + port).startsWith("%");
            }
            return session.run(client, protocol);
        }
    }
}
