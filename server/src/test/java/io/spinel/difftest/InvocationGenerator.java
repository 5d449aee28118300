package io.spinel.difftest;

import io.spinel.command.CommandSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Generates random invocations of a command from the argument tree of its documentation
 * ({@code CommandSpec.docs().get("arguments")}), the same tree Redis's COMMAND DOCS returns.
 *
 * <h2>The argument tree</h2>
 * Each argument is a map with a {@code name}, a {@code type} and optionally a {@code token} (a
 * keyword written before it), {@code flags} ({@code optional}, {@code multiple},
 * {@code multiple_token}) and, for {@code block} and {@code oneof}, child {@code arguments}. A
 * block writes its token then every child in order; a oneof writes its token then one child. An
 * optional argument appears half of the time; a multiple one one to three times, its token
 * written once before the values, or before each value when {@code multiple_token} is set.
 *
 * <h2>Values</h2>
 * The pools are small on purpose, so that random invocations collide: seven keys ({@code k1} to
 * {@code k5}, and {@code {t}a}, {@code {t}b} that share a hash slot for multi-key commands), a few
 * members and fields, integers around zero plus the 64-bit limits, floats, the empty string and
 * binary bytes. The argument's name refines its type where the type alone would make nearly
 * every invocation an error ({@code encoding} of BITFIELD, stream ids, lexicographic ranges,
 * {@code numkeys}, which is set to the number of keys that follow). Two dangers are kept out:
 * offsets and counts stay small (SETRANGE or SRANDMEMBER with a huge one would allocate
 * gigabytes in both servers), and expiry times are either in the past or at least 100 seconds
 * away, so that no key expires between the two servers' runs of a stream.
 *
 * <h2>Invalid invocations</h2>
 * {@link #invalid} starts from a valid invocation and breaks it one way: wrong arity, a number
 * replaced by something that is not one, an unknown option, a token without its value.
 * Invocations on keys holding the wrong type come from the streams themselves: they mix in
 * {@link #seed} commands that store every type the server can build on the same key pool.
 *
 * <p>Deterministic for a given random seed and clock, so a failing stream can be replayed.
 */
final class InvocationGenerator {
    private static final String[] KEYS = {"k1", "k2", "k3", "k4", "k5", "{t}a", "{t}b"};
    private static final String[] VALUES = {"v", "hello", "", "0", "1", "-1", "10", "42", "123456789",
        "9223372036854775807", "-9223372036854775808", "9223372036854775808", "3.14", "-0.5", "1e5", "inf",
        "01", " 1", "a b", "\u00e9t\u00e9", "x".repeat(44), "y".repeat(45)};
    private static final String[] MEMBERS = {"m1", "m2", "m3", "a", "b", "1", "2", ""};
    private static final String[] FIELDS = {"f1", "f2", "f3", "a", "1"};
    private static final String[] RANGE_BOUNDS = {"0", "1", "-1", "2", "5", "+", "-", "(1", "[a", "(a", "[m2",
        "0-1", "1-1", "2-0", "inf", "-inf", "+inf", "(2.5", "abc"};
    private static final String[] STREAM_IDS = {"0", "0-1", "1-1", "1-2", "2-0", "5", "$", ">", "+", "-", "bad"};
    private static final String[] PATTERNS = {"*", "k*", "*1", "k?", "k[1-3]", "k[^1]", "{t}*", "\\*", "m*", "f*", "[a-"};
    private static final String[] ENCODINGS = {"i8", "u8", "i16", "u4", "i64", "u63", "u64", "i0", "x8"};
    private static final String[] SCRIPTS = {"return 1", "return ARGV[1]", "return redis.call('GET', KEYS[1])",
        "return {1, 'a', {2}}", "return redis.status_reply('FINE')", "error"};
    private static final String[] CONFIG_PARAMETERS = {"maxmemory", "hz", "maxmemory-policy", "timeout",
        "databases", "hash-max-*", "zset-max-listpack-entries", "nosuchparameter"};
    private static final long[] LIMITS = {Long.MAX_VALUE, Long.MIN_VALUE, Integer.MAX_VALUE, Integer.MIN_VALUE,
        4294967296L};
    private static final String[] NOT_NUMBERS = {"abc", "", "1.5", "1e3", "9223372036854775808", "nan", " 1", "0x10"};

    private final SplittableRandom random;
    private final String keyPrefix;
    private final long nowMillis;

    /**
     * A generator drawing from {@code random}; keys get {@code keyPrefix}, absolute times are
     * placed around {@code nowMillis}.
     */
    InvocationGenerator(SplittableRandom random, String keyPrefix, long nowMillis) {
        this.random = random;
        this.keyPrefix = keyPrefix;
        this.nowMillis = nowMillis;
    }

    /** The argv of a random valid invocation of {@code spec}, command (and subcommand) name first. */
    List<byte[]> valid(CommandSpec spec) {
        List<byte[]> argv = new ArrayList<>();
        String fullName = spec.fullName();
        int bar = fullName.indexOf('|');
        if (bar < 0) {
            argv.add(bytes(caseOf(fullName)));
        } else {
            argv.add(bytes(caseOf(fullName.substring(0, bar))));
            argv.add(bytes(caseOf(fullName.substring(bar + 1))));
        }
        Set<String> forbidden = DifferentialPolicy.FORBIDDEN_TOKENS.getOrDefault(fullName, Set.of());
        sequence(arguments(spec.docs()), forbidden, argv);
        return argv;
    }

    /** The argv of a random invalid invocation of {@code spec}: a valid one, broken one way. */
    List<byte[]> invalid(CommandSpec spec) {
        List<byte[]> argv = valid(spec);
        int fixed = spec.fullName().contains("|") ? 2 : 1;
        switch (random.nextInt(5)) {
            case 0 -> {
                // Wrong arity: one argument short of the minimum, or one too many for a fixed arity.
                int arity = spec.arity();
                int minimum = Math.abs(arity);
                if (arity > 0 && random.nextBoolean()) {
                    while (argv.size() <= arity) {
                        argv.add(bytes(pick(VALUES)));
                    }
                } else {
                    while (argv.size() >= minimum && argv.size() > 1) {
                        argv.remove(argv.size() - 1);
                    }
                }
            }
            case 1 -> {
                int numeric = numericPosition(argv, fixed);
                if (numeric >= 0) {
                    argv.set(numeric, bytes(pick(NOT_NUMBERS)));
                } else {
                    argv.add(bytes("NOTANOPTION"));
                }
            }
            case 2 -> argv.add(fixed + random.nextInt(argv.size() - fixed + 1), bytes(pick(new String[] {
                "BOGUS", "NX", "XX", "GET", "EX", "COUNT", "WITHSCORES", "LIMIT"})));
            case 3 -> {
                if (argv.size() > fixed) {
                    argv.remove(fixed + random.nextInt(argv.size() - fixed));
                }
            }
            default -> argv.add(bytes(pick(VALUES)));
        }
        return argv;
    }

    /**
     * A command that stores a value of some type under a pool key, using one of the
     * {@code available} commands (lower-case names): SET, LPUSH, SADD, HSET, ZADD, GEOADD, PFADD, XADD.
     */
    List<byte[]> seed(Set<String> available) {
        List<List<String>> forms = new ArrayList<>();
        String key = key();
        if (available.contains("set")) {
            forms.add(List.of("SET", key, pick(VALUES)));
        }
        if (available.contains("lpush")) {
            forms.add(List.of("LPUSH", key, pick(MEMBERS), pick(MEMBERS)));
        }
        if (available.contains("sadd")) {
            forms.add(List.of("SADD", key, pick(MEMBERS), pick(MEMBERS)));
        }
        if (available.contains("hset")) {
            forms.add(List.of("HSET", key, pick(FIELDS), pick(VALUES)));
        }
        if (available.contains("zadd")) {
            forms.add(List.of("ZADD", key, String.valueOf(random.nextInt(-2, 5)), pick(MEMBERS)));
        }
        if (available.contains("geoadd")) {
            forms.add(List.of("GEOADD", key, String.valueOf(random.nextInt(-180, 181)),
                    String.valueOf(random.nextInt(-85, 86)), pick(MEMBERS)));
        }
        if (available.contains("pfadd")) {
            forms.add(List.of("PFADD", key, pick(MEMBERS), pick(MEMBERS)));
        }
        if (available.contains("xadd")) {
            forms.add(List.of("XADD", key, random.nextInt(1, 4) + "-" + random.nextInt(1, 3), "f", pick(VALUES)));
        }
        List<byte[]> argv = new ArrayList<>();
        if (forms.isEmpty()) {
            return argv;
        }
        for (String arg : forms.get(random.nextInt(forms.size()))) {
            argv.add(bytes(arg));
        }
        return argv;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> arguments(Map<String, Object> node) {
        return (List<Map<String, Object>>) node.getOrDefault("arguments", List.of());
    }

    @SuppressWarnings("unchecked")
    private static boolean flag(Map<String, Object> arg, String flag) {
        return ((List<String>) arg.getOrDefault("flags", List.of())).contains(flag);
    }

    /**
     * Writes {@code args} in order. A {@code numkeys} integer is written after the argument that
     * follows it has been generated, so that it counts the keys actually written.
     */
    private void sequence(List<Map<String, Object>> args, Set<String> forbidden, List<byte[]> out) {
        for (int i = 0; i < args.size(); i++) {
            Map<String, Object> arg = args.get(i);
            if ("numkeys".equals(arg.get("name")) && i + 1 < args.size()) {
                List<byte[]> following = new ArrayList<>();
                argument(args.get(i + 1), forbidden, following);
                int count = following.size();
                if (random.nextInt(20) == 0) {
                    count += random.nextBoolean() ? 1 : -1;
                }
                out.add(bytes(String.valueOf(count)));
                out.addAll(following);
                i++;
            } else {
                argument(arg, forbidden, out);
            }
        }
    }

    /** Writes one argument with its flags applied: maybe absent, maybe repeated. */
    private void argument(Map<String, Object> arg, Set<String> forbidden, List<byte[]> out) {
        String token = (String) arg.get("token");
        if (token != null && forbidden.contains(token)) {
            return;
        }
        if (flag(arg, "optional") && random.nextBoolean()) {
            return;
        }
        int repeat = flag(arg, "multiple") ? 1 + random.nextInt(3) : 1;
        boolean tokenEach = flag(arg, "multiple_token");
        String type = (String) arg.get("type");
        boolean valued = token != null && !"pure-token".equals(type);
        for (int r = 0; r < repeat; r++) {
            if (valued && (r == 0 || tokenEach)) {
                out.add(bytes(caseOf(token)));
            }
            value(arg, type, forbidden, out);
        }
    }

    /** Writes one occurrence of an argument's value (its token, if any, is already written). */
    private void value(Map<String, Object> arg, String type, Set<String> forbidden, List<byte[]> out) {
        String name = ((String) arg.get("name")).toLowerCase(Locale.ROOT);
        switch (type) {
            case "pure-token" -> out.add(bytes(caseOf((String) arg.get("token"))));
            case "block" -> sequence(arguments(arg), forbidden, out);
            case "oneof" -> {
                List<Map<String, Object>> choices = new ArrayList<>();
                for (Map<String, Object> choice : arguments(arg)) {
                    Object token = choice.get("token");
                    if (token == null || !forbidden.contains(token)) {
                        choices.add(choice);
                    }
                }
                if (!choices.isEmpty()) {
                    Map<String, Object> choice = choices.get(random.nextInt(choices.size()));
                    Map<String, Object> required = new java.util.LinkedHashMap<>(choice);
                    required.remove("flags");
                    argument(required, forbidden, out);
                }
            }
            case "key" -> out.add(bytes(key()));
            case "integer" -> out.add(bytes(String.valueOf(integer(name))));
            case "double" -> out.add(bytes(number(name)));
            case "pattern" -> out.add(bytes(pattern()));
            case "unix-time" -> out.add(bytes(String.valueOf(unixTime(name.contains("milli")))));
            default -> out.add(string(name));
        }
    }

    private String key() {
        return keyPrefix + pick(KEYS);
    }

    private String pattern() {
        String pattern = pick(PATTERNS);
        return pattern.startsWith("k") || pattern.startsWith("{") ? keyPrefix + pattern : pattern;
    }

    /** An integer suited to the argument {@code name}; see the class comment for the limits. */
    private long integer(String name) {
        if (name.contains("second") || name.equals("ttl")) {
            long seconds = pick(new long[] {-1, 0, 100, 1000, 86400});
            if (random.nextInt(30) == 0) {
                seconds = pick(LIMITS);
            }
            return name.contains("milli") ? seconds * 1000 : seconds;
        }
        return switch (name) {
            case "offset", "bit", "bits" -> random.nextInt(10) == 0 ? pick(new long[] {-1, 1L << 40}) : random.nextInt(0, 40);
            case "count", "num-matches", "len", "limit", "numreplicas", "rank" -> random.nextInt(-3, 8);
            case "db", "destination-db", "index" -> random.nextInt(-2, 5);
            case "protover" -> random.nextInt(1, 5);
            case "timeout", "ms", "min-idle-time" -> random.nextInt(0, 3);
            default -> random.nextInt(12) == 0 ? pick(LIMITS) : random.nextInt(-5, 12);
        };
    }

    /** A float argument: scores, increments, ranges (possibly exclusive), coordinates, radii. */
    private String number(String name) {
        return switch (name) {
            case "longitude" -> pick(new String[] {"13.361389", "15.087269", "0", "-180", "181"});
            case "latitude" -> pick(new String[] {"38.115556", "37.502669", "0", "85.05112878", "86"});
            case "min", "max" -> pick(new String[] {"-inf", "+inf", "inf", "0", "1", "(1", "1.5", "(2.5", "10", "-1", "x"});
            case "radius", "width", "height" -> pick(new String[] {"0", "1", "100", "1000.5", "200000", "-1"});
            default -> pick(new String[] {"0", "1", "-1", "1.5", "-2.5", "inf", "-inf", "+inf", "1e3", "3.0e-5",
                "0.1", "10", "1e400", "-0", "12345678901234567890"});
        };
    }

    /** An absolute time: in the past, or at least 100 seconds ahead. */
    private long unixTime(boolean millis) {
        long seconds = switch (random.nextInt(5)) {
            case 0 -> 1;
            case 1 -> nowMillis / 1000 - 100;
            case 2 -> -1;
            default -> nowMillis / 1000 + 100 * (1 + random.nextInt(100));
        };
        return millis ? seconds * 1000 : seconds;
    }

    /** A string argument, chosen by what its name says it is. */
    private byte[] string(String name) {
        if (random.nextInt(25) == 0) {
            return new byte[] {0, (byte) 0xff, '\r', '\n', 'a'};
        }
        return bytes(switch (name) {
            case "member", "member1", "member2", "element", "pivot" -> pick(MEMBERS);
            case "field" -> pick(FIELDS);
            case "start", "end", "stop", "min", "max", "threshold" -> pick(RANGE_BOUNDS);
            case "id", "last-id", "max_deleted_entry_id", "min-idle-time" -> pick(STREAM_IDS);
            case "encoding" -> random.nextInt(4) == 0 ? pick(ENCODINGS) : pick(new String[] {"i8", "u8", "i16"});
            case "group", "groupname" -> pick(new String[] {"g1", "g2"});
            case "consumer", "consumername" -> pick(new String[] {"c1", "c2"});
            case "channel", "shardchannel" -> pick(new String[] {"ch1", "ch2"});
            case "script" -> pick(SCRIPTS);
            case "sha1" -> pick(new String[] {"e0e1f9fabfc9d4800c877a703b823ac0578ff8db", "0000", "x".repeat(40)});
            case "parameter" -> pick(CONFIG_PARAMETERS);
            case "clientname", "connection-name", "name" -> pick(new String[] {"conn", "bad name", "", "lib"});
            case "username", "password" -> pick(new String[] {"default", "secret", ""});
            case "yes/no" -> pick(new String[] {"yes", "no", "maybe"});
            case "key" -> key();
            default -> pick(VALUES);
        });
    }

    /** The position of an argument that is a number (not the command name), or -1. */
    private int numericPosition(List<byte[]> argv, int from) {
        List<Integer> numeric = new ArrayList<>();
        for (int i = from; i < argv.size(); i++) {
            String text = new String(argv.get(i), StandardCharsets.ISO_8859_1);
            if (text.matches("-?[0-9]+(\\.[0-9]+)?")) {
                numeric.add(i);
            }
        }
        return numeric.isEmpty() ? -1 : numeric.get(random.nextInt(numeric.size()));
    }

    /** Commands and tokens are case-insensitive; mixing cases checks that both servers agree. */
    private String caseOf(String word) {
        return switch (random.nextInt(4)) {
            case 0 -> word.toLowerCase(Locale.ROOT);
            case 1 -> word.substring(0, 1).toLowerCase(Locale.ROOT) + word.substring(1).toUpperCase(Locale.ROOT);
            default -> word.toUpperCase(Locale.ROOT);
        };
    }

    private String pick(String[] pool) {
        return pool[random.nextInt(pool.length)];
    }

    private long pick(long[] pool) {
        return pool[random.nextInt(pool.length)];
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
