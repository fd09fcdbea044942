package io.statefulset.agent.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statefulset.agent.testing.LogCapture;
import io.statefulset.agent.testing.DatabaseServerExtension;
import io.statefulset.agent.testing.SeededServerExtension;
import io.statefulset.agent.testing.TestDonor;
import io.statefulset.agent.testing.TestDonor.Script;
import io.statefulset.agent.testing.XbstreamWriter;
import io.statefulset.agent.xbstream.ChunkHeader;
import io.statefulset.agent.xbstream.ChunkListener;
import io.statefulset.agent.xbstream.ChunkType;
import io.statefulset.agent.xbstream.XbstreamReader;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real mariadb-backup stream, damaged in one place, served by a donor whose trailers vouch for exactly the
 * damaged bytes (as a donor with a broken disk or a buggy backup tool would): only the receiver's own checks
 * stand between it and the data dir. Each is refused, writes nothing outside the staging area, and leaves
 * nothing that looks initialised.
 */
class InitCorruptStreamTest {
    @RegisterExtension
    static final SeededServerExtension source = new SeededServerExtension(2000);
    static byte[] stream;
    static List<ChunkHeader> chunks;

    @RegisterExtension
    DatabaseServerExtension servers = new DatabaseServerExtension();
    InitFixture init;

    @BeforeAll
    static void seed() throws Exception {
        stream = Files.readAllBytes(source.stream());
        chunks = chunkMap(stream);
    }

    @BeforeEach
    void fixture() throws Exception {
        init = new InitFixture(servers.tempDir("init-"));
    }

    @Test
    void aFlippedPayloadByteIsRefused() throws Exception {
        ChunkHeader items = firstPayloadOf("shop/items.");
        long at = payloadStart(items) + items.payloadLength() / 2;
        assertRefused(XbstreamWriter.flip(stream, at), "CRC");
    }

    @Test
    void aFlippedHeaderByteIsRefused() throws Exception {
        ChunkHeader items = firstPayloadOf("shop/items.");
        assertRefused(XbstreamWriter.flip(stream, items.streamOffset() + 9), "type"); // the chunk type byte
    }

    @Test
    void aStreamTruncatedOnAChunkBoundaryIsRefused() throws Exception {
        ChunkHeader ibdata = firstPayloadOf("ibdata1");
        long boundary = payloadStart(ibdata) + ibdata.payloadLength();
        assertTrue(chunks.stream().anyMatch(c -> c.streamOffset() == boundary), "cut exactly where the next chunk starts");
        assertRefused(XbstreamWriter.truncate(stream, boundary), "never got their end ('E') chunk");
    }

    @Test
    void aStreamTruncatedMidChunkIsRefused() throws Exception {
        ChunkHeader items = firstPayloadOf("shop/items.");
        assertRefused(XbstreamWriter.truncate(stream, payloadStart(items) + 100), "ended inside the payload");
    }

    @Test
    void aDotDotPathIsRefusedAndNothingIsWrittenOutside() throws Exception {
        String name = "escape-" + System.nanoTime() + ".txt";
        byte[] evil = injectAfter("shop/items.frm", new XbstreamWriter()
                .file("../../../../" + name, "owned".getBytes(StandardCharsets.UTF_8), 1024).toByteArray());
        assertRefused(evil, "..");
        for (Path dir = init.data; dir != null; dir = dir.getParent()) {
            assertFalse(Files.exists(dir.resolve(name)), "written to " + dir.resolve(name));
        }
    }

    @Test
    void anAbsolutePathIsRefusedAndNothingIsWrittenThere() throws Exception {
        Path target = init.base.resolve("absolute-" + System.nanoTime() + ".txt");
        byte[] evil = injectAfter("shop/items.frm", new XbstreamWriter()
                .file(target.toString(), "owned".getBytes(StandardCharsets.UTF_8), 1024).toByteArray());
        assertRefused(evil, "absolute");
        assertFalse(Files.exists(target));
    }

    /** Serves {@code damaged} with honest trailers; init must fail on its own checks, with {@code expected} said. */
    private void assertRefused(byte[] damaged, String expected) throws Exception {
        Path file = servers.tempDir("damaged-").resolve("stream.xbstream");
        Files.write(file, damaged);
        try (TestDonor donor = TestDonor.start(file, Script.http()); LogCapture logs = LogCapture.start()) {
            assertEquals(1, init.donors(donor.address()).run());
            String text = logs.text();
            assertTrue(text.contains("is corrupt or incomplete"), text);
            assertTrue(text.toLowerCase().contains(expected.toLowerCase()), "expected '" + expected + "' in: " + text);
            assertFalse(text.contains("init done"), text);
        }
        assertFalse(init.looksInitialised(), "no mysql/ in the data dir");
        assertEquals(List.of(), init.dataDirEntries(), "staging wiped");
        assertEquals(List.of(), init.strayFiles(), "nothing outside the data dir");
    }

    /** The first sizeable payload chunk of a file whose name starts with {@code prefix}. */
    private static ChunkHeader firstPayloadOf(String prefix) {
        return chunks.stream().filter(c -> c.type() == ChunkType.PAYLOAD && c.path().startsWith(prefix) && c.payloadLength() > 4096)
                .findFirst().orElseThrow(() -> new AssertionError("no payload chunk for " + prefix + "* in the backup"));
    }

    private static long payloadStart(ChunkHeader c) {
        return c.streamOffset() + 14 + c.path().getBytes(StandardCharsets.UTF_8).length + 20;
    }

    /** The real stream with {@code extra} chunks spliced in right after the end chunk of {@code path}. */
    private static byte[] injectAfter(String path, byte[] extra) {
        ChunkHeader end = chunks.stream().filter(c -> c.type() == ChunkType.END && c.path().equals(path)).findFirst().orElseThrow();
        int at = Math.toIntExact(end.streamOffset() + 14 + path.getBytes(StandardCharsets.UTF_8).length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(Arrays.copyOfRange(stream, 0, at));
        out.writeBytes(extra);
        out.writeBytes(Arrays.copyOfRange(stream, at, stream.length));
        return out.toByteArray();
    }

    /** Where every chunk of the real stream lies, read with the project's own reader. */
    private static List<ChunkHeader> chunkMap(byte[] bytes) throws Exception {
        List<ChunkHeader> found = new ArrayList<>();
        XbstreamReader reader = new XbstreamReader(new ChunkListener() {
            @Override
            public void chunkStart(ChunkHeader header) {
                found.add(header);
            }

            @Override
            public void payload(ChunkHeader header, ByteBuffer slice) {
                slice.position(slice.limit());
            }

            @Override
            public void chunkEnd(ChunkHeader header) {
            }
        });
        reader.write(ByteBuffer.wrap(bytes));
        reader.finish();
        return found;
    }
}
