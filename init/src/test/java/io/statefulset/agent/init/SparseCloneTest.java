package io.statefulset.agent.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statefulset.agent.testing.BackupStream;
import io.statefulset.agent.testing.DiskUsage;
import io.statefulset.agent.testing.DatabaseServer;
import io.statefulset.agent.testing.DatabaseServerExtension;
import io.statefulset.agent.testing.TestDonor;
import io.statefulset.agent.testing.TestDonor.Script;
import io.statefulset.agent.testing.XbstreamWriter;
import io.statefulset.agent.testing.XbstreamWriter.SparseRun;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A clone takes no more disk than the tutorial's {@code mbstream -x} + {@code --prepare} leave for the same backup:
 * a {@code PAGE_COMPRESSED=1} table (whose pages' unused tails the donor keeps as holes) and a table whose never-used
 * pages were punched out, cloned by {@code init} from a real mariadb-backup stream, and again from the same files sent
 * as Percona-style sparse ({@code S}) chunks.
 */
class SparseCloneTest {
    static final List<String> TABLES = List.of("sparse/compressed.ibd", "sparse/punched.ibd");
    static final int BLOCK = 4096;

    @RegisterExtension
    DatabaseServerExtension servers = new DatabaseServerExtension();
    DatabaseServer donor;
    Path work;
    Path stream;

    @BeforeEach
    void donorWithHoles() throws Exception {
        work = servers.tempDir("sparse-");
        donor = servers.start(100);
        donor.execute("SET SESSION max_recursive_iterations = 10000000", "CREATE DATABASE sparse",
                "CREATE TABLE sparse.compressed (id INT PRIMARY KEY, body VARCHAR(2000) NOT NULL) ENGINE=InnoDB"
                        + " PAGE_COMPRESSED=1",
                "INSERT INTO sparse.compressed WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 30000)"
                        + " SELECT n, REPEAT(CONCAT('row ', n MOD 97, ' of a compressible table; '), 12) FROM s",
                "CREATE TABLE sparse.punched (id INT PRIMARY KEY, body VARCHAR(2000) NOT NULL) ENGINE=InnoDB",
                "INSERT INTO sparse.punched WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 8000)"
                        + " SELECT n, REPEAT(MD5(n), 20) FROM s");
        donor.stop();
        // The punched region: every all-zero block of the file (InnoDB's allocated but never used pages) made a hole,
        // content unchanged, while the server is down.
        Path punched = donor.dataDir().resolve(TABLES.get(1));
        long before = DiskUsage.allocated(punched);
        run(work.resolve("dig.log"), "fallocate", "--dig-holes", punched.toString());
        long after = DiskUsage.allocated(punched);
        assertTrue(after <= before - (1 << 20), "the donor's table has a punched region: " + before + " -> " + after);
        donor.start();
        stream = BackupStream.capture(donor, work.resolve("backup.xbstream"));
    }

    @Test
    void aRealStreamClonesNoLargerThanMbstreamAndPrepareLeaveIt() throws Exception {
        List<Long> tutorial = tutorialPipeline();
        Path data = cloneWithInit(stream, "init");
        List<Long> clone = DiskUsage.allocated(TABLES.stream().map(data::resolve).toList());
        report("P chunks (mariadb-backup)", tutorial, clone);
        assertNoLarger(tutorial, clone);
        assertSameRows(data);
    }

    @Test
    void perconaStyleSparseChunksCloneNoLargerThanMbstreamAndPrepareLeaveIt() throws Exception {
        List<Long> tutorial = tutorialPipeline();
        Path raw = Files.createDirectories(work.resolve("raw"));
        run(work.resolve("raw.log"), "sh", "-c", "exec mbstream -x -C '" + raw + "' < '" + stream + "'");
        Path sparseStream = work.resolve("sparse.xbstream");
        int sparseFiles = writeWithSparseChunks(raw, sparseStream);
        assertTrue(sparseFiles >= 2, "the tables went as S chunks: " + sparseFiles);
        Path data = cloneWithInit(sparseStream, "init-s");
        List<Long> clone = DiskUsage.allocated(TABLES.stream().map(data::resolve).toList());
        report("S chunks", tutorial, clone);
        assertNoLarger(tutorial, clone);
        assertSameRows(data);
    }

    /** {@code mbstream -x} then {@code --prepare} of the same stream: what the tables take there. */
    private List<Long> tutorialPipeline() throws Exception {
        Path dir = Files.createDirectories(work.resolve("tutorial"));
        run(work.resolve("mbstream.log"), "sh", "-c", "exec mbstream -x -C '" + dir + "' < '" + stream + "'");
        run(work.resolve("prepare.log"), "mariadb-backup", "--prepare", "--target-dir=" + dir);
        return DiskUsage.allocated(TABLES.stream().map(dir::resolve).toList());
    }

    private Path cloneWithInit(Path backup, String name) throws Exception {
        InitFixture init = new InitFixture(Files.createDirectories(work.resolve(name)));
        try (TestDonor source = TestDonor.start(backup, Script.http())) {
            assertEquals(0, init.donors(source.address()).run());
        }
        return init.data;
    }

    private void assertNoLarger(List<Long> tutorial, List<Long> clone) {
        for (int i = 0; i < TABLES.size(); i++) {
            assertTrue(clone.get(i) <= tutorial.get(i) * 11 / 10, TABLES.get(i) + ": the clone allocates " + clone.get(i)
                    + " bytes, mbstream -x + --prepare " + tutorial.get(i));
        }
    }

    private void assertSameRows(Path data) throws Exception {
        DatabaseServer replica = servers.startOn(data, 101);
        for (String table : List.of("sparse.compressed", "sparse.punched")) {
            assertEquals(donor.checksum(table), replica.checksum(table), table);
        }
        assertEquals("30000", replica.queryOne("SELECT COUNT(*) FROM sparse.compressed"));
        replica.stop();
    }

    private void report(String how, List<Long> tutorial, List<Long> clone) throws Exception {
        List<Long> onDonor = DiskUsage.allocated(TABLES.stream().map(donor.dataDir()::resolve).toList());
        for (int i = 0; i < TABLES.size(); i++) {
            System.out.printf("%s: %s allocated KiB: donor %d, mbstream -x + --prepare %d, agent clone %d (size %d KiB)%n",
                    how, TABLES.get(i), onDonor.get(i) / 1024, tutorial.get(i) / 1024, clone.get(i) / 1024,
                    Files.size(donor.dataDir().resolve(TABLES.get(i))) / 1024);
        }
    }

    /**
     * The extracted backup re-sent as Percona XtraBackup 8.0 sends punched files: every .ibd as S chunks of 64 KiB
     * whose runs skip the all-zero blocks, the rest as P chunks.
     *
     * @return how many files went as S chunks
     */
    static int writeWithSparseChunks(Path dir, Path out) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        int sparse = 0;
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(out), 1 << 20)) {
            XbstreamWriter w = new XbstreamWriter(os);
            for (Path file : files) {
                String name = dir.relativize(file).toString();
                byte[] content = Files.readAllBytes(file);
                if (!name.endsWith(".ibd")) {
                    w.file(name, content, 1 << 20);
                    continue;
                }
                sparse++;
                for (int at = 0; at < content.length; at += 65536) {
                    w.sparse(name, runs(Arrays.copyOfRange(content, at, Math.min(content.length, at + 65536))));
                }
                w.end(name);
            }
        }
        return sparse;
    }

    private static SparseRun[] runs(byte[] piece) {
        List<SparseRun> runs = new ArrayList<>();
        long hole = 0;
        int dataStart = -1;
        for (int at = 0; at < piece.length; at += BLOCK) {
            int end = Math.min(piece.length, at + BLOCK);
            boolean zero = Arrays.mismatch(piece, at, end, new byte[end - at], 0, end - at) < 0;
            if (zero) {
                if (dataStart >= 0) {
                    runs.add(new SparseRun(hole, Arrays.copyOfRange(piece, dataStart, at)));
                    hole = 0;
                    dataStart = -1;
                }
                hole += end - at;
            } else if (dataStart < 0) {
                dataStart = at;
            }
        }
        if (dataStart >= 0) runs.add(new SparseRun(hole, Arrays.copyOfRange(piece, dataStart, piece.length)));
        else runs.add(SparseRun.hole(hole));
        return runs.toArray(SparseRun[]::new);
    }

    private static void run(Path log, String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed: " + Files.readString(log));
        }
    }
}
