package io.statefulset.agent.bench;

import io.statefulset.agent.common.fs.Fsync;
import io.statefulset.agent.xbstream.ExtractionSettings;
import io.statefulset.agent.xbstream.XbstreamExtractor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Extraction to disk, end to end: a synthetic stream in memory (files of 64 MiB in 10 MiB chunks, as mariadb-backup
 * sends) pushed through {@link XbstreamExtractor} in 64 KiB slices, timed up to {@code finish()} returning and the
 * tree synced as the clone syncs it ({@link Fsync#tree}). Runs O_DIRECT and buffered alternately.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.statefulset.agent.bench.XbstreamExtractThroughput DIR [MiB] [rounds] [file MiB]</pre>
 * DIR must be on the file system to measure; it is created, and emptied after each round.
 */
public final class XbstreamExtractThroughput {
    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: XbstreamExtractThroughput DIR [MiB, default 1024] [rounds, default 3] [file MiB, default 64]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        long mib = args.length > 1 ? Long.parseLong(args[1]) : 1024;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        long fileMib = args.length > 3 ? Long.parseLong(args[3]) : 64;
        ByteBuffer stream = SyntheticXbstream.generate(mib << 20, 10 << 20, fileMib << 20);
        System.out.printf("stream: %d bytes (%d MiB of files of %d MiB in 10 MiB chunks)%n", stream.limit(), mib, fileMib);
        for (int round = 1; round <= rounds; round++) {
            for (boolean direct : new boolean[] {true, false}) {
                Path target = Files.createDirectories(dir.resolve("round-" + round + (direct ? "-direct" : "-buffered")));
                long start = System.nanoTime();
                try (XbstreamExtractor extractor =
                             new XbstreamExtractor(target, ExtractionSettings.defaults().withDirectIo(direct))) {
                    ByteBuffer slice = stream.duplicate();
                    int end = stream.limit();
                    for (int at = 0; at < end; at += 65536) {
                        slice.limit(Math.min(end, at + 65536)).position(at);
                        extractor.write(slice);
                    }
                    extractor.finish();
                    Fsync.tree(target);
                    long nanos = System.nanoTime() - start;
                    String line = String.format("round %d %-8s %6.0f MB/s (%d bytes in %d ms, %d files)", round,
                            extractor.directIo() ? "O_DIRECT" : "buffered", end * 1e3 / nanos, (long) end,
                            nanos / 1_000_000, extractor.filesCompleted());
                    System.out.println(line);
                }
                deleteTree(target);
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
