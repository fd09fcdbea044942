package io.statefulset.agent.clone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.common.protocol.BackupProtocol;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReplyStatusTest {
    private final TransferProgress progress = new TransferProgress(new HostPort("db-0", 3307));
    private final Recorder recorder = new Recorder();

    private EmbeddedChannel channel(boolean tokenSent) {
        return new EmbeddedChannel(new ReplyStatus(new HostPort("db-0", 3307), tokenSent, progress), recorder);
    }

    private static HttpResponse reply(HttpResponseStatus status) {
        return new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
    }

    private String refusal(boolean tokenSent, HttpResponse reply) {
        EmbeddedChannel ch = channel(tokenSent);
        ch.writeInbound(reply);
        assertTrue(recorder.messages.isEmpty(), "a refused reply goes no further");
        assertEquals(1, recorder.exceptions.size());
        return recorder.exceptions.get(0).getMessage();
    }

    @Test
    void okLetsTheHeadAndBodyThroughWithTheSizeEstimateForTheProgressLine() {
        EmbeddedChannel ch = channel(false);
        HttpResponse ok = reply(HttpResponseStatus.OK);
        ok.headers().set(BackupProtocol.SIZE_ESTIMATE_HEADER, "2000000");
        HttpContent body = new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[] {1, 2}));
        ch.writeInbound(ok, body);
        assertSame(ok, recorder.messages.get(0));
        assertSame(body, recorder.messages.get(1));
        body.release();
        assertTrue(recorder.exceptions.isEmpty());
        assertTrue(progress.line(System.nanoTime()).endsWith(" of ~2.0 MB"), progress.line(System.nanoTime()));
    }

    @Test
    void anUnparsableSizeEstimateOnlyLosesTheEta() {
        EmbeddedChannel ch = channel(false);
        HttpResponse ok = reply(HttpResponseStatus.OK);
        ok.headers().set(BackupProtocol.SIZE_ESTIMATE_HEADER, "lots");
        ch.writeInbound(ok);
        assertSame(ok, recorder.messages.get(0));
        assertTrue(!progress.line(System.nanoTime()).contains("ETA"));
    }

    @Test
    void unauthorizedWithoutATokenSaysToGiveOne() {
        assertEquals("donor db-0:3307 requires a token (HTTP 401): give init the donor's secret with --token-file",
                refusal(false, reply(HttpResponseStatus.UNAUTHORIZED)));
    }

    @Test
    void unauthorizedWithATokenSaysTheSecretsDiffer() {
        assertEquals("token rejected by donor db-0:3307 (HTTP 401): check --token-file on both sides, init and serve must"
                + " hold the same secret", refusal(true, reply(HttpResponseStatus.UNAUTHORIZED)));
    }

    @Test
    void serviceUnavailableIsABusyDonorWithItsRetryAfter() {
        EmbeddedChannel ch = channel(false);
        HttpResponse busy = reply(HttpResponseStatus.SERVICE_UNAVAILABLE);
        busy.headers().set(HttpHeaderNames.RETRY_AFTER, "12");
        ch.writeInbound(busy);
        DonorBusyException e = assertInstanceOf(DonorBusyException.class, recorder.exceptions.get(0));
        assertEquals(Duration.ofSeconds(12), e.retryAfter());
        assertEquals("donor db-0:3307 is busy with another clone (HTTP 503), retry after 12 s", e.getMessage());
    }

    @Test
    void retryAfterIsWholeSecondsAtLeastOneWithADefault() {
        assertEquals(ReplyStatus.DEFAULT_RETRY_AFTER, ReplyStatus.retryAfter(null));
        assertEquals(ReplyStatus.DEFAULT_RETRY_AFTER, ReplyStatus.retryAfter("Wed, 21 Oct 2026 07:28:00 GMT"));
        assertEquals(Duration.ofSeconds(1), ReplyStatus.retryAfter("0"));
        assertEquals(Duration.ofSeconds(30), ReplyStatus.retryAfter(" 30 "));
    }

    @Test
    void anyOtherStatusAsksWhetherDonorPointsAtTheBackupPort() {
        assertEquals("donor db-0:3307 answered HTTP 404 Not Found to GET /backup: is --donor pointing at the agent's"
                + " backup port (3307)?", refusal(false, reply(HttpResponseStatus.NOT_FOUND)));
    }

    @Test
    void aServerErrorPointsAtTheDonorsLogAndTheCloneMethodWithoutABackupTool() {
        assertEquals("donor db-0:3307 answered HTTP 500 Internal Server Error to GET /backup: the donor could not start a"
                + " backup (its serve log says why, a missing backup tool for instance; MySQL 8.0.17+ pods can be seeded"
                + " without one: --clone-method clone-plugin)", refusal(false, reply(HttpResponseStatus.INTERNAL_SERVER_ERROR)));
    }

    @Test
    void aMalformedHeadIsRefusedWithTheCodecsReason() {
        HttpResponse bad = reply(HttpResponseStatus.OK);
        bad.setDecoderResult(DecoderResult.failure(new IllegalArgumentException("invalid version format: HTTP/9")));
        assertEquals("donor db-0:3307 sent a malformed HTTP reply (invalid version format: HTTP/9): is --donor pointing"
                + " at the agent's backup port?", refusal(false, bad));
    }

    @Test
    void theBodyOfARefusalIsDroppedAndReleased() {
        EmbeddedChannel ch = channel(false);
        ByteBuf text = Unpooled.copiedBuffer(new byte[] {'n', 'o'});
        ch.writeInbound(reply(HttpResponseStatus.FORBIDDEN), new DefaultHttpContent(text));
        assertTrue(recorder.messages.isEmpty());
        assertEquals(0, text.refCnt());
    }
}
