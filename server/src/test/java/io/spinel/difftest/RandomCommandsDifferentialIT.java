package io.spinel.difftest;

import static org.assertj.core.api.Assertions.fail;

import io.spinel.command.CommandFlag;
import io.spinel.command.CommandSpec;
import io.spinel.command.CommandTable;
import io.spinel.testing.Differential;
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
 * Random differential test of every served command: for each command (and subcommand) bound in
 * Spinel's command table, a stream of random invocations from {@link InvocationGenerator}, valid
 * and invalid, mixed with commands that store values of every type on the same keys, runs on
 * Spinel and on a real Redis; each pair of replies must agree as {@link DifferentialPolicy} says.
 *
 * <p>The streams follow the command table, so the test covers each family as soon as it is
 * bound. Every command gets two streams, one in RESP2 and one in RESP3 (after HELLO 3), each half
 * as long. The seed is random unless {@code -Ddifftest.seed=<n>} is given; a failure prints it,
 * with the command, both replies and the commands before it. Each stream derives its own seed
 * from the run's seed, the protocol and the command's name, so one stream replays on its own.
 */
class RandomCommandsDifferentialIT {
    /** Roughly the number of commands per run, spread over the served commands. */
    private static final int TOTAL_COMMANDS = 6000;
    private static final int MIN_PER_COMMAND = 40;
    private static final int MAX_PER_COMMAND = 300;

    @RegisterExtension
    static final Differential servers = new Differential();

    private static long seed;
    /** Served commands the oracle does not know: Redis 7.2 additions, absent from 7.0. */
    private static final Set<String> unknownToOracle = new HashSet<>();

    @BeforeAll
    static void start() {
        seed = DifferentialSession.seed();
        unknownToOracle.addAll(DifferentialSession.unknownToOracle(servers.spinel().context().commands(), servers.redis().port()));
    }

    @TestFactory
    Stream<DynamicTest> everyServedCommand() {
        CommandTable table = servers.spinel().context().commands();
        List<CommandSpec> served = DifferentialSession.servedCommands(table);
        int perCommand = Math.max(MIN_PER_COMMAND, Math.min(MAX_PER_COMMAND, TOTAL_COMMANDS / Math.max(1, served.size())));
        List<CommandSpec> writers = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (CommandSpec spec : served) {
            names.add(spec.fullName());
            if (spec.has(CommandFlag.WRITE) && compared(spec) == null) {
                writers.add(spec);
            }
        }
        return served.stream().flatMap(spec -> Stream.of(Differential.Protocol.values()).map(protocol ->
                DynamicTest.dynamicTest(protocol + " " + spec.fullName(), () -> {
                    String skip = compared(spec);
                    Assumptions.assumeTrue(skip == null, () -> spec.fullName() + " is not compared: " + skip);
                    runStream(table, spec, protocol, perCommand / 2, writers, names);
                })));
    }

    /** Why {@code spec} is not compared, or null. */
    private static String compared(CommandSpec spec) {
        if (unknownToOracle.contains(spec.fullName())) {
            return "the oracle (Redis 7.0) does not have it";
        }
        return DifferentialPolicy.exclusion(spec);
    }

    private static void runStream(CommandTable table, CommandSpec spec, Differential.Protocol protocol, int steps,
                                  List<CommandSpec> writers, Set<String> served) {
        long streamSeed = seed ^ ((long) (protocol + spec.fullName()).hashCode() * 0x9E3779B97F4A7C15L);
        SplittableRandom random = new SplittableRandom(streamSeed);
        boolean flushall = served.contains("flushall");
        // Without FLUSHALL to reset the keyspace, each stream gets keys of its own.
        String prefix = flushall ? "" : spec.fullName() + ":";
        InvocationGenerator generator = new InvocationGenerator(random, prefix, System.currentTimeMillis());
        try (DifferentialSession session =
                new DifferentialSession(table, servers.spinel().port(), servers.redis().port(), protocol)) {
            if (flushall) {
                check(spec, protocol, -1, session.run(List.of(DifferentialSession.bytes("FLUSHALL"))));
            }
            for (int step = 0; step < steps; step++) {
                int dice = random.nextInt(100);
                List<byte[]> argv;
                if (opensTransactions(spec) && random.nextInt(4) == 0) {
                    check(spec, protocol, step, session.run(List.of(DifferentialSession.bytes("MULTI"))));
                }
                if (dice < 55) {
                    argv = generator.valid(spec);
                } else if (dice < 70) {
                    argv = generator.invalid(spec);
                } else if (dice < 88 || writers.isEmpty()) {
                    argv = generator.seed(served);
                } else {
                    argv = generator.valid(writers.get(random.nextInt(writers.size())));
                }
                if (!argv.isEmpty() && DifferentialPolicy.sendable(argv)) {
                    check(spec, protocol, step, session.run(argv));
                }
            }
        }
    }

    /**
     * Whether the stream of {@code spec} sometimes opens a transaction first, so that EXEC and
     * DISCARD find one, and the writes sent meanwhile are queued and then run by EXEC.
     */
    private static boolean opensTransactions(CommandSpec spec) {
        return spec.fullName().equals("exec") || spec.fullName().equals("discard");
    }

    private static void check(CommandSpec spec, Differential.Protocol protocol, int step, String difference) {
        if (difference != null) {
            fail("Spinel and Redis disagree in the " + protocol + " stream of " + spec.fullName() + " at step " + step
                    + " (replay with -Ddifftest.seed=" + seed + ")\n" + difference);
        }
    }
}
