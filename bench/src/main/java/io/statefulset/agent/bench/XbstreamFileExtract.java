package io.statefulset.agent.bench;

import io.statefulset.agent.common.fs.Fsync;
import io.statefulset.agent.xbstream.XbstreamExtractor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The receiver alone: a stored xbstream (e.g. {@code mariadb-backup --backup --stream=xbstream > FILE}) read in
 * 64 KiB slices, extracted into DIR and synced as the clone syncs it, timed in two phases. Compare with
 * {@code time (mbstream -x -C DIR < FILE && sync --file-system DIR)} on the same file, page cache warm for both.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.statefulset.agent.bench.XbstreamFileExtract FILE DIR</pre>
 */
public final class XbstreamFileExtract {
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: XbstreamFileExtract STREAM-FILE EMPTY-DIR");
            System.exit(2);
        }
        Path dir = Files.createDirectories(Path.of(args[1]));
        long start = System.nanoTime();
        long extracted;
        int files;
        try (FileChannel in = FileChannel.open(Path.of(args[0]), StandardOpenOption.READ);
             XbstreamExtractor extractor = new XbstreamExtractor(dir)) {
            ByteBuffer slice = ByteBuffer.allocateDirect(65536);
            while (in.read(slice.clear()) >= 0) extractor.write(slice.flip());
            extractor.finish();
            extracted = System.nanoTime();
            files = extractor.filesCompleted();
        }
        Fsync.tree(dir);
        long synced = System.nanoTime();
        System.out.printf("%d files: extract %.2f s, sync %.2f s, total %.2f s%n", files, (extracted - start) / 1e9,
                (synced - extracted) / 1e9, (synced - start) / 1e9);
    }
}
