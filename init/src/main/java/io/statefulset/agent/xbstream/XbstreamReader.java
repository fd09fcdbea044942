package io.statefulset.agent.xbstream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Push parser of an xbstream (docs/architecture.md, "The xbstream format"): bytes are fed as they arrive, in slices of any size,
 * and chunks are reported to a {@link ChunkListener} as they are parsed. Header bytes split across calls are kept
 * here; payload bytes are passed on as slices of the caller's buffer, never buffered. Every payload's CRC32 is
 * checked incrementally, and a chunk is only reported ended once its CRC matched.
 *
 * <p>Not thread-safe: one stream, one feeding thread. After the first error every call fails.
 */
public final class XbstreamReader {
    /** Longest path accepted; the backup tools refuse 512 and more (FN_REFLEN). */
    public static final int MAX_PATH_LENGTH = 511;
    /**
     * Largest payload of one chunk accepted. The backup tools write chunks of their read buffer (10 MiB by default);
     * a larger length is a corrupt header, and refusing it early beats writing gigabytes of the wrong bytes.
     */
    public static final long MAX_PAYLOAD_LENGTH = 1L << 32;
    /** Most runs in one sparse map; the map is held in memory until its payload has been written. */
    public static final int MAX_SPARSE_RUNS = 1 << 16;

    /** First bytes of every chunk: a donor reply that starts with them is a legacy (bash sidecar) donor. */
    public static final byte[] MAGIC = "XBSTCK01".getBytes(StandardCharsets.US_ASCII);
    private static final long MAGIC_LE = ByteBuffer.wrap(MAGIC).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    /** magic, flags, type, path length */
    private static final int PREFIX_LENGTH = 14;
    /** payload length, file offset, CRC32; a sparse chunk has its run count in front */
    private static final int SIZES_LENGTH = 20;
    private static final int SPARSE_SIZES_LENGTH = 24;

    private enum State { PREFIX, PATH, SIZES, SPARSE_MAP, PAYLOAD }

    private final ChunkListener listener;
    private final byte[] scratch = new byte[Math.max(MAX_PATH_LENGTH, SPARSE_SIZES_LENGTH)];
    private final ByteBuffer scratchLe = ByteBuffer.wrap(scratch).order(ByteOrder.LITTLE_ENDIAN);
    private byte[] mapBytes = new byte[0];
    private final CRC32 crc = new CRC32();
    private final PathDecoder paths = new PathDecoder();

    private State state = State.PREFIX;
    /** bytes of the current fixed-size field group gathered so far */
    private int have;
    private long consumed;
    private long chunks;
    private long ignoredChunks;
    private IOException failure;

    private long chunkOffset;
    private int flags;
    private byte typeByte;
    private ChunkType type;
    private int pathLength;
    private String path;
    private int runCount;
    private long payloadLength;
    private long fileOffset;
    private int expectedCrc;
    private long payloadLeft;
    private ChunkHeader header;

    public XbstreamReader(ChunkListener listener) {
        this.listener = listener;
    }

    /**
     * Parses all remaining bytes of {@code data} (its position ends at its limit).
     *
     * @throws XbstreamException for a malformed stream (then and on every later call)
     * @throws IOException       what the listener threw
     */
    public void write(ByteBuffer data) throws IOException {
        if (failure != null) throw new XbstreamException("the stream already failed: " + failure.getMessage(), failure);
        try {
            while (data.hasRemaining()) step(data);
        } catch (IOException e) {
            failure = e;
            throw e;
        }
    }

    /**
     * The stream ended: fine at a chunk boundary, an error inside a chunk.
     *
     * @throws XbstreamException naming the chunk it stopped in and how far it got
     */
    public void finish() throws XbstreamException {
        if (failure != null) throw new XbstreamException("the stream already failed: " + failure.getMessage(), failure);
        if (state == State.PREFIX && have == 0) return;
        if (state == State.PREFIX && !magicPrefixMatches()) {
            throw failed(badMagic());
        }
        String where = state == State.PREFIX || state == State.PATH
                ? "inside the header of the chunk at stream offset " + chunkOffset
                : state == State.PAYLOAD
                // an ignorable chunk of an unknown type has no header of ours (found by fuzzing: a NullPointerException)
                ? "inside the payload of " + (header != null ? header.describe() : "the ignorable chunk for "
                        + PathText.quote(path) + " at stream offset " + chunkOffset) + " after " + (payloadLength - payloadLeft) + " of "
                        + payloadLength + " bytes"
                : "inside the header of the chunk for " + PathText.quote(path) + " at stream offset " + chunkOffset;
        throw failed(new XbstreamException("the stream ended " + where + " (" + consumed + " bytes in all): the donor"
                + " stopped mid-stream (its backup tool died, or the connection was cut); check the donor's log and"
                + " retry the clone"));
    }

    /** Stream bytes accepted so far. */
    public long bytesConsumed() {
        return consumed;
    }

    /** Chunks parsed completely, ignored ones included. */
    public long chunks() {
        return chunks;
    }

    /** Chunks of unknown types skipped because they were flagged ignorable. */
    public long ignoredChunks() {
        return ignoredChunks;
    }

    private void step(ByteBuffer data) throws IOException {
        switch (state) {
            case PREFIX:
                if (have == 0) chunkOffset = consumed;
                if (gather(data, PREFIX_LENGTH)) prefixDone();
                break;
            case PATH:
                if (gather(data, pathLength)) {
                    try {
                        path = paths.decode(scratch, pathLength);
                    } catch (CharacterCodingException e) {
                        throw new XbstreamException("the path of the chunk at stream offset " + chunkOffset
                                + " is not UTF-8: the stream is corrupt; retry the clone", e);
                    }
                    pathDone();
                }
                break;
            case SIZES:
                if (gather(data, type == ChunkType.SPARSE ? SPARSE_SIZES_LENGTH : SIZES_LENGTH)) sizesDone();
                break;
            case SPARSE_MAP:
                int mapLength = runCount * 8;
                int n = Math.min(data.remaining(), mapLength - have);
                data.get(mapBytes, have, n);
                have += n;
                consumed += n;
                if (have == mapLength) sparseMapDone();
                break;
            case PAYLOAD:
                payload(data);
                break;
            default:
                throw new IllegalStateException(state.name());
        }
    }

    /** Copies into the scratch buffer until it holds {@code need} bytes; true when it does. */
    private boolean gather(ByteBuffer data, int need) {
        int n = Math.min(data.remaining(), need - have);
        data.get(scratch, have, n);
        have += n;
        consumed += n;
        if (have < need) return false;
        have = 0;
        return true;
    }

    private void prefixDone() throws IOException {
        if (scratchLe.getLong(0) != MAGIC_LE) throw badMagic();
        flags = scratch[8] & 0xff;
        typeByte = scratch[9];
        type = ChunkType.of(typeByte);
        long length = scratchLe.getInt(10) & 0xffffffffL;
        if (type == null && (flags & ChunkHeader.FLAG_IGNORABLE) == 0) {
            throw new XbstreamException("unknown chunk type " + typeName(typeByte) + " (flags 0x"
                    + Integer.toHexString(flags) + ") at stream offset " + chunkOffset + ", not flagged ignorable:"
                    + " the donor's backup tool writes a newer xbstream format than this agent reads, or the stream is"
                    + " corrupt; use a backup tool of the same major version as the agent expects, or retry the clone");
        }
        if (length > MAX_PATH_LENGTH) {
            throw new XbstreamException("path length " + length + " in the chunk at stream offset " + chunkOffset
                    + " is over the limit of " + MAX_PATH_LENGTH + ": the chunk header is corrupt; retry the clone");
        }
        pathLength = (int) length;
        if (pathLength > 0) {
            state = State.PATH;
        } else {
            path = "";
            pathDone();
        }
    }

    private void pathDone() throws IOException {
        if (type == ChunkType.END) {
            payloadLength = 0;
            fileOffset = 0;
            runCount = 0;
            header = new ChunkHeader(type, flags, path, chunkOffset, 0, 0, 0, SparseMap.NONE);
            listener.chunkStart(header);
            listener.chunkEnd(header);
            chunkDone();
        } else {
            // unknown ignorable types are laid out like a payload chunk (that is how the backup tools skip them)
            state = State.SIZES;
        }
    }

    private void sizesDone() throws IOException {
        int base = 0;
        runCount = 0;
        if (type == ChunkType.SPARSE) {
            long runs = scratchLe.getInt(0) & 0xffffffffL;
            if (runs > MAX_SPARSE_RUNS) {
                throw new XbstreamException("sparse map of " + runs + " runs in the chunk for " + PathText.quote(path)
                        + " at stream offset " + chunkOffset + " is over the limit of " + MAX_SPARSE_RUNS
                        + ": the chunk header is corrupt; retry the clone");
            }
            runCount = (int) runs;
            base = 4;
        }
        payloadLength = scratchLe.getLong(base);
        fileOffset = scratchLe.getLong(base + 8);
        expectedCrc = scratchLe.getInt(base + 16);
        String chunk = "the " + (type == null ? "ignorable" : String.valueOf(type.code())) + " chunk for "
                + PathText.quote(path) + " at stream offset " + chunkOffset;
        if (payloadLength < 0 || payloadLength > MAX_PAYLOAD_LENGTH) {
            throw new XbstreamException("payload length " + Long.toUnsignedString(payloadLength) + " of " + chunk
                    + " is over the limit of " + MAX_PAYLOAD_LENGTH + " (backup tools write chunks of a few MiB): the"
                    + " chunk header is corrupt; retry the clone");
        }
        if (fileOffset < 0 || fileOffset + payloadLength < 0) {
            throw new XbstreamException("file offset " + Long.toUnsignedString(fileOffset) + " of " + chunk
                    + " is out of range: the chunk header is corrupt; retry the clone");
        }
        if (type == ChunkType.SPARSE && runCount == 0 && payloadLength != 0) {
            // Found by fuzzing: a map of no runs cannot place any data (it was an ArrayIndexOutOfBoundsException).
            throw new XbstreamException("the sparse map of " + chunk + " has no runs but the payload is " + payloadLength
                    + " bytes: the chunk is corrupt; retry the clone");
        }
        crc.reset();
        if (runCount > 0) {
            if (mapBytes.length < runCount * 8) mapBytes = new byte[runCount * 8];
            state = State.SPARSE_MAP;
        } else {
            startPayload(SparseMap.NONE);
        }
    }

    private void sparseMapDone() throws IOException {
        int mapLength = runCount * 8;
        crc.update(mapBytes, 0, mapLength);
        ByteBuffer map = ByteBuffer.wrap(mapBytes, 0, mapLength).order(ByteOrder.LITTLE_ENDIAN);
        List<SparseMap.Run> runs = new ArrayList<>(runCount);
        long data = 0;
        long span = 0;
        for (int i = 0; i < runCount; i++) {
            long skip = map.getInt() & 0xffffffffL;
            long length = map.getInt() & 0xffffffffL;
            runs.add(new SparseMap.Run(skip, length));
            data += length;
            span += skip + length;
        }
        if (data != payloadLength) {
            throw new XbstreamException("the sparse map of the S chunk for " + PathText.quote(path) + " at stream"
                    + " offset " + chunkOffset + " covers " + data + " bytes of data but the payload is " + payloadLength
                    + " bytes: the chunk is corrupt; retry the clone");
        }
        if (fileOffset + span < 0) {
            throw new XbstreamException("the sparse map of the S chunk for " + PathText.quote(path) + " at stream"
                    + " offset " + chunkOffset + " reaches past the largest file offset: the chunk is corrupt; retry");
        }
        have = 0;
        startPayload(new SparseMap(runs));
    }

    private void startPayload(SparseMap sparseMap) throws IOException {
        if (type == null) {
            header = null;
        } else {
            header = new ChunkHeader(type, flags, path, chunkOffset, payloadLength, fileOffset, expectedCrc, sparseMap);
            listener.chunkStart(header);
        }
        payloadLeft = payloadLength;
        state = State.PAYLOAD;
        if (payloadLeft == 0) payloadDone();
    }

    private void payload(ByteBuffer data) throws IOException {
        int start = data.position();
        int n = (int) Math.min(data.remaining(), payloadLeft);
        if (header != null) {
            int limit = data.limit();
            data.limit(start + n);
            crc.update(data);
            data.position(start);
            listener.payload(header, data);
            data.limit(limit);
        }
        data.position(start + n);
        consumed += n;
        payloadLeft -= n;
        if (payloadLeft == 0) payloadDone();
    }

    private void payloadDone() throws IOException {
        if (header == null) {
            ignoredChunks++;
        } else {
            int actual = (int) crc.getValue();
            if (actual != expectedCrc) {
                throw new XbstreamException("CRC32 mismatch in " + header.describe() + ", " + payloadLength
                        + " bytes for file offset " + fileOffset + ": the chunk says 0x"
                        + Integer.toHexString(expectedCrc) + ", its bytes give 0x" + Integer.toHexString(actual)
                        + ": the stream was corrupted on the way (network, proxy, or a faulty donor disk);"
                        + " retry the clone, from another donor if it happens again");
            }
            listener.chunkEnd(header);
        }
        chunkDone();
    }

    private void chunkDone() {
        chunks++;
        state = State.PREFIX;
        have = 0;
        header = null;
    }

    private XbstreamException failed(XbstreamException e) {
        failure = e;
        return e;
    }

    private boolean magicPrefixMatches() {
        for (int i = 0; i < Math.min(have, MAGIC.length); i++) {
            if (scratch[i] != MAGIC[i]) return false;
        }
        return true;
    }

    private XbstreamException badMagic() {
        int seen = state == State.PREFIX && have > 0 ? have : PREFIX_LENGTH;
        String bytes = showBytes(scratch, Math.min(seen, PREFIX_LENGTH));
        if (chunkOffset == 0) {
            return new XbstreamException("the donor sent something that is not an xbstream: expected \"XBSTCK01\" at"
                    + " stream offset 0, got " + bytes + ". Is it an HTTP error page, or a different program on that"
                    + " port? Check what listens on the donor's backup port and that it runs the agent's `serve` (or"
                    + " the tutorial's xtrabackup sidecar)");
        }
        return new XbstreamException("bad chunk magic at stream offset " + chunkOffset + " after " + chunks
                + " good chunks: expected \"XBSTCK01\", got " + bytes + ". The stream is corrupt or out of step (a"
                + " damaged length field, or the donor's backup tool printed something into its stream); check the"
                + " donor's backup log and retry the clone");
    }

    /** Hex and printable text of header bytes, so that "HTTP/1.1 4" or a shell's error is recognisable. */
    static String showBytes(byte[] bytes, int length) {
        StringBuilder hex = new StringBuilder();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int b = bytes[i] & 0xff;
            if (i > 0) hex.append(' ');
            hex.append(String.format("%02x", b));
            if (b == '\r') text.append("\\r");
            else if (b == '\n') text.append("\\n");
            else if (b == '"' || b == '\\') text.append('\\').append((char) b);
            else text.append(b >= 0x20 && b < 0x7f ? (char) b : '.');
        }
        return hex + " (\"" + text + "\")";
    }

    private static String typeName(byte b) {
        int v = b & 0xff;
        return v >= 0x20 && v < 0x7f ? "'" + (char) v + "'" : String.format("0x%02x", v);
    }
}
