package io.statefulset.agent.clone;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.common.protocol.BackupProtocol;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/** The donor's verdict trailers, checked against what arrived. */
class BackupTrailersTest {
    private static final HostPort DONOR = new HostPort("mysql-0.mysql", 3307);
    private static final byte[] BODY = "twenty-eight bytes of a body".getBytes(StandardCharsets.US_ASCII);

    @Test
    void aSuccessWithTheLengthAndCrcOfWhatArrivedIsTrusted() {
        assertDoesNotThrow(() -> trailers("28").verify(DONOR, BODY.length, crc()));
        assertDoesNotThrow(() -> trailers("028").verify(DONOR, BODY.length, crc()), "leading zeros, as Content-Length allows");
    }

    @Test
    void aByteCountIsDecimalAsciiDigitsOnly() {
        for (String count : new String[] {"+28", "\u0662\u0668", "28.0", "-28", "", "99999999999999999999"}) {
            DonorFailedException e = assertThrows(DonorFailedException.class,
                    () -> trailers(count).verify(DONOR, BODY.length, crc()), count);
            assertTrue(e.getMessage().contains("not a byte count") && e.getMessage().contains(DONOR.toString()), e.getMessage());
        }
    }

    @Test
    void aLengthOtherThanWhatArrivedIsRefused() {
        DonorFailedException e = assertThrows(DonorFailedException.class, () -> trailers("27").verify(DONOR, BODY.length, crc()));
        assertTrue(e.getMessage().contains("says it sent 27 bytes but 28 arrived"), e.getMessage());
    }

    private static BackupTrailers trailers(String bytes) {
        HttpHeaders h = new DefaultHttpHeaders()
                .set(BackupProtocol.STATUS_TRAILER, BackupProtocol.STATUS_SUCCESS)
                .set(BackupProtocol.BYTES_TRAILER, bytes)
                .set(BackupProtocol.CRC32C_TRAILER, BackupProtocol.crc32cHex(crc()));
        return BackupTrailers.from(h);
    }

    private static int crc() {
        CRC32C c = new CRC32C();
        c.update(BODY);
        return (int) c.getValue();
    }
}
