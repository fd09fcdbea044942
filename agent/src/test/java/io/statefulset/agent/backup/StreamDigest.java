package io.statefulset.agent.backup;

import io.statefulset.agent.common.protocol.BackupProtocol;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/** Length and CRC32C of a received body, computed independently of the server, to hold its trailers against. */
record StreamDigest(long bytes, String crc32c) {

    static StreamDigest of(InputStream in) throws IOException {
        CRC32C crc = new CRC32C();
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = in.read(buf)) >= 0; ) {
            crc.update(buf, 0, n);
            total += n;
        }
        return new StreamDigest(total, BackupProtocol.crc32cHex((int) crc.getValue()));
    }

    static StreamDigest of(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return of(in);
        }
    }
}
