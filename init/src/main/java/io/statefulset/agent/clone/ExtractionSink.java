package io.statefulset.agent.clone;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * Hands the body to the extraction, ends it at {@link TransferEvent#BODY_ENDED}, and reports how the extraction
 * went to the {@link TransferOutcome} directly: a legacy donor's stream ends with the connection, so the pipeline
 * may be gone by the time the extractor has finished.
 */
final class ExtractionSink extends ChannelInboundHandlerAdapter {
    private final BodyFeed feed;
    private final TransferOutcome outcome;
    private boolean ended;

    ExtractionSink(BodyFeed feed, TransferOutcome outcome) {
        this.feed = feed;
        this.outcome = outcome;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        feed.completion().whenComplete((v, e) -> {
            if (e != null) ctx.executor().execute(() -> outcome.extractionFailed(e));
        });
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf data)) {
            ctx.fireChannelRead(msg);
        } else if (ended || outcome.decided()) {
            ReferenceCountUtil.release(data);
        } else {
            feed.offer(data);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == TransferEvent.BODY_ENDED && !ended && !outcome.decided()) {
            ended = true;
            feed.finish().whenComplete((v, e) -> ctx.executor().execute(() -> {
                if (e == null) {
                    outcome.extracted(feed.filesCompleted());
                } else {
                    outcome.extractionFailed(e);
                }
            }));
        }
        ctx.fireUserEventTriggered(evt);
    }
}
