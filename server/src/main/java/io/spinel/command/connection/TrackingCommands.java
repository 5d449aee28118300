package io.spinel.command.connection;

import io.spinel.command.Arguments;
import io.spinel.command.Client;
import io.spinel.command.CommandTable;
import io.spinel.command.Errors;
import io.spinel.command.ServerContext;
import io.spinel.command.Tracking;
import io.spinel.resp.ReplyWriter;
import java.util.ArrayList;
import java.util.List;

/** The CLIENT subcommands of client-side caching: TRACKING, CACHING, GETREDIR, TRACKINGINFO. */
public final class TrackingCommands {
    private final ServerContext server;

    public TrackingCommands(ServerContext server) {
        this.server = server;
    }

    public void bind(CommandTable table) {
        table.bind("client|tracking", this::clientTracking);
        table.bind("client|caching", this::clientCaching);
        table.bind("client|getredir", this::clientGetredir);
        table.bind("client|trackinginfo", this::clientTrackinginfo);
    }

    /** CLIENT TRACKING ON|OFF [REDIRECT id] [PREFIX prefix ...] [BCAST] [OPTIN] [OPTOUT] [NOLOOP] */
    void clientTracking(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        boolean on;
        if (Arguments.is(argv[2], "on")) {
            on = true;
        } else if (Arguments.is(argv[2], "off")) {
            on = false;
        } else {
            reply.error(Errors.SYNTAX);
            return;
        }
        long redirect = 0;
        boolean bcast = false;
        boolean optin = false;
        boolean optout = false;
        boolean noloop = false;
        List<byte[]> prefixes = new ArrayList<>();
        for (int i = 3; i < argv.length; i++) {
            boolean more = i + 1 < argv.length;
            if (Arguments.is(argv[i], "redirect") && more) {
                i++;
                if (redirect != 0) {
                    reply.error(Errors.TRACKING_ONE_REDIRECT);
                    return;
                }
                Long id = Arguments.integer(argv[i]);
                if (id == null) {
                    reply.error(Errors.NOT_INTEGER);
                    return;
                }
                if (server.client(id) == null) {
                    reply.error(Errors.TRACKING_REDIRECT_MISSING);
                    return;
                }
                redirect = id;
            } else if (Arguments.is(argv[i], "bcast")) {
                bcast = true;
            } else if (Arguments.is(argv[i], "optin")) {
                optin = true;
            } else if (Arguments.is(argv[i], "optout")) {
                optout = true;
            } else if (Arguments.is(argv[i], "noloop")) {
                noloop = true;
            } else if (Arguments.is(argv[i], "prefix") && more) {
                prefixes.add(argv[++i]);
            } else {
                reply.error(Errors.SYNTAX);
                return;
            }
        }
        Tracking tracking = server.tracking();
        if (!on) {
            tracking.disable(client);
            reply.ok();
            return;
        }
        String error = refusal(client.tracking(), bcast, optin, optout, prefixes);
        if (error != null) {
            reply.error(error);
            return;
        }
        tracking.enable(client, new Tracking.Settings(redirect, bcast, optin, optout, noloop, prefixes));
        reply.ok();
    }

    /** Redis's reason to refuse CLIENT TRACKING ON with these options, in its order of checks, or null. */
    private static String refusal(Tracking.Settings current, boolean bcast, boolean optin, boolean optout, List<byte[]> prefixes) {
        if (!bcast && !prefixes.isEmpty()) {
            return Errors.TRACKING_PREFIX_NEEDS_BCAST;
        }
        if (current != null && current.bcast() != bcast) {
            return Errors.TRACKING_BCAST_SWITCH;
        }
        if (bcast && (optin || optout)) {
            return Errors.TRACKING_OPT_WITH_BCAST;
        }
        if (optin && optout) {
            return Errors.TRACKING_OPTIN_AND_OPTOUT;
        }
        if (current != null && ((optin && current.optout()) || (optout && current.optin()))) {
            return Errors.TRACKING_OPT_SWITCH;
        }
        if (bcast) {
            Object[] overlap = Tracking.overlap(current == null ? List.of() : current.prefixes(), prefixes);
            if (overlap != null) {
                return Errors.trackingPrefixOverlap(Arguments.text((byte[]) overlap[0]), Arguments.text((byte[]) overlap[1]),
                        (Boolean) overlap[2]);
            }
        }
        return null;
    }

    /** CLIENT CACHING YES|NO */
    void clientCaching(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        Tracking.Settings settings = client.tracking();
        if (settings == null) {
            reply.error(Errors.CACHING_NOT_TRACKING);
            return;
        }
        if (Arguments.is(argv[2], "yes")) {
            if (!settings.optin()) {
                reply.error(Errors.CACHING_YES_NEEDS_OPTIN);
                return;
            }
        } else if (Arguments.is(argv[2], "no")) {
            if (!settings.optout()) {
                reply.error(Errors.CACHING_NO_NEEDS_OPTOUT);
                return;
            }
        } else {
            reply.error(Errors.SYNTAX);
            return;
        }
        client.trackingCaching(true);
        reply.ok();
    }

    /** CLIENT GETREDIR */
    void clientGetredir(Client client, byte[][] argv) {
        Tracking.Settings settings = client.tracking();
        client.reply().integer(settings == null ? -1 : settings.redirect());
    }

    /** CLIENT TRACKINGINFO */
    void clientTrackinginfo(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        Tracking.Settings settings = client.tracking();
        List<String> flags = new ArrayList<>();
        if (settings == null) {
            flags.add("off");
        } else {
            flags.add("on");
            if (settings.bcast()) {
                flags.add("bcast");
            }
            if (settings.optin()) {
                flags.add("optin");
                if (client.trackingCaching()) {
                    flags.add("caching-yes");
                }
            }
            if (settings.optout()) {
                flags.add("optout");
                if (client.trackingCaching()) {
                    flags.add("caching-no");
                }
            }
            if (settings.noloop()) {
                flags.add("noloop");
            }
            if (client.trackingRedirectBroken()) {
                flags.add("broken_redirect");
            }
        }
        reply.map(3);
        reply.bulk("flags");
        reply.set(flags.size());
        for (String flag : flags) {
            reply.bulk(flag);
        }
        reply.bulk("redirect");
        reply.integer(settings == null ? -1 : settings.redirect());
        reply.bulk("prefixes");
        List<byte[]> prefixes = settings == null ? List.of() : settings.prefixes();
        reply.array(prefixes.size());
        for (byte[] prefix : prefixes) {
            reply.bulk(prefix);
        }
    }
}
