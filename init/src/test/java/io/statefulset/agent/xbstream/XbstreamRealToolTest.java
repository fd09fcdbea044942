package io.statefulset.agent.xbstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statefulset.agent.testing.DatabaseServer;
import io.statefulset.agent.testing.DatabaseServerExtension;
import io.statefulset.agent.testing.XbstreamWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The extractor against the real tools: streams from mariadb-backup, compared with what mbstream makes of them. */
class XbstreamRealToolTest {
    @RegisterExtension
    final DatabaseServerExtension db = new DatabaseServerExtension();

    @Test
    void aRealBackupStreamExtractsExactlyAsMbstreamDoes() throws Exception {
        DatabaseServer server = db.start(1);
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 500; i++) rows.add("(" + i + ", 'row " + i + "')");
        server.execute("CREATE DATABASE shop", "CREATE TABLE shop.items (id INT PRIMARY KEY, name VARCHAR(100))",
                "INSERT INTO shop.items VALUES " + String.join(",", rows));

        // one stream as the tutorial's sidecar makes it, one with files interleaved by parallel copy threads
        for (List<String> extra : List.of(List.<String>of(), List.of("--parallel=4"))) {
            Path work = db.tempDir("xbstream-real-");
            Path ours = Files.createDirectory(work.resolve("ours"));
            Path theirs = Files.createDirectory(work.resolve("theirs"));
            Path streamFile = work.resolve("backup.xbs");

            List<String> cmd = new ArrayList<>(List.of("mariadb-backup", "--backup", "--stream=xbstream",
                    "--host=127.0.0.1", "--port=" + server.port(), "--user=root"));
            cmd.addAll(extra);
            Process backup = new ProcessBuilder(cmd).redirectError(work.resolve("backup.log").toFile()).start();
            int files;
            try (InputStream stdout = backup.getInputStream();
                 OutputStream copy = Files.newOutputStream(streamFile);
                 XbstreamExtractor extractor = new XbstreamExtractor(ours)) {
                byte[] chunk = new byte[64 * 1024];
                ByteBuffer direct = ByteBuffer.allocateDirect(chunk.length);
                for (int n; (n = stdout.read(chunk)) > 0; ) {
                    copy.write(chunk, 0, n);
                    direct.clear();
                    direct.put(chunk, 0, n).flip();
                    extractor.write(direct);
                }
                assertTrue(backup.waitFor(60, TimeUnit.SECONDS), "mariadb-backup finished");
                assertEquals(0, backup.exitValue(), () -> cmd + " failed: " + tail(work.resolve("backup.log")));
                extractor.finish();
                files = extractor.filesCompleted();
                assertEquals(Files.size(streamFile), extractor.bytesConsumed());
            }

            Process mbstream = new ProcessBuilder("mbstream", "-x", "-C", theirs.toString())
                    .redirectInput(streamFile.toFile()).redirectErrorStream(true)
                    .redirectOutput(work.resolve("mbstream.log").toFile()).start();
            assertTrue(mbstream.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, mbstream.exitValue(), () -> "mbstream failed: " + tail(work.resolve("mbstream.log")));

            assertEquals(listing(theirs), listing(ours), "same files and directories as mbstream, " + cmd);
            Map<String, byte[]> expected = contents(theirs);
            Map<String, byte[]> actual = contents(ours);
            assertEquals(files, actual.size(), "every file got its end chunk");
            for (String name : expected.keySet()) assertArrayEquals(expected.get(name), actual.get(name), name);
            assertTrue(actual.containsKey("xtrabackup_checkpoints"), actual.keySet().toString());
            assertTrue(actual.keySet().stream().anyMatch(n -> n.startsWith("shop/items.")), actual.keySet().toString());
            // With --parallel the tool usually interleaves files, but whether it does depends on thread timing
            // (a run on a fast, idle machine sent each file whole): the interleaved path is pinned down by
            // XbstreamExtractorTest with written streams; here it is only reported.
            if (!extra.isEmpty()) {
                System.out.println(cmd + ": at most " + mostFilesOpenAtOnce(streamFile) + " files open at once in the stream");
            }
        }
    }

    /** How many files had chunks but not yet their end chunk, at most, along the stream. */
    private static int mostFilesOpenAtOnce(Path stream) throws IOException {
        java.util.Set<String> open = new java.util.HashSet<>();
        int[] most = {0};
        XbstreamReader reader = new XbstreamReader(new ChunkListener() {
            @Override
            public void chunkStart(ChunkHeader header) {
                if (header.type() == ChunkType.END) open.remove(header.path());
                else open.add(header.path());
                most[0] = Math.max(most[0], open.size());
            }

            @Override
            public void payload(ChunkHeader header, ByteBuffer slice) {}

            @Override
            public void chunkEnd(ChunkHeader header) {}
        });
        reader.write(ByteBuffer.wrap(Files.readAllBytes(stream)));
        reader.finish();
        return most[0];
    }

    @Test
    void streamsFromTheTestWriterAreWhatMbstreamAccepts() throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("ibdata1", bytes(100_000, 1));
        files.put("mysql/db.opt", bytes(10, 2));
        files.put("zero-length", new byte[0]);
        XbstreamWriter w = new XbstreamWriter()
                .payload("ibdata1", slice(files.get("ibdata1"), 0, 60_000))
                .payload("mysql/db.opt", files.get("mysql/db.opt"))
                .payload("ibdata1", slice(files.get("ibdata1"), 60_000, 100_000))
                .end("zero-length")
                .end("ibdata1")
                .end("mysql/db.opt");
        Path work = db.tempDir("xbstream-writer-");
        Path theirs = Files.createDirectory(work.resolve("theirs"));
        Files.write(work.resolve("s.xbs"), w.toByteArray());
        Process mbstream = new ProcessBuilder("mbstream", "-x", "-C", theirs.toString())
                .redirectInput(work.resolve("s.xbs").toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve("mbstream.log").toFile()).start();
        assertTrue(mbstream.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, mbstream.exitValue(), () -> "mbstream failed: " + tail(work.resolve("mbstream.log")));
        Map<String, byte[]> extracted = contents(theirs);
        assertEquals(files.keySet(), extracted.keySet());
        for (String name : files.keySet()) assertArrayEquals(files.get(name), extracted.get(name), name);
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] slice(byte[] b, int from, int to) {
        return java.util.Arrays.copyOfRange(b, from, to);
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.map(p -> dir.relativize(p) + (Files.isDirectory(p) ? "/" : "")).sorted().toList();
        }
    }

    private static Map<String, byte[]> contents(Path dir) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                out.put(dir.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return out;
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
