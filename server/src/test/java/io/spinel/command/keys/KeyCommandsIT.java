package io.spinel.command.keys;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.spinel.command.ScanOptions;
import io.spinel.resp.ReplyWriter;
import io.spinel.testing.Differential;
import io.spinel.testing.RawClient;
import io.spinel.types.MutableString;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The key commands over a socket, differentially: each script runs on Spinel and on a real
 * Redis from an empty keyspace, in RESP2 and in RESP3, and every reply must be byte-identical. A command written with a
 * leading {@code ~} has an unordered array reply, sorted before comparing. Replies that depend on
 * timing or on Redis's internals (SCAN cursors, OBJECT IDLETIME) are checked by meaning in the
 * plain tests below, and so are the cases where Redis 7.2 (the spec) differs from the 7.0 oracle.
 */
class KeyCommandsIT {
    @RegisterExtension
    static final Differential servers = new Differential();

    static List<String> scripts() {
        return List.of(
                // DEL, UNLINK, EXISTS, TOUCH, TYPE
                "SET a 1 | SET b 2 | DEL a b c | DEL a | EXISTS a b",
                "SET a 1 | UNLINK a a x | EXISTS a",
                "SET a 1 | SET b x | EXISTS a a b c | TOUCH a a b c | TOUCH nokey",
                "SET a 1 | TYPE a | TYPE nokey",
                // KEYS
                "~KEYS *",
                "SET foo 1 | SET foobar 2 | SET bar 3 | SET f[o 4 | ~KEYS * | ~KEYS foo* | ~KEYS *o* | ~KEYS f?o | ~KEYS f[a-z]o* | ~KEYS f\\[o | ~KEYS [^f]* | ~KEYS nomatch",
                "SET hello 1 | SET hallo 1 | SET hxllo 1 | SET hllo 1 | SET heeeello 1 | ~KEYS h?llo | ~KEYS h*llo | ~KEYS h[ae]llo | ~KEYS h[^e]llo | ~KEYS h[a-b]llo | ~KEYS h[b-a]llo",
                "SET a 1 | PEXPIREAT a 1 | ~KEYS * | DBSIZE",
                // RANDOMKEY
                "RANDOMKEY | SET only 1 | RANDOMKEY | PEXPIREAT only 1 | RANDOMKEY",
                // RENAME, RENAMENX
                "SET a 1 | RENAME a b | GET a | GET b | RENAME a b | RENAME b b | RENAME nokey nokey",
                "SET a 1 | SET b 2 | RENAMENX a b | RENAMENX a c | GET c | RENAMENX c c | RENAMENX nokey x",
                "SET a 1 | SET b 2 | RENAME a b | GET b | EXISTS a",
                "SET a 1 | EXPIREAT a 99999999999 | RENAME a b | EXPIRETIME b | TTL a",
                "SET a 1 | SET b 2 | EXPIREAT b 99999999999 | RENAME a b | TTL b",
                // COPY
                "SET a 1 | COPY a b | GET b | COPY a b | COPY a b REPLACE | COPY a a | COPY nokey x | COPY a b replace replace",
                "SET a hello | EXPIREAT a 99999999999 | COPY a b | EXPIRETIME b | COPY a a DB 1 | SELECT 1 | GET a | EXPIRETIME a | SELECT 0",
                "SET a 1 | COPY a b DB 99 | COPY a b DB -1 | COPY a b DB x | COPY a b DB | COPY a b foo | COPY a a DB 0 | COPY a b DB 99999999999",
                "SET a 1 | SELECT 2 | SET a 2 | SELECT 0 | COPY a a DB 2 | COPY a a DB 2 REPLACE | SELECT 2 | GET a | SELECT 0",
                // MOVE
                "SET a 1 | MOVE a 1 | EXISTS a | SELECT 1 | GET a | MOVE a 1 | MOVE a 0 | SELECT 0 | GET a",
                "SET a 1 | MOVE a 99 | MOVE a -1 | MOVE a x | MOVE a 99999999999 | MOVE nokey 1",
                "SET a 1 | SELECT 1 | SET a 2 | SELECT 0 | MOVE a 1 | GET a",
                "SET a 1 | PEXPIREAT a 99999999999123 | MOVE a 3 | SELECT 3 | PEXPIRETIME a | SELECT 0",
                // EXPIRE family
                "SET a 1 | EXPIRE a 100 | TTL a | EXPIRE a 200 NX | EXPIRE a 200 XX | TTL a | EXPIRE a 100 GT | EXPIRE a 300 GT | TTL a | EXPIRE a 400 LT | EXPIRE a 50 LT | TTL a",
                "SET a 1 | EXPIRE a 100 XX | EXPIRE a 100 GT | TTL a | EXPIRE a 100 LT | TTL a | EXPIRE a 100 NX | TTL a",
                "SET a 1 | EXPIRE a 10 NX XX | EXPIRE a 10 NX GT | EXPIRE a 10 NX LT | EXPIRE a 10 GT LT | EXPIRE a 10 foo | EXPIRE a 10 nx bar | EXPIRE a x | EXPIRE a x foo | EXPIRE a 10 nx nx | TTL a",
                "SET a 1 | EXPIRE a 9223372036854775807 | PEXPIRE a 9223372036854775807 | EXPIREAT a 9223372036854775807 | EXPIRE a -9223372036854775808 | EXPIREAT a -9223372036854775807 | EXPIRE a 9223372036854775 | EXPIRE a 99999999999999999999",
                "SET a 1 | EXPIRE a -1 | EXISTS a | SET b 1 | PEXPIRE b 0 | EXISTS b | SET c 1 | EXPIREAT c 100 | EXISTS c | SET d 1 | PEXPIREAT d 1 | GET d",
                "SET a 1 | EXPIRE a 100 | EXPIRE a -5 LT | EXISTS a | SET b 1 | EXPIRE b -5 GT | EXISTS b",
                "EXPIRE nokey 10 | PEXPIRE nokey 10 | EXPIREAT nokey 10 | PEXPIREAT nokey 10 | EXPIRE nokey 10 NX XX | EXPIRE nokey x",
                "SET a 1 | PEXPIREAT a 99999999999500 | EXPIRETIME a | PEXPIRETIME a | PEXPIREAT a 99999999999499 | EXPIRETIME a | EXPIREAT a 99999999999 LT | PEXPIRETIME a",
                // TTL, PTTL, EXPIRETIME, PEXPIRETIME, PERSIST
                "TTL nokey | PTTL nokey | EXPIRETIME nokey | PEXPIRETIME nokey | SET a 1 | TTL a | PTTL a | EXPIRETIME a | PEXPIRETIME a",
                "SET a 1 | PERSIST a | EXPIRE a 100 | PERSIST a | TTL a | PERSIST a | PERSIST nokey",
                "SET a 1 | EXPIRE a 100 | SET a 2 | TTL a",
                // OBJECT
                "SET a 1 | SET b hello | SET c " + "x".repeat(44) + " | SET d " + "x".repeat(45) + " | SET e -5 | SET f 012 | SET g 12345678901234567890 | SET h 9223372036854775807"
                        + " | OBJECT ENCODING a | OBJECT ENCODING b | OBJECT ENCODING c | OBJECT ENCODING d | OBJECT ENCODING e | OBJECT ENCODING f | OBJECT ENCODING g | OBJECT ENCODING h | OBJECT ENCODING nokey",
                "SET a 1 | SET b 9999 | SET c 10000 | SET d -1 | SET e x | OBJECT REFCOUNT a | OBJECT REFCOUNT b | OBJECT REFCOUNT c | OBJECT REFCOUNT d | OBJECT REFCOUNT e | OBJECT REFCOUNT nokey",
                "SET a 1 | OBJECT FREQ a | OBJECT FREQ nokey | OBJECT IDLETIME nokey | OBJECT HELP | OBJECT help | OBJECT HELP x | OBJECT FOO | OBJECT ENCODING | OBJECT ENCODING a b | OBJECT",
                // DBSIZE, FLUSHDB, FLUSHALL, SWAPDB
                "DBSIZE | SET a 1 | SET b 2 | DBSIZE | SELECT 1 | SET c 3 | DBSIZE | FLUSHDB | DBSIZE | SELECT 0 | DBSIZE",
                "SET a 1 | FLUSHDB ASYNC | DBSIZE | SET a 1 | FLUSHDB sync | DBSIZE | FLUSHDB x | FLUSHDB ASYNC x",
                "SET a 1 | SELECT 1 | SET b 1 | FLUSHALL | DBSIZE | SELECT 0 | DBSIZE | SET a 1 | FLUSHALL ASYNC | DBSIZE | FLUSHALL SYNC | FLUSHALL foo | FLUSHALL SYNC ASYNC",
                "SET a 1 | SWAPDB 0 1 | GET a | DBSIZE | SELECT 1 | GET a | SWAPDB 1 0 | GET a | SELECT 0 | GET a | SWAPDB 0 0 | GET a",
                "SWAPDB 0 99 | SWAPDB 99 0 | SWAPDB -1 0 | SWAPDB x 0 | SWAPDB 0 x | SWAPDB x y | SWAPDB 0 99999999999 | SWAPDB 0",
                // WAIT
                "WAIT 0 0 | WAIT 0 100 | WAIT 1 50 | WAIT -1 0 | WAIT 0 -1 | WAIT x 0 | WAIT 0 x | WAIT 1",
                // arity
                "DEL | EXISTS | TYPE | TYPE a b | KEYS | RENAME a | COPY a | MOVE a | EXPIRE a | TTL | PERSIST | TOUCH | DBSIZE x | SWAPDB 1 | RANDOMKEY x | SCAN");
    }

    @ParameterizedTest
    @MethodSource("scripts")
    void sameRepliesAsRedis(String script) {
        servers.assertSame((client, protocol) -> run(client, script));
    }

    /** Runs a script from an empty keyspace and returns its replies, one per line. */
    private static String run(RawClient client, String script) {
        StringBuilder replies = new StringBuilder();
        client.call("FLUSHALL");
        for (String command : script.split(" \\| ")) {
            boolean unordered = command.startsWith("~");
            String[] args = (unordered ? command.substring(1) : command).trim().split(" ");
            String reply = client.call(args);
            replies.append(command).append(" -> ").append(unordered ? sortedArray(reply) : reply).append('\n');
        }
        return replies.toString();
    }

    /** The elements of a flat array reply of bulk strings, sorted, as one string. */
    private static String sortedArray(String reply) {
        if (!reply.startsWith("*")) {
            return reply;
        }
        String[] lines = reply.split("\r\n");
        List<String> elements = new ArrayList<>();
        for (int i = 1; i + 1 < lines.length; i += 2) {
            elements.add(lines[i] + "\r\n" + lines[i + 1]);
        }
        elements.sort(null);
        return lines[0] + " " + elements;
    }

    @Test
    void scan_returnsEveryKeyOnceOverAFullIteration() {
        List<String> commands = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            commands.add("key:" + i);
        }
        for (int port : new int[] {servers.spinel().port(), servers.redis().port()}) {
            try (RawClient client = new RawClient(port)) {
                client.call("FLUSHALL");
                for (String key : commands) {
                    client.call("SET", key, "v");
                }
                client.call("SET", "other", "v");
            }
        }
        for (String[] options : List.of(new String[0], new String[] {"COUNT", "7"}, new String[] {"MATCH", "key:1*"},
                new String[] {"MATCH", "*", "COUNT", "1000"}, new String[] {"TYPE", "string"}, new String[] {"TYPE", "list"},
                new String[] {"TYPE", "nosuchtype"}, new String[] {"MATCH", "other", "TYPE", "STRING", "COUNT", "3"})) {
            assertThat(scanAll(servers.spinel().port(), options)).as(String.join(" ", options))
                    .isEqualTo(scanAll(servers.redis().port(), options));
        }
    }

    /** Runs a whole SCAN iteration and returns the keys seen, checking none is seen twice. */
    private static TreeSet<String> scanAll(int port, String... options) {
        TreeSet<String> keys = new TreeSet<>();
        try (RawClient client = new RawClient(port)) {
            String cursor = "0";
            int calls = 0;
            do {
                List<String> args = new ArrayList<>(List.of("SCAN", cursor));
                args.addAll(List.of(options));
                String[] lines = client.call(args.toArray(String[]::new)).split("\r\n");
                cursor = lines[2];
                for (int i = 5; i < lines.length; i += 2) {
                    assertThat(keys.add(lines[i])).as("returned twice: " + lines[i]).isTrue();
                }
                assertThat(++calls).isLessThan(100_000);
            } while (!cursor.equals("0"));
        }
        return keys;
    }

    /**
     * SCAN's guarantee under writes: keys present for the whole iteration are all returned while
     * other keys are added and deleted between calls, growing and shrinking the slot tables
     * (hash tags pile many keys into a few slots so their tables resize).
     */
    @Test
    void scan_returnsStableKeysWhileOthersComeAndGo() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        try (RawClient client = new RawClient(servers.spinel().port())) {
            client.call("FLUSHALL");
            TreeSet<String> stable = new TreeSet<>();
            for (int i = 0; i < 600; i++) {
                String key = (i % 3 == 0 ? "{tag" + (i % 4) + "}" : "") + "stable:" + i;
                client.call("SET", key, "v");
                stable.add(key);
            }
            List<String> churn = new ArrayList<>();
            int next = 0;
            TreeSet<String> seen = new TreeSet<>();
            String cursor = "0";
            int calls = 0;
            do {
                String[] lines = client.call("SCAN", cursor, "COUNT", String.valueOf(1 + random.nextInt(40))).split("\r\n");
                cursor = lines[2];
                for (int i = 5; i < lines.length; i += 2) {
                    seen.add(lines[i]);
                }
                if (random.nextBoolean()) {
                    for (int n = random.nextInt(300); n > 0; n--) {
                        String key = "{tag" + random.nextInt(4) + "}churn:" + next++;
                        client.call("SET", key, "v");
                        churn.add(key);
                    }
                } else {
                    for (int n = random.nextInt(churn.size() + 1); n > 0; n--) {
                        client.call("DEL", churn.remove(random.nextInt(churn.size())));
                    }
                }
                assertThat(++calls).isLessThan(100_000);
            } while (!cursor.equals("0"));
            assertThat(seen).containsAll(stable);
        }
    }

    @Test
    void scan_errorsMatchRedis() {
        for (String script : List.of("SCAN x | SCAN 1x | SCAN 0 COUNT 0 | SCAN 0 COUNT -1 | SCAN 0 COUNT x | SCAN 0 MATCH | SCAN 0 foo bar"
                + " | SCAN 0 COUNT | SCAN 18446744073709551616 | SCAN 0 TYPE")) {
            servers.assertSame((client, protocol) -> run(client, script));
        }
    }

    @Test
    void scan_cursorParsingFollowsRedis72() {
        try (RawClient client = new RawClient(servers.spinel().port())) {
            client.call("FLUSHALL");
            assertThat(client.call("SCAN", "-1")).isEqualTo("-ERR invalid cursor\r\n");
            assertThat(client.call("SCAN", "")).isEqualTo("-ERR invalid cursor\r\n");
            assertThat(client.call("SCAN", "-99999999999999999999")).isEqualTo("-ERR invalid cursor\r\n");
            assertThat(client.call("SCAN", "18446744073709551615")).startsWith("*2\r\n");
            assertThat(client.call("SCAN", "+0")).startsWith("*2\r\n");
            assertThat(client.call("SCAN", " 0")).startsWith("*2\r\n");
        }
        ReplyWriter reply = new ReplyWriter(error -> { });
        reply.target(Unpooled.buffer());
        assertThat(ScanOptions.cursor("18446744073709551615".getBytes(StandardCharsets.US_ASCII), reply)).isEqualTo(-1L);
        assertThat(ScanOptions.cursor("  +42".getBytes(StandardCharsets.US_ASCII), reply)).isEqualTo(42L);
        assertThat(ScanOptions.cursor("-0".getBytes(StandardCharsets.US_ASCII), reply)).isEqualTo(0L);
        assertThat(reply.target().readableBytes()).isZero();
    }

    @Test
    void scan_emptyDatabaseFinishesInFewCalls() {
        try (RawClient client = new RawClient(servers.spinel().port())) {
            client.call("FLUSHALL");
            String cursor = "0";
            int calls = 0;
            do {
                cursor = client.call("SCAN", cursor, "COUNT", "1").split("\r\n")[2];
                calls++;
            } while (!cursor.equals("0"));
            assertThat(calls).isLessThanOrEqualTo(16);
        }
    }

    @Test
    void scan_skipsExpiredKeys() {
        try (RawClient client = new RawClient(servers.spinel().port())) {
            client.call("FLUSHALL");
            client.call("SET", "live", "1");
            client.call("SET", "dead", "1");
            client.call("PEXPIREAT", "dead", "1");
            assertThat(scanAll(servers.spinel().port())).containsExactly("live");
        }
    }

    @Test
    void objectIdletime_countsSecondsSinceLastAccess() {
        try (RawClient client = new RawClient(servers.spinel().port())) {
            client.call("FLUSHALL");
            client.call("SET", "a", "1");
            assertThat(client.call("OBJECT", "IDLETIME", "a")).isEqualTo(":0\r\n");
            assertThat(client.call("OBJECT", "IDLETIME", "nokey")).isEqualTo("$-1\r\n");
        }
    }

    /** Redis 7.2 rejects a timeout that would overflow when added to now; 7.0 did not check. */
    @Test
    void wait_timeoutOverflowIsRejected() {
        try (RawClient client = new RawClient(servers.spinel().port())) {
            assertThat(client.call("WAIT", "0", "9223372036854775807")).isEqualTo("-ERR timeout is out of range\r\n");
        }
    }

    @Test
    void randomkey_returnsExistingKeys() {
        try (RawClient client = new RawClient(servers.spinel().port())) {
            client.call("FLUSHALL");
            TreeSet<String> seen = new TreeSet<>();
            for (int i = 0; i < 50; i++) {
                client.call("SET", "k" + i, "v");
            }
            for (int i = 0; i < 500; i++) {
                String reply = client.call("RANDOMKEY");
                seen.add(reply.split("\r\n")[1]);
            }
            assertThat(seen).allMatch(k -> k.matches("k\\d+")).hasSizeGreaterThan(30);
        }
    }

    @Test
    void copy_mutableStringIsIndependent() {
        io.spinel.store.Keyspace keyspace = servers.spinel().context().keyspace();
        byte[] key = "grown".getBytes(StandardCharsets.US_ASCII);
        int slot = io.spinel.store.SlotHash.slot(key);
        MutableString original = new MutableString("abc".getBytes(StandardCharsets.US_ASCII), 8);
        try (RawClient client = new RawClient(servers.spinel().port())) {
            client.call("FLUSHALL");
            keyspace.locks().lock(slot);
            try {
                keyspace.database(0).set(key, original, false);
            } finally {
                keyspace.locks().unlock(slot);
            }
            assertThat(client.call("COPY", "grown", "copy")).isEqualTo(":1\r\n");
            assertThat(client.call("OBJECT", "ENCODING", "copy")).isEqualTo("$3\r\nraw\r\n");
            keyspace.locks().lock(slot);
            try {
                original.append("d".getBytes(StandardCharsets.US_ASCII));
            } finally {
                keyspace.locks().unlock(slot);
            }
            assertThat(client.call("GET", "copy")).isEqualTo("$3\r\nabc\r\n");
            assertThat(client.call("GET", "grown")).isEqualTo("$4\r\nabcd\r\n");
        }
    }
}
