package io.spinel.difftest;

import static org.assertj.core.api.Assertions.fail;

import io.spinel.command.CommandTable;
import io.spinel.resp.RequestDecoder;
import io.spinel.testing.Differential;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Replays the hand-written corpus {@code difftest/corpus.txt} on Spinel and on a real Redis and
 * compares every reply as {@link DifferentialPolicy} says.
 *
 * <h2>Corpus format</h2>
 * One command per line in redis-cli syntax (split as redis-cli splits it: quotes, {@code \xHH}
 * escapes). Lines starting with {@code #} are comments. Blank lines separate cases: each case
 * runs on fresh connections from an empty keyspace, once in RESP2 and once in RESP3 (after
 * HELLO 3). A case whose commands are not all served is skipped, so cases for
 * commands still being written turn on by themselves when their family is bound. A case is named
 * after its first comment line, else its first command.
 */
class CorpusDifferentialIT {
    private static final String CORPUS = "/difftest/corpus.txt";

    @RegisterExtension
    static final Differential servers = new Differential();

    /** One case of the corpus: its name, first line number, and commands. */
    record Case(String name, int line, List<List<byte[]>> commands, List<String> texts) {
    }

    @TestFactory
    Stream<DynamicTest> corpus() throws IOException {
        CommandTable table = servers.spinel().context().commands();
        List<Case> cases = parse(read());
        return Stream.of(Differential.Protocol.values()).flatMap(protocol -> cases.stream().map(c ->
                DynamicTest.dynamicTest(protocol + " line " + c.line() + ": " + c.name(), () -> replay(table, protocol, c))));
    }

    /** Replays one case on fresh connections speaking {@code protocol}, from an empty keyspace. */
    private static void replay(CommandTable table, Differential.Protocol protocol, Case c) {
        for (List<byte[]> argv : c.commands()) {
            Assumptions.assumeTrue(DifferentialSession.served(table, argv),
                    () -> "not served yet: " + new String(argv.get(0), StandardCharsets.UTF_8));
        }
        try (DifferentialSession session =
                new DifferentialSession(table, servers.spinel().port(), servers.redis().port(), protocol)) {
            session.run(List.of(DifferentialSession.bytes("FLUSHALL")));
            for (int i = 0; i < c.commands().size(); i++) {
                String difference = session.run(c.commands().get(i));
                if (difference != null) {
                    fail("corpus.txt: " + c.texts().get(i) + " (" + protocol + ")\n" + difference);
                }
            }
        }
    }

    static String read() throws IOException {
        try (InputStream in = CorpusDifferentialIT.class.getResourceAsStream(CORPUS)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + CORPUS);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static List<Case> parse(String text) {
        List<Case> cases = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        String name = null;
        int first = 0;
        List<List<byte[]>> commands = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (int i = 0; i <= lines.length; i++) {
            String line = i < lines.length ? lines[i].strip() : "";
            if (line.isEmpty()) {
                if (!commands.isEmpty()) {
                    cases.add(new Case(name != null ? name : texts.get(0), first, commands, texts));
                }
                name = null;
                commands = new ArrayList<>();
                texts = new ArrayList<>();
                continue;
            }
            if (commands.isEmpty() && name == null) {
                first = i + 1;
            }
            if (line.startsWith("#")) {
                if (name == null && commands.isEmpty()) {
                    name = line.substring(1).strip();
                }
                continue;
            }
            List<byte[]> argv = RequestDecoder.splitArgs(line.getBytes(StandardCharsets.UTF_8));
            if (argv == null || argv.isEmpty()) {
                throw new IllegalStateException("corpus.txt line " + (i + 1) + " is not a command: " + line);
            }
            commands.add(argv);
            texts.add("line " + (i + 1) + ": " + line);
        }
        return cases;
    }
}
