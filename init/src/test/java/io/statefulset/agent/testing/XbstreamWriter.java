package io.statefulset.agent.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Builds xbstreams for tests, in memory or into an OutputStream, in the layout of docs/architecture.md "The xbstream format":
 * payload ({@code P}) chunks of chosen sizes, end ({@code E}) chunks, sparse ({@code S}) chunks, interleaved files,
 * ignorable chunks of unknown types, and raw chunks with any field value. It remembers where every chunk lies
 * ({@link #chunks()}) so that a test can corrupt exactly the byte it means to ({@link #flip}, {@link #truncate}).
 * Valid streams from it are accepted by MariaDB's {@code mbstream -x} (checked by a test).
 */
public final class XbstreamWriter {
    /** One hole-then-data run of a sparse chunk. */
    public record SparseRun(long skip, byte[] data) {
        public static SparseRun hole(long skip) {
            return new SparseRun(skip, new byte[0]);
        }
    }

    /**
     * Where a chunk was written.
     *
     * @param headerLength bytes from the chunk's start to its first payload byte (sparse map included)
     */
    public record Chunk(char type, String path, long streamOffset, int headerLength, long payloadLength) {
        /** Stream offset of the chunk's first payload byte. */
        public long payloadStart() {
            return streamOffset + headerLength;
        }

        /** Stream offset just past the chunk. */
        public long end() {
            return payloadStart() + payloadLength;
        }
    }

    private final OutputStream out;
    private final ByteArrayOutputStream memory;
    private final Map<String, Long> positions = new HashMap<>();
    private final List<Chunk> chunks = new ArrayList<>();
    private long written;

    /** A stream built in memory; see {@link #toByteArray()}. */
    public XbstreamWriter() {
        this.memory = new ByteArrayOutputStream();
        this.out = memory;
    }

    public XbstreamWriter(OutputStream out) {
        this.memory = null;
        this.out = out;
    }

    /** A whole file: P chunks of at most {@code chunkSize} bytes, then its E chunk (a lone E chunk when empty). */
    public XbstreamWriter file(String path, byte[] content, int chunkSize) {
        for (int at = 0; at < content.length; at += chunkSize) {
            payload(path, Arrays.copyOfRange(content, at, Math.min(content.length, at + chunkSize)));
        }
        return end(path);
    }

    /** A P chunk at the file's current position (the bytes its earlier chunks covered). */
    public XbstreamWriter payload(String path, byte[] data) {
        return payloadAt(path, positions.getOrDefault(path, 0L), data);
    }

    /** A P chunk at any file offset (an out-of-order one, if the test wants it). */
    public XbstreamWriter payloadAt(String path, long offset, byte[] data) {
        positions.put(path, offset + data.length);
        return dataChunk(0, (byte) 'P', path.getBytes(StandardCharsets.UTF_8), offset, new byte[0], data);
    }

    /** An S chunk at the file's current position: for each run, skip a hole, then write its data. */
    public XbstreamWriter sparse(String path, SparseRun... runs) {
        long offset = positions.getOrDefault(path, 0L);
        ByteBuffer map = ByteBuffer.allocate(runs.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        long span = 0;
        for (SparseRun run : runs) {
            map.putInt((int) run.skip()).putInt(run.data().length);
            data.writeBytes(run.data());
            span += run.skip() + run.data().length;
        }
        positions.put(path, offset + span);
        return dataChunk(0, (byte) 'S', path.getBytes(StandardCharsets.UTF_8), offset, map.array(), data.toByteArray());
    }

    /** The file's E chunk. */
    public XbstreamWriter end(String path) {
        return endChunk(0, path.getBytes(StandardCharsets.UTF_8));
    }

    /** A chunk of a type no reader knows, flagged ignorable: laid out like a P chunk. */
    public XbstreamWriter ignorable(char type, String path, byte[] data) {
        return dataChunk(0x01, (byte) type, path.getBytes(StandardCharsets.UTF_8), 0, new byte[0], data);
    }

    /**
     * A chunk with every field chosen by the test: raw path bytes, any type and flags; {@code sparseMap} non-empty
     * makes it an S-style chunk (run count, then the map before the payload). The CRC is computed correctly.
     */
    public XbstreamWriter dataChunk(int flags, byte type, byte[] path, long offset, byte[] sparseMap, byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(sparseMap);
        crc.update(data);
        return dataChunk(flags, type, path, offset, sparseMap, data, (int) crc.getValue());
    }

    /** As {@link #dataChunk(int, byte, byte[], long, byte[], byte[])} with a chosen CRC. */
    public XbstreamWriter dataChunk(int flags, byte type, byte[] path, long offset, byte[] sparseMap, byte[] data, int crc) {
        boolean sparse = type == 'S';
        ByteBuffer header = ByteBuffer.allocate(14 + path.length + (sparse ? 4 : 0) + 20 + sparseMap.length)
                .order(ByteOrder.LITTLE_ENDIAN);
        header.put("XBSTCK01".getBytes(StandardCharsets.US_ASCII)).put((byte) flags).put(type).putInt(path.length).put(path);
        if (sparse) header.putInt(sparseMap.length / 8);
        header.putLong(data.length).putLong(offset).putInt(crc).put(sparseMap);
        return emit(type, path, header.array(), data);
    }

    /** An E chunk with chosen flags and raw path bytes. */
    public XbstreamWriter endChunk(int flags, byte[] path) {
        ByteBuffer header = ByteBuffer.allocate(14 + path.length).order(ByteOrder.LITTLE_ENDIAN);
        header.put("XBSTCK01".getBytes(StandardCharsets.US_ASCII)).put((byte) flags).put((byte) 'E')
                .putInt(path.length).put(path);
        return emit((byte) 'E', path, header.array(), new byte[0]);
    }

    /** Any bytes at all, appended as they are. */
    public XbstreamWriter raw(byte[] bytes) {
        write(bytes);
        return this;
    }

    /** Every chunk written, in stream order. */
    public List<Chunk> chunks() {
        return List.copyOf(chunks);
    }

    /** The first chunk of the given type for the path. */
    public Chunk chunk(char type, String path) {
        return chunks.stream().filter(c -> c.type() == type && c.path().equals(path)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no " + type + " chunk for " + path));
    }

    public long size() {
        return written;
    }

    /** The stream (in-memory writers only). */
    public byte[] toByteArray() {
        if (memory == null) throw new IllegalStateException("this writer writes to an OutputStream");
        return memory.toByteArray();
    }

    /** A copy of the stream with every bit of one byte flipped. */
    public static byte[] flip(byte[] stream, long index) {
        byte[] copy = stream.clone();
        copy[Math.toIntExact(index)] ^= (byte) 0xff;
        return copy;
    }

    /** The first {@code length} bytes of the stream. */
    public static byte[] truncate(byte[] stream, long length) {
        return Arrays.copyOf(stream, Math.toIntExact(length));
    }

    private XbstreamWriter emit(byte type, byte[] path, byte[] header, byte[] data) {
        chunks.add(new Chunk((char) type, new String(path, StandardCharsets.UTF_8), written, header.length, data.length));
        write(header);
        write(data);
        return this;
    }

    private void write(byte[] bytes) {
        try {
            out.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        written += bytes.length;
    }
}
