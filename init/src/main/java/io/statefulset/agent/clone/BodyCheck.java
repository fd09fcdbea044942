package io.statefulset.agent.clone;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.statefulset.agent.common.backuptool.FailureCause;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Counts and CRC32C-checksums the body as it passes, unwrapped to plain buffers, and holds it against the donor's
 * trailers at its end: only a body the donor calls a success, with the same length and CRC32C, ends in
 * {@link TransferEvent#BODY_ENDED}. A legacy donor's raw stream is counted too (it has no trailers to check).
 */
final class BodyCheck extends ChannelInboundHandlerAdapter {
    private final TransferProgress progress;
    private final CRC32C crc = new CRC32C();
    private boolean ended;

    BodyCheck(TransferProgress progress) {
        this.progress = progress;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (ended && (msg instanceof ByteBuf || msg instanceof HttpContent)) {
            ReferenceCountUtil.release(msg);
        } else if (msg instanceof HttpContent content) {
            onContent(ctx, content);
        } else if (msg instanceof ByteBuf raw) {
            pass(ctx, raw);
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    private void onContent(ChannelHandlerContext ctx, HttpContent content) {
        if (content.decoderResult().isFailure()) {
            content.release();
            ended = true;
            ctx.fireExceptionCaught(new DonorFailedException(FailureCause.CORRUPT_STREAM, "donor " + progress.donor() + " sent a malformed chunked body after "
                    + progress.bytes() + " bytes (" + content.decoderResult().cause().getMessage() + ")"));
            return;
        }
        ByteBuf data = content.content();
        if (data.isReadable()) {
            pass(ctx, data);
        } else {
            content.release();
        }
        if (content instanceof LastHttpContent last) {
            ended = true;
            try {
                BackupTrailers.from(last.trailingHeaders()).verify(progress.donor(), progress.bytes(), (int) crc.getValue());
            } catch (DonorFailedException e) {
                ctx.fireExceptionCaught(e);
                return;
            }
            ctx.fireUserEventTriggered(TransferEvent.BODY_ENDED);
        }
    }

    /** Counts, checksums and passes on {@code data} (ownership included). */
    private void pass(ChannelHandlerContext ctx, ByteBuf data) {
        progress.received(data.readableBytes());
        if (data.nioBufferCount() == 1) {
            crc.update(data.nioBuffer());
        } else {
            for (ByteBuffer b : data.nioBuffers()) crc.update(b);
        }
        ctx.fireChannelRead(data);
    }
}
