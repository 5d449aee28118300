package io.spinel.persistence.aof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The AOF command reader and the manifest format, including every truncation point and random damage. */
class AofReaderTest {
    private static final String LOG = "#TS:1700000000\r\n"
            + "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n"
            + "*3\r\n$3\r\nSET\r\n$1\r\na\r\n$3\r\nb\0c\r\n"
            + "*1\r\n$5\r\nMULTI\r\n*2\r\n$4\r\nINCR\r\n$1\r\nn\r\n*1\r\n$4\r\nEXEC\r\n"
            + "*2\r\n$3\r\nDEL\r\n$1\r\na\r\n";

    private static List<String> read(byte[] data, AofReader.Result[] result) throws AofFormatException {
        List<String> out = new ArrayList<>();
        result[0] = AofReader.read(data, 0, "test.aof", argv -> {
            List<String> words = new ArrayList<>();
            for (byte[] arg : argv) {
                words.add(new String(arg, StandardCharsets.ISO_8859_1));
            }
            out.add(String.join(" ", words));
        });
        return out;
    }

    @Test
    void read_wholeLog() throws Exception {
        AofReader.Result[] result = new AofReader.Result[1];
        byte[] data = LOG.getBytes(StandardCharsets.ISO_8859_1);
        assertThat(read(data, result)).containsExactly("SELECT 0", "SET a b\0c", "MULTI", "INCR n", "EXEC", "DEL a");
        assertThat(result[0]).isEqualTo(new AofReader.Result(data.length, false, 6));
    }

    @Test
    void read_cutAtEveryPosition_stopsAtTheLastCompleteCommand() throws Exception {
        byte[] data = LOG.getBytes(StandardCharsets.ISO_8859_1);
        String[] commands = {"SELECT 0", "SET a b\0c", "MULTI", "INCR n", "EXEC", "DEL a"};
        for (int cut = 0; cut < data.length; cut++) {
            AofReader.Result[] result = new AofReader.Result[1];
            List<String> read = read(Arrays.copyOf(data, cut), result);
            String prefix = LOG.substring(0, (int) result[0].validEnd());
            // The applied commands are exactly those that end at or before the valid end, and a
            // transaction is never applied in part.
            assertThat(read).containsExactly(Arrays.copyOf(commands, read.size()));
            assertThat(read.size()).isNotIn(3, 4);
            assertThat(LOG).startsWith(prefix);
            assertThat(result[0].validEnd()).isLessThanOrEqualTo(cut);
            assertThat(result[0].truncated()).isEqualTo(result[0].validEnd() < cut);
        }
    }

    @Test
    void read_randomDamage_errsOrStopsNeverThrowsOtherwise() {
        SplittableRandom random = new SplittableRandom(11);
        byte[] original = LOG.getBytes(StandardCharsets.ISO_8859_1);
        for (int round = 0; round < 5000; round++) {
            byte[] data = original.clone();
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                data[random.nextInt(data.length)] = (byte) random.nextInt(256);
            }
            try {
                AofReader.Result result = AofReader.read(data, 0, "x", argv -> { });
                assertThat(result.validEnd()).isBetween(0L, (long) data.length);
            } catch (AofFormatException e) {
                assertThat(e.getMessage()).startsWith("Bad file format reading the append only file x at offset ");
            }
        }
    }

    @Test
    void read_hugeDeclaredLength_isATruncationNotAnAllocation() throws Exception {
        byte[] data = "*1\r\n$2147483647\r\nab".getBytes(StandardCharsets.ISO_8859_1);
        AofReader.Result[] result = new AofReader.Result[1];
        assertThat(read(data, result)).isEmpty();
        assertThat(result[0].truncated()).isTrue();
        byte[] count = "*999999999999\r\n$1\r\na\r\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(read(count, result)).isEmpty();
        assertThat(result[0].truncated()).isTrue();
    }

    @Test
    void read_notResp_isABadFormat() {
        assertThatThrownBy(() -> AofReader.read("SET a b\r\n".getBytes(StandardCharsets.ISO_8859_1), 0, "f.aof", argv -> { }))
                .isInstanceOf(AofFormatException.class)
                .hasMessage("Bad file format reading the append only file f.aof at offset 0");
    }

    @Test
    void manifest_roundTripAndRedisText() throws Exception {
        String text = "file appendonly.aof.2.base.rdb seq 2 type b\n"
                + "file appendonly.aof.1.incr.aof seq 1 type h\n"
                + "file appendonly.aof.3.incr.aof seq 3 type i\n"
                + "file appendonly.aof.4.incr.aof seq 4 type i\n";
        AofManifest manifest = AofManifest.parse(text);
        assertThat(manifest.format()).isEqualTo(text);
        assertThat(manifest.baseSeq()).isEqualTo(2);
        assertThat(manifest.lastIncrSeq()).isEqualTo(4);
        AofManifest rewritten = manifest.rewritten(new AofManifest.Entry("appendonly.aof.3.base.rdb", 3, AofManifest.Type.BASE), 4);
        assertThat(rewritten.format()).isEqualTo("file appendonly.aof.3.base.rdb seq 3 type b\n"
                + "file appendonly.aof.1.incr.aof seq 1 type h\n"
                + "file appendonly.aof.2.base.rdb seq 2 type h\n"
                + "file appendonly.aof.3.incr.aof seq 3 type h\n"
                + "file appendonly.aof.4.incr.aof seq 4 type i\n");
        assertThat(rewritten.withoutHistory().history()).isEmpty();
    }

    @Test
    void manifest_quotedNamesAndComments() throws Exception {
        AofManifest manifest = AofManifest.parse("# a comment\nfile \"my file.aof\" seq 1 type i\n");
        assertThat(manifest.incrs().get(0).name()).isEqualTo("my file.aof");
        assertThat(manifest.format()).isEqualTo("file \"my file.aof\" seq 1 type i\n");
    }

    @Test
    void manifest_refusesBadLines() {
        assertThatThrownBy(() -> AofManifest.parse("file a seq 1\n")).hasMessageContaining("Invalid AOF manifest file format");
        assertThatThrownBy(() -> AofManifest.parse("file a seq x type i\n")).hasMessageContaining("Invalid AOF manifest file format");
        assertThatThrownBy(() -> AofManifest.parse("file a/b seq 1 type i\n")).hasMessage("File can't be a path, just a filename");
        assertThatThrownBy(() -> AofManifest.parse("file a seq 1 type b\nfile b seq 2 type b\n"))
                .hasMessage("Found duplicate base file information");
        assertThatThrownBy(() -> AofManifest.parse("file a seq 2 type i\nfile b seq 1 type i\n"))
                .hasMessage("Found a non-monotonic sequence number");
        assertThatThrownBy(() -> AofManifest.parse("\n")).hasMessage("Found an empty AOF manifest");
        assertThatThrownBy(() -> AofManifest.parse("file \"unclosed seq 1 type i\n")).hasMessageContaining("Invalid");
    }
}
