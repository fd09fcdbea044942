package io.statefulset.agent.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.statefulset.agent.common.backuptool.FailureCause;
import io.statefulset.agent.common.protocol.BackupProtocol;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class HttpBackupSinkTest {
    private final EmbeddedChannel ch = new EmbeddedChannel();

    private static BackupOutcome success(long bytes, int crc) {
        return new BackupOutcome(BackupOutcome.SUCCESS, "", bytes, crc, 0, 1_000_000, Optional.empty());
    }

    @Test
    void theHeadAnnouncesAChunkedBodyWithTrailersAndTheSizeEstimate() {
        new HttpBackupSink(ch, HttpVersion.HTTP_1_1).begin(OptionalLong.of(123456));
        HttpResponse head = ch.readOutbound();
        assertEquals(HttpResponseStatus.OK, head.status());
        assertEquals("chunked", head.headers().get(HttpHeaderNames.TRANSFER_ENCODING));
        assertEquals("X-Backup-Status, X-Backup-Error, X-Backup-Failure-Cause, X-Backup-Bytes, X-Backup-Crc32c", head.headers().get(HttpHeaderNames.TRAILER));
        assertEquals("close", head.headers().get(HttpHeaderNames.CONNECTION));
        assertEquals("application/octet-stream", head.headers().get(HttpHeaderNames.CONTENT_TYPE));
        assertEquals("123456", head.headers().get(BackupProtocol.SIZE_ESTIMATE_HEADER));
    }

    @Test
    void withoutAnEstimateThereIsNoEstimateHeader() {
        new HttpBackupSink(ch, HttpVersion.HTTP_1_1).begin(OptionalLong.empty());
        HttpResponse head = ch.readOutbound();
        assertFalse(head.headers().contains(BackupProtocol.SIZE_ESTIMATE_HEADER));
    }

    @Test
    void eachPieceOfTheStreamIsOneChunk() {
        ByteBuf piece = Unpooled.wrappedBuffer(new byte[] {1, 2, 3});
        new HttpBackupSink(ch, HttpVersion.HTTP_1_1).write(piece);
        HttpContent chunk = ch.readOutbound();
        assertSame(piece, chunk.content());
        chunk.release();
    }

    @Test
    void aSuccessEndsWithItsCountAndCrcInTrailersThenCloses() {
        new HttpBackupSink(ch, HttpVersion.HTTP_1_1).finish(success(4096, 0x0badcafe));
        LastHttpContent last = ch.readOutbound();
        assertEquals("success", last.trailingHeaders().get(BackupProtocol.STATUS_TRAILER));
        assertEquals("4096", last.trailingHeaders().get(BackupProtocol.BYTES_TRAILER));
        assertEquals("0badcafe", last.trailingHeaders().get(BackupProtocol.CRC32C_TRAILER));
        assertFalse(last.trailingHeaders().contains(BackupProtocol.ERROR_TRAILER));
        assertFalse(ch.isOpen());
    }

    @Test
    void aFailureEndsWithFailedAndTheErrorText() {
        new HttpBackupSink(ch, HttpVersion.HTTP_1_1).finish(
                new BackupOutcome(BackupOutcome.FAILED, "mariabackup: cannot open ./ibdata1", 100, 7, 1, 1,
                        Optional.of(FailureCause.BACKUP_TOOL)));
        LastHttpContent last = ch.readOutbound();
        assertEquals("failed", last.trailingHeaders().get(BackupProtocol.STATUS_TRAILER));
        assertEquals("mariabackup: cannot open ./ibdata1", last.trailingHeaders().get(BackupProtocol.ERROR_TRAILER));
        assertEquals("100", last.trailingHeaders().get(BackupProtocol.BYTES_TRAILER));
        assertEquals("backup-tool", last.trailingHeaders().get(BackupProtocol.CAUSE_TRAILER));
        assertFalse(ch.isOpen());
    }

    @Test
    void anHttp10ClientGetsThePlainBodyUntilTheClose() {
        HttpBackupSink sink = new HttpBackupSink(ch, HttpVersion.HTTP_1_0);
        sink.begin(OptionalLong.empty());
        HttpResponse head = ch.readOutbound();
        assertFalse(head.headers().contains(HttpHeaderNames.TRANSFER_ENCODING), "an HTTP/1.0 client cannot take chunks");
        assertFalse(head.headers().contains(HttpHeaderNames.TRAILER));
        sink.finish(success(1, 1));
        LastHttpContent last = ch.readOutbound();
        assertTrue(last.trailingHeaders().isEmpty());
        assertFalse(ch.isOpen());
    }

    @Test
    void aBackupThatCannotStartIs500WithTheReasonThenCloses() {
        new HttpBackupSink(ch, HttpVersion.HTTP_1_1).refuse("no mariadb-backup on PATH\n");
        FullHttpResponse r = ch.readOutbound();
        assertEquals(HttpResponseStatus.INTERNAL_SERVER_ERROR, r.status());
        assertEquals("no mariadb-backup on PATH\n", r.content().toString(StandardCharsets.UTF_8));
        r.release();
        assertFalse(ch.isOpen());
    }

    @Test
    void onTheWireTheVerdictFollowsTheLastChunkAsTrailerLines() {
        EmbeddedChannel wire = new EmbeddedChannel(new HttpResponseEncoder());
        HttpBackupSink sink = new HttpBackupSink(wire, HttpVersion.HTTP_1_1);
        sink.begin(OptionalLong.empty());
        sink.write(Unpooled.copiedBuffer("abc", StandardCharsets.US_ASCII));
        sink.finish(success(3, 0x12345678));
        StringBuilder sb = new StringBuilder();
        for (Object m; (m = wire.readOutbound()) != null; ) {
            ByteBuf b = assertInstanceOf(ByteBuf.class, m);
            sb.append(b.toString(StandardCharsets.US_ASCII));
            b.release();
        }
        String text = sb.toString();
        assertTrue(text.startsWith("HTTP/1.1 200 OK\r\n"), text);
        assertTrue(text.endsWith("\r\n\r\n3\r\nabc\r\n0\r\nX-Backup-Status: success\r\nX-Backup-Bytes: 3\r\n"
                + "X-Backup-Crc32c: 12345678\r\n\r\n"), text);
        assertNull(wire.readOutbound());
    }
}
