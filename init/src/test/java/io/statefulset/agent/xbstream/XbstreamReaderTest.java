package io.statefulset.agent.xbstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statefulset.agent.testing.XbstreamWriter;
import io.statefulset.agent.testing.XbstreamWriter.SparseRun;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class XbstreamReaderTest {

    /** What a listener saw of one chunk: its header and its payload, reassembled from the slices. */
    record Seen(ChunkHeader header, byte[] payload) {}

    static final class Recorder implements ChunkListener {
        final List<Seen> chunks = new ArrayList<>();
        private ChunkHeader open;
        private final ByteArrayOutputStream payload = new ByteArrayOutputStream();

        @Override
        public void chunkStart(ChunkHeader header) {
            assertEquals(null, open, "chunk started inside another");
            open = header;
            payload.reset();
        }

        @Override
        public void payload(ChunkHeader header, ByteBuffer slice) {
            assertEquals(open, header);
            byte[] bytes = new byte[slice.remaining()];
            slice.get(bytes);
            payload.writeBytes(bytes);
        }

        @Override
        public void chunkEnd(ChunkHeader header) {
            assertEquals(open, header);
            chunks.add(new Seen(header, payload.toByteArray()));
            open = null;
        }
    }

    static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** A bit of everything: interleaved files, many small chunks, a zero-length file, sparse and ignorable chunks. */
    static XbstreamWriter mixedStream() {
        return new XbstreamWriter()
                .payload("ibdata1", bytes(100, 1))
                .payload("mysql/db.opt", bytes(7, 2))
                .payload("ibdata1", bytes(33, 3))
                .ignorable('Z', "whatever", bytes(9, 4))
                .end("mysql/db.opt")
                .end("empty")
                .sparse("test/t1.ibd", new SparseRun(5, bytes(11, 5)), new SparseRun(20, bytes(3, 6)), SparseRun.hole(8))
                .payload("ibdata1", bytes(1, 7))
                .end("ibdata1")
                .end("test/t1.ibd");
    }

    static List<Seen> read(byte[] stream, int sliceSize, boolean direct) throws IOException {
        Recorder recorder = new Recorder();
        XbstreamReader reader = new XbstreamReader(recorder);
        for (int at = 0; at < stream.length; at += sliceSize) {
            int n = Math.min(sliceSize, stream.length - at);
            ByteBuffer slice = direct ? ByteBuffer.allocateDirect(n) : ByteBuffer.allocate(n);
            slice.put(stream, at, n).flip();
            reader.write(slice);
            assertEquals(0, slice.remaining(), "write() must consume the whole slice");
        }
        reader.finish();
        assertEquals(stream.length, reader.bytesConsumed());
        return recorder.chunks;
    }

    @Test
    void reportsEveryChunkWithItsHeaderAndPayload() throws IOException {
        XbstreamWriter w = mixedStream();
        List<Seen> seen = read(w.toByteArray(), 1 << 16, false);

        List<String> order = seen.stream().map(s -> s.header().type().code() + ":" + s.header().path()).toList();
        assertEquals(List.of("P:ibdata1", "P:mysql/db.opt", "P:ibdata1", "E:mysql/db.opt", "E:empty",
                "S:test/t1.ibd", "P:ibdata1", "E:ibdata1", "E:test/t1.ibd"), order, "the ignorable chunk is skipped");

        ChunkHeader second = seen.get(2).header();
        assertEquals(100, second.fileOffset());
        assertEquals(33, second.payloadLength());
        assertEquals(w.chunks().get(2).streamOffset(), second.streamOffset());
        assertArrayEquals(bytes(33, 3), seen.get(2).payload());

        ChunkHeader sparse = seen.get(5).header();
        assertEquals(List.of(new SparseMap.Run(5, 11), new SparseMap.Run(20, 3), new SparseMap.Run(8, 0)),
                sparse.sparseMap().runs());
        assertEquals(14, sparse.payloadLength());
        assertEquals(47, sparse.sparseMap().span());
        byte[] expected = new byte[14];
        System.arraycopy(bytes(11, 5), 0, expected, 0, 11);
        System.arraycopy(bytes(3, 6), 0, expected, 11, 3);
        assertArrayEquals(expected, seen.get(5).payload());
        assertEquals(0, seen.get(4).payload().length);
    }

    @Test
    void everySplitOfTheStreamGivesTheSameChunks() throws IOException {
        byte[] stream = mixedStream().toByteArray();
        List<Seen> whole = read(stream, stream.length, false);
        for (int size = 1; size <= stream.length; size++) {
            List<Seen> split = read(stream, size, size % 2 == 0);
            assertSame(whole, split, "slices of " + size + " bytes");
        }
    }

    @Test
    void randomSlicesGiveTheSameChunks() throws IOException {
        byte[] stream = mixedStream().toByteArray();
        List<Seen> whole = read(stream, stream.length, false);
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            Recorder recorder = new Recorder();
            XbstreamReader reader = new XbstreamReader(recorder);
            int at = 0;
            while (at < stream.length) {
                int n = Math.min(stream.length - at, random.nextInt(40));
                reader.write(ByteBuffer.wrap(stream, at, n));
                at += n;
            }
            reader.finish();
            assertSame(whole, recorder.chunks, "round " + round);
        }
    }

    private static void assertSame(List<Seen> expected, List<Seen> actual, String what) {
        assertEquals(expected.size(), actual.size(), what);
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).header(), actual.get(i).header(), what + ", chunk " + i);
            assertArrayEquals(expected.get(i).payload(), actual.get(i).payload(), what + ", chunk " + i);
        }
    }

    @Test
    void aSparseChunkWithoutRunsButWithDataIsRefused() {
        // Found by fuzzing: a map of no runs with a payload was an ArrayIndexOutOfBoundsException in the extractor.
        byte[] stream = new XbstreamWriter().dataChunk(0, (byte) 'S', "t/a.ibd".getBytes(StandardCharsets.US_ASCII), 0,
                new byte[0], new byte[16]).toByteArray();
        XbstreamException e = assertThrows(XbstreamException.class, () -> read(stream, 5, false));
        assertTrue(e.getMessage().contains("has no runs but the payload is 16 bytes"), e.getMessage());
    }

    @Test
    void aStreamThatEndsInsideAnIgnorableChunkSaysSo() {
        // Found by fuzzing: the end of the stream inside an ignorable chunk of an unknown type was a NullPointerException.
        byte[] whole = new XbstreamWriter().ignorable('Z', "whatever", new byte[100]).toByteArray();
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 10);
        XbstreamException e = assertThrows(XbstreamException.class, () -> read(cut, 7, false));
        assertTrue(e.getMessage().contains("inside the payload of the ignorable chunk for 'whatever' at stream offset 0"),
                e.getMessage());
    }

    @Test
    void anHttpErrorPageIsNotAnXbstream() {
        byte[] page = "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 5\r\n\r\nbusy".getBytes(StandardCharsets.US_ASCII);
        XbstreamException e = assertThrows(XbstreamException.class, () -> read(page, 7, false));
        assertTrue(e.getMessage().contains("not an xbstream"), e.getMessage());
        assertTrue(e.getMessage().contains("stream offset 0"), e.getMessage());
        assertTrue(e.getMessage().contains("HTTP/1.1 503"), e.getMessage());
        assertTrue(e.getMessage().contains("48 54 54 50"), e.getMessage());
        assertTrue(e.getMessage().contains("HTTP error page"), e.getMessage());
    }

    @Test
    void aShortGarbageStreamIsNotAnXbstreamEither() {
        byte[] text = "error\n".getBytes(StandardCharsets.US_ASCII);
        XbstreamException e = assertThrows(XbstreamException.class, () -> read(text, 100, false));
        assertTrue(e.getMessage().contains("not an xbstream"), e.getMessage());
        assertTrue(e.getMessage().contains("error\\n"), e.getMessage());
    }

    @Test
    void aBadMagicLaterNamesItsOffset() {
        XbstreamWriter w = mixedStream();
        long third = w.chunks().get(2).streamOffset();
        XbstreamException e = assertThrows(XbstreamException.class,
                () -> read(XbstreamWriter.flip(w.toByteArray(), third + 3), 1000, false));
        assertTrue(e.getMessage().contains("bad chunk magic at stream offset " + third), e.getMessage());
        assertTrue(e.getMessage().contains("after 2 good chunks"), e.getMessage());
    }

    @Test
    void aFlippedPayloadByteIsACrcErrorNamingTheFile() {
        XbstreamWriter w = mixedStream();
        XbstreamWriter.Chunk chunk = w.chunk('P', "mysql/db.opt");
        XbstreamException e = assertThrows(XbstreamException.class,
                () -> read(XbstreamWriter.flip(w.toByteArray(), chunk.payloadStart() + 3), 1000, false));
        assertTrue(e.getMessage().contains("CRC32 mismatch"), e.getMessage());
        assertTrue(e.getMessage().contains("'mysql/db.opt'"), e.getMessage());
        assertTrue(e.getMessage().contains("stream offset " + chunk.streamOffset()), e.getMessage());
    }

    @Test
    void theCrcOfASparseChunkCoversItsMap() {
        XbstreamWriter w = mixedStream();
        XbstreamWriter.Chunk chunk = w.chunk('S', "test/t1.ibd");
        // the map is the last 24 header bytes; its first byte is the low byte of the first skip
        long mapStart = chunk.payloadStart() - 24;
        XbstreamException e = assertThrows(XbstreamException.class,
                () -> read(XbstreamWriter.flip(w.toByteArray(), mapStart), 1000, false));
        assertTrue(e.getMessage().contains("CRC32 mismatch"), e.getMessage());
        assertTrue(e.getMessage().contains("'test/t1.ibd'"), e.getMessage());
    }

    @Test
    void aSparseMapThatDoesNotCoverThePayloadIsRefused() {
        ByteBuffer map = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(0).putInt(5);
        byte[] stream = new XbstreamWriter()
                .dataChunk(0, (byte) 'S', "a".getBytes(StandardCharsets.UTF_8), 0, map.array(), bytes(9, 1))
                .toByteArray();
        XbstreamException e = assertThrows(XbstreamException.class, () -> read(stream, 100, false));
        assertTrue(e.getMessage().contains("covers 5 bytes of data but the payload is 9"), e.getMessage());
    }

    @Test
    void pathLengthsFrom512AreRefused() throws IOException {
        String longest = "d/" + "x".repeat(XbstreamReader.MAX_PATH_LENGTH - 2);
        assertEquals(1, read(new XbstreamWriter().end(longest).toByteArray(), 100, false).size());

        byte[] tooLong = new XbstreamWriter().end(longest + "x").toByteArray();
        XbstreamException e = assertThrows(XbstreamException.class, () -> read(tooLong, 100, false));
        assertTrue(e.getMessage().contains("path length 512"), e.getMessage());

        byte[] absurd = new XbstreamWriter().end("a").toByteArray();
        absurd[13] = (byte) 0x7f; // the length's high byte
        e = assertThrows(XbstreamException.class, () -> read(absurd, 100, false));
        assertTrue(e.getMessage().contains("path length 2130706433"), e.getMessage());
    }

    @Test
    void anAbsurdPayloadLengthIsRefusedBeforeAnyPayload() {
        XbstreamWriter w = new XbstreamWriter().payload("ibdata1", bytes(10, 1));
        byte[] stream = w.toByteArray();
        int lengthField = 14 + "ibdata1".length();
        stream[lengthField + 6] = 0x10; // about 4.5e15 bytes
        Recorder recorder = new Recorder();
        XbstreamReader reader = new XbstreamReader(recorder);
        XbstreamException e = assertThrows(XbstreamException.class, () -> reader.write(ByteBuffer.wrap(stream)));
        assertTrue(e.getMessage().contains("payload length"), e.getMessage());
        assertTrue(e.getMessage().contains("'ibdata1'"), e.getMessage());
        assertTrue(recorder.chunks.isEmpty());
    }

    @Test
    void anUnknownChunkTypeWithoutTheIgnorableFlagIsRefused() {
        byte[] stream = new XbstreamWriter()
                .dataChunk(0, (byte) 'Z', "a".getBytes(StandardCharsets.UTF_8), 0, new byte[0], bytes(4, 1))
                .toByteArray();
        XbstreamException e = assertThrows(XbstreamException.class, () -> read(stream, 100, false));
        assertTrue(e.getMessage().contains("unknown chunk type 'Z'"), e.getMessage());
        assertTrue(e.getMessage().contains("stream offset 0"), e.getMessage());
    }

    @Test
    void aPathThatIsNotUtf8IsRefused() {
        byte[] stream = new XbstreamWriter().endChunk(0, new byte[] {'a', (byte) 0xff, 'b'}).toByteArray();
        XbstreamException e = assertThrows(XbstreamException.class, () -> read(stream, 100, false));
        assertTrue(e.getMessage().contains("not UTF-8"), e.getMessage());
    }

    @Test
    void endingInsideAChunkSaysWhereAndHowFar() throws IOException {
        XbstreamWriter w = mixedStream();
        byte[] stream = w.toByteArray();
        XbstreamWriter.Chunk chunk = w.chunk('P', "mysql/db.opt");

        XbstreamException mid = assertThrows(XbstreamException.class,
                () -> read(XbstreamWriter.truncate(stream, chunk.payloadStart() + 4), 1000, false));
        assertTrue(mid.getMessage().contains("inside the payload of 'mysql/db.opt'"), mid.getMessage());
        assertTrue(mid.getMessage().contains("after 4 of 7 bytes"), mid.getMessage());

        XbstreamException header = assertThrows(XbstreamException.class,
                () -> read(XbstreamWriter.truncate(stream, chunk.streamOffset() + 10), 1000, false));
        assertTrue(header.getMessage().contains("inside the header of the chunk at stream offset " + chunk.streamOffset()),
                header.getMessage());

        // on a chunk boundary the reader is content; which files lack their end chunk is the extractor's business
        assertEquals(2, read(XbstreamWriter.truncate(stream, chunk.end()), 1000, false).size());
    }

    @Test
    void afterAnErrorEveryCallFails() {
        Recorder recorder = new Recorder();
        XbstreamReader reader = new XbstreamReader(recorder);
        byte[] junk = "GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThrows(XbstreamException.class, () -> reader.write(ByteBuffer.wrap(junk)));
        byte[] good = mixedStream().toByteArray();
        XbstreamException again = assertThrows(XbstreamException.class, () -> reader.write(ByteBuffer.wrap(good)));
        assertTrue(again.getMessage().startsWith("the stream already failed"), again.getMessage());
        assertThrows(XbstreamException.class, reader::finish);
    }
}
