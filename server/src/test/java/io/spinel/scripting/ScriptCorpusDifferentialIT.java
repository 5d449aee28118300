package io.spinel.scripting;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinel.testing.Differential;
import io.spinel.testing.RawClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs the script corpus {@code scripting/scripts.txt} on Spinel and on a real Redis, in RESP2
 * and RESP3 sessions, and compares the replies byte for byte.
 *
 * <h2>Corpus format</h2>
 * A case starts with {@code === name}. Then optional lines {@code ! command args...} (commands
 * sent before the script, split on spaces, replies compared too), an optional line
 * {@code @ KEYS k1 k2 ARGV a1 a2}, and the script body up to the next case. Each case starts from
 * an empty keyspace. {@code \n} written in a command line is not special; bodies are sent as
 * they are, bytes above 0x7f included (the file is read as ISO-8859-1).
 */
class ScriptCorpusDifferentialIT {
    private static final String CORPUS = "/scripting/scripts.txt";

    @RegisterExtension
    static final Differential servers = new Differential();

    /** One case: name, setup commands, keys, arguments and body. */
    record Case(String name, List<String[]> setup, List<String> keys, List<String> argv, String body) {
    }

    @TestFactory
    Stream<DynamicTest> corpus() throws IOException {
        List<Case> cases = parse(read());
        return Stream.of(Differential.Protocol.values()).flatMap(protocol -> cases.stream().map(c ->
                DynamicTest.dynamicTest(protocol + ": " + c.name(), () -> replay(protocol, c))));
    }

    private static void replay(Differential.Protocol protocol, Case c) {
        servers.assertSame(protocol, (client, p) -> {
            client.call("FLUSHALL");
            StringBuilder transcript = new StringBuilder();
            for (String[] command : c.setup()) {
                transcript.append(String.join(" ", command)).append(" -> ").append(client.call(command)).append('\n');
            }
            List<byte[]> eval = new ArrayList<>();
            eval.add(bytes("EVAL"));
            eval.add(bytes(c.body()));
            eval.add(bytes(Integer.toString(c.keys().size())));
            c.keys().forEach(k -> eval.add(bytes(k)));
            c.argv().forEach(a -> eval.add(bytes(a)));
            byte[] reply = client.call(eval.toArray(new byte[0][]));
            transcript.append("EVAL -> ").append(new String(reply, StandardCharsets.ISO_8859_1));
            return transcript.toString();
        });
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String read() throws IOException {
        try (InputStream in = ScriptCorpusDifferentialIT.class.getResourceAsStream(CORPUS)) {
            assertThat(in).as(CORPUS).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    static List<Case> parse(String text) {
        List<Case> cases = new ArrayList<>();
        String name = null;
        List<String[]> setup = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        List<String> argv = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        for (String line : (text + "\n=== end").split("\n", -1)) {
            if (line.startsWith("=== ")) {
                if (name != null) {
                    cases.add(new Case(name, setup, keys, argv, body.toString().stripTrailing()));
                }
                name = line.substring(4).trim();
                setup = new ArrayList<>();
                keys = new ArrayList<>();
                argv = new ArrayList<>();
                body.setLength(0);
            } else if (name == null) {
                continue;
            } else if (line.startsWith("! ") && body.isEmpty()) {
                setup.add(line.substring(2).trim().split(" +"));
            } else if (line.startsWith("@ ") && body.isEmpty()) {
                List<String> target = keys;
                for (String word : line.substring(2).trim().split(" +")) {
                    if (word.equals("KEYS")) {
                        target = keys;
                    } else if (word.equals("ARGV")) {
                        target = argv;
                    } else {
                        target.add(word);
                    }
                }
            } else {
                body.append(line).append('\n');
            }
        }
        return cases;
    }
}
