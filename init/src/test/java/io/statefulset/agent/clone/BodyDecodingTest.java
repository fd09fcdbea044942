package io.statefulset.agent.clone;

import static io.statefulset.agent.clone.DonorWire.crc32cHex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.compression.Lz4FrameEncoder;
import io.netty.handler.codec.compression.ZstdEncoder;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.common.protocol.BackupProtocol;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * {@link BodyDecoding} in front of {@link BodyCheck}, as in {@link DonorPipeline}: a zstd or lz4 body (written by
 * Netty's encoders, as serve does) reaches the extraction decoded, and the trailers are checked against the
 * decoded bytes.
 */
class BodyDecodingTest {
    private final TransferProgress progress = new TransferProgress(new HostPort("db-0", 3307));
    private final Recorder recorder = new Recorder();
    private final EmbeddedChannel ch = new EmbeddedChannel(new BodyDecoding(progress), new BodyCheck(progress), recorder);

    private static byte[] body() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; out.size() < 300_000; i++) {
            out.writeBytes(("row " + i + " customer " + (i % 97) + " status shipped\n").getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    private static byte[] encode(Supplier<ChannelHandler> encoder, byte[] body) {
        EmbeddedChannel enc = new EmbeddedChannel(encoder.get());
        enc.writeOutbound(Unpooled.wrappedBuffer(body));
        enc.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuf b; (b = enc.readOutbound()) != null; ) {
            out.writeBytes(ByteBufUtil.getBytes(b));
            b.release();
        }
        return out.toByteArray();
    }

    private static HttpResponse head(String encoding) {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        if (encoding != null) head.headers().set(HttpHeaderNames.CONTENT_ENCODING, encoding);
        return head;
    }

    private static LastHttpContent trailers(byte[] raw) {
        LastHttpContent last = new DefaultLastHttpContent();
        last.trailingHeaders().set(BackupProtocol.STATUS_TRAILER, BackupProtocol.STATUS_SUCCESS)
                .set(BackupProtocol.BYTES_TRAILER, Integer.toString(raw.length))
                .set(BackupProtocol.CRC32C_TRAILER, crc32cHex(raw));
        return last;
    }

    /** Sends {@code wire} in a few pieces, as the network would. */
    private void receive(String encoding, byte[] wire, byte[] raw) {
        ch.writeInbound(head(encoding));
        int piece = Math.max(1, wire.length / 5);
        for (int off = 0; off < wire.length; off += piece) {
            ch.writeInbound(new DefaultHttpContent(Unpooled.copiedBuffer(wire, off, Math.min(piece, wire.length - off))));
        }
        ch.writeInbound(trailers(raw));
    }

    private byte[] handedOn() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object m : recorder.messages) {
            if (m instanceof ByteBuf b) {
                out.writeBytes(ByteBufUtil.getBytes(b));
                b.release();
            }
        }
        return out.toByteArray();
    }

    private void assertVerified(byte[] raw) {
        assertTrue(recorder.exceptions.isEmpty(), recorder.exceptions.toString());
        assertEquals(java.util.List.of(TransferEvent.BODY_ENDED), recorder.events);
        assertArrayEquals(raw, handedOn());
        assertEquals(raw.length, progress.bytes(), "decoded bytes are counted");
    }

    @Test
    void offersWhatItDecodes() {
        assertEquals("zstd, lz4", BodyDecoding.ACCEPTED);
    }

    @Test
    void aZstdBodyIsDecodedCountedAndVerified() {
        byte[] raw = body();
        byte[] wire = encode(() -> new ZstdEncoder(1, 64 * 1024, 1 << 20), raw);
        assertTrue(wire.length < raw.length / 3);
        receive("zstd", wire, raw);
        assertVerified(raw);
    }

    @Test
    void anLz4BodyIsDecodedCountedAndVerified() {
        byte[] raw = body();
        receive("lz4", encode(Lz4FrameEncoder::new, raw), raw);
        assertVerified(raw);
    }

    @Test
    void damageInsideAFrameIsCaughtByTheCrcOfTheDecodedBytes() {
        byte[] raw = body();
        byte[] wire = encode(() -> new ZstdEncoder(1, 64 * 1024, 1 << 20), raw);
        byte[] damaged = Arrays.copyOf(wire, wire.length);
        for (int i = 100; i < 200; i++) damaged[i] ^= 0x5a;
        receive("zstd", damaged, raw);
        assertTrue(recorder.events.isEmpty(), "no verified end");
        assertInstanceOf(DonorFailedException.class, recorder.exceptions.get(0));
        ch.finishAndReleaseAll();
    }

    @Test
    void aPlainBodyPassesAsItIs() {
        byte[] raw = body();
        receive(null, raw, raw);
        assertVerified(raw);
    }

    @Test
    void aCodingInitDidNotOfferIsNamed() {
        byte[] raw = body();
        ch.writeInbound(head("br"), new DefaultHttpContent(Unpooled.wrappedBuffer(raw)));
        DonorFailedException e = assertInstanceOf(DonorFailedException.class, recorder.exceptions.get(0));
        assertTrue(e.getMessage().contains("Content-Encoding 'br', which init did not offer"), e.getMessage());
        assertTrue(recorder.events.isEmpty());
        ch.finishAndReleaseAll();
    }

    @Test
    void aDamagedCompressedBodyFailsTheTransferNamingTheCoding() {
        byte[] raw = body();
        byte[] wire = encode(() -> new ZstdEncoder(1, 64 * 1024, 1 << 20), raw);
        byte[] damaged = Arrays.copyOf(wire, wire.length);
        for (int i = 0; i < 4; i++) damaged[i] ^= 0x5a; // the first frame's magic number
        receive("zstd", damaged, raw);
        assertTrue(recorder.events.isEmpty(), "no verified end");
        DonorFailedException e = assertInstanceOf(DonorFailedException.class, recorder.exceptions.get(0));
        assertTrue(e.getMessage().contains("sent a zstd body that does not decode"), e.getMessage());
        ch.finishAndReleaseAll();
    }
}
