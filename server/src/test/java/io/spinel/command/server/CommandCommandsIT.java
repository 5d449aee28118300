package io.spinel.command.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinel.command.CommandSpec;
import io.spinel.testing.Differential;
import io.spinel.testing.RawClient;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** COMMAND against a real Redis: every served command's COMMAND INFO, some DOCS, GETKEYS, COUNT and LIST. */
class CommandCommandsIT {
    @RegisterExtension
    static final Differential servers = new Differential();

    private static RawClient ours;
    private static RawClient theirs;

    @BeforeAll
    static void connect() {
        ours = new RawClient(servers.spinel().port());
        theirs = new RawClient(servers.redis().port());
    }

    @AfterAll
    static void disconnect() {
        ours.close();
        theirs.close();
    }

    private static Collection<CommandSpec> served() {
        return servers.spinel().context().commands().commands();
    }

    /** Splits the raw bytes of one RESP2 reply into the raw bytes of its top-level elements. */
    private static List<byte[]> elements(byte[] reply) {
        ByteArrayInputStream in = new ByteArrayInputStream(reply);
        String header = line(in, new ByteArrayOutputStream());
        int count = Integer.parseInt(header.substring(1));
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ByteArrayOutputStream element = new ByteArrayOutputStream();
            value(in, element);
            out.add(element.toByteArray());
        }
        return out;
    }

    private static void value(ByteArrayInputStream in, ByteArrayOutputStream out) {
        String line = line(in, out);
        int n = line.length() > 1 && line.charAt(0) != '+' && line.charAt(0) != '-' ? Integer.parseInt(line.substring(1)) : 0;
        switch (line.charAt(0)) {
            case '$' -> {
                byte[] data = new byte[Math.max(0, n + 2)];
                out.write(data, 0, in.read(data, 0, data.length));
            }
            case '*' -> {
                for (int i = 0; i < n; i++) {
                    value(in, out);
                }
            }
            default -> {
                // single-line types
            }
        }
    }

    private static String line(ByteArrayInputStream in, ByteArrayOutputStream out) {
        StringBuilder text = new StringBuilder();
        int b;
        while ((b = in.read()) != '\n') {
            out.write(b);
            text.append((char) b);
        }
        out.write(b);
        return text.substring(0, text.length() - 1);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    @Test
    void info_everyServedCommandMatchesRedis() {
        int compared = 0;
        for (CommandSpec spec : served()) {
            String redisReply = theirs.call("COMMAND", "INFO", spec.fullName());
            if (redisReply.equals("*1\r\n$-1\r\n")) {
                continue; // a command newer than the Redis installed
            }
            if (INFO_CHANGED_IN_7_2.contains(spec.fullName())) {
                continue;
            }
            if (!spec.isContainer()) {
                assertThat(ours.call("COMMAND", "INFO", spec.fullName())).as(spec.fullName()).isEqualTo(redisReply);
                compared++;
                continue;
            }
            // Containers: the fields before the subcommand list, then each served subcommand alone.
            List<byte[]> mine = elements(elements(ours.call(new byte[][] {"COMMAND".getBytes(), "INFO".getBytes(),
                    spec.fullName().getBytes()})).get(0));
            List<byte[]> real = elements(elements(redisReply.getBytes(StandardCharsets.ISO_8859_1)).get(0));
            for (int i = 0; i < 9; i++) {
                assertThat(text(mine.get(i))).as(spec.fullName() + " field " + i).isEqualTo(text(real.get(i)));
            }
            for (CommandSpec sub : spec.subcommands().values()) {
                String redisSub = theirs.call("COMMAND", "INFO", sub.fullName());
                if (sub.implemented() && !redisSub.equals("*1\r\n$-1\r\n")) {
                    assertThat(ours.call("COMMAND", "INFO", sub.fullName())).as(sub.fullName()).isEqualTo(redisSub);
                    compared++;
                }
            }
        }
        assertThat(compared).isGreaterThan(25);
    }

    @Test
    void info_unknownNamesAreNull() {
        assertThat(ours.call("COMMAND", "INFO", "nosuch", "get"))
                .isEqualTo(theirs.call("COMMAND", "INFO", "nosuch", "get"));
        assertThat(ours.call("COMMAND", "INFO", "nosuch")).isEqualTo("*1\r\n$-1\r\n");
    }

    /**
     * Commands whose docs differ from the installed 7.0's: 7.2 added a history entry to CLIENT
     * LIST and the WITHSCORE option to ZRANK and ZREVRANK, 7.4 the NOVALUES option to HSCAN.
     */
    private static final java.util.Set<String> DOCS_CHANGED_IN_7_2 =
            java.util.Set.of("client|list", "hscan", "zrank", "zrevrank");
    /** Commands whose Redis 7.2 arity differs from the installed 7.0's (ZRANK's WITHSCORE is new in 7.2). */
    private static final java.util.Set<String> INFO_CHANGED_IN_7_2 = java.util.Set.of("zrank", "zrevrank");

    @Test
    void docs_matchRedis() {
        List<String> names = new ArrayList<>();
        for (CommandSpec spec : served()) {
            if (!spec.isContainer()) {
                names.add(spec.fullName()); // a container's subcommands come in Redis's hash order
            }
            for (CommandSpec sub : spec.subcommands().values()) {
                if (sub.implemented()) {
                    names.add(sub.fullName());
                }
            }
        }
        assertThat(names).contains("get", "set", "time", "info", "command|getkeys", "slowlog|get", "memory|usage");
        for (String name : names) {
            String redisDocs = theirs.call("COMMAND", "DOCS", name);
            if (!redisDocs.equals("*0\r\n") && !DOCS_CHANGED_IN_7_2.contains(name)) {
                assertThat(ours.call("COMMAND", "DOCS", name)).as(name).isEqualTo(redisDocs);
            }
        }
        assertThat(ours.call("COMMAND", "DOCS", "nosuch")).isEqualTo("*0\r\n");
    }

    @Test
    void getkeys_matchesRedis() {
        List<String[]> cases = List.of(
                new String[] {"COMMAND", "GETKEYS", "set", "a", "b"},
                new String[] {"COMMAND", "GETKEYS", "get", "a", "b"},
                new String[] {"COMMAND", "GETKEYS", "nosuch", "a"},
                new String[] {"COMMAND", "GETKEYS", "ping"},
                new String[] {"COMMAND", "GETKEYS", "ping", "x"},
                new String[] {"COMMAND", "GETKEYS", "memory", "usage", "k"},
                new String[] {"COMMAND", "GETKEYS", "set", "a"},
                new String[] {"COMMAND", "GETKEYS", "set", "a", "b", "EX", "1", "GET"},
                new String[] {"COMMAND", "GETKEYS", "slowlog", "get"},
                new String[] {"COMMAND", "GETKEYS", "slowlog", "nosuch"},
                new String[] {"COMMAND", "GETKEYSANDFLAGS", "get", "a"},
                new String[] {"COMMAND", "GETKEYSANDFLAGS", "set", "a", "b"},
                new String[] {"COMMAND", "GETKEYSANDFLAGS", "set", "a", "b", "get"},
                new String[] {"COMMAND", "GETKEYSANDFLAGS", "memory", "usage", "a"},
                new String[] {"COMMAND", "GETKEYS"});
        for (String[] request : cases) {
            assertThat(ours.call(request)).as(String.join(" ", request)).isEqualTo(theirs.call(request));
        }
    }

    @Test
    void infoAndDocs_resp3MatchRedis() {
        try (RawClient mine = new RawClient(servers.spinel().port()); RawClient real = new RawClient(servers.redis().port())) {
            real.call("HELLO", "3");
            mine.call("PING");
            servers.spinel().context().clients().forEach(c -> {
                if (c.lastCommand().equals("ping")) {
                    c.reply().protocol(3);
                }
            });
            for (String[] request : List.of(new String[] {"COMMAND", "INFO", "get", "nosuch", "set", "command|docs"},
                    new String[] {"COMMAND", "DOCS", "set", "slowlog|get"},
                    new String[] {"COMMAND", "GETKEYSANDFLAGS", "set", "a", "b"})) {
                assertThat(mine.call(request)).as(String.join(" ", request)).isEqualTo(real.call(request));
            }
        }
    }

    @Test
    void count_isTheServedCommands() {
        assertThat(ours.call("COMMAND", "COUNT")).isEqualTo(":" + served().size() + "\r\n");
        assertThat(ours.call("COMMAND", "COUNT", "x")).isEqualTo(theirs.call("COMMAND", "COUNT", "x"));
    }

    @Test
    void list_namesServedCommandsAndSubcommands() {
        List<byte[]> names = elements(ours.call(new byte[][] {"COMMAND".getBytes(), "LIST".getBytes()}));
        List<String> listed = names.stream().map(b -> text(b).split("\r\n")[1]).toList();
        for (CommandSpec spec : served()) {
            assertThat(listed).contains(spec.fullName());
        }
        assertThat(listed).contains("command|list", "slowlog|get");
        assertThat(ours.call("COMMAND", "LIST", "FILTERBY", "PATTERN", "slowlog|*"))
                .startsWith("*4\r\n").contains("slowlog|get");
        assertThat(ours.call("COMMAND", "LIST", "FILTERBY", "ACLCAT", "connection")).contains("$4\r\nping\r\n");
        assertThat(ours.call("COMMAND", "LIST", "FILTERBY", "MODULE", "x")).isEqualTo("*0\r\n");
        for (String[] bad : List.of(new String[] {"COMMAND", "LIST", "x"}, new String[] {"COMMAND", "LIST", "FILTERBY", "bad", "x"})) {
            assertThat(ours.call(bad)).isEqualTo(theirs.call(bad));
        }
    }

    @Test
    void help_matchesRedis() {
        assertThat(ours.call("COMMAND", "HELP")).isEqualTo(theirs.call("COMMAND", "HELP"));
        assertThat(ours.call("SLOWLOG", "HELP")).isEqualTo(theirs.call("SLOWLOG", "HELP"));
    }
}
