package io.spinel.difftest;

import io.spinel.command.CommandSpec;
import io.spinel.command.CommandTable;
import io.spinel.testing.Differential;
import io.spinel.testing.RawClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * One connection to Spinel and one to Redis that receive the same commands; each reply pair is
 * compared with {@link ReplyComparator}. Keeps the last commands sent, so that a failure shows
 * how the keyspace got where it is. A RESP3 session sends HELLO 3 on both connections first.
 * When a command closes the connection (QUIT), both sides reconnect in the session's protocol.
 */
final class DifferentialSession implements AutoCloseable {
    private static final int HISTORY = 20;

    private final CommandTable table;
    private final int spinelPort;
    private final int redisPort;
    private final Differential.Protocol protocol;
    private final Deque<String> history = new ArrayDeque<>();
    private RawClient spinel;
    private RawClient redis;
    private int sent;

    DifferentialSession(CommandTable table, int spinelPort, int redisPort, Differential.Protocol protocol) {
        this.table = table;
        this.spinelPort = spinelPort;
        this.redisPort = redisPort;
        this.protocol = protocol;
        connect();
    }

    private void connect() {
        spinel = new RawClient(spinelPort);
        redis = new RawClient(redisPort);
        if (protocol == Differential.Protocol.RESP3) {
            for (RawClient client : List.of(spinel, redis)) {
                String hello = client.call("HELLO", "3");
                if (!hello.startsWith("%")) {
                    throw new IllegalStateException("HELLO 3 refused: " + hello);
                }
            }
        }
    }

    /**
     * Sends {@code argv} to both servers; returns null when the replies agree, else a report
     * with the command, both replies escaped, and the commands that led there.
     */
    String run(List<byte[]> argv) {
        byte[][] args = argv.toArray(new byte[0][]);
        String shown = ReplyComparator.command(argv);
        byte[] spinelReply;
        byte[] redisReply;
        try {
            spinelReply = spinel.call(args);
        } catch (IllegalStateException e) {
            return report(shown, "Spinel did not answer: " + e.getMessage(), "?");
        }
        redisReply = redis.call(args);
        sent++;
        String line = "#" + sent + " " + shown + "  ->  " + ReplyComparator.escape(redisReply);
        history.addLast(line.length() > 300 ? line.substring(0, 300) + "..." : line);
        if (history.size() > HISTORY) {
            history.removeFirst();
        }
        CommandSpec spec = specOf(args);
        if (!ReplyComparator.same(spec, spinelReply, redisReply) && !encodingNewIn72(spec, args, spinelReply, redisReply)
                && !DifferentialPolicy.replyNewIn72(spinelReply, redisReply)) {
            String mode = spec == null ? "" : " (compared " + DifferentialPolicy.mode(spec) + ")";
            return report(shown + mode, ReplyComparator.escape(spinelReply), ReplyComparator.escape(redisReply));
        }
        if (spinelReply == null || (spec != null && spec.fullName().equals("quit"))) {
            close();
            connect();
        }
        return null;
    }

    /**
     * Whether an OBJECT ENCODING reply pair differs only by an encoding Redis 7.2 introduced
     * ({@link DifferentialPolicy#ENCODINGS_NEW_IN_72}); asks the oracle for the key's type.
     */
    private boolean encodingNewIn72(CommandSpec spec, byte[][] args, byte[] spinelReply, byte[] redisReply) {
        if (spec == null || !spec.fullName().equals("object|encoding") || args.length != 3
                || spinelReply == null || redisReply == null) {
            return false;
        }
        String type = new String(redis.call(bytes("TYPE"), args[2]), StandardCharsets.ISO_8859_1);
        Map<String, String> renamed = DifferentialPolicy.ENCODINGS_NEW_IN_72.get(type.substring(1).strip());
        if (renamed == null) {
            return false;
        }
        String ours = new String(spinelReply, StandardCharsets.ISO_8859_1);
        String theirs = new String(redisReply, StandardCharsets.ISO_8859_1);
        return renamed.entrySet().stream().anyMatch(e -> ours.contains("\r\n" + e.getKey() + "\r\n")
                && theirs.contains("\r\n" + e.getValue() + "\r\n"));
    }

    private String report(String command, String spinelReply, String redisReply) {
        return "command: " + command + "\n  spinel: " + spinelReply + "\n  redis:  " + redisReply
                + "\n  last commands (with Redis's replies):\n    " + String.join("\n    ", history);
    }

    /** The served command or subcommand {@code args} names, or null. */
    private CommandSpec specOf(byte[][] args) {
        CommandSpec spec = table.lookup(args[0]);
        if (spec != null && spec.isContainer() && args.length > 1) {
            return table.lookupSubcommand(spec, args[1]);
        }
        return spec;
    }

    /** Whether the command {@code argv} names is served by Spinel. */
    static boolean served(CommandTable table, List<byte[]> argv) {
        CommandSpec spec = table.lookup(argv.get(0));
        if (spec == null) {
            return false;
        }
        return !spec.isContainer() || (argv.size() > 1 && table.lookupSubcommand(spec, argv.get(1)) != null);
    }

    /** Every served command and served subcommand, sorted by full name. */
    static List<CommandSpec> servedCommands(CommandTable table) {
        List<CommandSpec> out = new ArrayList<>();
        for (CommandSpec spec : table.commands()) {
            if (!spec.isContainer()) {
                out.add(spec);
            }
            for (CommandSpec sub : spec.subcommands().values()) {
                if (sub.implemented()) {
                    out.add(sub);
                }
            }
        }
        return out;
    }

    /** The run's seed: -Ddifftest.seed when given, else a random one. */
    static long seed() {
        String given = System.getProperty("difftest.seed");
        return given == null || given.isEmpty() ? new java.util.SplittableRandom().nextLong() : Long.parseLong(given);
    }

    /** The served commands the oracle at {@code redisPort} does not know (Redis 7.2 additions, absent from 7.0). */
    static java.util.Set<String> unknownToOracle(CommandTable table, int redisPort) {
        java.util.Set<String> unknown = new java.util.HashSet<>();
        try (RawClient oracle = new RawClient(redisPort)) {
            for (CommandSpec spec : servedCommands(table)) {
                String info = oracle.call("COMMAND", "INFO", spec.fullName());
                if (info.equals("*1\r\n*-1\r\n") || info.equals("*1\r\n$-1\r\n")) {
                    unknown.add(spec.fullName());
                }
            }
        }
        return unknown;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        spinel.close();
        redis.close();
    }
}
