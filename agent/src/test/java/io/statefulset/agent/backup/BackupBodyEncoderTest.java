package io.statefulset.agent.backup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.compression.Lz4FrameDecoder;
import io.netty.handler.codec.compression.ZstdDecoder;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.statefulset.agent.common.protocol.BackupProtocol;
import io.statefulset.agent.http.HttpAnswers;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The backup body through {@link BackupBodyEncoder}: the coding chosen, the bytes intact, the trailers kept. */
class BackupBodyEncoderTest {
    /** Rows that compress like InnoDB pages of text do, plus some noise. */
    private static byte[] body() {
        Random random = new Random(13);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; out.size() < 600_000; i++) {
            out.writeBytes(("{\"id\":" + i + ",\"city\":\"" + (i % 7 == 0 ? "Lisbon" : "Porto") + "\",\"n\":"
                    + random.nextInt(1000) + "}\n").getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    private record Sent(HttpResponse head, byte[] wire, LastHttpContent last) {}

    private static Sent send(BodyEncoding encoding, String acceptEncoding, byte[] body) {
        BackupBodyEncoder encoder = new BackupBodyEncoder(1);
        EmbeddedChannel ch = new EmbeddedChannel(encoder);
        var request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, BackupProtocol.BACKUP_PATH);
        if (acceptEncoding != null) request.headers().set(HttpHeaderNames.ACCEPT_ENCODING, acceptEncoding);
        assertTrue(ch.writeInbound(request));
        ReferenceCountUtil.release(ch.readInbound());
        encoder.encodeNext(encoding);

        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_OCTET_STREAM)
                .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        ch.writeOutbound(head);
        for (int off = 0; off < body.length; off += BackupStreamer.CHUNK) {
            int n = Math.min(BackupStreamer.CHUNK, body.length - off);
            ch.writeOutbound(new DefaultHttpContent(Unpooled.copiedBuffer(body, off, n)));
        }
        LastHttpContent end = new DefaultLastHttpContent();
        end.trailingHeaders().set(BackupProtocol.STATUS_TRAILER, BackupProtocol.STATUS_SUCCESS)
                .set(BackupProtocol.BYTES_TRAILER, Integer.toString(body.length));
        ch.writeOutbound(end);

        HttpResponse sentHead = null;
        LastHttpContent sentLast = null;
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        for (Object m; (m = ch.readOutbound()) != null; ) {
            if (m instanceof HttpResponse r) sentHead = r;
            if (m instanceof HttpContent c) {
                wire.writeBytes(ByteBufUtil.getBytes(c.content()));
                if (c instanceof LastHttpContent l) sentLast = l;
            }
            ReferenceCountUtil.release(m);
        }
        assertFalse(ch.finish());
        return new Sent(sentHead, wire.toByteArray(), sentLast);
    }

    private static byte[] decode(Supplier<ChannelHandler> decoder, byte[] wire) {
        EmbeddedChannel ch = new EmbeddedChannel(decoder.get());
        ch.writeInbound(Unpooled.wrappedBuffer(wire));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuf b; (b = ch.readInbound()) != null; ) {
            out.writeBytes(ByteBufUtil.getBytes(b));
            b.release();
        }
        ch.finishAndReleaseAll();
        return out.toByteArray();
    }

    @Test
    void zstdBodyDecodesToTheSameBytesAndKeepsItsTrailers() {
        byte[] body = body();
        Sent sent = send(BodyEncoding.ZSTD, "zstd, lz4", body);
        assertEquals("zstd", sent.head().headers().get(HttpHeaderNames.CONTENT_ENCODING));
        assertEquals(HttpHeaderValues.CHUNKED.toString(), sent.head().headers().get(HttpHeaderNames.TRANSFER_ENCODING));
        assertTrue(sent.wire().length < body.length / 3, "compressible rows shrink: " + sent.wire().length + " of " + body.length);
        assertArrayEquals(body, decode(ZstdDecoder::new, sent.wire()));
        assertEquals(BackupProtocol.STATUS_SUCCESS, sent.last().trailingHeaders().get(BackupProtocol.STATUS_TRAILER));
        assertEquals(Integer.toString(body.length), sent.last().trailingHeaders().get(BackupProtocol.BYTES_TRAILER),
                "the byte count still describes the raw stream");
    }

    /** What `curl -H 'Accept-Encoding: zstd' … | zstd -dc` relies on: the body is standard zstd frames. */
    @Test
    void theStandardZstdToolDecodesTheBody() throws Exception {
        byte[] body = body();
        Sent sent = send(BodyEncoding.ZSTD, "zstd", body);
        Process zstd = new ProcessBuilder("zstd", "-dc").redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Thread feeder = new Thread(() -> {
            try (var in = zstd.getOutputStream()) {
                in.write(sent.wire());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        feeder.start();
        byte[] decoded = zstd.getInputStream().readAllBytes();
        feeder.join();
        assertEquals(0, zstd.waitFor());
        assertArrayEquals(body, decoded);
    }

    @Test
    void lz4BodyDecodesToTheSameBytesAndKeepsItsTrailers() {
        byte[] body = body();
        Sent sent = send(BodyEncoding.LZ4, "lz4", body);
        assertEquals("lz4", sent.head().headers().get(HttpHeaderNames.CONTENT_ENCODING));
        assertTrue(sent.wire().length < body.length / 2, "compressible rows shrink: " + sent.wire().length + " of " + body.length);
        assertArrayEquals(body, decode(Lz4FrameDecoder::new, sent.wire()));
        assertEquals(BackupProtocol.STATUS_SUCCESS, sent.last().trailingHeaders().get(BackupProtocol.STATUS_TRAILER));
    }

    @Test
    void identityLeavesTheBodyAndItsHeadAlone() {
        byte[] body = body();
        Sent sent = send(BodyEncoding.IDENTITY, "zstd, lz4", body);
        assertNull(sent.head().headers().get(HttpHeaderNames.CONTENT_ENCODING));
        assertArrayEquals(body, sent.wire());
        assertEquals(BackupProtocol.STATUS_SUCCESS, sent.last().trailingHeaders().get(BackupProtocol.STATUS_TRAILER));
    }

    @Test
    void answersOtherThanTheChosenOneStayPlain() {
        BackupBodyEncoder encoder = new BackupBodyEncoder(1);
        EmbeddedChannel ch = new EmbeddedChannel(encoder);
        var request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, BackupProtocol.METRICS_PATH);
        request.headers().set(HttpHeaderNames.ACCEPT_ENCODING, "zstd, lz4");
        ch.writeInbound(request);
        ReferenceCountUtil.release(ch.readInbound());
        ch.writeOutbound(HttpAnswers.text(HttpResponseStatus.OK, "mysql_agent_backup_in_progress 0\n", false));
        FullHttpResponse answer = ch.readOutbound();
        assertNull(answer.headers().get(HttpHeaderNames.CONTENT_ENCODING));
        assertEquals("mysql_agent_backup_in_progress 0\n", answer.content().toString(StandardCharsets.US_ASCII));
        answer.release();
        ch.finishAndReleaseAll();
    }

    @Test
    void theChoiceCoversOneAnswerOnly() {
        BackupBodyEncoder encoder = new BackupBodyEncoder(1);
        EmbeddedChannel ch = new EmbeddedChannel(encoder);
        List<Object> answers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            var request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, BackupProtocol.BACKUP_PATH);
            request.headers().set(HttpHeaderNames.ACCEPT_ENCODING, "zstd");
            ch.writeInbound(request);
            ReferenceCountUtil.release(ch.readInbound());
        }
        encoder.encodeNext(BodyEncoding.ZSTD);
        byte[] big = body();
        for (int i = 0; i < 2; i++) {
            FullHttpResponse r = HttpAnswers.text(HttpResponseStatus.OK, new String(big, StandardCharsets.US_ASCII), false);
            ch.writeOutbound(r);
        }
        for (Object m; (m = ch.readOutbound()) != null; ) {
            if (m instanceof HttpResponse r) answers.add(String.valueOf(r.headers().get(HttpHeaderNames.CONTENT_ENCODING)));
            ReferenceCountUtil.release(m);
        }
        assertEquals(List.of("zstd", "null"), answers);
        ch.finishAndReleaseAll();
    }
}
