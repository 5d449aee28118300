package io.spinel.command.tx;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.spinel.testing.Differential;
import io.spinel.testing.RawClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.Jedis;

/**
 * MULTI, EXEC, DISCARD, WATCH and UNWATCH over a socket, compared byte for byte with a real
 * Redis: queueing, EXECABORT, runtime errors inside EXEC, commands refused inside MULTI,
 * blocking commands inside EXEC, and every kind of change that must invalidate a WATCH (or must
 * not). Each WATCH case runs the watcher and the toucher on two connections to the same server.
 */
class TransactionCommandsIT {
    @RegisterExtension
    static final Differential servers = new Differential().spinelSettings("enable-debug-command", "yes")
            .redisArgs("--enable-debug-command", "yes");

    private static String[] cmd(String line) {
        return line.split(" ");
    }

    private static List<String[]> script(String... lines) {
        List<String[]> commands = new ArrayList<>();
        for (String line : lines) {
            commands.add(cmd(line));
        }
        return commands;
    }

    @Test
    void exec_repliesQueuedRepliesInOrder() {
        servers.assertSameReplies(script("DEL tx:a tx:l", "MULTI", "SET tx:a 1", "INCR tx:a", "GET tx:a", "RPUSH tx:l x y",
                "LRANGE tx:l 0 -1", "PING", "ECHO hi", "EXEC", "GET tx:a"));
    }

    @Test
    void exec_runtimeErrorDoesNotStopTheOthers() {
        servers.assertSameReplies(script("DEL tx:r", "MULTI", "SET tx:r abc", "INCR tx:r", "LPUSH tx:r x", "APPEND tx:r d",
                "GET tx:r", "EXEC"));
    }

    @Test
    void exec_abortsWhenACommandFailedToQueue() {
        servers.assertSameReplies(script("DEL tx:q", "MULTI", "SET tx:q 1", "NOSUCHCOMMAND x", "GET", "INCR tx:q", "EXEC",
                "GET tx:q", "EXEC", "DISCARD"));
    }

    @Test
    void multi_errorsThatDoNotAbort() {
        servers.assertSameReplies(script("DEL tx:n", "MULTI", "MULTI", "WATCH tx:n", "SET tx:n 1", "EXEC", "GET tx:n"));
    }

    @Test
    void multi_refusesNoMultiCommands() {
        servers.assertSameReplies(script("MULTI", "SHUTDOWN", "PING", "EXEC"));
    }

    @Test
    void multi_emptyTransactionAndDiscard() {
        servers.assertSameReplies(script("MULTI", "EXEC", "MULTI", "SET tx:d 1", "DISCARD", "GET tx:d", "DISCARD",
                "MULTI", "DISCARD", "EXEC"));
    }

    @Test
    void multi_subcommandErrorsAndSelect() {
        servers.assertSameReplies(script("MULTI", "CONFIG NOSUCH", "EXEC", "MULTI", "SELECT 3", "SET tx:s 3", "SELECT 0",
                "GET tx:s", "EXEC", "SELECT 3", "GET tx:s", "DEL tx:s"));
    }

    @Test
    void exec_blockingCommandsAnswerAtOnce() {
        servers.assertSameReplies(script("DEL tx:bl tx:bz tx:dst", "MULTI", "BLPOP tx:bl 0", "BRPOP tx:bl 0",
                "BLMOVE tx:bl tx:dst LEFT LEFT 0", "BRPOPLPUSH tx:bl tx:dst 0", "BLMPOP 0 1 tx:bl LEFT",
                "BZPOPMIN tx:bz 0", "BZPOPMAX tx:bz 0", "BZMPOP 0 1 tx:bz MIN", "RPUSH tx:bl a b", "BLPOP tx:bl 0",
                "BLMOVE tx:bl tx:dst LEFT LEFT 0", "EXEC", "LRANGE tx:dst 0 -1"));
    }

    @Test
    void exec_scanAndKeyspaceWideCommands() {
        servers.assertSameReplies(script("SET tx:k1 1", "MULTI", "DBSIZE", "EXISTS tx:k1", "KEYS tx:k1", "TYPE tx:k1",
                "EXEC", "DEL tx:k1"));
    }

    /** SCAN and RANDOMKEY lock slots themselves: inside EXEC they must neither deadlock nor miss keys. */
    @Test
    void exec_commandsThatLockSlotsThemselves() {
        try (RawClient client = new RawClient(servers.spinel().port())) {
            client.call("SET", "tx:self", "1");
            client.call("MULTI");
            client.call("SET", "tx:self2", "2");
            client.call("SCAN", "0", "MATCH", "tx:self*", "COUNT", "100000");
            client.call("RANDOMKEY");
            client.call("INFO", "keyspace");
            String exec = client.call("EXEC");
            assertThat(exec).startsWith("*4\r\n+OK\r\n*2\r\n$1\r\n0\r\n*2\r\n").contains("tx:self\r\n", "tx:self2\r\n");
            client.call("DEL", "tx:self", "tx:self2");
        }
    }

    @Test
    void watch_unchangedKeyLetsExecRun() {
        servers.assertSameReplies(script("SET tx:w 1", "WATCH tx:w tx:w2", "GET tx:w", "MULTI", "INCR tx:w", "EXEC",
                "WATCH tx:w", "UNWATCH", "MULTI", "INCR tx:w", "EXEC", "DEL tx:w"));
    }

    @Test
    void watch_ownChangeBeforeMultiAborts() {
        servers.assertSameReplies(script("SET tx:o 1", "WATCH tx:o", "SET tx:o 2", "MULTI", "INCR tx:o", "EXEC", "GET tx:o",
                "MULTI", "INCR tx:o", "EXEC", "DEL tx:o"));
    }

    @Test
    void watch_discardUnwatches() {
        servers.assertSameReplies(script("SET tx:u 1", "WATCH tx:u", "MULTI", "DISCARD", "SET tx:u 2", "MULTI",
                "INCR tx:u", "EXEC", "DEL tx:u"));
    }

    /** Commands run by another client after WATCH, with the keys set up before; does EXEC run? */
    static List<String> touches() {
        return List.of(
                "SET $k 2", "SET $k 1", "SET $k 1 NX", "SET $k 2 XX", "SETNX $k 3", "SETEX $k 100 v", "PSETEX $k 100000 v",
                "GETSET $k v", "MSET $k 2 $o 2", "MSET $k 1 $o o", "MSETNX $k 1 $o 2", "APPEND $k x", "SETRANGE $k 0 z", "SETRANGE $k 0 \\e",
                "INCR $k", "DECR $k", "INCRBY $k 5", "DECRBY $k 5", "INCRBYFLOAT $k 1.5", "GETDEL $k", "GETDEL $o",
                "GETEX $k EX 100", "GETEX $k PERSIST", "GETEX $k", "GET $k", "EXISTS $k", "TOUCH $k", "TYPE $k",
                "STRLEN $k", "DEL $k", "DEL $o", "UNLINK $k", "EXPIRE $k 100", "EXPIRE $k 100 XX", "PEXPIRE $k 0",
                "EXPIREAT $k 1", "PERSIST $k", "RENAME $k $o", "RENAME $o $k", "RENAMENX $o $k", "RENAME $k $k",
                "COPY $k $o", "COPY $o $k", "COPY $o $k REPLACE", "MOVE $k 1", "FLUSHDB", "FLUSHALL",
                "SWAPDB 0 1", "OBJECT ENCODING $k", "LCS $k $o", "DBSIZE");
    }

    @ParameterizedTest
    @MethodSource("touches")
    void watch_changeByAnotherClient(String touch) {
        for (boolean volatileKey : new boolean[] {false, true}) {
            IntFunction<String> run = port -> {
                try (RawClient watcher = new RawClient(port); RawClient other = new RawClient(port)) {
                    String key = "tx:watched";
                    String otherKey = "tx:other{tx:watched}";
                    other.call("FLUSHALL");
                    other.call("SET", key, "1");
                    if (volatileKey) {
                        other.call("EXPIRE", key, "1000");
                    }
                    other.call("SET", otherKey, "o");
                    other.call("SELECT", "1");
                    other.call("SET", key, "in1");
                    other.call("SELECT", "0");
                    StringBuilder transcript = new StringBuilder();
                    transcript.append(watcher.call("WATCH", key));
                    String[] words = touch.replace("$k", key).replace("$o", otherKey).split(" ");
                    for (int i = 0; i < words.length; i++) {
                        words[i] = words[i].equals("\\e") ? "" : words[i];
                    }
                    transcript.append(other.call(words));
                    transcript.append(watcher.call("MULTI")).append(watcher.call("PING")).append(watcher.call("EXEC"));
                    other.call("FLUSHALL");
                    return transcript.toString();
                }
            };
            assertThat(run.apply(servers.spinel().port())).as(touch + (volatileKey ? " (volatile)" : ""))
                    .isEqualTo(run.apply(servers.redis().port()));
        }
    }

    /** FLUSHDB, FLUSHALL and SWAPDB touch only watched keys that exist on one side. */
    static List<String> keyspaceWide() {
        return List.of("FLUSHDB", "FLUSHALL", "SWAPDB 0 1", "SWAPDB 1 0", "SWAPDB 0 2");
    }

    @ParameterizedTest
    @MethodSource("keyspaceWide")
    void watch_keyspaceWideOnlyTouchesExistingKeys(String touch) {
        IntFunction<String> run = port -> {
            try (RawClient watcher = new RawClient(port); RawClient other = new RawClient(port)) {
                StringBuilder transcript = new StringBuilder();
                for (String where : new String[] {"none", "db0", "db1"}) {
                    other.call("FLUSHALL");
                    if (!where.equals("none")) {
                        other.call("SELECT", where.substring(2));
                        other.call("SET", "tx:kw", "v");
                        other.call("SELECT", "0");
                    }
                    transcript.append(where).append(':').append(watcher.call("WATCH", "tx:kw"));
                    transcript.append(other.call(touch.split(" ")));
                    transcript.append(watcher.call("MULTI")).append(watcher.call("PING")).append(watcher.call("EXEC"));
                }
                other.call("FLUSHALL");
                return transcript.toString();
            }
        };
        assertThat(run.apply(servers.spinel().port())).as(touch).isEqualTo(run.apply(servers.redis().port()));
    }

    @Test
    void watch_keyExpiringAfterWatchAborts() throws InterruptedException {
        IntFunction<String> run = port -> {
            try (RawClient watcher = new RawClient(port)) {
                StringBuilder transcript = new StringBuilder();
                watcher.call("DEBUG", "SET-ACTIVE-EXPIRE", "0");
                watcher.call("SET", "tx:exp", "1", "PX", "100");
                transcript.append(watcher.call("WATCH", "tx:exp"));
                sleep(200);
                transcript.append(watcher.call("MULTI")).append(watcher.call("PING")).append(watcher.call("EXEC"));
                // Already expired when watched: its deletion is no change.
                watcher.call("SET", "tx:exp", "1", "PX", "50");
                sleep(100);
                transcript.append(watcher.call("WATCH", "tx:exp"));
                transcript.append(watcher.call("MULTI")).append(watcher.call("PING")).append(watcher.call("EXEC"));
                watcher.call("DEBUG", "SET-ACTIVE-EXPIRE", "1");
                // Reclaimed by the active expire cycle, not by a lookup: a change all the same.
                watcher.call("SET", "tx:exp", "1", "PX", "100");
                transcript.append(watcher.call("WATCH", "tx:exp"));
                for (int i = 0; i < 100 && !watcher.call("DBSIZE").equals(":0\r\n"); i++) {
                    sleep(50);
                }
                transcript.append(watcher.call("MULTI")).append(watcher.call("PING")).append(watcher.call("EXEC"));
                return transcript.toString();
            }
        };
        assertThat(run.apply(servers.spinel().port())).isEqualTo(run.apply(servers.redis().port()));
    }

    @Test
    void clientList_showsMultiStateAndDirtyWatch() {
        try (RawClient client = new RawClient(servers.spinel().port()); RawClient other = new RawClient(servers.spinel().port())) {
            client.call("CLIENT", "SETNAME", "txlist");
            client.call("WATCH", "tx:cl");
            assertThat(other.call("CLIENT", "LIST")).containsPattern("name=txlist [^\\n]* flags=N [^\\n]* multi=-1 ");
            other.call("SET", "tx:cl", "1");
            client.call("MULTI");
            client.call("SET", "tx:cl", "2");
            client.call("GET", "tx:cl");
            assertThat(other.call("CLIENT", "LIST"))
                    .containsPattern("name=txlist [^\\n]* flags=xd [^\\n]* multi=2 [^\\n]* multi-mem=[1-9]");
            assertThat(client.call("EXEC")).isEqualTo("*-1\r\n");
            assertThat(other.call("CLIENT", "LIST")).containsPattern("name=txlist [^\\n]* flags=N [^\\n]* multi=-1 [^\\n]* multi-mem=0 ");
            other.call("DEL", "tx:cl");
        }
    }

    @Test
    void jedis_multiExecAndWatch() {
        try (Jedis jedis = new Jedis("127.0.0.1", servers.spinel().port());
             Jedis other = new Jedis("127.0.0.1", servers.spinel().port())) {
            jedis.del("tx:jedis");
            redis.clients.jedis.Transaction tx = jedis.multi();
            tx.set("tx:jedis", "1");
            tx.incrBy("tx:jedis", 4);
            tx.get("tx:jedis");
            assertThat(tx.exec()).containsExactly("OK", 5L, "5");
            jedis.watch("tx:jedis");
            other.set("tx:jedis", "changed");
            tx = jedis.multi();
            tx.incr("tx:jedis");
            assertThat(tx.exec()).isNull();
            jedis.del("tx:jedis");
        }
    }

    @Test
    void lettuce_resp3MultiExecAndWatch() {
        RedisClient lettuce = RedisClient.create("redis://127.0.0.1:" + servers.spinel().port());
        try (StatefulRedisConnection<String, String> connection = lettuce.connect();
             StatefulRedisConnection<String, String> otherConnection = lettuce.connect()) {
            RedisCommands<String, String> sync = connection.sync();
            sync.del("tx:lettuce");
            sync.multi();
            sync.rpush("tx:lettuce", "a", "b");
            sync.lrange("tx:lettuce", 0, -1);
            sync.incr("tx:lettuce");
            TransactionResult result = sync.exec();
            assertThat(result.wasDiscarded()).isFalse();
            assertThat((Long) result.get(0)).isEqualTo(2L);
            assertThat(result.get(1).toString()).isEqualTo("[a, b]");
            assertThat(result.get(2).toString()).contains("WRONGTYPE");
            sync.watch("tx:lettuce");
            otherConnection.sync().del("tx:lettuce");
            sync.multi();
            sync.rpush("tx:lettuce", "c");
            assertThat(sync.exec().wasDiscarded()).isTrue();
            sync.del("tx:lettuce");
        } finally {
            lettuce.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void exec_ofWritesWaitsForClientPauseWrite_aReadOnlyOneDoesNot() {
        try (RawClient writer = new RawClient(servers.spinel().port());
                RawClient reader = new RawClient(servers.spinel().port());
                RawClient admin = new RawClient(servers.spinel().port())) {
            writer.call("MULTI");
            writer.call("SET", "tx:paused", "1");
            reader.call("MULTI");
            reader.call("GET", "tx:paused");
            admin.call("CLIENT", "PAUSE", "1000", "WRITE");
            long start = System.nanoTime();
            assertThat(reader.call("EXEC")).isEqualTo("*1\r\n$-1\r\n");
            assertThat(System.nanoTime() - start).isLessThan(700_000_000L);
            assertThat(writer.call("EXEC")).isEqualTo("*1\r\n+OK\r\n");
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(700_000_000L);
        }
    }
}
