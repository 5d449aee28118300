package io.spinel.scripting;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinel.testing.Differential;
import io.spinel.testing.RawClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SCRIPT, EVALSHA, FUNCTION and FCALL over sockets, compared byte for byte with a real Redis in
 * RESP2 and RESP3; and the behaviour of slow scripts (BUSY, SCRIPT KILL, FUNCTION KILL), driven
 * the same way on both servers.
 */
class ScriptingCommandsIT {
    @RegisterExtension
    static final Differential servers = new Differential();

    private static final String LIBRARY = "#!lua name=mylib\n"
            + "local function helper(key) return redis.call('INCR', key) end\n"
            + "redis.register_function('incr_it', function(keys, args) return helper(keys[1]) end)\n"
            + "redis.register_function{function_name='read_it', callback=function(keys, args) return redis.call('GET', keys[1]) end, "
            + "flags={'no-writes'}, description='reads a key'}\n"
            + "redis.register_function('fail_it', function(keys, args) error('failed here') end)\n";

    /** One function per library where the order of FUNCTION LIST matters (Redis lists in hash order). */
    private static final String LISTED = "#!lua name=listed\n"
            + "redis.register_function{function_name='listed_fn', callback=function() return 1 end, flags={'no-writes', 'allow-stale'}}\n";

    @BeforeEach
    void flush() {
        for (int port : new int[] {servers.spinel().port(), servers.redis().port()}) {
            try (RawClient client = new RawClient(port)) {
                client.call("FLUSHALL");
                client.call("SCRIPT", "FLUSH");
                client.call("FUNCTION", "FLUSH");
                client.call("CONFIG", "SET", "busy-reply-threshold", "5000");
            }
        }
    }

    /**
     * CLIENT REPLY OFF and SKIP silence a script's reply (and an EXEC's) like any other reply,
     * although the script runs on the runner and answers later: the next reply the client reads
     * is the one after CLIENT REPLY ON, or after the skipped command.
     */
    @Test
    void clientReply_offAndSkipSilenceScripts() {
        servers.assertSame((client, protocol) -> {
            client.call("DEL", "r");
            client.send(RawClient.encode("CLIENT", "REPLY", "OFF"));
            client.send(RawClient.encode("EVAL", "redis.call('INCR', 'r') return 'off'", "0"));
            client.send(RawClient.encode("MULTI"));
            client.send(RawClient.encode("EVAL", "return redis.call('INCR', 'r')", "0"));
            client.send(RawClient.encode("EXEC"));
            StringBuilder out = new StringBuilder(client.call("CLIENT", "REPLY", "ON"));
            client.send(RawClient.encode("CLIENT", "REPLY", "SKIP"));
            client.send(RawClient.encode("EVAL", "redis.call('INCR', 'r') return 'skipped'", "0"));
            out.append(client.call("EVAL", "return redis.call('GET', 'r')", "0"));
            return out.toString();
        });
    }

    @Test
    void script_loadExistsEvalshaFlush() {
        servers.assertSameReplies(List.of(
                new String[] {"SCRIPT", "LOAD", "return 'loaded'"},
                new String[] {"SCRIPT", "EXISTS", "a3b4d5c5e0a0fc4d8b7c2f4ae39f0f0d8e1e0b0a", "f3b9c1b3e2a4d5f6a7b8c9d0e1f2a3b4c5d6e7f8"},
                new String[] {"EVALSHA", "9ebd4cb7f2b7f0bd9fa8c2a9e2c3b2c2d4e2c9a1", "0"},
                new String[] {"SCRIPT", "LOAD", "return 1 +"},
                new String[] {"SCRIPT", "LOAD", "#!lua flags=bogus\nreturn 1"},
                new String[] {"SCRIPT", "FLUSH", "ASYNC"},
                new String[] {"SCRIPT", "FLUSH", "SYNC"},
                new String[] {"SCRIPT", "FLUSH", "bogus"},
                new String[] {"SCRIPT", "FLUSH", "SYNC", "extra"},
                new String[] {"SCRIPT", "NOSUCH"},
                new String[] {"SCRIPT", "KILL"},
                new String[] {"EVAL", "return 1", "-1"},
                new String[] {"EVAL", "return 1", "2", "a"},
                new String[] {"EVAL", "return 1", "x"},
                new String[] {"EVALSHA", "nosuch", "0"}));
    }

    @Test
    void evalsha_runsWhatScriptLoadCached() {
        servers.assertSame((client, protocol) -> {
            String sha = client.call("SCRIPT", "LOAD", "return {KEYS[1], ARGV[1]}").split("\r\n")[1];
            return client.call("EVALSHA", sha, "1", "k", "a")
                    + client.call("EVALSHA", sha.toUpperCase(), "1", "k", "a")
                    + client.call("SCRIPT", "EXISTS", sha, sha.toUpperCase(), "0000")
                    + client.call("EVAL_RO", "return redis.call('GET', KEYS[1])", "1", "k")
                    + client.call("EVALSHA_RO", sha, "1", "k", "a")
                    + client.call("EVAL_RO", "return redis.call('SET', KEYS[1], 'v')", "1", "k")
                    + client.call("EVAL_RO", "#!lua\nreturn redis.call('GET', KEYS[1])", "1", "k")
                    + client.call("EVAL_RO", "#!lua flags=no-writes\nreturn redis.call('GET', KEYS[1])", "1", "k")
                    + client.call("SCRIPT", "FLUSH")
                    + client.call("EVALSHA", sha, "1", "k", "a");
        });
    }

    @Test
    void function_loadListCallDelete() {
        servers.assertSame((client, protocol) -> {
            client.call("FUNCTION", "FLUSH");
            return client.call("FUNCTION", "LOAD", LIBRARY)
                    + client.call("FUNCTION", "LOAD", LIBRARY)
                    + client.call("FUNCTION", "LOAD", "REPLACE", LIBRARY)
                    + client.call("FCALL", "incr_it", "1", "counter")
                    + client.call("FCALL", "incr_it", "1", "counter")
                    + client.call("FCALL_RO", "read_it", "1", "counter")
                    + client.call("FCALL_RO", "incr_it", "1", "counter")
                    + client.call("FCALL", "fail_it", "0")
                    + client.call("FCALL", "nosuch", "0")
                    + client.call("FCALL", "incr_it", "x")
                    + client.call("FCALL", "incr_it", "-1")
                    + client.call("FCALL", "incr_it", "5", "a")
                    + client.call("FUNCTION", "LOAD", LISTED)
                    + client.call("FUNCTION", "LIST", "LIBRARYNAME", "list*")
                    + client.call("FUNCTION", "LIST", "WITHCODE", "LIBRARYNAME", "listed")
                    + client.call("FUNCTION", "LIST", "LIBRARYNAME", "other*")
                    + client.call("FUNCTION", "LIST", "LIBRARYNAME")
                    + client.call("FUNCTION", "LIST", "bogus")
                    + client.call("FUNCTION", "STATS")
                    + client.call("FUNCTION", "DELETE", "mylib")
                    + client.call("FUNCTION", "DELETE", "mylib")
                    + client.call("FCALL", "incr_it", "1", "counter")
                    + client.call("FUNCTION", "FLUSH", "bogus")
                    + client.call("FUNCTION", "KILL");
        });
    }

    @Test
    void function_loadErrors() {
        List<String[]> commands = new ArrayList<>();
        for (String code : new String[] {
                "return 1",
                "#!lua\nreturn 1",
                "#!lua name=lib1 foo=bar\nreturn 1",
                "#!lua name=bad-name\nreturn 1",
                "#!lua name=lib1\nreturn 1",
                "#!lua name=lib2\nredis.call('ping')",
                "#!lua name=lib2\nreturn 1 +",
                "#!lua name=lib2\nerror('x')",
                "#!lua name=lib2\nredis.register_function('f2')",
                "#!lua name=lib3\nredis.register_function{function_name='f3', callback=function() return 2 end, flags={'bogus'}}",
                "#!lua name=lib3\nredis.register_function{function_name='f3', callback=function() end, foo=1}",
                "#!lua name=lib5\nredis.register_function('f3', 'notafunction')",
                "#!lua name=lib6\nredis.register_function('f3', function() end)\nredis.register_function('f3', function() end)",
                "#!lua name=lib7\nx = 1",
                "#!lua name=lib8\nreturn KEYS",
                "#!lua name=lib9\nredis.register_function{callback=function() end}",
                "#!lua name=lib10\nredis.register_function{function_name='f10'}",
                "#!lua name=lib11\nredis.register_function{function_name='f11', callback=function() end, description=1}",
                "#!lua name=lib12\nredis.register_function{function_name='f12', callback=function() end, flags='no-writes'}",
                "#!lua name=lib13\nredis.register_function('f13', function() end, 'extra')",
                "#!lua name=lib4\nredis.register_function('f4', function(keys, args) return {keys[1], args[1], KEYS} end)"}) {
            commands.add(new String[] {"FUNCTION", "LOAD", code});
        }
        commands.add(new String[] {"FCALL", "f4", "1", "k", "a"});
        commands.add(new String[] {"FUNCTION", "LOAD", "bogus", "#!lua name=x\nreturn 1"});
        servers.assertSameReplies(commands);
    }

    /** A script looping for ever: others get BUSY past the threshold, SCRIPT KILL stops it. */
    @Test
    void scriptKill_stopsAScriptThatDidNotWrite() {
        String[] loop = {"EVAL", "local i = 0 while true do i = i + 1 end", "0"};
        assertThat(killTranscript(servers.spinel().port(), null, loop, "FUNCTION", "SCRIPT"))
                .isEqualTo(killTranscript(servers.redis().port(), null, loop, "FUNCTION", "SCRIPT"));
    }

    /** FUNCTION KILL stops a running function; SCRIPT KILL does not. */
    @Test
    void functionKill_stopsAFunction() {
        String library = "#!lua name=loops\nredis.register_function('spin', function() while true do end end)";
        String[] loop = {"FCALL", "spin", "0"};
        assertThat(killTranscript(servers.spinel().port(), library, loop, "SCRIPT", "FUNCTION"))
                .isEqualTo(killTranscript(servers.redis().port(), library, loop, "SCRIPT", "FUNCTION"));
    }

    /**
     * Runs {@code loop} on one connection and, from another, waits for BUSY, sends the wrong KILL
     * then the right one; returns the replies, the looping command's error and a PING after it.
     */
    private static String killTranscript(int port, String library, String[] loop, String wrongKill, String kill) {
        try (RawClient looping = new RawClient(port); RawClient other = new RawClient(port)) {
            if (library != null) {
                other.call("FUNCTION", "LOAD", "REPLACE", library);
            }
            other.call("CONFIG", "SET", "busy-reply-threshold", "100");
            looping.send(RawClient.encode(loop));
            String transcript = awaitBusy(other) + other.call(wrongKill, "KILL") + other.call(kill, "KILL")
                    + new String(looping.readReply(), java.nio.charset.StandardCharsets.ISO_8859_1) + other.call("PING");
            other.call("CONFIG", "SET", "busy-reply-threshold", "5000");
            return transcript;
        }
    }

    /** A script that wrote cannot be killed: SCRIPT KILL answers UNKILLABLE. */
    @Test
    void scriptKill_refusesAScriptThatWrote() throws Exception {
        try (RawClient looping = new RawClient(servers.spinel().port()); RawClient other = new RawClient(servers.spinel().port())) {
            other.call("CONFIG", "SET", "busy-reply-threshold", "50");
            looping.send(RawClient.encode("EVAL",
                    "redis.call('SET', 'written', '1') local t = redis.call('TIME') while tonumber(redis.call('TIME')[1]) - tonumber(t[1]) < 2 do end return 'done'", "0"));
            assertThat(awaitBusy(other)).startsWith("-BUSY");
            assertThat(other.call("SCRIPT", "KILL")).startsWith("-UNKILLABLE");
            assertThat(new String(looping.readReply(), java.nio.charset.StandardCharsets.ISO_8859_1)).isEqualTo("$4\r\ndone\r\n");
            assertThat(other.call("GET", "written")).isEqualTo("$1\r\n1\r\n");
            other.call("CONFIG", "SET", "busy-reply-threshold", "5000");
        }
    }

    /** SHUTDOWN NOSAVE gets through a script that wrote and loops for ever, and stops it. */
    @Test
    void shutdownNosave_stopsAScriptThatWrote() {
        io.spinel.server.SpinelServer own = io.spinel.testing.TestServer.start("busy-reply-threshold", "50");
        try (RawClient looping = new RawClient(own.port()); RawClient other = new RawClient(own.port())) {
            looping.send(RawClient.encode("EVAL", "redis.call('SET', 'k', 'v') while true do end", "0"));
            assertThat(awaitBusy(other)).startsWith("-BUSY");
            other.send(RawClient.encode("SHUTDOWN", "NOSAVE"));
            byte[] reply = looping.readReply();
            assertThat(reply == null ? "<closed>" : new String(reply, java.nio.charset.StandardCharsets.ISO_8859_1))
                    .satisfiesAnyOf(r -> assertThat(r).isEqualTo("<closed>"), r -> assertThat(r).startsWith("-ERR Script killed"));
        } finally {
            own.close();
        }
    }

    /** Sends GET until the reply is BUSY (the script passed the threshold); returns that reply. */
    private static String awaitBusy(RawClient client) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            String reply = client.call("GET", "somekey");
            if (reply.startsWith("-BUSY")) {
                return reply;
            }
        }
        return "no BUSY reply";
    }

    /**
     * Scripts are atomic, also for keys they do not declare: a read-modify-write done in Lua by
     * many clients at once loses no update.
     */
    @Test
    void eval_isAtomicForUndeclaredKeys() throws Exception {
        int port = servers.spinel().port();
        int clients = 8;
        int rounds = 300;
        String script = "local v = tonumber(redis.call('GET', 'atomic:counter') or '0') "
                + "redis.call('SET', 'atomic:counter', v + 1) "
                + "redis.call('RPUSH', 'atomic:log', v) return v";
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            done.add(CompletableFuture.runAsync(() -> {
                try (RawClient client = new RawClient(port)) {
                    for (int i = 0; i < rounds; i++) {
                        client.call("EVAL", script, "0");
                        client.call("INCR", "atomic:plain");
                    }
                }
            }));
        }
        CompletableFuture.allOf(done.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
        try (RawClient client = new RawClient(port)) {
            int total = clients * rounds;
            assertThat(client.call("GET", "atomic:counter")).isEqualTo("$" + Integer.toString(total).length() + "\r\n" + total + "\r\n");
            assertThat(client.call("LLEN", "atomic:log")).isEqualTo(":" + total + "\r\n");
            assertThat(client.call("GET", "atomic:plain")).isEqualTo("$" + Integer.toString(total).length() + "\r\n" + total + "\r\n");
        }
    }

    /** Scripts and functions queued in MULTI run inside EXEC, their replies in order, as in Redis. */
    @Test
    void exec_runsQueuedScriptsInOrder() {
        servers.assertSameReplies(List.of(
                new String[] {"FUNCTION", "LOAD", "REPLACE", LIBRARY},
                new String[] {"SCRIPT", "LOAD", "return redis.call('INCRBY', KEYS[1], ARGV[1])"},
                new String[] {"MULTI"},
                new String[] {"SET", "tx:n", "1"},
                new String[] {"EVAL", "return redis.call('INCR', KEYS[1])", "1", "tx:n"},
                new String[] {"EVALSHA", "6c4c5d9b4b1d2c7f3a8d8d1e33e8bd2f35f8c4e1", "0"},
                new String[] {"EVALSHA", "8cd00688c05c46bde4a2e60658ef20a2e5c0b248", "1", "tx:n", "10"},
                new String[] {"EVAL_RO", "return redis.call('GET', KEYS[1])", "1", "tx:n"},
                new String[] {"EVAL", "return {1, 'two', {3}, redis.status_reply('FOUR')}", "0"},
                new String[] {"EVAL", "error('failed inside')", "0"},
                new String[] {"EVAL", "return redis.call('NOSUCH')", "0"},
                new String[] {"FCALL", "incr_it", "1", "tx:n"},
                new String[] {"FCALL_RO", "read_it", "1", "tx:n"},
                new String[] {"FCALL", "fail_it", "0"},
                new String[] {"SELECT", "1"},
                new String[] {"EVAL", "redis.call('SET', 'tx:db', 'in1') return redis.call('GET', 'tx:n')", "0"},
                new String[] {"SELECT", "0"},
                new String[] {"EVAL", "return redis.call('GET', 'tx:db')", "0"},
                new String[] {"INCR", "tx:n"},
                new String[] {"EXEC"},
                new String[] {"SELECT", "1"},
                new String[] {"GET", "tx:db"},
                new String[] {"SELECT", "0"},
                new String[] {"MULTI"},
                new String[] {"EVAL", "return 1 +", "0"},
                new String[] {"EXEC"},
                new String[] {"MULTI"},
                new String[] {"FUNCTION", "LOAD", "#!lua name=txlib\nredis.register_function('txf', function() return 'txf' end)"},
                new String[] {"FCALL", "txf", "0"},
                new String[] {"EXEC"},
                new String[] {"FCALL", "txf", "0"}));
    }

    /** A WATCHed key changed: EXEC with scripts answers a null array and runs none of them. */
    @Test
    void exec_withScriptsAbortsOnAChangedWatchedKey() {
        servers.assertSame((client, protocol) -> {
            String transcript = client.call("SET", "tx:w", "1") + client.call("WATCH", "tx:w");
            int port = client.port();
            try (RawClient other = new RawClient(port)) {
                other.call("SET", "tx:w", "2");
            }
            return transcript + client.call("MULTI") + client.call("EVAL", "return redis.call('INCR', 'tx:w')", "0")
                    + client.call("EXEC") + client.call("GET", "tx:w")
                    + client.call("WATCH", "tx:w") + client.call("MULTI")
                    + client.call("EVAL", "return redis.call('INCR', 'tx:w')", "0") + client.call("EXEC");
        });
    }

    /**
     * A transaction with a script is atomic with the rest of it: other clients' scripts and
     * plain commands never see the state between its commands.
     */
    @Test
    void exec_withScriptsIsAtomic() throws Exception {
        int port = servers.spinel().port();
        int clients = 6;
        int rounds = 200;
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            done.add(CompletableFuture.runAsync(() -> {
                try (RawClient client = new RawClient(port)) {
                    for (int i = 0; i < rounds; i++) {
                        client.call("MULTI");
                        client.call("INCR", "tx:a");
                        client.call("EVAL", "local v = redis.call('GET', 'tx:a') redis.call('SET', 'tx:b', v) return v", "0");
                        client.call("INCR", "tx:c");
                        String exec = client.call("EXEC");
                        String[] lines = exec.split("\r\n");
                        // *3, :a, $len, a, :c : a script sees its own INCR and nobody else's
                        assertThat(lines[0]).isEqualTo("*3");
                        assertThat(lines[3]).isEqualTo(lines[1].substring(1));
                        String check = client.call("EVAL", "return redis.call('GET', 'tx:a') == redis.call('GET', 'tx:b') "
                                + "and redis.call('GET', 'tx:a') == redis.call('GET', 'tx:c') and 1 or 0", "0");
                        assertThat(check).isEqualTo(":1\r\n");
                    }
                }
            }));
        }
        CompletableFuture.allOf(done.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
        try (RawClient client = new RawClient(port)) {
            String total = Integer.toString(clients * rounds);
            assertThat(client.call("GET", "tx:c")).isEqualTo("$" + total.length() + "\r\n" + total + "\r\n");
        }
    }

    /** SCRIPT KILL stops a looping script inside EXEC; the transaction's other commands still run. */
    @Test
    void scriptKill_insideExec() {
        assertThat(execKillTranscript(servers.spinel().port())).isEqualTo(execKillTranscript(servers.redis().port()));
    }

    private static String execKillTranscript(int port) {
        try (RawClient looping = new RawClient(port); RawClient other = new RawClient(port)) {
            other.call("CONFIG", "SET", "busy-reply-threshold", "100");
            looping.call("MULTI");
            looping.call("SET", "tx:k", "before");
            looping.call("EVAL", "while true do end", "0");
            looping.call("SET", "tx:k", "after");
            looping.send(RawClient.encode("EXEC"));
            String transcript = awaitBusy(other) + other.call("SCRIPT", "KILL")
                    + new String(looping.readReply(), java.nio.charset.StandardCharsets.ISO_8859_1)
                    + other.call("GET", "tx:k");
            other.call("CONFIG", "SET", "busy-reply-threshold", "5000");
            return transcript;
        }
    }
}
