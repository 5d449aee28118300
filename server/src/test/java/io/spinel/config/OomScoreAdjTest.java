package io.spinel.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OomScoreAdj against a file standing in for /proc/self/oom_score_adj. */
class OomScoreAdjTest {
    @TempDir
    Path dir;

    private String adjustment(Path file) throws Exception {
        return Files.readString(file).trim();
    }

    @Test
    void relativeAddsToTheStartingValueAbsoluteReplacesItNoRestoresIt() throws Exception {
        Path file = dir.resolve("oom_score_adj");
        Files.writeString(file, "100\n");
        OomScoreAdj adj = new OomScoreAdj(file, message -> { });
        int[] values = {30, 200, 800};
        assertThat(adj.apply("no", values)).isTrue();
        assertThat(adjustment(file)).isEqualTo("100"); // never enabled: left alone
        assertThat(adj.apply("yes", values)).isTrue();
        assertThat(adjustment(file)).isEqualTo("130");
        assertThat(adj.apply("yes", new int[] {-50, 0, 0})).isTrue();
        assertThat(adjustment(file)).isEqualTo("50"); // from the starting value, not from 130
        assertThat(adj.apply("absolute", values)).isTrue();
        assertThat(adjustment(file)).isEqualTo("30");
        assertThat(adj.apply("absolute", new int[] {2000, 0, 0})).isTrue();
        assertThat(adjustment(file)).isEqualTo("1000"); // clamped
        assertThat(adj.apply("no", values)).isTrue();
        assertThat(adjustment(file)).isEqualTo("100");
    }

    @Test
    void anUnreadableFileFailsWithALogLine() {
        List<String> log = new ArrayList<>();
        OomScoreAdj adj = new OomScoreAdj(dir.resolve("missing"), log::add);
        assertThat(adj.apply("yes", new int[] {0, 200, 800})).isFalse();
        assertThat(log).singleElement().asString().startsWith("Unable to read oom_score_adj: ");
    }

    @Test
    void valuesParseAsRedisParsesThem() {
        assertThat(OomScoreAdj.parseValues("0 200 800", null)).containsExactly(0, 200, 800);
        assertThat(OomScoreAdj.parseValues("1  2", null)).containsExactly(1, 0, 2); // an empty word is 0, as strtol reads it
        assertThat(OomScoreAdj.formatValues(new int[] {-2000, 5, 2000})).isEqualTo("-2000 5 2000");
        assertThat(OomScoreAdj.parseMode("RELATIVE", null)).isEqualTo("yes");
    }
}
