package io.spinel.command.scripting;

import io.spinel.command.Arguments;
import io.spinel.command.Client;
import io.spinel.command.CommandTable;
import io.spinel.command.Dispatcher;
import io.spinel.command.Errors;
import io.spinel.command.LockMode;
import io.spinel.command.ServerContext;
import io.spinel.resp.ReplyWriter;
import io.spinel.scripting.Script;
import io.spinel.scripting.ScriptRunner;
import java.util.Arrays;

/**
 * The scripting commands: EVAL, EVALSHA, their read-only variants and SCRIPT. Scripts run on the
 * {@link ScriptRunner}, which takes the keyspace lock itself, so these handlers take no lock.
 */
public final class ScriptingCommands {
    private final ServerContext server;
    private final ScriptRunner runner;

    public ScriptingCommands(ServerContext server) {
        this.server = server;
        this.runner = new ScriptRunner(server, new Dispatcher(server));
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
        for (String name : new String[] {"eval", "evalsha", "eval_ro", "evalsha_ro"}) {
            server.scriptGate().queuesOnRunner(table.lookup(name.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
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
        byte[][] keys = Arrays.copyOfRange(argv, 3, 3 + numkeys);
        byte[][] args = Arrays.copyOfRange(argv, 3 + numkeys, argv.length);
        runner.eval(client, script, keys, args, readOnly);
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
        if (argv.length > 3 || (argv.length == 3 && !Arguments.is(argv[2], "sync") && !Arguments.is(argv[2], "async"))) {
            client.reply().error(Errors.SCRIPT_FLUSH_OPTION);
            return;
        }
        runner.cache().clear();
        client.reply().ok();
    }

    /** SCRIPT KILL */
    private void scriptKill(Client client, byte[][] argv) {
        String error = runner.kill(false);
        if (error != null) {
            client.reply().error(error);
        } else {
            client.reply().ok();
        }
    }
}
