package io.statefulset.agent.bench;

import io.statefulset.agent.xbstream.ChunkHeader;
import io.statefulset.agent.xbstream.ChunkListener;
import io.statefulset.agent.xbstream.XbstreamReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The xbstream reader alone: parse a 256 MiB in-memory stream, every CRC32 checked, fed in 64 KiB slices as Netty
 * hands them over, to a listener that does nothing. One operation is one MiB of stream, so the score is MiB/s.
 *
 * <pre>java -jar bench/target/benchmarks.jar XbstreamReader -f 1 -wi 2 -i 3</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx256m", "-XX:MaxDirectMemorySize=512m"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class XbstreamReaderBenchmark {
    private static final int STREAM_MIB = 256;

    /** P chunk size: 1 MiB, and 64 KiB for a stream with many more headers. */
    @Param({"1048576", "65536"})
    public int chunkBytes;

    @Param({"65536"})
    public int sliceBytes;

    private ByteBuffer stream;

    @Setup(Level.Trial)
    public void generate() {
        stream = SyntheticXbstream.generate((long) STREAM_MIB << 20, chunkBytes, 16L << 20);
    }

    @Benchmark
    @OperationsPerInvocation(STREAM_MIB)
    public long parse(Blackhole blackhole) throws IOException {
        XbstreamReader reader = new XbstreamReader(new ChunkListener() {
            @Override
            public void chunkStart(ChunkHeader header) {
                blackhole.consume(header);
            }

            @Override
            public void payload(ChunkHeader header, ByteBuffer slice) {
                blackhole.consume(slice.remaining());
            }

            @Override
            public void chunkEnd(ChunkHeader header) {}
        });
        ByteBuffer slice = stream.duplicate();
        int end = stream.limit();
        for (int at = 0; at < end; at += sliceBytes) {
            slice.limit(Math.min(end, at + sliceBytes)).position(at);
            reader.write(slice);
        }
        reader.finish();
        return reader.bytesConsumed();
    }
}
