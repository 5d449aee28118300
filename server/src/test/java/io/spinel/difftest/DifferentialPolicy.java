package io.spinel.difftest;

import io.spinel.command.CommandSpec;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * What the differential tests may compare, and how: the one place that lists the commands left
 * out (with the reason), the replies compared by type only or within a tolerance, the replies
 * that are sets of pairs, and the tokens the generator must not produce.
 *
 * <p>Everything not named here is compared byte for byte, after sorting when the command's tips
 * say {@code nondeterministic_output_order}. A command whose tips say
 * {@code nondeterministic_output} is compared by reply type only, unless a tolerance below says
 * how to compare its value.
 */
final class DifferentialPolicy {
    private DifferentialPolicy() {
    }

    /** Commands (full names: "config|set") never sent by the random test, with the reason. */
    static final Map<String, String> EXCLUDED = Map.ofEntries(
            Map.entry("shutdown", "stops the server"),
            Map.entry("debug", "protected, and its subcommands crash, sleep or reload the server"),
            Map.entry("monitor", "turns the connection into a feed of other clients' commands"),
            Map.entry("subscribe", "turns the connection into a push channel"),
            Map.entry("psubscribe", "turns the connection into a push channel"),
            Map.entry("ssubscribe", "turns the connection into a push channel"),
            Map.entry("unsubscribe", "answers with pushes that depend on the subscription state"),
            Map.entry("punsubscribe", "answers with pushes that depend on the subscription state"),
            Map.entry("sunsubscribe", "answers with pushes that depend on the subscription state"),
            Map.entry("blpop", "blocks until its timeout"),
            Map.entry("brpop", "blocks until its timeout"),
            Map.entry("brpoplpush", "blocks until its timeout"),
            Map.entry("blmove", "blocks until its timeout"),
            Map.entry("blmpop", "blocks until its timeout"),
            Map.entry("bzpopmin", "blocks until its timeout"),
            Map.entry("bzpopmax", "blocks until its timeout"),
            Map.entry("bzmpop", "blocks until its timeout"),
            Map.entry("wait", "waits for replicas until its timeout"),
            Map.entry("waitaof", "waits for fsyncs until its timeout"),
            Map.entry("client|kill", "could close the comparing connections"),
            Map.entry("client|pause", "stalls every client"),
            Map.entry("client|unpause", "only meaningful with CLIENT PAUSE"),
            Map.entry("client|reply", "OFF/SKIP suppress the replies the comparison waits for"),
            Map.entry("client|tracking", "invalidation pushes arrive asynchronously between replies"),
            Map.entry("config|set", "changes the server for every later stream"),
            Map.entry("config|rewrite", "writes the configuration file"),
            Map.entry("config|resetstat", "statistics are compared nowhere, resetting them is meaningless"),
            Map.entry("info", "statistics, versions and addresses differ by nature"),
            Map.entry("time", "the clock"),
            Map.entry("eval", "random bodies do not compile, and LuaJ words most syntax errors unlike Lua 5.1 (scripts: ScriptCorpusDifferentialIT)"),
            Map.entry("eval_ro", "random bodies do not compile, and LuaJ words most syntax errors unlike Lua 5.1 (scripts: ScriptCorpusDifferentialIT)"),
            Map.entry("script|load", "random bodies do not compile, and LuaJ words most syntax errors unlike Lua 5.1 (scripts: ScriptCorpusDifferentialIT)"),
            Map.entry("lastsave", "the clock"),
            Map.entry("dump", "payload bytes depend on encodings and the LZF compressor (PersistenceCommandsIT compares digests)"),
            Map.entry("randomkey", "random"),
            Map.entry("spop", "pops random members, so the two keyspaces would diverge"),
            Map.entry("xautoclaim", "depends on idle times measured by each server's clock"),
            Map.entry("xclaim", "depends on idle times measured by each server's clock"),
            Map.entry("scan", "cursors are implementation details"),
            Map.entry("sscan", "cursors are implementation details"),
            Map.entry("hscan", "cursors are implementation details"),
            Map.entry("zscan", "cursors are implementation details"),
            Map.entry("object|idletime", "the clock"),
            Map.entry("object|freq", "LFU counters decay with the clock"),
            Map.entry("memory", "allocator figures"),
            Map.entry("slowlog", "timings"),
            Map.entry("latency", "timings"),
            Map.entry("save", "writes files"),
            Map.entry("bgsave", "writes files in the background"),
            Map.entry("bgrewriteaof", "writes files in the background"),
            Map.entry("replicaof", "turns the server into a replica"),
            Map.entry("slaveof", "turns the server into a replica"),
            Map.entry("sync", "replication stream"),
            Map.entry("psync", "replication stream"),
            Map.entry("replconf", "replication handshake"),
            Map.entry("failover", "replication"),
            Map.entry("migrate", "opens connections to other servers"),
            Map.entry("module", "loads shared libraries"),
            Map.entry("lolwut", "prints the server version"),
            Map.entry("pfselftest", "a self-test that runs for more than a second"),
            Map.entry("command", "the table describes Redis 7.2, the oracle is 7.0"),
            Map.entry("acl|setuser", "could disable the default user of every later stream"),
            Map.entry("acl|deluser", "changes the users of every later stream"),
            Map.entry("acl|load", "reads files"),
            Map.entry("acl|save", "writes files"),
            Map.entry("acl|log", "entries carry ages and client addresses"),
            Map.entry("acl|genpass", "random"),
            Map.entry("cluster", "cluster mode differs between the two servers' setups"),
            Map.entry("client|help", "Redis 7.2 lists SETINFO and NO-TOUCH, the oracle is 7.0"),
            Map.entry("client|list", "Redis 7.2 refuses invalid IDs that 7.0 ignores"),
            Map.entry("hexpire", "Redis 7.4+ command; the oracle is 7.0"),
            Map.entry("hpexpire", "Redis 7.4+ command; the oracle is 7.0"),
            Map.entry("hexpireat", "Redis 7.4+ command; the oracle is 7.0"),
            Map.entry("hpexpireat", "Redis 7.4+ command; the oracle is 7.0"),
            Map.entry("httl", "Redis 7.4+ command; the oracle is 7.0"),
            Map.entry("hpttl", "Redis 7.4+ command; the oracle is 7.0"),
            Map.entry("hexpiretime", "Redis 7.4+ command; the oracle is 7.0"),
            Map.entry("hpexpiretime", "Redis 7.4+ command; the oracle is 7.0"),
            Map.entry("hpersist", "Redis 7.4+ command; the oracle is 7.0"),
            Map.entry("hgetex", "Redis 7.4+ command; the oracle is 7.0"),
            Map.entry("hsetex", "Redis 7.4+ command; the oracle is 7.0"),
            Map.entry("hgetdel", "Redis 7.4+ command; the oracle is 7.0"));

    /** Commands whose reply is compared by type only although their tips do not say so. */
    static final Map<String, String> TYPE_ONLY = Map.of(
            "client|id", "ids count connections, and each harness opens a different number",
            "hello", "the reply names the server, its version and the client id");

    /**
     * Integer replies compared within a tolerance: second and millisecond figures that depend on
     * when each server ran the command (the two run it a fraction of a millisecond apart, which
     * may cross a rounding boundary).
     */
    static final Map<String, Long> TOLERANCE = Map.of(
            "ttl", 1L,
            "pttl", 100L,
            "expiretime", 1L,
            "pexpiretime", 100L);

    /** Flat-array replies that are unordered sets of name/value pairs. */
    static final Set<String> PAIRED = Set.of("config|get", "hgetall");

    /**
     * Tokens the generator never produces for a command: forms that are random or asynchronous;
     * SORT's BY, which with a pattern without {@code *} returns a set in its iteration order
     * (random per process in Redis 7.0, whose small sets are hash tables); and GT/LT of the
     * relative EXPIRE forms, whose answer to the same relative time sent twice depends on whether
     * the server's clock ticked in between (KeyCommandsIT covers them with absolute times); and
     * ZRANK/ZREVRANK's WITHSCORE, new in Redis 7.2 (SortedSetCommandsIT covers it); XINFO STREAM
     * FULL, which lists delivery and seen times, and the consumers' active-time that Redis 7.2
     * added (StreamCommandsIT covers it).
     */
    static final Map<String, Set<String>> FORBIDDEN_TOKENS = Map.ofEntries(
            Map.entry("expire", Set.of("GT", "LT")),
            Map.entry("pexpire", Set.of("GT", "LT")),
            Map.entry("sort", Set.of("BY")),
            Map.entry("sort_ro", Set.of("BY")),
            Map.entry("xadd", Set.of("*", "~")),
            Map.entry("xtrim", Set.of("~")),
            Map.entry("xread", Set.of("BLOCK")),
            Map.entry("xinfo|stream", Set.of("FULL")),
            Map.entry("xreadgroup", Set.of("BLOCK")),
            Map.entry("flushall", Set.of("ASYNC")),
            Map.entry("flushdb", Set.of("ASYNC")),
            Map.entry("zrank", Set.of("WITHSCORE")),
            Map.entry("zrevrank", Set.of("WITHSCORE")));

    /**
     * Commands whose replies carry scores: Redis 7.2 prints doubles with the shortest digits that
     * read back (0.1), the 7.0 oracle with %.17g (0.10000000000000001). Their replies are compared
     * with every string or double that reads as a number on both sides compared as a double.
     * EXEC is one of them: its reply holds the replies of the sorted-set writes it ran.
     */
    static final Set<String> DOUBLES = Set.of("zadd", "zincrby", "zscore", "zmscore", "zrange", "zrangebyscore",
            "zrevrangebyscore", "zrevrange", "zpopmin", "zpopmax", "zmpop", "zunion", "zinter", "zdiff",
            "zrandmember", "zscan", "bzpopmin", "bzpopmax", "bzmpop", "exec");

    /**
     * Commands whose longer forms are new in Redis 7.2 (ZRANK key member WITHSCORE), which the 7.0
     * oracle answers with an arity error: invocations with more arguments than this are not sent.
     */
    static final Map<String, Integer> MAX_ARGUMENTS = Map.of("zrank", 3, "zrevrank", 3);

    /**
     * Arguments an invocation of these commands must not have: XREAD's {@code +} (the last
     * entry) is Redis 7.4's, which the 7.0 oracle refuses; XREADGROUP's {@code >} creates the
     * consumer in Redis 7.2 even when nothing is new for it, in 7.0 only when it serves, so the
     * consumer counts would part (StreamCommandsIT and the corpus cover both).
     */
    static final Map<String, Set<String>> FORBIDDEN_VALUES = Map.of(
            "xread", Set.of("+"),
            "xreadgroup", Set.of(">"));

    /** Whether an invocation may be sent to both servers (see {@link #MAX_ARGUMENTS}, {@link #FORBIDDEN_VALUES}). */
    static boolean sendable(java.util.List<byte[]> argv) {
        String name = new String(argv.get(0), StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
        Set<String> forbidden = FORBIDDEN_VALUES.get(name);
        if (forbidden != null) {
            for (byte[] arg : argv) {
                if (forbidden.contains(new String(arg, StandardCharsets.ISO_8859_1))) {
                    return false;
                }
            }
        }
        Integer max = MAX_ARGUMENTS.get(name);
        return max == null || argv.size() <= max;
    }

    /**
     * Small encodings Redis 7.2 introduced that the 7.0 oracle reports under the large one: per
     * type (as TYPE names it), Spinel's OBJECT ENCODING answer and the oracle's. A reply pair that
     * differs exactly so is equal (7.2 keeps small lists and sets in listpacks; 7.0 has a
     * quicklist for every list and no listpack sets).
     */
    static final Map<String, Map<String, String>> ENCODINGS_NEW_IN_72 = Map.of(
            "list", Map.of("listpack", "quicklist"),
            "set", Map.of("listpack", "hashtable"));

    /**
     * Replies Redis 7.2 gives where the 7.0 oracle gives another: Spinel's (7.2's) reply and the
     * oracle's possible ones. XREAD and XREADGROUP name themselves in 7.2's unbalanced-streams
     * error (7.0 says XREAD and '$' for both); 7.2's XSETID refuses an ID below the stream's
     * max-deleted-entry-id, which 7.0 accepts or refuses for being below the top entry.
     */
    static final Map<String, Set<String>> REPLIES_NEW_IN_72 = Map.of(
            "-ERR Unbalanced 'xread' list of streams: for each stream key an ID or '$' must be specified.\r\n",
            Set.of("-ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.\r\n"),
            "-ERR Unbalanced 'xreadgroup' list of streams: for each stream key an ID or '>' must be specified.\r\n",
            Set.of("-ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.\r\n"),
            "-ERR The ID specified in XSETID is smaller than current max_deleted_entry_id\r\n",
            Set.of("+OK\r\n", "-ERR The ID specified in XSETID is smaller than the target stream top item\r\n"));

    /**
     * Whether a reply pair differs only by {@link #REPLIES_NEW_IN_72}: the whole reply, or
     * elements of it (an EXEC's reply holds its commands' replies).
     */
    static boolean replyNewIn72(byte[] spinelReply, byte[] redisReply) {
        if (spinelReply == null || redisReply == null) {
            return false;
        }
        String spinel = new String(spinelReply, StandardCharsets.ISO_8859_1);
        String redis = new String(redisReply, StandardCharsets.ISO_8859_1);
        Set<String> theirs = REPLIES_NEW_IN_72.get(spinel);
        if (theirs != null) {
            return theirs.contains(redis);
        }
        for (Map.Entry<String, Set<String>> pair : REPLIES_NEW_IN_72.entrySet()) {
            if (spinel.contains(pair.getKey())) {
                for (String oracle : pair.getValue()) {
                    if (spinel.replace(pair.getKey(), oracle).equals(redis)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** How a reply to {@code spec} is compared. */
    enum Mode { EXACT, SORTED, TYPE_ONLY, TOLERANCE }

    /** The reason {@code spec} is left out, or null when it is compared. */
    static String exclusion(CommandSpec spec) {
        String reason = EXCLUDED.get(spec.fullName());
        if (reason == null && spec.fullName().contains("|")) {
            reason = EXCLUDED.get(spec.fullName().substring(0, spec.fullName().indexOf('|')));
        }
        return reason;
    }

    /** The comparison mode for replies to {@code spec}. */
    static Mode mode(CommandSpec spec) {
        if (TOLERANCE.containsKey(spec.fullName())) {
            return Mode.TOLERANCE;
        }
        if (TYPE_ONLY.containsKey(spec.fullName()) || spec.tips().contains("nondeterministic_output")) {
            return Mode.TYPE_ONLY;
        }
        if (PAIRED.contains(spec.fullName()) || spec.tips().contains("nondeterministic_output_order")) {
            return Mode.SORTED;
        }
        return Mode.EXACT;
    }
}
