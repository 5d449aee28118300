package io.spinel.command.server;

import io.spinel.command.Arguments;
import io.spinel.command.Client;
import io.spinel.command.CommandTable;
import io.spinel.command.Errors;
import io.spinel.command.LatencyMonitor;
import io.spinel.command.ServerContext;
import io.spinel.command.SlowLog;
import io.spinel.resp.ReplyWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Server commands: INFO, TIME, LASTSAVE, ROLE, SHUTDOWN, SLOWLOG and LATENCY.
 *
 * <p>LASTSAVE and SHUTDOWN's save go through {@link io.spinel.command.Snapshots}; until
 * replication exists ROLE and INFO replication describe a master without replicas.
 */
public final class ServerCommands {
    private static final String[] SLOWLOG_HELP = {
        "SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "GET [<count>]",
        "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
        "    Entries are made of:",
        "    id, timestamp, time in microseconds, arguments array, client IP and port,",
        "    client name",
        "LEN",
        "    Return the length of the slowlog.",
        "RESET",
        "    Reset the slowlog.",
    };
    private static final String[] LATENCY_HELP = {
        "LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "DOCTOR",
        "    Return a human readable latency analysis report.",
        "HISTORY <event>",
        "    Return time-latency samples for the <event> class.",
        "LATEST",
        "    Return the latest latency samples for all events.",
        "RESET [<event> ...]",
        "    Reset latency data of one or more <event> classes.",
        "    (default: reset all data for all event classes)",
    };
    private static final String LATENCY_DISABLED = "I'm sorry, Dave, I can't do that. Latency monitoring is disabled "
            + "in this Redis instance. You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to "
            + "enable it. If we weren't in a deep space mission I'd suggest to take a look at "
            + "https://redis.io/topics/latency-monitor.\n";

    private final ServerContext server;
    private final InfoReport info;

    public ServerCommands(ServerContext server) {
        this.server = server;
        this.info = new InfoReport(server);
    }

    /** Binds the server commands' handlers in {@code table}. */
    public void bind(CommandTable table) {
        table.bind("info", this::info);
        table.bind("time", this::time);
        table.bind("lastsave", this::lastsave);
        table.bind("role", this::role);
        table.bind("shutdown", this::shutdown);
        table.bind("slowlog|get", this::slowlogGet);
        table.bind("slowlog|len", this::slowlogLen);
        table.bind("slowlog|reset", this::slowlogReset);
        table.bind("slowlog|help", (client, argv) -> CommandCommands.writeHelp(client.reply(), SLOWLOG_HELP));
        table.bind("latency|latest", this::latencyLatest);
        table.bind("latency|history", this::latencyHistory);
        table.bind("latency|reset", this::latencyReset);
        table.bind("latency|doctor", this::latencyDoctor);
        table.bind("latency|help", (client, argv) -> CommandCommands.writeHelp(client.reply(), LATENCY_HELP));
    }

    /** INFO [section [section ...]] */
    void info(Client client, byte[][] argv) {
        List<String> sections = new ArrayList<>();
        for (int i = 1; i < argv.length; i++) {
            sections.add(Arguments.lower(argv[i]));
        }
        client.reply().verbatim(info.render(sections, client));
    }

    /** TIME */
    void time(Client client, byte[][] argv) {
        long micros = server.clock().micros();
        client.reply().array(2);
        client.reply().bulk(micros / 1_000_000);
        client.reply().bulk(micros % 1_000_000);
    }

    /** LASTSAVE */
    void lastsave(Client client, byte[][] argv) {
        client.reply().integer(server.snapshots().lastSaveSeconds());
    }

    /** ROLE */
    void role(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        reply.array(3);
        reply.bulk("master");
        reply.integer(0);
        reply.array(0);
    }

    /** SHUTDOWN [NOSAVE | SAVE] [NOW] [FORCE] [ABORT] */
    void shutdown(Client client, byte[][] argv) {
        boolean save = false;
        boolean noSave = false;
        boolean abort = false;
        boolean other = false;
        boolean force = false;
        for (int i = 1; i < argv.length; i++) {
            switch (Arguments.lower(argv[i])) {
                case "nosave" -> noSave = true;
                case "save" -> save = true;
                case "now" -> other = true;
                case "force" -> {
                    other = true;
                    force = true;
                }
                case "abort" -> abort = true;
                default -> {
                    client.reply().error(Errors.SYNTAX);
                    return;
                }
            }
        }
        if ((abort && (save || noSave || other)) || (save && noSave)) {
            client.reply().error(Errors.SYNTAX);
            return;
        }
        if (abort) {
            client.reply().error(Errors.NO_SHUTDOWN_IN_PROGRESS);
            return;
        }
        if (!server.saveBeforeShutdown(save, noSave, force)) {
            client.reply().error(Errors.SHUTDOWN_SAVE_FAILED);
            return;
        }
        // The connection closes without a reply.
        client.connection().closeAfterReply();
        server.shutdown();
    }

    /** SLOWLOG GET [count] */
    void slowlogGet(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        long count = 10;
        if (argv.length == 3) {
            Long parsed = Arguments.integer(argv[2]);
            if (parsed == null || parsed < -1) {
                reply.error(Errors.SLOWLOG_COUNT);
                return;
            }
            count = parsed;
        }
        List<SlowLog.Entry> entries = server.diagnostics().slowLog().latest(count);
        reply.array(entries.size());
        for (SlowLog.Entry entry : entries) {
            reply.array(6);
            reply.integer(entry.id());
            reply.integer(entry.unixSeconds());
            reply.integer(entry.micros());
            reply.array(entry.argv().length);
            for (byte[] arg : entry.argv()) {
                reply.bulk(arg);
            }
            reply.bulk(entry.clientAddress());
            reply.bulk(entry.clientName());
        }
    }

    /** SLOWLOG LEN */
    void slowlogLen(Client client, byte[][] argv) {
        client.reply().integer(server.diagnostics().slowLog().size());
    }

    /** SLOWLOG RESET */
    void slowlogReset(Client client, byte[][] argv) {
        server.diagnostics().slowLog().reset();
        client.reply().ok();
    }

    /** LATENCY LATEST */
    void latencyLatest(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        List<LatencyMonitor.Series> all = server.diagnostics().latency().all();
        reply.array(all.size());
        for (LatencyMonitor.Series series : all) {
            LatencyMonitor.Sample last = series.samples().get(series.samples().size() - 1);
            reply.array(4);
            reply.bulk(series.event());
            reply.integer(last.unixSeconds());
            reply.integer(last.millis());
            reply.integer(series.maxMillis());
        }
    }

    /** LATENCY HISTORY event */
    void latencyHistory(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        LatencyMonitor.Series series = server.diagnostics().latency().series(Arguments.text(argv[2]));
        if (series == null) {
            reply.array(0);
            return;
        }
        reply.array(series.samples().size());
        for (LatencyMonitor.Sample sample : series.samples()) {
            reply.array(2);
            reply.integer(sample.unixSeconds());
            reply.integer(sample.millis());
        }
    }

    /** LATENCY RESET [event [event ...]] */
    void latencyReset(Client client, byte[][] argv) {
        List<String> events = new ArrayList<>();
        for (int i = 2; i < argv.length; i++) {
            events.add(Arguments.text(argv[i]));
        }
        client.reply().integer(server.diagnostics().latency().reset(events));
    }

    /**
     * LATENCY DOCTOR. Redis's doctor writes an analysis with advice; this one lists each event's
     * figures in the same spirit, and Redis's own text when monitoring is off.
     */
    void latencyDoctor(Client client, byte[][] argv) {
        if (server.config().latencyMonitorThreshold.value() == 0) {
            client.reply().verbatim(LATENCY_DISABLED);
            return;
        }
        List<LatencyMonitor.Series> all = server.diagnostics().latency().all();
        if (all.isEmpty()) {
            client.reply().verbatim("Dave, no latency spike was observed during the lifetime of this Redis instance, "
                    + "not in the slightest bit. I honestly think you ought to sleep tonight.\n");
            return;
        }
        StringBuilder out = new StringBuilder("Dave, I have observed latency spikes in this Redis instance. "
                + "You don't mind talking about it, do you Dave?\n\n");
        int n = 1;
        for (LatencyMonitor.Series series : all) {
            long sum = 0;
            for (LatencyMonitor.Sample sample : series.samples()) {
                sum += sample.millis();
            }
            out.append(n++).append(". ").append(series.event()).append(": ").append(series.samples().size())
                    .append(" latency spikes (average ").append(sum / series.samples().size()).append("ms, mean deviation 0ms, period 0 sec). Worst all time event ")
                    .append(series.maxMillis()).append("ms.\n");
        }
        out.append("\nI have a few advices for you:\n\n- Check your system for slow commands with SLOWLOG GET.\n");
        client.reply().verbatim(out.toString());
    }
}
