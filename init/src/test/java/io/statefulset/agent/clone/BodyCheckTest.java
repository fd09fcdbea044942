package io.statefulset.agent.clone;

import static io.statefulset.agent.clone.DonorWire.ascii;
import static io.statefulset.agent.clone.DonorWire.crc32cHex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.common.protocol.BackupProtocol;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class BodyCheckTest {
    private static final String BODY = "0123456789abcdef";

    private final TransferProgress progress = new TransferProgress(new HostPort("db-0", 3307));
    private final Recorder recorder = new Recorder();
    private final EmbeddedChannel ch = new EmbeddedChannel(new BodyCheck(progress), recorder);

    private static HttpContent content(String s) {
        return new DefaultHttpContent(Unpooled.wrappedBuffer(ascii(s)));
    }

    private static LastHttpContent end(String status, String bytes, String crc) {
        LastHttpContent last = new DefaultLastHttpContent();
        if (status != null) last.trailingHeaders().set(BackupProtocol.STATUS_TRAILER, status);
        if (bytes != null) last.trailingHeaders().set(BackupProtocol.BYTES_TRAILER, bytes);
        if (crc != null) last.trailingHeaders().set(BackupProtocol.CRC32C_TRAILER, crc);
        return last;
    }

    private String passed() {
        StringBuilder sb = new StringBuilder();
        for (Object m : recorder.messages) {
            if (m instanceof ByteBuf b) {
                sb.append(b.toString(StandardCharsets.ISO_8859_1));
                b.release();
            }
        }
        return sb.toString();
    }

    private String refusal(LastHttpContent last) {
        ch.writeInbound(content(BODY.substring(0, 6)), content(BODY.substring(6)), last);
        assertEquals(List.of(), recorder.events, "no end without a good verdict");
        return assertInstanceOf(DonorFailedException.class, recorder.exceptions.get(0)).getMessage();
    }

    @Test
    void aBodyMatchingItsTrailersEndsAndPassesOnAsPlainBuffers() {
        var head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        ch.writeInbound(head, content(BODY.substring(0, 6)), content(BODY.substring(6)),
                end("success", Integer.toString(BODY.length()), crc32cHex(ascii(BODY))));
        assertEquals(head, recorder.messages.get(0), "the head goes on for whoever needs it");
        assertEquals(BODY, passed());
        assertEquals(List.of(TransferEvent.BODY_ENDED), recorder.events);
        assertTrue(recorder.exceptions.isEmpty());
        assertEquals(BODY.length(), progress.bytes());
    }

    @Test
    void theCrcTrailerIsCaseInsensitiveHex() {
        refusalFree(end("SUCCESS", Integer.toString(BODY.length()), crc32cHex(ascii(BODY)).toUpperCase()));
    }

    private void refusalFree(LastHttpContent last) {
        ch.writeInbound(content(BODY), last);
        assertEquals(List.of(TransferEvent.BODY_ENDED), recorder.events);
        passed();
    }

    @Test
    void anEndWithoutAStatusTrailerIsRefused() {
        assertEquals("donor db-0:3307 ended its body without an X-Backup-Status trailer, so nothing vouches for the stream:"
                + " is --donor an agent `serve` (or the tutorial's ncat sidecar)?", refusal(end(null, null, null)));
        passed();
    }

    @Test
    void aFailedStatusQuotesTheDonorsErrorWhole() {
        LastHttpContent last = end("failed", "16", "00000000");
        last.trailingHeaders().set(BackupProtocol.ERROR_TRAILER, "x".repeat(5000) + "mariabackup: Error: cannot open ./ibdata1");
        String message = refusal(last);
        assertTrue(message.startsWith("donor db-0:3307 reported its backup failed: " + "x".repeat(5000)), "whole: " + message);
        assertTrue(message.endsWith("xxxmariabackup: Error: cannot open ./ibdata1; check the donor's mysqld and its backup"
                + " tool (serve logs)"), message);
        passed();
    }

    @Test
    void aRunawayDonorErrorKeepsOnlyItsTail() {
        LastHttpContent runaway = end("failed", "16", "00000000");
        runaway.trailingHeaders().set(BackupProtocol.ERROR_TRAILER, "y".repeat(20_000) + " the end");
        String cut = refusal(runaway);
        assertTrue(cut.startsWith("donor db-0:3307 reported its backup failed: ...yyy") && cut.contains("yyy the end;"), cut);
        assertTrue(cut.length() < 8500, "a donor that is not an agent cannot flood the log: " + cut.length());
        passed();
    }

    @Test
    void aByteCountMismatchIsRefused() {
        assertEquals("donor db-0:3307 says it sent 17 bytes but 16 arrived: the stream was cut or altered on the way;"
                + " check proxies and the network path", refusal(end("success", "17", crc32cHex(ascii(BODY)))));
        passed();
    }

    @Test
    void aCrcMismatchIsRefused() {
        String actual = crc32cHex(ascii(BODY));
        String message = refusal(end("success", "16", "deadbeef"));
        assertEquals("CRC32C of the 16 bytes from donor db-0:3307 is " + actual + " but the donor computed deadbeef: the"
                + " stream was corrupted on the way; check the network path", message);
        passed();
    }

    @Test
    void aMissingByteCountTrailerIsRefused() {
        assertTrue(refusal(end("success", null, "00000000")).contains("sent no X-Backup-Bytes trailer"));
        passed();
    }

    @Test
    void aMissingCrcTrailerIsRefused() {
        assertTrue(refusal(end("success", "16", null)).contains("sent no X-Backup-Crc32c trailer: refusing a stream that"
                + " cannot be checked"));
        passed();
    }

    @Test
    void aMalformedChunkIsRefusedAfterTheBytesSoFar() {
        HttpContent bad = content("");
        bad.setDecoderResult(DecoderResult.failure(new NumberFormatException("invalid chunk size")));
        ch.writeInbound(content("abc"), bad, content("late"));
        assertEquals("donor db-0:3307 sent a malformed chunked body after 3 bytes (invalid chunk size)",
                recorder.exceptions.get(0).getMessage());
        assertEquals("abc", passed(), "nothing after the broken chunk goes on");
    }

    @Test
    void aLegacyRawStreamIsCountedAndPassedUntouched() {
        ch.writeInbound(Unpooled.wrappedBuffer(ascii("XBSTCK01")), Unpooled.wrappedBuffer(ascii("raw")));
        assertEquals("XBSTCK01raw", passed());
        assertEquals(11, progress.bytes());
        assertEquals(List.of(), recorder.events, "a raw stream has no end marker here");
    }
}
