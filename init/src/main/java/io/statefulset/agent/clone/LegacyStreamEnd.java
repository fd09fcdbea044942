package io.statefulset.agent.clone;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The legacy donor's end-of-stream rule: a raw xbstream has no end marker, so the donor closing the connection is
 * the end of the body ({@link TransferEvent#BODY_ENDED}), and the extractor's check that every file ended is the only
 * one left. A close of our own (after a failure) is not an end.
 */
final class LegacyStreamEnd extends ChannelDuplexHandler {
    private static final Logger log = LoggerFactory.getLogger(LegacyStreamEnd.class);

    private final TransferProgress progress;
    private boolean legacy;
    private boolean closedByUs;

    LegacyStreamEnd(TransferProgress progress) {
        this.progress = progress;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == TransferEvent.LEGACY_DONOR) {
            legacy = true;
            log.warn("donor {} is a legacy sidecar (the tutorial's ncat + backup tool): it sends a raw xbstream without"
                    + " trailers and cannot report its own failure, so the clone is trusted only if every file ends"
                    + " and prepare succeeds", progress.donor());
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        closedByUs = true;
        ctx.close(promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (legacy && !closedByUs) {
            log.info("legacy donor {} closed the connection after {} bytes: end of its stream", progress.donor(), progress.bytes());
            ctx.fireUserEventTriggered(TransferEvent.BODY_ENDED);
        }
        ctx.fireChannelInactive();
    }
}
