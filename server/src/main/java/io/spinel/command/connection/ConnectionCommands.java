package io.spinel.command.connection;

import io.spinel.command.Arguments;
import io.spinel.command.Client;
import io.spinel.command.ClientPause;
import io.spinel.command.CommandTable;
import io.spinel.command.Errors;
import io.spinel.command.ServerContext;
import io.spinel.command.Version;
import io.spinel.resp.ReplyWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Connection commands: PING, ECHO, QUIT, SELECT, HELLO, AUTH, RESET and CLIENT.
 *
 * <p>Authentication knows one user, "default", whose password is requirepass (no password:
 * any password is accepted for it, as for Redis's nopass default user). CLIENT KILL closes other
 * connections through their thread-safe {@link Client.Connection#closeAfterReply}; CLIENT PAUSE
 * sets the server's {@link ClientPause}, which the dispatcher enforces.
 */
public final class ConnectionCommands {
    private static final String DEFAULT_USER = "default";
    private static final List<String> CLIENT_HELP = List.of(
            "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "CACHING (YES|NO)",
            "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
            "GETREDIR",
            "    Return the client ID we are redirecting to when tracking is enabled.",
            "GETNAME",
            "    Return the name of the current connection.",
            "ID",
            "    Return the ID of the current connection.",
            "INFO",
            "    Return information about the current client connection.",
            "KILL <ip:port>",
            "    Kill connection made from <ip:port>.",
            "KILL <option> <value> [<option> <value> [...]]",
            "    Kill connections. Options are:",
            "    * ADDR (<ip:port>|<unixsocket>:0)",
            "      Kill connections made from the specified address",
            "    * LADDR (<ip:port>|<unixsocket>:0)",
            "      Kill connections made to specified local address",
            "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
            "      Kill connections by type.",
            "    * USER <username>",
            "      Kill connections authenticated by <username>.",
            "    * SKIPME (YES|NO)",
            "      Skip killing current connection (default: yes).",
            "LIST [options ...]",
            "    Return information about client connections. Options:",
            "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
            "      Return clients of specified type.",
            "UNPAUSE",
            "    Stop the current client pause, resuming traffic.",
            "PAUSE <timeout> [WRITE|ALL]",
            "    Suspend all, or just write, clients for <timeout> milliseconds.",
            "REPLY (ON|OFF|SKIP)",
            "    Control the replies sent to the current connection.",
            "SETNAME <name>",
            "    Assign the name <name> to the current connection.",
            "SETINFO <option> <value>",
            "    Set client meta attr. Options are:",
            "    * LIB-NAME: the client lib name.",
            "    * LIB-VER: the client lib version.",
            "UNBLOCK <clientid> [TIMEOUT|ERROR]",
            "    Unblock the specified blocked client.",
            "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
            "         [OPTIN] [OPTOUT] [NOLOOP]",
            "    Control server assisted client side caching.",
            "TRACKINGINFO",
            "    Report tracking status for the current connection.",
            "NO-EVICT (ON|OFF)",
            "    Protect current client connection from eviction.",
            "NO-TOUCH (ON|OFF)",
            "    Will not touch LRU/LFU stats when this mode is on.",
            "HELP",
            "    Prints this help.");

    private final ServerContext server;

    public ConnectionCommands(ServerContext server) {
        this.server = server;
    }

    /** Binds the connection commands' handlers in {@code table}. */
    public void bind(CommandTable table) {
        table.bind("ping", this::ping);
        table.bind("echo", this::echo);
        table.bind("quit", this::quit);
        table.bind("select", this::select);
        table.bind("hello", this::hello);
        table.bind("auth", this::auth);
        table.bind("reset", this::reset);
        table.bind("client|id", this::clientId);
        table.bind("client|unblock", this::clientUnblock);
        table.bind("client|info", this::clientInfo);
        table.bind("client|list", this::clientList);
        table.bind("client|kill", this::clientKill);
        table.bind("client|setname", this::clientSetname);
        table.bind("client|getname", this::clientGetname);
        table.bind("client|setinfo", this::clientSetinfo);
        table.bind("client|pause", this::clientPause);
        table.bind("client|unpause", this::clientUnpause);
        table.bind("client|reply", this::clientReply);
        table.bind("client|no-evict", this::clientNoEvict);
        table.bind("client|no-touch", this::clientNoTouch);
        table.bind("client|help", this::clientHelp);
    }

    /** PING [message] */
    void ping(Client client, byte[][] argv) {
        if (argv.length > 2) {
            client.reply().error(Errors.wrongArity("ping"));
        } else if (client.subscribed() && client.reply().protocol() == 2) {
            client.reply().array(2); // subscribed mode's form: a message-like array
            client.reply().bulk("pong");
            client.reply().bulk(argv.length == 1 ? new byte[0] : argv[1]);
        } else if (argv.length == 1) {
            client.reply().simple("PONG");
        } else {
            client.reply().bulk(argv[1]);
        }
    }

    /** ECHO message */
    void echo(Client client, byte[][] argv) {
        client.reply().bulk(argv[1]);
    }

    /** QUIT */
    void quit(Client client, byte[][] argv) {
        client.reply().ok();
        client.connection().closeAfterReply();
    }

    /** SELECT index */
    void select(Client client, byte[][] argv) {
        Long index = Arguments.integer(argv[1]);
        if (index == null || index < Integer.MIN_VALUE || index > Integer.MAX_VALUE) {
            client.reply().error(Errors.NOT_INTEGER);
            return;
        }
        if (index < 0 || index >= server.keyspace().databaseCount()) {
            client.reply().error(Errors.DB_INDEX_OUT_OF_RANGE);
            return;
        }
        client.select(server.keyspace().database(index.intValue()));
        client.reply().ok();
    }

    /**
     * HELLO [protover [AUTH username password] [SETNAME clientname]]
     *
     * <p>Checks in Redis's order: protocol version, options, credentials, then the NOAUTH rule;
     * only then are the name and protocol changed, so a refused HELLO changes nothing.
     */
    void hello(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        int protocol = reply.protocol();
        if (argv.length > 1) {
            Long version = Arguments.integer(argv[1]);
            if (version == null) {
                reply.error(Errors.HELLO_PROTOCOL_NOT_INTEGER);
                return;
            }
            if (version < 2 || version > 3) {
                reply.error(Errors.NOPROTO);
                return;
            }
            protocol = version.intValue();
        }
        String user = null;
        String password = null;
        String name = null;
        for (int i = 2; i < argv.length; i++) {
            int more = argv.length - 1 - i;
            if (Arguments.is(argv[i], "auth") && more >= 2) {
                user = Arguments.text(argv[i + 1]);
                password = Arguments.text(argv[i + 2]);
                i += 2;
            } else if (Arguments.is(argv[i], "setname") && more >= 1) {
                name = Arguments.text(argv[i + 1]);
                i++;
            } else {
                reply.error(Errors.helloSyntax(Arguments.text(argv[i])));
                return;
            }
        }
        if (user != null) {
            if (!passwordMatches(user, password)) {
                reply.error(Errors.WRONGPASS);
                return;
            }
            client.authenticated(true);
        }
        if (server.authRequired(client)) {
            reply.error(Errors.HELLO_NOAUTH);
            return;
        }
        if (name != null) {
            if (!validName(name)) {
                reply.error(Errors.CLIENT_NAME_INVALID);
                return;
            }
            client.name(name);
        }
        reply.protocol(protocol);
        reply.map(7);
        reply.bulk("server");
        reply.bulk("redis");
        reply.bulk("version");
        reply.bulk(Version.REDIS_VERSION);
        reply.bulk("proto");
        reply.integer(protocol);
        reply.bulk("id");
        reply.integer(client.id());
        reply.bulk("mode");
        reply.bulk("standalone");
        reply.bulk("role");
        reply.bulk("master");
        reply.bulk("modules");
        reply.array(0);
    }

    /** AUTH [username] password */
    void auth(Client client, byte[][] argv) {
        if (argv.length > 3) {
            client.reply().error(Errors.SYNTAX);
            return;
        }
        if (argv.length == 2 && server.config().requirepass.value().isEmpty()) {
            client.reply().error(Errors.AUTH_NOT_CONFIGURED);
            return;
        }
        String user = argv.length == 3 ? Arguments.text(argv[1]) : DEFAULT_USER;
        if (!passwordMatches(user, Arguments.text(argv[argv.length - 1]))) {
            client.reply().error(Errors.WRONGPASS);
            return;
        }
        client.authenticated(true);
        client.reply().ok();
    }

    /** Whether {@code password} is the password of {@code user}: only the default user exists. */
    private boolean passwordMatches(String user, String password) {
        if (!user.equals(DEFAULT_USER)) {
            return false;
        }
        String required = server.config().requirepass.value();
        return required.isEmpty() || java.security.MessageDigest.isEqual(
                required.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
                password.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    /**
     * RESET
     *
     * <p>Returns the connection to its state at connect time: database 0, RESP2, replies on,
     * no name, no-evict and no-touch off, no subscriptions, no tracking, and unauthenticated when a password is required.
     */
    void reset(Client client, byte[][] argv) {
        client.select(server.keyspace().database(0));
        client.reply().protocol(2);
        client.replyMode(Client.ReplyMode.ON);
        client.name("");
        client.noEvict(false);
        client.noTouch(false);
        server.pubsub().unsubscribeAll(client);
        client.authenticated(server.config().requirepass.value().isEmpty());
        io.spinel.command.tx.TransactionCommands.reset(server, client);
        server.monitors().remove(client);
        server.tracking().disable(client);
        client.reply().simple("RESET");
    }

    /** CLIENT ID */
    void clientId(Client client, byte[][] argv) {
        client.reply().integer(client.id());
    }

    /** CLIENT UNBLOCK client-id [TIMEOUT | ERROR] */
    void clientUnblock(Client client, byte[][] argv) {
        if (argv.length > 4) {
            client.reply().error(Errors.subcommandSyntax(Arguments.text(argv[1]), "client"));
            return;
        }
        boolean error = false;
        if (argv.length == 4) {
            if (Arguments.is(argv[3], "error")) {
                error = true;
            } else if (!Arguments.is(argv[3], "timeout")) {
                client.reply().error(Errors.UNBLOCK_REASON);
                return;
            }
        }
        Long id = Arguments.integer(argv[2]);
        if (id == null) {
            client.reply().error(Errors.NOT_INTEGER);
            return;
        }
        Client target = server.client(id);
        client.reply().integer(target != null && server.blocking().unblock(target, error) ? 1 : 0);
    }

    /** CLIENT INFO */
    void clientInfo(Client client, byte[][] argv) {
        client.reply().verbatim(ClientInfoLine.of(server, client, client, argv) + "\n");
    }

    /** CLIENT LIST [TYPE NORMAL | MASTER | REPLICA | PUBSUB] [ID client-id [client-id ...]] */
    void clientList(Client client, byte[][] argv) {
        String type = null;
        List<Long> ids = null;
        if (argv.length == 4 && Arguments.is(argv[2], "type")) {
            type = clientType(Arguments.text(argv[3]));
            if (type == null) {
                client.reply().error(Errors.unknownClientType(Arguments.text(argv[3])));
                return;
            }
        } else if (argv.length > 3 && Arguments.is(argv[2], "id")) {
            ids = new ArrayList<>();
            for (int i = 3; i < argv.length; i++) {
                Long id = Arguments.integer(argv[i]);
                if (id == null || id <= 0) {
                    client.reply().error(Errors.INVALID_CLIENT_ID);
                    return;
                }
                ids.add(id);
            }
        } else if (argv.length != 2) {
            client.reply().error(Errors.SYNTAX);
            return;
        }
        StringBuilder out = new StringBuilder();
        for (Client other : sortedClients()) {
            if ((type == null || type.equals(ClientInfoLine.clientClass(other))) && (ids == null || ids.contains(other.id()))) {
                out.append(ClientInfoLine.of(server, other, client, argv)).append('\n');
            }
        }
        client.reply().verbatim(out.toString());
    }

    private List<Client> sortedClients() {
        List<Client> clients = new ArrayList<>(server.clients());
        clients.sort(java.util.Comparator.comparingLong(Client::id));
        return clients;
    }

    /** The canonical class name of a TYPE argument, or null when it is none. */
    private static String clientType(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "normal" -> "normal";
            case "slave", "replica" -> "replica";
            case "master" -> "master";
            case "pubsub" -> "pubsub";
            default -> null;
        };
    }

    /**
     * CLIENT KILL ip:port | CLIENT KILL [ID client-id] [TYPE type] [USER username] [ADDR ip:port]
     * [LADDR ip:port] [SKIPME yes/no] [MAXAGE seconds]
     *
     * <p>Every connection here is a normal client of the default user: TYPE other than normal
     * and USER other than default match none.
     */
    void clientKill(Client client, byte[][] argv) {
        if (argv.length == 3) {
            String addr = Arguments.text(argv[2]);
            for (Client other : sortedClients()) {
                if (other.connection().remoteAddress().equals(addr)) {
                    other.connection().closeAfterReply();
                    client.reply().ok();
                    return;
                }
            }
            client.reply().error(Errors.NO_SUCH_CLIENT);
            return;
        }
        KillFilter filter = new KillFilter();
        for (int i = 2; i < argv.length; i += 2) {
            if (i + 1 >= argv.length) {
                client.reply().error(Errors.SYNTAX);
                return;
            }
            String value = Arguments.text(argv[i + 1]);
            switch (Arguments.lower(argv[i])) {
                case "id" -> {
                    Long id = Arguments.integer(argv[i + 1]);
                    if (id == null || id <= 0) {
                        client.reply().error(Errors.CLIENT_ID_NOT_POSITIVE);
                        return;
                    }
                    filter.id = id;
                }
                case "type" -> {
                    filter.type = clientType(value);
                    if (filter.type == null) {
                        client.reply().error(Errors.unknownClientType(value));
                        return;
                    }
                }
                case "addr" -> filter.addr = value;
                case "laddr" -> filter.laddr = value;
                case "user" -> {
                    if (!value.equals(DEFAULT_USER)) {
                        client.reply().error(Errors.noSuchUser(value));
                        return;
                    }
                }
                case "skipme" -> {
                    if (Arguments.is(argv[i + 1], "yes")) {
                        filter.skipMe = true;
                    } else if (Arguments.is(argv[i + 1], "no")) {
                        filter.skipMe = false;
                    } else {
                        client.reply().error(Errors.SYNTAX);
                        return;
                    }
                }
                case "maxage" -> {
                    Long age = Arguments.integer(argv[i + 1]);
                    if (age == null) {
                        client.reply().error(Errors.SYNTAX);
                        return;
                    }
                    filter.maxAgeSeconds = age;
                }
                default -> {
                    client.reply().error(Errors.SYNTAX);
                    return;
                }
            }
        }
        long now = server.clock().millis();
        int killed = 0;
        for (Client other : sortedClients()) {
            if (filter.matches(other, client, now)) {
                other.connection().closeAfterReply();
                killed++;
            }
        }
        client.reply().integer(killed);
    }

    /** The filters of CLIENT KILL's new form; an unset filter matches everything. */
    private static final class KillFilter {
        Long id;
        String type;
        String addr;
        String laddr;
        boolean skipMe = true;
        Long maxAgeSeconds;

        /** Whether {@code other} passes every filter set, {@code self} being the client running CLIENT KILL. */
        boolean matches(Client other, Client self, long nowMillis) {
            return (id == null || other.id() == id)
                    && (type == null || type.equals(ClientInfoLine.clientClass(other)))
                    && (addr == null || other.connection().remoteAddress().equals(addr))
                    && (laddr == null || other.connection().localAddress().equals(laddr))
                    && (!skipMe || other != self)
                    && (maxAgeSeconds == null || (nowMillis - other.createdMillis()) / 1000 >= maxAgeSeconds);
        }
    }

    /** CLIENT SETNAME connection-name */
    void clientSetname(Client client, byte[][] argv) {
        String name = Arguments.text(argv[2]);
        if (!validName(name)) {
            client.reply().error(Errors.CLIENT_NAME_INVALID);
            return;
        }
        client.name(name);
        client.reply().ok();
    }

    /** Whether a client name or library attribute holds only printable characters without spaces. */
    private static boolean validName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < '!' || c > '~') {
                return false;
            }
        }
        return true;
    }

    /** CLIENT GETNAME */
    void clientGetname(Client client, byte[][] argv) {
        String name = client.name();
        if (name.isEmpty()) {
            client.reply().nullBulk();
        } else {
            client.reply().bulk(name);
        }
    }

    /** CLIENT SETINFO LIB-NAME libname | LIB-VER libver */
    void clientSetinfo(Client client, byte[][] argv) {
        String attribute = Arguments.text(argv[2]);
        String value = Arguments.text(argv[3]);
        boolean libName = Arguments.is(argv[2], "lib-name");
        if (!libName && !Arguments.is(argv[2], "lib-ver")) {
            client.reply().error(Errors.unrecognizedOption(attribute));
            return;
        }
        if (!validName(value)) {
            client.reply().error(Errors.clientAttributeInvalid(attribute));
            return;
        }
        if (libName) {
            client.libName(value);
        } else {
            client.libVersion(value);
        }
        client.reply().ok();
    }

    /** CLIENT PAUSE timeout [WRITE | ALL] */
    void clientPause(Client client, byte[][] argv) {
        if (argv.length > 4) {
            client.reply().error(Errors.subcommandSyntax(Arguments.text(argv[1]), "client"));
            return;
        }
        Long timeout = Arguments.integer(argv[2]);
        if (timeout == null) {
            client.reply().error(Errors.TIMEOUT_NOT_INTEGER);
            return;
        }
        if (timeout < 0) {
            client.reply().error(Errors.TIMEOUT_NEGATIVE);
            return;
        }
        ClientPause.Mode mode = ClientPause.Mode.ALL;
        if (argv.length == 4) {
            if (Arguments.is(argv[3], "write")) {
                mode = ClientPause.Mode.WRITE;
            } else if (!Arguments.is(argv[3], "all")) {
                client.reply().error(Errors.PAUSE_MODE);
                return;
            }
        }
        long now = server.clock().millis();
        server.pause().pause(mode, now + Math.min(timeout, Long.MAX_VALUE - now), now);
        client.reply().ok();
    }

    /** CLIENT UNPAUSE */
    void clientUnpause(Client client, byte[][] argv) {
        server.pause().unpause();
        client.reply().ok();
    }

    /**
     * CLIENT REPLY ON | OFF | SKIP
     *
     * <p>OFF and SKIP themselves get no reply; the dispatcher drops the replies of the commands
     * that follow (SKIP: only the next one).
     */
    void clientReply(Client client, byte[][] argv) {
        if (Arguments.is(argv[2], "on")) {
            client.replyMode(Client.ReplyMode.ON);
            client.reply().ok();
        } else if (Arguments.is(argv[2], "off")) {
            client.replyMode(Client.ReplyMode.OFF);
        } else if (Arguments.is(argv[2], "skip")) {
            if (client.replyMode() != Client.ReplyMode.OFF) {
                client.replyMode(Client.ReplyMode.SKIP);
            }
        } else {
            client.reply().error(Errors.SYNTAX);
        }
    }

    /** CLIENT NO-EVICT ON | OFF */
    void clientNoEvict(Client client, byte[][] argv) {
        onOffGeneric(client, argv[2], client::noEvict);
    }

    /** CLIENT NO-TOUCH ON | OFF */
    void clientNoTouch(Client client, byte[][] argv) {
        onOffGeneric(client, argv[2], client::noTouch);
    }

    /** Applies an ON | OFF argument to a client flag and answers OK, or answers a syntax error. */
    private static void onOffGeneric(Client client, byte[] arg, Consumer<Boolean> flag) {
        if (Arguments.is(arg, "on")) {
            flag.accept(true);
        } else if (Arguments.is(arg, "off")) {
            flag.accept(false);
        } else {
            client.reply().error(Errors.SYNTAX);
            return;
        }
        client.reply().ok();
    }

    /** CLIENT HELP */
    void clientHelp(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        reply.array(CLIENT_HELP.size());
        for (String line : CLIENT_HELP) {
            reply.simple(line);
        }
    }
}
