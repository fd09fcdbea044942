package io.statefulset.agent.clone;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.compression.Lz4FrameDecoder;
import io.netty.handler.codec.compression.Zstd;
import io.netty.handler.codec.compression.ZstdDecoder;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpContentDecoder;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.util.ReferenceCountUtil;
import io.statefulset.agent.common.backuptool.FailureCause;
import io.statefulset.agent.common.protocol.BackupProtocol;
import java.util.List;

/**
 * Undoes the donor's {@code Content-Encoding} (zstd or lz4, with Netty's decoders) right after the HTTP codec, so
 * that everything behind it, the byte count and CRC32C of {@link BodyCheck} included, sees the xbstream itself.
 * Trailers pass through. A legacy donor's raw bytes are not HTTP objects and pass untouched.
 */
final class BodyDecoding extends HttpContentDecoder {
    /** What {@link BackupRequest} offers: zstd only where its native library loads on this platform. */
    static final String ACCEPTED = Zstd.isAvailable()
            ? BackupProtocol.ENCODING_ZSTD + ", " + BackupProtocol.ENCODING_LZ4
            : BackupProtocol.ENCODING_LZ4;

    private static final String CHUNKED = HttpHeaderValues.CHUNKED.toString();

    private final TransferProgress progress;
    private String encoding = BackupProtocol.ENCODING_IDENTITY;

    BodyDecoding(TransferProgress progress) {
        this.progress = progress;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, HttpObject msg, List<Object> out) throws Exception {
        // A chunk the HTTP codec could not parse carries that verdict: BodyCheck must see it, not a decoded nothing.
        if (msg instanceof HttpContent && msg.decoderResult().isFailure()) {
            out.add(ReferenceCountUtil.retain(msg));
            return;
        }
        super.decode(ctx, msg, out);
    }

    @Override
    protected EmbeddedChannel newContentDecoder(String contentEncoding) throws DonorFailedException {
        encoding = contentEncoding;
        if (contentEncoding.equalsIgnoreCase(BackupProtocol.ENCODING_ZSTD) && Zstd.isAvailable()) {
            return decoderChannel(new ZstdDecoder());
        }
        if (contentEncoding.equalsIgnoreCase(BackupProtocol.ENCODING_LZ4)) return decoderChannel(new Lz4FrameDecoder());
        // Netty names the Transfer-Encoding here when there is no Content-Encoding: chunked is framing, not a coding.
        if (contentEncoding.equalsIgnoreCase(BackupProtocol.ENCODING_IDENTITY) || contentEncoding.equalsIgnoreCase(CHUNKED)) {
            encoding = BackupProtocol.ENCODING_IDENTITY;
            return null;
        }
        throw new DonorFailedException(FailureCause.REFUSED, "donor " + progress.donor() + " answered with Content-Encoding '" + contentEncoding
                + "', which init did not offer (it offers " + ACCEPTED + "): the donor is not this agent, or a proxy"
                + " in between re-encodes the body; connect init to the donor's port directly");
    }

    private EmbeddedChannel decoderChannel(ChannelHandler decoder) {
        return new EmbeddedChannel(ctx.channel().id(), ctx.channel().metadata().hasDisconnect(), ctx.channel().config(), decoder);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        for (Throwable c = cause; c != null; c = c.getCause()) {
            if (c instanceof DonorException) {
                ctx.fireExceptionCaught(c);
                return;
            }
        }
        if (!encoding.equals(BackupProtocol.ENCODING_IDENTITY)) {
            ctx.fireExceptionCaught(new DonorFailedException(FailureCause.CORRUPT_STREAM, "donor " + progress.donor() + " sent a " + encoding
                    + " body that does not decode after " + progress.bytes() + " decoded bytes (" + cause.getMessage()
                    + "): the stream was damaged on the way or the donor broke", cause));
            return;
        }
        ctx.fireExceptionCaught(cause);
    }
}
