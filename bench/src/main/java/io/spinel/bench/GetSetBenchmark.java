package io.spinel.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.spinel.command.Client;
import io.spinel.command.Dispatcher;
import io.spinel.command.InternalConnection;
import io.spinel.command.ServerContext;
import io.spinel.config.Config;
import io.spinel.resp.ReplyWriter;
import io.spinel.store.Clock;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The command path without the network: dispatcher lookup, checks, slot lock, handler, reply
 * into an output buffer, for GET and SET over 1,000,000 keys visited in a random order (as
 * redis-benchmark's {@code -r 1000000} does, so lookups miss the caches as they do in a server).
 * Each request carries fresh argument arrays, as the decoder makes them. Run with
 * {@code -prof gc} for the allocation per command.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+IgnoreUnrecognizedVMOptions", "-XX:+UseCompactObjectHeaders"})
public class GetSetBenchmark {
    private static final int KEYS = 1_000_000;
    private Dispatcher dispatcher;
    private Client client;
    private ByteBuf out;
    private byte[][][] gets;
    private byte[][][] sets;
    private int[] order;
    private int next;

    @Setup
    public void setup() {
        ServerContext server = new ServerContext(new Config(), Clock.SYSTEM);
        io.spinel.server.CommandFamilies.bindAll(server);
        dispatcher = new Dispatcher(server);
        ReplyWriter reply = new ReplyWriter(message -> { });
        client = new Client(1, new InternalConnection(null), reply, server.keyspace().database(0), true, 0);
        out = PooledByteBufAllocator.DEFAULT.directBuffer(1024);
        reply.target(out);
        gets = new byte[KEYS][][];
        sets = new byte[KEYS][][];
        for (int i = 0; i < KEYS; i++) {
            byte[] key = ("key:" + i).getBytes(StandardCharsets.US_ASCII);
            sets[i] = new byte[][] {bytes("SET"), key, bytes("value:" + i)};
            gets[i] = new byte[][] {bytes("GET"), key};
            dispatcher.execute(client, sets[i]);
            out.clear();
        }
        order = new int[KEYS];
        java.util.SplittableRandom random = new java.util.SplittableRandom(42);
        for (int i = 0; i < KEYS; i++) {
            int j = random.nextInt(i + 1);
            order[i] = order[j];
            order[j] = i;
        }
    }

    /** A copy of {@code request} with fresh argument arrays, as the decoder hands them over. */
    private static byte[][] fresh(byte[][] request) {
        byte[][] copy = new byte[request.length][];
        for (int i = 0; i < request.length; i++) {
            copy[i] = request[i].clone();
        }
        return copy;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @TearDown
    public void tearDown() {
        out.release();
    }

    @Benchmark
    public int get() {
        out.clear();
        int i = order[next++ % KEYS];
        dispatcher.execute(client, fresh(gets[i]));
        return out.writerIndex();
    }

    @Benchmark
    public int set() {
        out.clear();
        int i = order[next++ % KEYS];
        dispatcher.execute(client, fresh(sets[i]));
        return out.writerIndex();
    }
}
