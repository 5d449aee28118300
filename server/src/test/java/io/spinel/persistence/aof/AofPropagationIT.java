package io.spinel.persistence.aof;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinel.server.SpinelServer;
import io.spinel.testing.RawClient;
import io.spinel.testing.RealRedis;
import io.spinel.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The propagated command stream, compared with real Redis's: the same commands run on Spinel and
 * on redis-server, both with appendonly yes, must leave the same commands in the incremental
 * AOF file (absolute times, which depend on the clock, are compared as "a time near now").
 */
class AofPropagationIT {
    @TempDir
    Path spinelDir;
    @TempDir
    Path redisDir;

    /** Commands whose propagation is deterministic, each a line of space-separated arguments; "sleep N" pauses. */
    private static final List<String> SCRIPT = List.of(
            "debug set-active-expire 0", // keys expire when a command finds them, on both servers
            "set a 1 ex 100 nx", "setex b 100 x", "psetex b2 100000 x", "set b3 v exat 9999999999", "set b4 v pxat 99999999999999",
            "getex a ex 50", "getex a persist", "getex a", "getex nokey ex 5",
            "expire a 100", "pexpire a 100000", "expireat a 9999999999", "pexpireat a 99999999999999 nx",
            "pexpireat a 99999999999998", "expire a 100 xx", "expire nokey 100", "expire a -1",
            "set q 1 keepttl get", "set q 2 get", "set q 3 nx", "setnx q 1", "set c 1.5", "incrbyfloat c 1", "incrbyfloat c2 1e3",
            "hincrbyfloat h f 1.5", "hset h g 2", "hdel h nope",
            "sadd s1 a", "spop s1", "sadd s2 a b", "spop s2 5", "spop s2", "spop nokey 3",
            "rpush l a b c", "blpop l 0", "brpop l 0", "rpush l a b c", "blmove l l2 left right 0", "brpoplpush l l3 0",
            "lmove l l2 right left", "rpoplpush l3 l3",
            "zadd z 1 a 2 b 3 c 4 d", "bzpopmin z 0", "bzpopmax z 0", "bzmpop 0 1 z min count 5", "zadd z 1 a 2 b",
            "zmpop 1 z max", "zpopmin z", "zpopmin nokey",
            "rpush l4 a b c", "blmpop 0 1 l4 left count 2", "lmpop 1 l4 right", "lmpop 1 l4 right",
            "set g 1", "getdel g", "getdel g",
            "select 3", "set x 1", "select 0", "move x 2", "copy b b9", "swapdb 1 2", "swapdb 1 2",
            "eval \"redis.call('set','e1','1'); redis.call('set','e2','2')\" 0",
            "eval \"redis.call('set','e1','1')\" 0", "eval \"return redis.call('get','e1')\" 0",
            "eval \"redis.call('select','4'); redis.call('set','e4','x'); redis.call('incrbyfloat','e5','2.5')\" 0",
            "multi", "set m1 1", "set m2 2", "incrbyfloat m3 1.5", "exec",
            "multi", "set m4 1", "exec", "multi", "get m4", "exec",
            "set k v px 1", "sleep 50", "get k", "set k2 v px 1", "sleep 50", "set k2 v2",
            "config set lazyfree-lazy-expire yes", "set k3 v px 1", "sleep 50", "get k3", "set k4 v", "getex k4 pxat 1",
            "set k5 v", "pexpire k5 -1", "config set lazyfree-lazy-expire no",
            "pfadd hl a b", "pfcount hl", "pfcount hl",
            "append ap x", "setrange ap 0 y", "incr n", "decrby n 5", "del n nope", "unlink ap",
            "xadd st 5-1 a 1", "xadd st 5-* b 2", "xadd st * c 3", "xadd st maxlen ~ 1 * d 4", "xadd st maxlen 3 * e 5",
            "xtrim st maxlen 2", "xgroup create st g 0", "xreadgroup group g c1 count 1 streams st >",
            "xreadgroup group g c2 noack streams st >", "xreadgroup group g c1 streams st 0", "xack st g 0-1",
            "xadd st2 1-1 a 1", "xadd st2 1-2 b 2", "xadd st2 1-3 c 3", "xgroup create st2 g 0",
            "xreadgroup group g c1 streams st2 >", "xclaim st2 g c2 0 1-1", "xclaim st2 g c2 0 1-9 lastid 1-5",
            "xdel st2 1-2", "xautoclaim st2 g c3 0 0", "xclaim st2 g c4 0 1-3 justid", "xgroup createconsumer st2 g c9",
            "xgroup delconsumer st2 g c9", "xgroup setid st2 g 1-1", "xgroup destroy st2 g",
            "flushdb", "set big 1", "flushall");

    @Test
    void incrementalFile_sameCommandsAsRedis() throws Exception {
        List<String> ours;
        try (SpinelServer server = TestServer.start("dir", spinelDir.toString(), "appendonly", "yes",
                "enable-debug-command", "yes");
                RawClient client = new RawClient(server.port())) {
            run(client);
        }
        List<String> theirs;
        try (RealRedis redis = RealRedis.start("--dir", redisDir.toString(), "--appendonly", "yes", "--enable-debug-command", "yes");
                RawClient client = new RawClient(redis.port())) {
            run(client);
        }
        ours = commands(spinelDir.resolve("appendonlydir/appendonly.aof.1.incr.aof"));
        theirs = commands(redisDir.resolve("appendonlydir/appendonly.aof.1.incr.aof"));
        assertThat(ours).hasSizeGreaterThan(60).containsExactlyElementsOf(theirs);
    }

    @Test
    void spopWithCount_propagatesTheMembersItPopped() throws Exception {
        try (SpinelServer server = TestServer.start("dir", spinelDir.toString(), "appendonly", "yes");
                RawClient client = new RawClient(server.port())) {
            client.call("sadd", "s", "a", "b", "c", "d", "e");
            byte[] reply = client.call("spop".getBytes(StandardCharsets.UTF_8), "s".getBytes(StandardCharsets.UTF_8),
                    "3".getBytes(StandardCharsets.UTF_8));
            String popped = new String(reply, StandardCharsets.UTF_8);
            List<String> aof = commands(spinelDir.resolve("appendonlydir/appendonly.aof.1.incr.aof"));
            List<String> srems = aof.stream().filter(c -> c.startsWith("SREM")).toList();
            assertThat(srems).hasSize(3);
            for (String srem : srems) {
                assertThat(popped).contains(srem.substring("SREM s ".length()));
            }
            assertThat(aof).contains("MULTI", "EXEC");
        }
    }

    @Test
    void hashFieldExpiry_propagatesAsAbsoluteTime() throws Exception {
        try (SpinelServer server = TestServer.start("dir", spinelDir.toString(), "appendonly", "yes");
                RawClient client = new RawClient(server.port())) {
            client.call("hset", "h", "f", "v", "g", "w");
            client.call("hexpire", "h", "100", "fields", "1", "f");
            client.call("hpexpire", "h", "100000", "nx", "fields", "2", "g", "nofield");
            client.call("hexpireat", "h", "1", "fields", "1", "f");
            client.call("hexpire", "h", "100", "xx", "fields", "1", "nofield"); // changes nothing: not propagated
            assertThat(commands(spinelDir.resolve("appendonlydir/appendonly.aof.1.incr.aof"))).containsExactly(
                    "SELECT 0", "hset h f v g w", "HPEXPIREAT h <now> fields 1 f", "HPEXPIREAT h <now> nx fields 2 g nofield",
                    "HPEXPIREAT h 1000 fields 1 f");
        }
    }

    @Test
    void appendonlyNo_writesNothing() throws Exception {
        try (SpinelServer server = TestServer.start("dir", spinelDir.toString());
                RawClient client = new RawClient(server.port())) {
            client.call("set", "a", "1");
            assertThat(spinelDir.resolve("appendonlydir")).doesNotExist();
            assertThat(server.context().keyspace().effects().active()).isFalse();
        }
    }

    private static void run(RawClient client) throws InterruptedException {
        for (String line : SCRIPT) {
            List<String> args = split(line);
            if (args.get(0).equals("sleep")) {
                Thread.sleep(Long.parseLong(args.get(1)));
                continue;
            }
            client.call(args.toArray(new String[0]));
        }
    }

    /** Splits a script line at spaces, keeping double-quoted parts whole. */
    private static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        for (char c : line.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ' ' && !quoted) {
                out.add(word.toString());
                word.setLength(0);
            } else {
                word.append(c);
            }
        }
        out.add(word.toString());
        return out;
    }

    private static final Set<Integer> TIME_DIGITS = Set.of(13);

    /** The commands of an AOF file, one string each, with absolute times near now masked as "<now>". */
    static List<String> commands(Path file) throws Exception {
        byte[] data = Files.readAllBytes(file);
        List<String> out = new ArrayList<>();
        long now = System.currentTimeMillis();
        AofReader.Result result = AofReader.read(data, 0, file.getFileName().toString(), argv -> {
            StringBuilder line = new StringBuilder();
            for (byte[] arg : argv) {
                String text = new String(arg, StandardCharsets.ISO_8859_1);
                String millis = text.contains("-") ? text.substring(0, text.indexOf('-')) : text; // stream IDs: ms-seq
                if (TIME_DIGITS.contains(millis.length()) && millis.chars().allMatch(Character::isDigit)
                        && Math.abs(Long.parseLong(millis) - now) < 3_600_000) {
                    text = millis.equals(text) ? "<now>" : "<now>-seq"; // IDs made in the same ms differ in seq by timing
                }
                line.append(line.isEmpty() ? "" : " ").append(text);
            }
            out.add(line.toString());
        });
        assertThat(result.truncated()).isFalse();
        return out;
    }
}
