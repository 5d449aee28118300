package io.spinel.command;

import io.spinel.config.ConfigFile;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The clients in MONITOR mode, and the feed of every command run to them in Redis's line format:
 * {@code +1700000000.123456 [0 127.0.0.1:50000] "SET" "k" "v"}: the time in seconds with
 * microseconds, the database the client had selected after the command, its address ("lua" for
 * commands a script runs, "unix:path" on a Unix socket), then each argument as sdscatrepr quotes
 * it. As in Redis 7.2 the line is fed after the command ran; administrative commands and those
 * flagged skip-monitor are not shown, nor commands refused before running or merely queued, and
 * authentication secrets are replaced by "(redacted)".
 *
 * <p>Each line is handed to the monitor's event loop ({@link Client.Connection#deliver}, a queue
 * that keeps each thread's order) while the command still holds its slot locks, so commands on the
 * same key reach every monitor in the order they ran; commands on unrelated keys that ran at the
 * same moment on different threads may arrive in either order, as they could have run in either.
 * Costs one volatile read per command while nobody monitors. Thread-safe.
 */
public final class Monitors {
    private static final byte[] REDACTED = "(redacted)".getBytes(StandardCharsets.ISO_8859_1);

    private volatile Client[] monitors = {};

    /** Adds {@code client} to the monitors (MONITOR). */
    public synchronized void add(Client client) {
        if (Arrays.asList(monitors).contains(client)) {
            return;
        }
        Client[] grown = Arrays.copyOf(monitors, monitors.length + 1);
        grown[monitors.length] = client;
        monitors = grown;
        client.monitor(true);
    }

    /** Removes {@code client} (disconnection, RESET). */
    public synchronized void remove(Client client) {
        if (!client.monitor()) {
            return;
        }
        client.monitor(false);
        monitors = Arrays.stream(monitors).filter(c -> c != client).toArray(Client[]::new);
    }

    /** Whether any client monitors: the dispatcher skips building lines otherwise. */
    public boolean active() {
        return monitors.length > 0;
    }

    /** Feeds the command {@code argv} that {@code client} ran to every monitor, unless Redis hides it. */
    void commandRan(Client client, CommandSpec command, byte[][] argv, long nowMicros) {
        Client[] targets = monitors;
        if (targets.length == 0 || command.has(CommandFlag.ADMIN) || command.has(CommandFlag.SKIP_MONITOR)) {
            return;
        }
        feed(targets, line(nowMicros, client.db().index(), client.connection().remoteAddress(), redacted(command, argv)));
    }

    /** Feeds a command a script ran (source "lua") to every monitor. */
    public void scriptCommandRan(int db, byte[][] argv, long nowMicros) {
        Client[] targets = monitors;
        if (targets.length > 0) {
            feed(targets, line(nowMicros, db, "lua", argv));
        }
    }

    private static void feed(Client[] targets, byte[] line) {
        Client.Delivery message = (receiver, reply) -> reply.raw(line);
        for (Client monitor : targets) {
            monitor.connection().deliver(message);
        }
    }

    /** The arguments with the secrets Redis redacts replaced: AUTH's, HELLO's and MIGRATE's AUTH/AUTH2. */
    static byte[][] redacted(CommandSpec command, byte[][] argv) {
        switch (command.fullName()) {
            case "auth" -> {
                byte[][] copy = argv.clone();
                Arrays.fill(copy, 1, copy.length, REDACTED);
                return copy;
            }
            case "hello", "migrate" -> {
                byte[][] copy = null;
                for (int i = 1; i < argv.length; i++) {
                    int secrets = Arguments.is(argv[i], "auth") ? (command.fullName().equals("hello") ? 2 : 1)
                            : Arguments.is(argv[i], "auth2") ? 2 : 0;
                    for (int j = i + 1; j <= i + secrets && j < argv.length; j++) {
                        copy = copy == null ? argv.clone() : copy;
                        copy[j] = REDACTED;
                    }
                    i += secrets;
                }
                return copy == null ? argv : copy;
            }
            default -> {
                return argv;
            }
        }
    }

    /** One monitor line, CRLF included. */
    static byte[] line(long nowMicros, int db, String source, byte[][] argv) {
        StringBuilder out = new StringBuilder(64);
        long seconds = nowMicros / 1_000_000;
        long micros = nowMicros % 1_000_000;
        out.append('+').append(seconds).append('.');
        String fraction = Long.toString(micros);
        out.append("000000", 0, 6 - fraction.length()).append(fraction);
        out.append(" [").append(db).append(' ').append(source).append(']');
        for (byte[] arg : argv) {
            out.append(' ').append(ConfigFile.repr(Arguments.text(arg)));
        }
        out.append("\r\n");
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}
