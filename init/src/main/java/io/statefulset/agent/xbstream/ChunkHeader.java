package io.statefulset.agent.xbstream;

/**
 * One parsed chunk header. For an {@link ChunkType#END} chunk the payload length and file offset are 0.
 *
 * @param streamOffset where the chunk starts in the stream, for error messages
 * @param fileOffset   where the payload goes in the file (for a sparse chunk, where its first run's skip starts)
 * @param crc32        the CRC32 the donor computed over the sparse map bytes (if any) then the payload
 */
public record ChunkHeader(ChunkType type, int flags, String path, long streamOffset, long payloadLength,
                          long fileOffset, int crc32, SparseMap sparseMap) {
    /** Flag bit: a reader that does not know the chunk's type may skip it. */
    public static final int FLAG_IGNORABLE = 0x01;

    /** For messages: {@code 'path' (P chunk at stream offset N)}. */
    public String describe() {
        return PathText.quote(path) + " (" + type.code() + " chunk at stream offset " + streamOffset + ")";
    }
}
