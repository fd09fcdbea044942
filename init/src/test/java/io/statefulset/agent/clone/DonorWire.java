package io.statefulset.agent.clone;

import io.statefulset.agent.common.protocol.BackupProtocol;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/** What a donor puts on the wire, byte for byte, for tests that feed a client pipeline. */
final class DonorWire {
    private DonorWire() {}

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String crc32cHex(byte[] body) {
        CRC32C crc = new CRC32C();
        crc.update(body);
        return BackupProtocol.crc32cHex((int) crc.getValue());
    }

    /** A 200 head announcing a chunked body with trailers. */
    static String okHead(long sizeEstimate) {
        return "HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\nconnection: close\r\n"
                + "transfer-encoding: chunked\r\ntrailer: X-Backup-Status, X-Backup-Error, X-Backup-Bytes, X-Backup-Crc32c\r\n"
                + BackupProtocol.SIZE_ESTIMATE_HEADER + ": " + sizeEstimate + "\r\n\r\n";
    }

    static String chunk(String body) {
        return Integer.toHexString(body.length()) + "\r\n" + body + "\r\n";
    }

    /** The last chunk with the donor's verdict on {@code body}. */
    static String successTrailers(String body) {
        byte[] bytes = ascii(body);
        return "0\r\n" + BackupProtocol.STATUS_TRAILER + ": success\r\n" + BackupProtocol.BYTES_TRAILER + ": " + bytes.length
                + "\r\n" + BackupProtocol.CRC32C_TRAILER + ": " + crc32cHex(bytes) + "\r\n\r\n";
    }
}
