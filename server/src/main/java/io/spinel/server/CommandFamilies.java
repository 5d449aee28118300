package io.spinel.server;

import io.spinel.command.ServerContext;
import io.spinel.command.bitmap.BitmapCommands;
import io.spinel.command.connection.ConnectionCommands;
import io.spinel.command.connection.TrackingCommands;
import io.spinel.command.geo.GeoCommands;
import io.spinel.command.hash.HashCommands;
import io.spinel.command.keys.KeyCommands;
import io.spinel.command.scripting.ScriptingCommands;
import io.spinel.command.hll.HyperLogLogCommands;
import io.spinel.command.list.ListCommands;
import io.spinel.command.pubsub.PubSubCommands;
import io.spinel.command.server.ConfigCommands;
import io.spinel.command.server.CommandCommands;
import io.spinel.command.server.DebugCommands;
import io.spinel.command.server.MemoryCommands;
import io.spinel.command.server.MonitorCommands;
import io.spinel.command.server.ServerCommands;
import io.spinel.command.set.SetCommands;
import io.spinel.command.sort.SortCommands;
import io.spinel.command.stream.StreamCommands;
import io.spinel.command.string.StringCommands;
import io.spinel.command.tx.TransactionCommands;
import io.spinel.command.zset.SortedSetCommands;
import io.spinel.persistence.PersistenceCommands;

/** Binds every command family's handlers into the server's command table. */
public final class CommandFamilies {
    private CommandFamilies() {
    }

    public static void bindAll(ServerContext server) {
        new ConnectionCommands(server).bind(server.commands());
        new TrackingCommands(server).bind(server.commands());
        new StringCommands(server).bind(server.commands());
        new KeyCommands(server).bind(server.commands());
        new ConfigCommands(server).bind(server.commands());
        new CommandCommands(server).bind(server.commands());
        new ServerCommands(server).bind(server.commands());
        new MemoryCommands(server).bind(server.commands());
        new DebugCommands(server).bind(server.commands());
        new SetCommands(server).bind(server.commands());
        new HashCommands(server).bind(server.commands());
        new SortCommands(server).bind(server.commands());
        new ListCommands(server).bind(server.commands());
        new SortedSetCommands(server).bind(server.commands());
        new BitmapCommands(server).bind(server.commands());
        new GeoCommands(server).bind(server.commands());
        new HyperLogLogCommands(server).bind(server.commands());
        new TransactionCommands(server).bind(server.commands());
        new MonitorCommands(server).bind(server.commands());
        new PubSubCommands(server).bind(server.commands());
        new StreamCommands(server).bind(server.commands());
        new PersistenceCommands(server).bind(server.commands());
        new ScriptingCommands(server).bind(server.commands());
    }
}
