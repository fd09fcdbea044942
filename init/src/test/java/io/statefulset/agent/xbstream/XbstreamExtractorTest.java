package io.statefulset.agent.xbstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statefulset.agent.testing.DiskUsage;
import io.statefulset.agent.testing.XbstreamWriter;
import io.statefulset.agent.testing.XbstreamWriter.SparseRun;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class XbstreamExtractorTest {
    /** Two-block windows and two active files, so that small tests cross every window and suspension edge. */
    static final ExtractionSettings TIGHT = new ExtractionSettings(8192, 2, 1, true);

    @TempDir
    Path parent;

    static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Feeds the stream in slices of {@code sliceSize} (direct buffers, as Netty's are), then finishes. */
    static XbstreamExtractor extract(byte[] stream, Path target, ExtractionSettings settings, int sliceSize)
            throws IOException {
        try (XbstreamExtractor extractor = new XbstreamExtractor(target, settings)) {
            ByteBuffer slice = ByteBuffer.allocateDirect(sliceSize);
            for (int at = 0; at < stream.length; at += sliceSize) {
                slice.clear();
                slice.put(stream, at, Math.min(sliceSize, stream.length - at)).flip();
                extractor.write(slice);
                assertEquals(0, slice.remaining());
            }
            extractor.finish();
            assertEquals(stream.length, extractor.bytesConsumed());
            return extractor;
        }
    }

    /** Every regular file under dir, by relative path, with its content. */
    static Map<String, byte[]> tree(Path dir) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) out.put(dir.relativize(p).toString(), Files.readAllBytes(p));
        }
        return out;
    }

    /** Every path under dir (directories, links and files), relative. */
    static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    static void assertTree(Map<String, byte[]> expected, Path dir) throws IOException {
        Map<String, byte[]> actual = tree(dir);
        assertEquals(expected.keySet(), actual.keySet());
        for (String name : expected.keySet()) assertArrayEquals(expected.get(name), actual.get(name), name);
    }

    private Path newTarget(String name) throws IOException {
        return Files.createDirectory(parent.resolve(name));
    }

    /** Files of every awkward size, some interleaved chunk by chunk, in small and odd chunk sizes. */
    static Map<String, byte[]> files() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("ibdata1", bytes(3 * 8192 + 100, 1));
        files.put("ib_logfile0", bytes(20000, 2));
        files.put("mysql/db.opt", bytes(65, 3));
        files.put("mysql/user.MAD", bytes(4096, 4));
        files.put("test/t1.ibd", bytes(8192, 5));
        files.put("test/deeper/t2.ibd", bytes(12289, 6));
        files.put("xtrabackup_checkpoints", new byte[0]);
        files.put("empty/also-empty", new byte[0]);
        return files;
    }

    /** Round-robin over all files, one chunk of {@code chunkSize} from each in turn. */
    static XbstreamWriter interleaved(Map<String, byte[]> files, int chunkSize) {
        XbstreamWriter w = new XbstreamWriter();
        Map<String, Integer> done = new LinkedHashMap<>();
        files.keySet().forEach(name -> done.put(name, 0));
        while (!done.isEmpty()) {
            for (String name : List.copyOf(done.keySet())) {
                byte[] content = files.get(name);
                int at = done.get(name);
                if (at == content.length) {
                    w.end(name);
                    done.remove(name);
                } else {
                    int n = Math.min(chunkSize, content.length - at);
                    w.payload(name, java.util.Arrays.copyOfRange(content, at, at + n));
                    done.put(name, at + n);
                }
            }
        }
        return w;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 100, 3000, 4096, 5000, 8192, 65536})
    void interleavedFilesInAnyChunkSizeComeOutWhole(int chunkSize) throws IOException {
        Map<String, byte[]> files = files();
        byte[] stream = interleaved(files, chunkSize).toByteArray();
        Path target = newTarget("t");
        XbstreamExtractor done = extract(stream, target, TIGHT, 7777);
        assertEquals(files.size(), done.filesCompleted());
        assertTree(files, target);
    }

    @Test
    void filesOneAfterAnotherWithDefaultSettingsDirectAndBuffered() throws IOException {
        Map<String, byte[]> files = files();
        files.put("big.ibd", bytes(3 * (1 << 20) + 12345, 9));
        XbstreamWriter w = new XbstreamWriter();
        files.forEach((name, content) -> w.file(name, content, 1 << 20));
        byte[] stream = w.toByteArray();
        for (boolean direct : new boolean[] {true, false}) {
            Path target = newTarget("t-" + direct);
            XbstreamExtractor done = extract(stream, target, ExtractionSettings.defaults().withDirectIo(direct), 65536);
            assertEquals(direct, done.directIo(), "O_DIRECT is available on the test's file system");
            assertTree(files, target);
        }
    }

    @Test
    void createdFilesAndDirectoriesAreNotWorldReadable() throws IOException {
        Path target = newTarget("t");
        extract(new XbstreamWriter().file("mysql/user.MAD", bytes(10, 1), 100).toByteArray(), target, TIGHT, 100);
        Set<PosixFilePermission> file = Files.getPosixFilePermissions(target.resolve("mysql/user.MAD"));
        Set<PosixFilePermission> dir = Files.getPosixFilePermissions(target.resolve("mysql"));
        assertFalse(file.contains(PosixFilePermission.OTHERS_READ), file.toString());
        assertFalse(dir.contains(PosixFilePermission.OTHERS_READ), dir.toString());
        assertTrue(file.contains(PosixFilePermission.OWNER_WRITE), file.toString());
    }

    @Test
    void sparseChunksLeaveHolesAndKeepTheSize() throws IOException {
        byte[] a = bytes(5000, 1);
        byte[] b = bytes(300, 2);
        byte[] c = bytes(9000, 3);
        XbstreamWriter w = new XbstreamWriter()
                // leading hole, a middle hole inside one window, one that jumps windows, a trailing unaligned hole
                .sparse("leading-middle-trailing.ibd", new SparseRun(20000, a), new SparseRun(100, b),
                        new SparseRun(40000, c), SparseRun.hole(777))
                .end("leading-middle-trailing.ibd")
                // a file that is one big hole ending on a block boundary
                .sparse("all-hole.ibd", SparseRun.hole(3 * 4096))
                .end("all-hole.ibd")
                // P, then S continuing at the position after the P chunk, then P again after the holes
                .payload("mixed.ibd", bytes(1000, 4))
                .sparse("mixed.ibd", new SparseRun(5000, bytes(10, 5)), SparseRun.hole(4096 * 4))
                .payload("mixed.ibd", bytes(2000, 6))
                .end("mixed.ibd");
        byte[] stream = w.toByteArray();

        Map<String, byte[]> expected = new TreeMap<>();
        byte[] lmt = new byte[20000 + 5000 + 100 + 300 + 40000 + 9000 + 777];
        System.arraycopy(a, 0, lmt, 20000, a.length);
        System.arraycopy(b, 0, lmt, 25100, b.length);
        System.arraycopy(c, 0, lmt, 65400, c.length);
        expected.put("leading-middle-trailing.ibd", lmt);
        expected.put("all-hole.ibd", new byte[3 * 4096]);
        byte[] mixed = new byte[1000 + 5000 + 10 + 4096 * 4 + 2000];
        System.arraycopy(bytes(1000, 4), 0, mixed, 0, 1000);
        System.arraycopy(bytes(10, 5), 0, mixed, 6000, 10);
        System.arraycopy(bytes(2000, 6), 0, mixed, 6010 + 4096 * 4, 2000);
        expected.put("mixed.ibd", mixed);

        for (int slice : new int[] {1, 333, 65536}) {
            for (ExtractionSettings settings : List.of(TIGHT, ExtractionSettings.defaults().withDirectIo(false))) {
                Path target = newTarget("t-" + slice + "-" + settings.directIo());
                extract(stream, target, settings, slice);
                assertTree(expected, target);
            }
        }
    }

    @Test
    void holesAndAllZeroBlocksTakeNoDiskSpace() throws Exception {
        // page-compressed-like: 16 KiB pages of 1,000 bytes of data and a zero tail, as mariadb-backup sends them
        byte[] pages = new byte[64 * 16384];
        for (int page = 0; page < 64; page++) System.arraycopy(bytes(1000, page), 0, pages, page * 16384, 1000);
        // zeros in payload chunks with data in the middle, and a file that ends in zeros
        byte[] zeros = new byte[4 << 20];
        System.arraycopy(bytes(4096, 99), 0, zeros, 2 << 20, 4096);
        byte[] data = bytes(3 * 4096 + 5, 7);
        byte[] stream = new XbstreamWriter()
                .file("pages.ibd", pages, 65536)
                .file("zeros.ibd", zeros, 1 << 20)
                .sparse("holes.ibd", new SparseRun(8 << 20, data), SparseRun.hole(3 << 20))
                .end("holes.ibd")
                .toByteArray();
        byte[] holes = new byte[(8 << 20) + data.length + (3 << 20)];
        System.arraycopy(data, 0, holes, 8 << 20, data.length);
        Map<String, byte[]> expected = Map.of("pages.ibd", pages, "zeros.ibd", zeros, "holes.ibd", holes);
        for (ExtractionSettings settings : List.of(TIGHT, ExtractionSettings.defaults(),
                ExtractionSettings.defaults().withDirectIo(false))) {
            Path target = newTarget("t-" + settings.windowBytes() + "-" + settings.directIo());
            extract(stream, target, settings, 40000);
            assertTree(new TreeMap<>(expected), target);
            // a block of data per page, one for the middle of zeros.ibd, four for holes.ibd; slack for the
            // file system's own extent blocks
            long slack = 16384;
            String where = settings.toString();
            assertTrue(DiskUsage.allocated(target.resolve("pages.ibd")) <= 64 * 4096 + slack, where);
            assertTrue(DiskUsage.allocated(target.resolve("zeros.ibd")) <= 4096 + slack, where);
            assertTrue(DiskUsage.allocated(target.resolve("holes.ibd")) <= 4 * 4096 + slack, where);
        }
    }

    @Test
    void theSameStreamInManySliceSizes() throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("a", bytes(40, 1));
        files.put("d/b", bytes(5, 2));
        files.put("d/e/c", new byte[0]);
        byte[] stream = interleaved(files, 16).toByteArray();
        for (int slice = 1; slice <= 80; slice++) {
            Path target = newTarget("t" + slice);
            extract(stream, target, TIGHT, slice);
            assertTree(files, target);
        }
    }

    @Test
    void aFlippedPayloadByteFailsNamingTheFile() throws IOException {
        XbstreamWriter w = interleaved(files(), 5000);
        XbstreamWriter.Chunk chunk = w.chunk('P', "test/t1.ibd");
        byte[] stream = XbstreamWriter.flip(w.toByteArray(), chunk.payloadStart() + 1234);
        XbstreamException e = assertThrows(XbstreamException.class, () -> extract(stream, newTarget("t"), TIGHT, 4096));
        assertTrue(e.getMessage().contains("CRC32 mismatch"), e.getMessage());
        assertTrue(e.getMessage().contains("'test/t1.ibd'"), e.getMessage());
    }

    @Test
    void aFlippedMagicByteFails() throws IOException {
        XbstreamWriter w = interleaved(files(), 5000);
        XbstreamWriter.Chunk chunk = w.chunks().get(5);
        byte[] stream = XbstreamWriter.flip(w.toByteArray(), chunk.streamOffset());
        XbstreamException e = assertThrows(XbstreamException.class, () -> extract(stream, newTarget("t"), TIGHT, 4096));
        assertTrue(e.getMessage().contains("bad chunk magic at stream offset " + chunk.streamOffset()), e.getMessage());
    }

    @Test
    void anAbsurdPathLengthFails() throws IOException {
        XbstreamWriter w = interleaved(files(), 5000);
        XbstreamWriter.Chunk chunk = w.chunks().get(3);
        byte[] stream = XbstreamWriter.flip(w.toByteArray(), chunk.streamOffset() + 12);
        XbstreamException e = assertThrows(XbstreamException.class, () -> extract(stream, newTarget("t"), TIGHT, 4096));
        assertTrue(e.getMessage().contains("path length"), e.getMessage());
        assertTrue(e.getMessage().contains("stream offset " + chunk.streamOffset()), e.getMessage());
    }

    @Test
    void truncatedOnAChunkBoundaryNamesTheFilesWithoutAnEndChunk() throws IOException {
        XbstreamWriter w = new XbstreamWriter()
                .file("xtrabackup_checkpoints", bytes(10, 1), 100)
                .payload("ibdata1", bytes(5000, 2))
                .payload("mysql/user.MAD", bytes(10, 3))
                .payload("ibdata1", bytes(5000, 4));
        byte[] stream = w.toByteArray();
        Path target = newTarget("t");
        XbstreamException e = assertThrows(XbstreamException.class, () -> extract(stream, target, TIGHT, 4096));
        assertTrue(e.getMessage().contains("2 file(s) never got their end ('E') chunk: 'ibdata1', 'mysql/user.MAD'"),
                e.getMessage());
        assertTrue(e.getMessage().contains("stream offset " + stream.length), e.getMessage());
    }

    @Test
    void truncatedMidChunkFails() throws IOException {
        XbstreamWriter w = interleaved(files(), 5000);
        XbstreamWriter.Chunk chunk = w.chunk('P', "ib_logfile0");
        byte[] stream = XbstreamWriter.truncate(w.toByteArray(), chunk.payloadStart() + 100);
        XbstreamException e = assertThrows(XbstreamException.class, () -> extract(stream, newTarget("t"), TIGHT, 4096));
        assertTrue(e.getMessage().contains("inside the payload of 'ib_logfile0'"), e.getMessage());
    }

    @Test
    void anEmptyStreamFails() throws IOException {
        XbstreamException e = assertThrows(XbstreamException.class, () -> extract(new byte[0], newTarget("t"), TIGHT, 10));
        assertTrue(e.getMessage().contains("the stream is empty"), e.getMessage());
    }

    @Test
    void outOfOrderChunksAndChunksAfterTheEndFail() throws IOException {
        byte[] gap = new XbstreamWriter().payload("f", bytes(10, 1)).payloadAt("f", 20, bytes(10, 2)).end("f").toByteArray();
        XbstreamException e = assertThrows(XbstreamException.class, () -> extract(gap, newTarget("t1"), TIGHT, 100));
        assertTrue(e.getMessage().contains("out-of-order chunk: 'f' (P chunk at stream offset"), e.getMessage());
        assertTrue(e.getMessage().contains("is for file offset 20 but 10 bytes"), e.getMessage());

        byte[] again = new XbstreamWriter().file("f", bytes(10, 1), 100).payloadAt("f", 0, bytes(10, 2)).toByteArray();
        e = assertThrows(XbstreamException.class, () -> extract(again, newTarget("t2"), TIGHT, 100));
        assertTrue(e.getMessage().contains("after that file's end chunk"), e.getMessage());
    }

    @Test
    void aFileThatAlreadyExistsIsNotOverwritten() throws IOException {
        Path target = newTarget("t");
        Files.writeString(target.resolve("f"), "mine");
        byte[] stream = new XbstreamWriter().file("f", bytes(10, 1), 100).toByteArray();
        XbstreamException e = assertThrows(XbstreamException.class, () -> extract(stream, target, TIGHT, 100));
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
        assertEquals("mine", Files.readString(target.resolve("f")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "a/../../x", "a/../x", "./", "./x", "a/./x", ".", "..", "a//x", "a/", "", "..\\x",
            "a\\..\\..\\x", "x\u0000y", "x\ny"})
    void pathAttacksAreRefusedAndNothingIsWrittenOutsideTheTarget(String path) throws IOException {
        Path target = newTarget("target");
        List<String> before = listing(parent);
        byte[] stream = new XbstreamWriter()
                .file("good", bytes(10, 1), 100)
                .payload(path, bytes(10, 2))
                .end(path)
                .toByteArray();
        XbstreamException e = assertThrows(XbstreamException.class, () -> extract(stream, target, TIGHT, 7));
        assertTrue(e.getMessage().startsWith("refusing the path of '"), e.getMessage());
        List<String> after = listing(parent);
        assertEquals(before.size() + 1, after.size(), "only the good file appeared: " + after);
        assertTrue(after.contains("target/good"), after.toString());
    }

    @Test
    void anAbsolutePathIsRefused() throws IOException {
        Path target = newTarget("target");
        Path outside = newTarget("outside");
        String path = outside.resolve("evil").toString();
        byte[] stream = new XbstreamWriter().file(path, bytes(10, 2), 100).toByteArray();
        XbstreamException e = assertThrows(XbstreamException.class, () -> extract(stream, target, TIGHT, 7));
        assertTrue(e.getMessage().contains("it is absolute"), e.getMessage());
        assertEquals(List.of(""), listing(outside));
        assertEquals(List.of(""), listing(target));
    }

    @Test
    void aSymbolicLinkInTheTargetIsNeverFollowed() throws IOException {
        Path target = newTarget("target");
        Path outside = newTarget("outside");
        Files.createSymbolicLink(target.resolve("link"), outside);
        Files.createSymbolicLink(target.resolve("file-link"), outside.resolve("victim"));
        for (String path : List.of("link/x", "link/deeper/x", "file-link")) {
            byte[] stream = new XbstreamWriter().file(path, bytes(10, 2), 100).toByteArray();
            XbstreamException e = assertThrows(XbstreamException.class, () -> extract(stream, target, TIGHT, 7));
            assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
            assertEquals(List.of(""), listing(outside), path);
        }
        assertEquals(List.of("", "file-link", "link"), listing(target));
    }

    @Test
    void aTargetThatIsNotADirectoryIsAClearError() {
        IOException e = assertThrows(IOException.class, () -> new XbstreamExtractor(parent.resolve("missing")));
        assertTrue(e.getMessage().contains("is not a directory"), e.getMessage());
    }

    @Test
    void anIgnorableUnknownChunkIsSkippedAndLeavesNoFile() throws IOException {
        byte[] stream = new XbstreamWriter()
                .payload("a", bytes(10, 1))
                .ignorable('Q', "q", bytes(50, 2))
                .end("a")
                .toByteArray();
        Path target = newTarget("t");
        extract(stream, target, TIGHT, 5);
        assertTree(Map.of("a", bytes(10, 1)), target);
    }

    @Test
    void moreInterleavedFilesThanBuffersNeverDeadlocks() throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (int i = 0; i < 40; i++) files.put("db/t" + i + ".ibd", bytes(30000 + i * 77, i));
        byte[] stream = interleaved(files, 6001).toByteArray();
        Path target = newTarget("t");
        extract(stream, target, new ExtractionSettings(8192, 3, 1, true), 65536);
        assertTree(files, target);
    }

    @Test
    void closingMidStreamStopsCleanlyAndDeletesNothing() throws IOException {
        byte[] stream = interleaved(files(), 3000).toByteArray();
        Path target = newTarget("t");
        XbstreamExtractor extractor = new XbstreamExtractor(target, TIGHT);
        extractor.write(ByteBuffer.wrap(stream, 0, stream.length / 2));
        extractor.close();
        assertTrue(Files.exists(target.resolve("ibdata1")));
        assertThrows(IOException.class, () -> extractor.write(ByteBuffer.wrap(stream)));
        extractor.close();
    }

    @Test
    void aPathWithSpecialCharactersIsShownEscaped() throws IOException {
        byte[] path = "a\u0007b".getBytes(StandardCharsets.UTF_8);
        byte[] stream = new XbstreamWriter().endChunk(0, path).toByteArray();
        XbstreamException e = assertThrows(XbstreamException.class, () -> extract(stream, newTarget("t"), TIGHT, 100));
        assertTrue(e.getMessage().contains("'a\\x07b'"), e.getMessage());
    }
}
