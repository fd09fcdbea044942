package io.statefulset.agent.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.CRC32;

/**
 * An xbstream made up in memory for benchmarks: files of {@code fileBytes} each, one after another, in P chunks of
 * {@code chunkBytes}, each file closed by its E chunk (the layout mariadb-backup streams, which sends 10 MiB chunks).
 * The payload is one random block repeated, so that making 1 GiB takes a moment and its CRC is computed once.
 */
public final class SyntheticXbstream {
    private SyntheticXbstream() {}

    /** A direct buffer (as Netty's are) holding the stream, position 0, limit its length. */
    public static ByteBuffer generate(long totalBytes, int chunkBytes, long fileBytes) {
        byte[] block = new byte[chunkBytes];
        new Random(1).nextBytes(block);
        long files = Math.max(1, totalBytes / fileBytes);
        long chunksPerFile = (fileBytes + chunkBytes - 1) / chunkBytes;
        long size = 0;
        for (long f = 0; f < files; f++) {
            String path = path(f);
            long left = fileBytes;
            for (long c = 0; c < chunksPerFile; c++) {
                long n = Math.min(chunkBytes, left);
                size += 14 + path.length() + 20 + n;
                left -= n;
            }
            size += 14 + path.length();
        }
        ByteBuffer out = ByteBuffer.allocateDirect(Math.toIntExact(size)).order(ByteOrder.LITTLE_ENDIAN);
        CRC32 crc = new CRC32();
        crc.update(block);
        int fullCrc = (int) crc.getValue();
        byte[] magic = "XBSTCK01".getBytes(StandardCharsets.US_ASCII);
        for (long f = 0; f < files; f++) {
            byte[] path = path(f).getBytes(StandardCharsets.US_ASCII);
            long offset = 0;
            while (offset < fileBytes) {
                int n = (int) Math.min(chunkBytes, fileBytes - offset);
                int chunkCrc = fullCrc;
                if (n != chunkBytes) {
                    crc.reset();
                    crc.update(block, 0, n);
                    chunkCrc = (int) crc.getValue();
                }
                out.put(magic).put((byte) 0).put((byte) 'P').putInt(path.length).put(path)
                        .putLong(n).putLong(offset).putInt(chunkCrc).put(block, 0, n);
                offset += n;
            }
            out.put(magic).put((byte) 0).put((byte) 'E').putInt(path.length).put(path);
        }
        return out.flip();
    }

    private static String path(long file) {
        return "bench/t" + file + ".ibd";
    }
}
