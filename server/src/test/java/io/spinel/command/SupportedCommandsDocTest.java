package io.spinel.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinel.config.Config;
import io.spinel.server.CommandFamilies;
import io.spinel.store.Clock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The README's list of supported commands is the command table's list of served commands: this
 * test fails when they differ and prints the block to paste.
 */
class SupportedCommandsDocTest {
    private static final String BEGIN = "<!-- supported-commands:begin -->";
    private static final String END = "<!-- supported-commands:end -->";

    @Test
    void readme_listsExactlyTheServedCommands() throws IOException {
        ServerContext server = new ServerContext(new Config(), Clock.SYSTEM);
        CommandFamilies.bindAll(server);
        String expected = render(server.commands());
        Path readme = Path.of("..", "README.md");
        String text = Files.readString(readme);
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        assertThat(begin).as("README.md has the " + BEGIN + " marker").isGreaterThanOrEqualTo(0);
        String actual = text.substring(begin + BEGIN.length(), end).strip();
        assertThat(actual).as("README.md supported commands; paste:\n" + expected).isEqualTo(expected.strip());
    }

    /** One line per group: the served commands, subcommands after their container. */
    static String render(CommandTable table) {
        Map<String, List<String>> byGroup = new TreeMap<>();
        for (CommandSpec spec : table.commands()) {
            String group = String.valueOf(spec.docs().getOrDefault("group", "other"));
            String entry = spec.name().toUpperCase(Locale.ROOT);
            if (spec.isContainer()) {
                List<String> subs = new ArrayList<>();
                for (CommandSpec sub : spec.subcommands().values()) {
                    if (sub.implemented()) {
                        subs.add(sub.name().toUpperCase(Locale.ROOT));
                    }
                }
                entry += " (" + String.join(" ", subs) + ")";
            }
            byGroup.computeIfAbsent(group, g -> new ArrayList<>()).add(entry);
        }
        StringBuilder out = new StringBuilder();
        byGroup.forEach((group, names) -> out.append("- **").append(group).append("**: ")
                .append(String.join(", ", names)).append('\n'));
        return out.toString();
    }
}
