package io.statefulset.agent.xbstream;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Receives the chunks that {@link XbstreamReader} parses, without the payload ever being buffered whole: a chunk is
 * {@code chunkStart}, zero or more {@code payload} slices in order, then {@code chunkEnd} once its CRC32 has been
 * checked. An end chunk is {@code chunkStart} then {@code chunkEnd}. Ignorable chunks of unknown types are not reported.
 */
public interface ChunkListener {
    void chunkStart(ChunkHeader header) throws IOException;

    /**
     * The next bytes of the chunk's payload, between the slice's position and limit. The slice belongs to the caller
     * and is valid only during the call; the listener may move its position but must copy what it keeps.
     */
    void payload(ChunkHeader header, ByteBuffer slice) throws IOException;

    void chunkEnd(ChunkHeader header) throws IOException;
}
