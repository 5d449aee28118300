package io.spinel.command.pubsub;

import io.spinel.command.Arguments;
import io.spinel.command.Client;
import io.spinel.command.CommandTable;
import io.spinel.command.Errors;
import io.spinel.command.LockMode;
import io.spinel.command.ServerContext;
import io.spinel.pubsub.PubSub;
import io.spinel.pubsub.PubSub.Kind;
import io.spinel.resp.ReplyWriter;
import java.util.List;

/**
 * Pub/sub commands: SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, SSUBSCRIBE, SUNSUBSCRIBE,
 * PUBLISH, SPUBLISH and PUBSUB. Subscriptions live in the server's {@link PubSub} registry; a
 * (un)subscription confirms each name with a push (an array in RESP2) carrying the client's
 * count, as Redis does. Shard channels work on a single node as in Redis without cluster mode:
 * a namespace of their own, without patterns. None of these commands touches the keyspace, so
 * they take no slot lock (the shard commands' key specs name channels, not keys).
 */
public final class PubSubCommands {
    private static final String[] PUBSUB_HELP = {
        "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "CHANNELS [<pattern>]",
        "    Return the currently active channels matching a <pattern> (default: '*').",
        "NUMPAT",
        "    Return number of subscriptions to patterns.",
        "NUMSUB [<channel> ...]",
        "    Return the number of subscribers for the specified channels, excluding",
        "    pattern subscriptions(default: no channels).",
        "SHARDCHANNELS [<pattern>]",
        "    Return the currently active shard level channels matching a <pattern> (default: '*').",
        "SHARDNUMSUB [<shardchannel> ...]",
        "    Return the number of subscribers for the specified shard level channel(s)",
        "HELP",
        "    Prints this help.",
    };

    private final PubSub pubsub;

    public PubSubCommands(ServerContext server) {
        this.pubsub = server.pubsub();
    }

    public void bind(CommandTable table) {
        table.bind("subscribe", LockMode.NONE, this::subscribe);
        table.bind("unsubscribe", LockMode.NONE, this::unsubscribe);
        table.bind("psubscribe", LockMode.NONE, this::psubscribe);
        table.bind("punsubscribe", LockMode.NONE, this::punsubscribe);
        table.bind("ssubscribe", LockMode.NONE, this::ssubscribe);
        table.bind("sunsubscribe", LockMode.NONE, this::sunsubscribe);
        table.bind("publish", LockMode.NONE, this::publish);
        table.bind("spublish", LockMode.NONE, this::spublish);
        table.bind("pubsub|channels", LockMode.NONE, this::pubsubChannels);
        table.bind("pubsub|shardchannels", LockMode.NONE, this::pubsubShardchannels);
        table.bind("pubsub|numsub", LockMode.NONE, this::pubsubNumsub);
        table.bind("pubsub|shardnumsub", LockMode.NONE, this::pubsubShardnumsub);
        table.bind("pubsub|numpat", LockMode.NONE, this::pubsubNumpat);
        table.bind("pubsub|help", LockMode.NONE, this::pubsubHelp);
    }

    /** SUBSCRIBE channel [channel ...] */
    void subscribe(Client client, byte[][] argv) {
        subscribeGeneric(client, argv, Kind.CHANNEL, "subscribe");
    }

    /** PSUBSCRIBE pattern [pattern ...] */
    void psubscribe(Client client, byte[][] argv) {
        subscribeGeneric(client, argv, Kind.PATTERN, "psubscribe");
    }

    /** SSUBSCRIBE shardchannel [shardchannel ...] */
    void ssubscribe(Client client, byte[][] argv) {
        subscribeGeneric(client, argv, Kind.SHARD, "ssubscribe");
    }

    /** UNSUBSCRIBE [channel [channel ...]] */
    void unsubscribe(Client client, byte[][] argv) {
        unsubscribeGeneric(client, argv, Kind.CHANNEL, "unsubscribe");
    }

    /** PUNSUBSCRIBE [pattern [pattern ...]] */
    void punsubscribe(Client client, byte[][] argv) {
        unsubscribeGeneric(client, argv, Kind.PATTERN, "punsubscribe");
    }

    /** SUNSUBSCRIBE [shardchannel [shardchannel ...]] */
    void sunsubscribe(Client client, byte[][] argv) {
        unsubscribeGeneric(client, argv, Kind.SHARD, "sunsubscribe");
    }

    private void subscribeGeneric(Client client, byte[][] argv, Kind kind, String confirmation) {
        for (int i = 1; i < argv.length; i++) {
            confirm(client.reply(), confirmation, argv[i], pubsub.subscribe(client, kind, argv[i]));
        }
    }

    /**
     * Unsubscribes from the names given, or from every name of the kind; a client subscribed to
     * none of the kind still gets one confirmation, with a null name.
     */
    private void unsubscribeGeneric(Client client, byte[][] argv, Kind kind, String confirmation) {
        if (argv.length > 1) {
            for (int i = 1; i < argv.length; i++) {
                confirm(client.reply(), confirmation, argv[i], pubsub.unsubscribe(client, kind, argv[i]));
            }
            return;
        }
        List<byte[]> names = pubsub.subscribed(client, kind);
        if (names.isEmpty()) {
            confirm(client.reply(), confirmation, null, client.subscriptions().count(kind));
            return;
        }
        for (byte[] name : names) {
            confirm(client.reply(), confirmation, name, pubsub.unsubscribe(client, kind, name));
        }
    }

    private static void confirm(ReplyWriter reply, String confirmation, byte[] name, int count) {
        reply.push(3);
        reply.bulk(confirmation);
        if (name == null) {
            reply.nullBulk();
        } else {
            reply.bulk(name);
        }
        reply.integer(count);
    }

    /** PUBLISH channel message */
    void publish(Client client, byte[][] argv) {
        client.reply().integer(pubsub.publish(argv[1], argv[2]));
    }

    /** SPUBLISH shardchannel message */
    void spublish(Client client, byte[][] argv) {
        client.reply().integer(pubsub.publishShard(argv[1], argv[2]));
    }

    /** PUBSUB CHANNELS [pattern] */
    void pubsubChannels(Client client, byte[][] argv) {
        channelsGeneric(client, argv, Kind.CHANNEL);
    }

    /** PUBSUB SHARDCHANNELS [pattern] */
    void pubsubShardchannels(Client client, byte[][] argv) {
        channelsGeneric(client, argv, Kind.SHARD);
    }

    /** The channels of one kind matching the optional pattern; more arguments are Redis's subcommand syntax error. */
    private void channelsGeneric(Client client, byte[][] argv, Kind kind) {
        ReplyWriter reply = client.reply();
        if (argv.length > 3) {
            reply.error(Errors.subcommandSyntax(Arguments.text(argv[1]), "pubsub"));
            return;
        }
        List<byte[]> names = pubsub.channels(kind, argv.length > 2 ? argv[2] : null);
        reply.array(names.size());
        for (byte[] name : names) {
            reply.bulk(name);
        }
    }

    /** PUBSUB NUMSUB [channel [channel ...]] */
    void pubsubNumsub(Client client, byte[][] argv) {
        numsubGeneric(client.reply(), argv, Kind.CHANNEL);
    }

    /** PUBSUB SHARDNUMSUB [shardchannel [shardchannel ...]] */
    void pubsubShardnumsub(Client client, byte[][] argv) {
        numsubGeneric(client.reply(), argv, Kind.SHARD);
    }

    /** A flat array of (name, subscriber count) pairs, in RESP3 too, as Redis replies. */
    private void numsubGeneric(ReplyWriter reply, byte[][] argv, Kind kind) {
        reply.array((argv.length - 2) * 2);
        for (int i = 2; i < argv.length; i++) {
            reply.bulk(argv[i]);
            reply.integer(pubsub.subscriberCount(kind, argv[i]));
        }
    }

    /** PUBSUB NUMPAT */
    void pubsubNumpat(Client client, byte[][] argv) {
        client.reply().integer(pubsub.patternCount());
    }

    /** PUBSUB HELP */
    void pubsubHelp(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        reply.array(PUBSUB_HELP.length);
        for (String line : PUBSUB_HELP) {
            reply.simple(line);
        }
    }
}
