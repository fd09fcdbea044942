package io.statefulset.agent.xbstream;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns path bytes into Strings, remembering the last few paths: a file's chunks repeat its path, and reusing the
 * same String keeps the per-chunk cost to a byte comparison (and the String's hash already computed).
 */
final class PathDecoder {
    private static final int SLOTS = 16;

    private final byte[][] bytes = new byte[SLOTS][];
    private final String[] strings = new String[SLOTS];
    private int next;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    /** @throws CharacterCodingException when the bytes are not UTF-8 */
    String decode(byte[] src, int length) throws CharacterCodingException {
        for (int i = 1; i <= SLOTS; i++) {
            int slot = Math.floorMod(next - i, SLOTS);
            byte[] known = bytes[slot];
            if (known != null && Arrays.equals(known, 0, known.length, src, 0, length)) return strings[slot];
        }
        String path = utf8.decode(ByteBuffer.wrap(src, 0, length)).toString();
        bytes[next] = Arrays.copyOf(src, length);
        strings[next] = path;
        next = (next + 1) % SLOTS;
        return path;
    }
}
