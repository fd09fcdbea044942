package io.statefulset.agent.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statefulset.agent.backup.WireCompression.Mode;
import java.net.InetAddress;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which coding a {@code /backup} answer gets, from serve's --compression and the client's Accept-Encoding. */
class WireCompressionTest {
    private static final InetAddress DONOR = address("10.244.1.7");
    private static final InetAddress PEER = address("10.244.2.9");
    private static final InetAddress LOOPBACK = address("127.0.0.1");

    private static InetAddress address(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static BodyEncoding choose(Mode mode, String accept, InetAddress client) {
        return new WireCompression(mode, 1).choose(accept, true, client, DONOR);
    }

    @Test
    void autoCompressesWithLz4ForAPeerOnAnotherHost() {
        assertEquals(BodyEncoding.LZ4, choose(Mode.AUTO, "zstd, lz4", PEER));
    }

    @Test
    void autoTakesZstdWhenThatIsAllTheClientDecodes() {
        assertEquals(BodyEncoding.ZSTD, choose(Mode.AUTO, "zstd", PEER));
    }

    @Test
    void autoSendsPlainBytesToAClientOnThisHost() {
        assertEquals(BodyEncoding.IDENTITY, choose(Mode.AUTO, "zstd, lz4", LOOPBACK));
        assertEquals(BodyEncoding.IDENTITY, choose(Mode.AUTO, "zstd, lz4", DONOR), "the donor's own address");
    }

    @Test
    void aForcedCodingIsUsedWhereverTheClientIs() {
        assertEquals(BodyEncoding.ZSTD, choose(Mode.ZSTD, "zstd, lz4", LOOPBACK));
        assertEquals(BodyEncoding.LZ4, choose(Mode.LZ4, "zstd, lz4", LOOPBACK));
    }

    @Test
    void noneAndUnknownCodingsMeanPlainBytes() {
        assertEquals(BodyEncoding.IDENTITY, choose(Mode.NONE, "zstd, lz4", PEER));
        assertEquals(BodyEncoding.IDENTITY, choose(Mode.AUTO, "gzip, br", PEER), "codings serve does not write");
        assertEquals(BodyEncoding.IDENTITY, choose(Mode.ZSTD, "lz4", PEER), "forced zstd to a client without zstd");
        assertEquals(BodyEncoding.IDENTITY, choose(Mode.AUTO, null, PEER), "no Accept-Encoding: curl, older init");
    }

    @Test
    void aZeroWeightRefusesACoding() {
        assertEquals(Set.of("zstd"), WireCompression.accepted("zstd;q=0.5, LZ4 ; q=0, gzip;q=x"));
        assertEquals(BodyEncoding.ZSTD, choose(Mode.AUTO, "lz4;q=0, zstd", PEER));
    }

    @Test
    void anHttp10ClientGetsPlainBytes() {
        assertEquals(BodyEncoding.IDENTITY, new WireCompression(Mode.ZSTD, 1).choose("zstd", false, PEER, DONOR));
    }

    @Test
    void badFlagsAreNamed() {
        IllegalArgumentException mode = assertThrows(IllegalArgumentException.class, () -> WireCompression.parseMode("gzip"));
        assertTrue(mode.getMessage().contains("--compression must be auto, zstd, lz4 or none"), mode.getMessage());
        IllegalArgumentException level = assertThrows(IllegalArgumentException.class, () -> new WireCompression(Mode.ZSTD, 0));
        assertTrue(level.getMessage().contains("--compression-level must be 1-19"), level.getMessage());
        assertEquals(Mode.LZ4, WireCompression.parseMode(" LZ4 "));
    }
}
