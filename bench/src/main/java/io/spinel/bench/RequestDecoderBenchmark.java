package io.spinel.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.spinel.resp.ProtocolException;
import io.spinel.resp.RequestDecoder;
import io.spinel.resp.RequestLimits;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Decoding a pipelined batch of 16 {@code SET key:NNNNNN value} requests, as redis-benchmark -P 16
 * sends them. Reported per request; run with {@code -prof gc} for allocation per request.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+IgnoreUnrecognizedVMOptions", "-XX:+UseCompactObjectHeaders"})
public class RequestDecoderBenchmark {
    static final int BATCH = 16;
    private ByteBuf batch;
    private RequestDecoder decoder;

    @Setup
    public void setup() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < BATCH; i++) {
            text.append("*3\r\n$3\r\nSET\r\n$10\r\nkey:").append(String.format("%06d", i)).append("\r\n$3\r\nxxx\r\n");
        }
        batch = Unpooled.directBuffer().writeBytes(text.toString().getBytes(StandardCharsets.US_ASCII));
        decoder = new RequestDecoder(new RequestLimits() {
            @Override
            public long maxBulkLength() {
                return 512L * 1024 * 1024;
            }

            @Override
            public boolean authRequired() {
                return false;
            }
        });
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void decodeSetBatch(Blackhole sink) throws ProtocolException {
        batch.readerIndex(0);
        for (int i = 0; i < BATCH; i++) {
            sink.consume(decoder.decode(batch));
        }
    }
}
