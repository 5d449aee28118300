package io.spinel.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinel.command.CommandTable;
import io.spinel.testing.RawClient;
import io.spinel.testing.RealRedis;
import io.spinel.testing.TestServer;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redis's own tools against Spinel: redis-benchmark, redis-cli --pipe, --scan and INFO. Each test
 * runs only once the commands it needs are bound (it is skipped with the missing command named
 * before that), so the tests turn on by themselves as command families are merged.
 */
class ToolsIT {
    private static final long TOOL_TIMEOUT_SECONDS = 120;

    @TempDir
    Path temp;

    /** The output and exit code of a finished tool run. */
    private record Run(int exitCode, String output) {
    }

    private Run run(Path stdin, String... command) throws IOException, InterruptedException {
        String binary = RealRedis.find(command[0]);
        Assumptions.assumeTrue(binary != null, command[0] + " is not installed (apt-get install redis-tools)");
        List<String> argv = new ArrayList<>(List.of(command));
        argv.set(0, binary);
        Path output = temp.resolve("output-" + System.nanoTime());
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(output.toFile());
        if (stdin != null) {
            builder.redirectInput(stdin.toFile());
        }
        Process process = builder.start();
        if (!process.waitFor(TOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within " + TOOL_TIMEOUT_SECONDS
                    + " s; output so far:\n" + Files.readString(output, StandardCharsets.ISO_8859_1));
        }
        return new Run(process.exitValue(), Files.readString(output, StandardCharsets.ISO_8859_1));
    }

    private static boolean served(SpinelServer server, String command) {
        return server.context().commands().lookup(command.getBytes(StandardCharsets.US_ASCII)) != null;
    }

    private static void assumeServed(SpinelServer server, String... commands) {
        CommandTable table = server.context().commands();
        for (String command : commands) {
            Assumptions.assumeTrue(table.lookup(command.getBytes(StandardCharsets.US_ASCII)) != null,
                    command.toUpperCase() + " is not bound yet");
        }
    }

    /** The benchmark's summary line for {@code test}, e.g. "GET: 123456.79 requests per second, ...". */
    private static String summary(String output, String test) {
        for (String line : output.split("[\r\n]")) {
            String trimmed = line.strip();
            if (trimmed.startsWith(test + ": ") && trimmed.contains("requests per second") && !trimmed.contains("rps=")) {
                return trimmed;
            }
        }
        return null;
    }

    /**
     * redis-benchmark's SET and GET tests, and INCR, LPUSH and MSET once they are bound, must
     * finish and report their throughput.
     */
    @Test
    void benchmark_reportsEveryServedTest() throws Exception {
        try (SpinelServer server = TestServer.start(); RawClient client = new RawClient(server.port())) {
            // The benchmark stops at the first error reply: run only the tests whose command is bound.
            List<String> tests = new ArrayList<>(List.of("set", "get"));
            for (String optional : List.of("incr", "lpush", "mset")) {
                if (served(server, optional)) {
                    tests.add(optional);
                }
            }
            Run run = run(null, "redis-benchmark", "-p", String.valueOf(server.port()), "-t", String.join(",", tests),
                    "-P", "16", "-n", "20000", "-q");
            assertThat(run.exitCode()).as(run.output()).isZero();
            assertThat(summary(run.output(), "SET")).as(run.output()).isNotNull();
            assertThat(summary(run.output(), "GET")).as(run.output()).isNotNull();
            // The benchmark does not check replies: check the keyspace it leaves behind instead.
            assertThat(client.call("GET", "key:__rand_int__")).startsWith("$3\r\n");
            if (served(server, "incr")) {
                assertThat(summary(run.output(), "INCR")).as(run.output()).isNotNull();
                assertThat(client.call("GET", "counter:__rand_int__")).isEqualTo("$5\r\n20000\r\n");
            }
            if (served(server, "lpush")) {
                assertThat(summary(run.output(), "LPUSH")).as(run.output()).isNotNull();
                if (served(server, "llen")) {
                    assertThat(client.call("LLEN", "mylist")).isEqualTo(":20000\r\n");
                }
            }
            if (served(server, "mset")) {
                assertThat(summary(run.output(), "MSET (10 keys)")).as(run.output()).isNotNull();
            }
        }
    }

    @Test
    void pipe_loadsHundredThousandKeys() throws Exception {
        int keys = 100_000;
        Path input = temp.resolve("pipe.resp");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(input))) {
            for (int i = 0; i < keys; i++) {
                out.write(RawClient.encode("SET", "pipe:" + i, "value-" + i));
            }
        }
        try (SpinelServer server = TestServer.start(); RawClient client = new RawClient(server.port())) {
            Run run = run(input, "redis-cli", "-p", String.valueOf(server.port()), "--pipe");
            assertThat(run.exitCode()).as(run.output()).isZero();
            assertThat(run.output()).contains("errors: 0, replies: " + keys);
            assertThat(client.call("GET", "pipe:99999")).isEqualTo("$11\r\nvalue-99999\r\n");
            if (served(server, "dbsize")) {
                assertThat(client.call("DBSIZE")).isEqualTo(":" + keys + "\r\n");
            }
        }
    }

    @Test
    void scan_listsEveryKey() throws Exception {
        try (SpinelServer server = TestServer.start(); RawClient client = new RawClient(server.port())) {
            assumeServed(server, "scan");
            Set<String> expected = new HashSet<>();
            for (int i = 0; i < 2000; i++) {
                assertThat(client.call("SET", "scan:" + i, "v")).isEqualTo("+OK\r\n");
                expected.add("scan:" + i);
            }
            Run run = run(null, "redis-cli", "-p", String.valueOf(server.port()), "--scan");
            assertThat(run.exitCode()).as(run.output()).isZero();
            assertThat(new HashSet<>(run.output().lines().toList())).isEqualTo(expected);
            Run matching = run(null, "redis-cli", "-p", String.valueOf(server.port()), "--scan", "--pattern", "scan:1?");
            assertThat(new HashSet<>(matching.output().lines().toList()))
                    .containsExactlyInAnyOrder("scan:10", "scan:11", "scan:12", "scan:13", "scan:14",
                            "scan:15", "scan:16", "scan:17", "scan:18", "scan:19");
        }
    }

    @Test
    void info_printsServerSection() throws Exception {
        try (SpinelServer server = TestServer.start()) {
            assumeServed(server, "info");
            Run run = run(null, "redis-cli", "-p", String.valueOf(server.port()), "info");
            assertThat(run.exitCode()).as(run.output()).isZero();
            assertThat(run.output()).contains("# Server").contains("redis_version:").contains("# Keyspace");
        }
    }
}
