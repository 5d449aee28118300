package io.spinel.difftest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.spinel.command.CommandSpec;
import io.spinel.command.CommandTable;
import io.spinel.testing.Differential;
import io.spinel.testing.RawClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Keyspace notifications against a real Redis: on each server a subscriber PSUBSCRIBEs
 * {@code __key*@*__:*}, the same command streams run on both (the corpus cases and random
 * streams of every instrumented command), and after every command the notifications each
 * subscriber received must be the same, in the same order. Runs with notify-keyspace-events
 * KEA, and again with new-key and key-miss events (KEAnm).
 */
class NotificationsDifferentialIT {
    /** Command groups whose commands fire keyspace events. */
    private static final Set<String> GROUPS = Set.of("string", "generic", "list", "hash", "set", "sorted-set", "geo",
            "hyperloglog", "bitmap");
    /** Commands of other groups that fire events (FLUSHDB...) or none (connection). */
    private static final Set<String> ALSO = Set.of("ping", "echo", "select", "publish", "flushdb", "flushall", "swapdb");
    private static final String[] FLAGS = {"KEA", "KEAnm"};
    private static final int STEPS = 40;
    private static final String PATTERN = "__key*@*__:*";
    /** Published after every command: the subscriber reads up to it (it matches the pattern, no event does). */
    private static final String MARK_CHANNEL = "__key@mark__:";

    @RegisterExtension
    static final Differential servers = new Differential();

    private static long seed;
    private static final Set<String> unknownToOracle = new HashSet<>();

    @BeforeAll
    static void start() {
        seed = DifferentialSession.seed();
        unknownToOracle.addAll(DifferentialSession.unknownToOracle(servers.spinel().context().commands(), servers.redis().port()));
    }

    /** Whether the command is compared: instrumented, known to the oracle, and not excluded from differential tests. */
    private static boolean compared(CommandSpec spec) {
        String name = spec.fullName();
        Object group = spec.docs().get("group");
        return (GROUPS.contains(String.valueOf(group)) || ALSO.contains(name))
                && !unknownToOracle.contains(name) && DifferentialPolicy.exclusion(spec) == null;
    }

    @TestFactory
    Stream<DynamicTest> corpusCases() throws Exception {
        CommandTable table = servers.spinel().context().commands();
        List<CorpusDifferentialIT.Case> cases = CorpusDifferentialIT.parse(CorpusDifferentialIT.read());
        return Stream.of(FLAGS).flatMap(flags -> cases.stream().map(c -> DynamicTest.dynamicTest(
                flags + " line " + c.line() + ": " + c.name(), () -> {
                    for (List<byte[]> argv : c.commands()) {
                        CommandSpec spec = specOf(table, argv);
                        Assumptions.assumeTrue(spec != null && compared(spec), "not an instrumented command");
                    }
                    replay(table, flags, c.commands(), c.texts(), true);
                })));
    }

    @TestFactory
    Stream<DynamicTest> randomStreams() {
        CommandTable table = servers.spinel().context().commands();
        Set<String> seeders = new HashSet<>();
        List<CommandSpec> specs = new ArrayList<>();
        for (CommandSpec spec : DifferentialSession.servedCommands(table)) {
            if (compared(spec)) {
                specs.add(spec);
                seeders.add(spec.fullName());
            }
        }
        return Stream.of(FLAGS).flatMap(flags -> specs.stream().map(spec -> DynamicTest.dynamicTest(
                flags + " " + spec.fullName(), () -> {
                    long streamSeed = seed ^ ((long) (flags + spec.fullName()).hashCode() * 0x9E3779B97F4A7C15L);
                    SplittableRandom random = new SplittableRandom(streamSeed);
                    InvocationGenerator generator = new InvocationGenerator(random, "", System.currentTimeMillis());
                    List<List<byte[]>> commands = new ArrayList<>();
                    List<String> texts = new ArrayList<>();
                    for (int i = 0; i < STEPS; i++) {
                        List<byte[]> argv = random.nextInt(100) < 60 ? generator.valid(spec) : generator.seed(seeders);
                        if (!argv.isEmpty() && DifferentialPolicy.sendable(argv)) {
                            commands.add(argv);
                            texts.add("step " + i + " (replay with -Ddifftest.seed=" + seed + ")");
                        }
                    }
                    replay(table, flags, commands, texts, false);
                })));
    }

    private static CommandSpec specOf(CommandTable table, List<byte[]> argv) {
        CommandSpec spec = table.lookup(argv.get(0));
        if (spec != null && spec.isContainer()) {
            return argv.size() > 1 ? table.lookupSubcommand(spec, argv.get(1)) : null;
        }
        return spec;
    }

    /**
     * Runs the commands on both servers from an empty keyspace; replies and notifications must
     * agree. Without {@code exactExpiry} "expired" events are left out of the comparison: random
     * streams give keys TTLs of a few milliseconds, so which command an expiry falls between
     * depends on each server's timing (its active expire cycle, how late a lookup comes).
     */
    private static void replay(CommandTable table, String flags, List<List<byte[]>> commands, List<String> texts,
                               boolean exactExpiry) {
        try (RawClient spinelControl = new RawClient(servers.spinel().port());
                RawClient redisControl = new RawClient(servers.redis().port())) {
            for (RawClient control : List.of(spinelControl, redisControl)) {
                assertThat(control.call("FLUSHALL")).isEqualTo("+OK\r\n");
                assertThat(control.call("CONFIG", "SET", "notify-keyspace-events", flags)).isEqualTo("+OK\r\n");
            }
        }
        try (RawClient spinelSubscriber = subscriber(servers.spinel().port());
                RawClient redisSubscriber = subscriber(servers.redis().port());
                DifferentialSession session = new DifferentialSession(table, servers.spinel().port(),
                        servers.redis().port(), Differential.Protocol.RESP2)) {
            for (int i = 0; i < commands.size(); i++) {
                String difference = session.run(commands.get(i));
                String mark = String.valueOf(i);
                session.run(List.of(DifferentialSession.bytes("PUBLISH"), DifferentialSession.bytes(MARK_CHANNEL + mark),
                        DifferentialSession.bytes(mark)));
                List<String> ours = notifications(spinelSubscriber, mark);
                List<String> theirs = notifications(redisSubscriber, mark);
                if (!exactExpiry) {
                    ours.removeIf(NotificationsDifferentialIT::isExpiry);
                    theirs.removeIf(NotificationsDifferentialIT::isExpiry);
                }
                if (!ours.equals(theirs)) {
                    fail(texts.get(i) + ": " + ReplyComparator.command(commands.get(i)) + " with " + flags
                            + "\nSpinel notified: " + ours + "\nRedis notified:  " + theirs
                            + (difference == null ? "" : "\nand the replies differ too:\n" + difference));
                }
            }
        } finally {
            try (RawClient spinelControl = new RawClient(servers.spinel().port());
                    RawClient redisControl = new RawClient(servers.redis().port())) {
                spinelControl.call("CONFIG", "SET", "notify-keyspace-events", "");
                redisControl.call("CONFIG", "SET", "notify-keyspace-events", "");
            }
        }
    }

    private static boolean isExpiry(String notification) {
        return notification.endsWith(" expired") || notification.contains(":expired ");
    }

    private static RawClient subscriber(int port) {
        RawClient subscriber = new RawClient(port);
        assertThat(subscriber.call("PSUBSCRIBE", PATTERN)).startsWith("*3\r\n$10\r\npsubscribe");
        return subscriber;
    }

    /** The notifications received up to the mark, each as "channel payload". */
    private static List<String> notifications(RawClient subscriber, String mark) {
        List<String> out = new ArrayList<>();
        while (true) {
            String message = new String(subscriber.readReply(), StandardCharsets.ISO_8859_1);
            String[] lines = message.split("\r\n");
            // *4 $8 pmessage $n pattern $n channel $n payload
            String channel = lines[6];
            String payload = lines.length > 8 ? lines[8] : "";
            if (channel.equals(MARK_CHANNEL + mark)) {
                return out;
            }
            out.add(channel + " " + payload);
        }
    }
}
