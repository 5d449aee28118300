package io.spinel.server;

import io.spinel.command.ServerContext;
import io.spinel.command.bitmap.BitmapCommands;
import io.spinel.command.connection.ConnectionCommands;
import io.spinel.command.geo.GeoCommands;
import io.spinel.command.hash.HashCommands;
import io.spinel.command.keys.KeyCommands;
import io.spinel.command.scripting.ScriptingCommands;
import io.spinel.command.hll.HyperLogLogCommands;
import io.spinel.command.list.ListCommands;
import io.spinel.command.server.ConfigCommands;
import io.spinel.command.server.CommandCommands;
import io.spinel.command.server.DebugCommands;
import io.spinel.command.server.ServerCommands;
import io.spinel.command.set.SetCommands;
import io.spinel.command.sort.SortCommands;
import io.spinel.command.string.StringCommands;
import io.spinel.command.zset.SortedSetCommands;

/** Binds every command family's handlers into the server's command table. */
public final class CommandFamilies {
    private CommandFamilies() {
    }

    public static void bindAll(ServerContext server) {
        new ConnectionCommands(server).bind(server.commands());
        new StringCommands(server).bind(server.commands());
        new KeyCommands(server).bind(server.commands());
        new ConfigCommands(server).bind(server.commands());
        new CommandCommands(server).bind(server.commands());
        new ServerCommands(server).bind(server.commands());
        new DebugCommands(server).bind(server.commands());
        new SetCommands(server).bind(server.commands());
        new HashCommands(server).bind(server.commands());
        new SortCommands(server).bind(server.commands());
        new ListCommands(server).bind(server.commands());
        new SortedSetCommands(server).bind(server.commands());
        new BitmapCommands(server).bind(server.commands());
        new GeoCommands(server).bind(server.commands());
        new HyperLogLogCommands(server).bind(server.commands());
        new ScriptingCommands(server).bind(server.commands());
    }
}
