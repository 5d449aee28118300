package io.spinel.command.scripting;

import io.spinel.command.Arguments;
import io.spinel.command.Client;
import io.spinel.command.CommandSpec;
import io.spinel.command.CommandTable;
import io.spinel.command.Dispatcher;
import io.spinel.command.Errors;
import io.spinel.command.LockMode;
import io.spinel.command.ServerContext;
import io.spinel.resp.ReplyWriter;
import io.spinel.scripting.FunctionLibraries;
import io.spinel.scripting.Script;
import io.spinel.scripting.ScriptFlags;
import io.spinel.store.Glob;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import io.spinel.scripting.ScriptRunner;
import java.util.Arrays;

/**
 * The scripting commands: EVAL, EVALSHA, their read-only variants, SCRIPT, FCALL, FCALL_RO and
 * FUNCTION. Scripts and functions run on the
 * {@link ScriptRunner}, which takes the keyspace lock itself, so these handlers take no lock.
 */
public final class ScriptingCommands {
    private final ServerContext server;
    private final ScriptRunner runner;

    public ScriptingCommands(ServerContext server) {
        this.server = server;
        this.runner = new ScriptRunner(server, new Dispatcher(server));
        server.scriptTransactions(runner::exec);
        server.functions(runner);
    }

    public void bind(CommandTable table) {
        table.bind("eval", LockMode.NONE, this::eval);
        table.bind("evalsha", LockMode.NONE, this::evalsha);
        table.bind("eval_ro", LockMode.NONE, this::evalRo);
        table.bind("evalsha_ro", LockMode.NONE, this::evalshaRo);
        table.bind("script|load", this::scriptLoad);
        table.bind("script|exists", this::scriptExists);
        table.bind("script|flush", this::scriptFlush);
        table.bind("script|kill", this::scriptKill);
        table.bind("fcall", LockMode.NONE, this::fcall);
        table.bind("fcall_ro", LockMode.NONE, this::fcallRo);
        table.bind("function|load", this::functionLoad);
        table.bind("function|delete", this::functionDelete);
        table.bind("function|flush", this::functionFlush);
        table.bind("function|list", this::functionList);
        table.bind("function|stats", this::functionStats);
        table.bind("function|kill", this::functionKill);
        for (String name : new String[] {"eval", "evalsha", "eval_ro", "evalsha_ro", "fcall", "fcall_ro"}) {
            server.scriptGate().queuesOnRunner(table.lookup(name.getBytes(StandardCharsets.US_ASCII)));
        }
        CommandSpec function = table.lookup("function".getBytes(StandardCharsets.US_ASCII));
        for (String name : new String[] {"load", "restore"}) {
            server.scriptGate().queuesOnRunner(table.lookupSubcommand(function, name.getBytes(StandardCharsets.US_ASCII)));
        }
    }

    /** The runner, for the function commands. */
    public ScriptRunner runner() {
        return runner;
    }

    /** EVAL script numkeys [key [key ...]] [arg [arg ...]] */
    private void eval(Client client, byte[][] argv) {
        evalGeneric(client, argv, false, false);
    }

    /** EVALSHA sha1 numkeys [key [key ...]] [arg [arg ...]] */
    private void evalsha(Client client, byte[][] argv) {
        evalGeneric(client, argv, true, false);
    }

    /** EVAL_RO script numkeys [key [key ...]] [arg [arg ...]] */
    private void evalRo(Client client, byte[][] argv) {
        evalGeneric(client, argv, false, true);
    }

    /** EVALSHA_RO sha1 numkeys [key [key ...]] [arg [arg ...]] */
    private void evalshaRo(Client client, byte[][] argv) {
        evalGeneric(client, argv, true, true);
    }

    private void evalGeneric(Client client, byte[][] argv, boolean bySha, boolean readOnly) {
        ReplyWriter reply = client.reply();
        if (bySha && argv[1].length != 40) {
            reply.error(Errors.NOSCRIPT);
            return;
        }
        int numkeys = numkeys(argv, reply);
        if (numkeys < 0) {
            return;
        }
        Script script;
        if (bySha) {
            script = runner.cache().get(Arguments.text(argv[1]));
            if (script == null) {
                reply.error(Errors.NOSCRIPT);
                return;
            }
        } else {
            try {
                script = runner.load(argv[1]);
            } catch (IllegalArgumentException e) {
                reply.error(e.getMessage());
                return;
            }
        }
        if (readOnly && (script.flags() & (ScriptFlags.EVAL_COMPAT | ScriptFlags.NO_WRITES)) == 0) {
            reply.error(Errors.SCRIPT_WRITE_FLAG_RO);
            return;
        }
        byte[][] keys = Arrays.copyOfRange(argv, 3, 3 + numkeys);
        byte[][] args = Arrays.copyOfRange(argv, 3 + numkeys, argv.length);
        runner.eval(client, script, keys, args, readOnly);
    }

    /** FCALL function numkeys [key [key ...]] [arg [arg ...]] */
    private void fcall(Client client, byte[][] argv) {
        fcallGeneric(client, argv, false);
    }

    /** FCALL_RO function numkeys [key [key ...]] [arg [arg ...]] */
    private void fcallRo(Client client, byte[][] argv) {
        fcallGeneric(client, argv, true);
    }

    private void fcallGeneric(Client client, byte[][] argv, boolean readOnly) {
        ReplyWriter reply = client.reply();
        FunctionLibraries.Function function = runner.libraries().function(Arguments.text(argv[1]));
        if (function == null) {
            reply.error(Errors.FUNCTION_NOT_FOUND);
            return;
        }
        Long numkeys = Arguments.integer(argv[2]);
        if (numkeys == null) {
            reply.error(Errors.BAD_NUMBER_OF_KEYS);
            return;
        }
        if (numkeys > argv.length - 3) {
            reply.error(Errors.NUMKEYS_OVER_ARGS);
            return;
        }
        if (numkeys < 0) {
            reply.error(Errors.NUMKEYS_NEGATIVE);
            return;
        }
        if (readOnly && (function.flags() & ScriptFlags.NO_WRITES) == 0) {
            reply.error(Errors.SCRIPT_WRITE_FLAG_RO);
            return;
        }
        int n = numkeys.intValue();
        runner.fcall(client, function, Arrays.copyOfRange(argv, 3, 3 + n), Arrays.copyOfRange(argv, 3 + n, argv.length));
    }

    /** FUNCTION LOAD [REPLACE] function-code */
    private void functionLoad(Client client, byte[][] argv) {
        boolean replace = false;
        int i = 2;
        for (; i < argv.length - 1; i++) {
            if (Arguments.is(argv[i], "replace")) {
                replace = true;
            } else {
                client.reply().error(Errors.unknownOption(cString(argv[i])));
                return;
            }
        }
        runner.functionLoad(client, argv[i], replace, argv);
    }

    /** The argument as Redis's %s prints it in an error: up to its first NUL byte. */
    private static String cString(byte[] arg) {
        int end = 0;
        while (end < arg.length && arg[end] != 0) {
            end++;
        }
        return Arguments.text(Arrays.copyOf(arg, end));
    }

    /** FUNCTION DELETE library-name */
    private void functionDelete(Client client, byte[][] argv) {
        if (runner.libraries().delete(Arguments.text(argv[2]))) {
            server.keyspace().changedUnsignalled(); // server.dirty++: saved and propagated
            client.reply().ok();
        } else {
            client.reply().error(Errors.LIBRARY_NOT_FOUND);
        }
    }

    /** FUNCTION FLUSH [ASYNC | SYNC] */
    private void functionFlush(Client client, byte[][] argv) {
        if (argv.length > 3) {
            client.reply().error(Errors.subcommandSyntax(Arguments.text(argv[1]), "function"));
            return;
        }
        flushGeneric(client, argv, Errors.FUNCTION_FLUSH_OPTION, () -> {
            runner.libraries().clear();
            server.keyspace().changedUnsignalled(); // server.dirty++: saved and propagated
        });
    }

    /** FUNCTION LIST [LIBRARYNAME library-name-pattern] [WITHCODE] */
    private void functionList(Client client, byte[][] argv) {
        boolean withCode = false;
        byte[] pattern = null;
        for (int i = 2; i < argv.length; i++) {
            if (!withCode && Arguments.is(argv[i], "withcode")) {
                withCode = true;
            } else if (pattern == null && Arguments.is(argv[i], "libraryname")) {
                if (i >= argv.length - 1) {
                    client.reply().error(Errors.LIBRARY_NAME_MISSING);
                    return;
                }
                pattern = argv[++i];
            } else {
                client.reply().error("ERR Unknown argument " + cString(argv[i]));
                return;
            }
        }
        List<FunctionLibraries.Library> libraries = new ArrayList<>();
        for (FunctionLibraries.Library library : runner.libraries().libraries()) {
            if (pattern == null || Glob.matches(pattern, library.name().getBytes(StandardCharsets.ISO_8859_1))) {
                libraries.add(library);
            }
        }
        ReplyWriter reply = client.reply();
        reply.array(libraries.size());
        for (FunctionLibraries.Library library : libraries) {
            reply.map(withCode ? 4 : 3);
            reply.bulk("library_name");
            reply.bulk(library.name());
            reply.bulk("engine");
            reply.bulk("LUA");
            reply.bulk("functions");
            reply.array(library.functions().size());
            for (FunctionLibraries.Function function : library.functions().values()) {
                reply.map(3);
                reply.bulk("name");
                reply.bulk(function.name());
                reply.bulk("description");
                if (function.description() == null) {
                    reply.nullBulk();
                } else {
                    reply.bulk(function.description());
                }
                reply.bulk("flags");
                List<String> flags = function.flagNames();
                reply.set(flags.size());
                flags.forEach(reply::simple);
            }
            if (withCode) {
                reply.bulk("library_code");
                reply.bulk(library.code());
            }
        }
    }

    /** FUNCTION STATS */
    private void functionStats(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        reply.map(2);
        reply.bulk("running_script");
        String[] running = runner.running();
        if (running == null) {
            reply.nullBulk();
        } else {
            reply.map(2);
            reply.bulk("name");
            reply.bulk(running[0]);
            reply.bulk("duration_ms");
            reply.integer(Long.parseLong(running[1]));
        }
        reply.bulk("engines");
        reply.map(1);
        reply.bulk("LUA");
        reply.map(2);
        reply.bulk("libraries_count");
        reply.integer(runner.libraries().libraries().size());
        reply.bulk("functions_count");
        reply.integer(runner.libraries().functionCount());
    }

    /** FUNCTION KILL */
    private void functionKill(Client client, byte[][] argv) {
        killGeneric(client, true);
    }

    /** numkeys at argv[2], checked as Redis checks it; -1 after replying an error. */
    static int numkeys(byte[][] argv, ReplyWriter reply) {
        Long numkeys = Arguments.integer(argv[2]);
        if (numkeys == null) {
            reply.error(Errors.NOT_INTEGER);
            return -1;
        }
        if (numkeys > argv.length - 3) {
            reply.error(Errors.NUMKEYS_OVER_ARGS);
            return -1;
        }
        if (numkeys < 0) {
            reply.error(Errors.NUMKEYS_NEGATIVE);
            return -1;
        }
        return numkeys.intValue();
    }

    /** SCRIPT LOAD script */
    private void scriptLoad(Client client, byte[][] argv) {
        try {
            client.reply().bulk(runner.load(argv[2]).sha());
        } catch (IllegalArgumentException e) {
            client.reply().error(e.getMessage());
        }
    }

    /** SCRIPT EXISTS sha1 [sha1 ...] */
    private void scriptExists(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        reply.array(argv.length - 2);
        for (int i = 2; i < argv.length; i++) {
            reply.integer(runner.cache().contains(Arguments.text(argv[i])) ? 1 : 0);
        }
    }

    /** SCRIPT FLUSH [ASYNC | SYNC] */
    private void scriptFlush(Client client, byte[][] argv) {
        if (argv.length > 3) {
            client.reply().error(Errors.SCRIPT_FLUSH_OPTION);
            return;
        }
        flushGeneric(client, argv, Errors.SCRIPT_FLUSH_OPTION, runner.cache()::clear);
    }

    /** SCRIPT FLUSH and FUNCTION FLUSH: the optional ASYNC or SYNC (both flush at once). */
    private static void flushGeneric(Client client, byte[][] argv, String optionError, Runnable flush) {
        if (argv.length == 3 && !Arguments.is(argv[2], "sync") && !Arguments.is(argv[2], "async")) {
            client.reply().error(optionError);
            return;
        }
        flush.run();
        client.reply().ok();
    }

    /** SCRIPT KILL */
    private void scriptKill(Client client, byte[][] argv) {
        killGeneric(client, false);
    }

    private void killGeneric(Client client, boolean function) {
        String error = runner.kill(function);
        if (error != null) {
            client.reply().error(error);
        } else {
            client.reply().ok();
        }
    }
}
