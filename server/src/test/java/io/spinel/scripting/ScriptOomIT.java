package io.spinel.scripting;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinel.testing.Differential;
import io.spinel.testing.RawClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scripts over maxmemory, compared with a real Redis configured the same (noeviction, maxmemory
 * far below what the keys use): a script without flags fails on its first denyoom redis.call
 * unless it wrote before; a script with flags that may write and lacks allow-oom is refused at
 * start; no-writes and allow-oom scripts run.
 */
class ScriptOomIT {
    @RegisterExtension
    static final Differential servers = new Differential();

    private static final String LIBRARY = "#!lua name=oomlib\n"
            + "redis.register_function('f_write', function(keys) return redis.call('SET', keys[1], 'v') end)\n"
            + "redis.register_function{function_name='f_oom', callback=function(keys) return redis.call('SET', keys[1], 'v') end, "
            + "flags={'allow-oom'}}\n"
            + "redis.register_function{function_name='f_ro', callback=function(keys) return redis.call('GET', keys[1]) end, "
            + "flags={'no-writes'}}\n";

    @Test
    void scripts_overMaxmemory() {
        assertThat(transcript(servers.spinel().port())).isEqualTo(transcript(servers.redis().port()));
    }

    /**
     * Transactions over maxmemory: inside MULTI every command but EXEC, DISCARD, QUIT and RESET is
     * refused (queuing takes memory), and an EXEC whose queue holds a denyoom command is refused
     * when memory went over the limit after queuing; an EXEC of reads runs.
     */
    @Test
    void transactions_overMaxmemory() {
        assertThat(transactionTranscript(servers.spinel().port())).isEqualTo(transactionTranscript(servers.redis().port()));
    }

    private static String transactionTranscript(int port) {
        try (RawClient client = new RawClient(port); RawClient admin = new RawClient(port)) {
            client.call("FLUSHALL");
            client.call("CONFIG", "SET", "maxmemory-policy", "noeviction");
            client.call("SET", "k", "v");
            StringBuilder out = new StringBuilder();
            try {
                admin.call("CONFIG", "SET", "maxmemory", "1");
                out.append(client.call("MULTI")).append(client.call("GET", "k")).append(client.call("EVAL", "return 1", "0"))
                        .append(client.call("EXEC"));
                out.append(client.call("MULTI")).append(client.call("PING")).append(client.call("DISCARD"));
                admin.call("CONFIG", "SET", "maxmemory", "0");
                out.append(client.call("MULTI")).append(client.call("SET", "k", "w")).append(client.call("GET", "k"));
                admin.call("CONFIG", "SET", "maxmemory", "1");
                out.append(client.call("EXEC"));
                admin.call("CONFIG", "SET", "maxmemory", "0");
                out.append(client.call("MULTI")).append(client.call("GET", "k"));
                admin.call("CONFIG", "SET", "maxmemory", "1");
                out.append(client.call("EXEC"));
            } finally {
                admin.call("CONFIG", "SET", "maxmemory", "0");
            }
            return out.toString();
        }
    }

    private static String transcript(int port) {
        try (RawClient client = new RawClient(port)) {
            client.call("FLUSHALL");
            client.call("FUNCTION", "FLUSH");
            client.call("CONFIG", "SET", "maxmemory-policy", "noeviction");
            client.call("FUNCTION", "LOAD", LIBRARY);
            for (int i = 0; i < 100; i++) {
                client.call("SET", "filler:" + i, "x".repeat(100));
            }
            client.call("SET", "k", "old");
            client.call("CONFIG", "SET", "maxmemory", "1");
            try {
                return String.join("", client.call("SET", "k", "v"),
                        client.call("EVAL", "return redis.call('SET', 'k', 'v')", "0"),
                        client.call("EVAL", "return redis.pcall('SET', 'k', 'v')", "0"),
                        client.call("EVAL", "local r = redis.pcall('INCR', 'n') return {r['err'], redis.call('GET', 'k')}", "0"),
                        client.call("EVAL", "redis.call('DEL', 'nokey') return redis.call('SET', 'k', 'after-a-write')", "0"),
                        client.call("EVAL", "return redis.call('DEL', 'filler:1')", "0"),
                        client.call("EVAL", "#!lua\nreturn redis.call('GET', 'k')", "0"),
                        client.call("EVAL", "#!lua flags=no-writes\nreturn redis.call('GET', 'k')", "0"),
                        client.call("EVAL", "#!lua flags=allow-oom\nreturn redis.call('SET', 'k', 'allowed')", "0"),
                        client.call("EVAL_RO", "#!lua flags=no-writes\nreturn redis.call('GET', 'k')", "0"),
                        client.call("FCALL", "f_write", "1", "k"),
                        client.call("FCALL", "f_oom", "1", "k"),
                        client.call("FCALL_RO", "f_ro", "1", "k"),
                        client.call("GET", "k"));
            } finally {
                client.call("CONFIG", "SET", "maxmemory", "0");
            }
        }
    }
}
