package io.statefulset.agent.clone;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * The only handler that asks for data (autoRead is off): the next read happens while the feed has room, else
 * once it has drained; none after the body's end. Memory stays bounded by the feed's high-water mark plus one read.
 * Netty's {@code FlowControlHandler} does not fit: it paces messages per read, while the limit here is bytes queued
 * on another thread.
 */
final class FeedBackpressure extends ChannelInboundHandlerAdapter {
    private final BodyFeed feed;
    private boolean ended;

    FeedBackpressure(BodyFeed feed) {
        this.feed = feed;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.fireChannelActive();
        ctx.read();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!ended) {
            if (feed.hasRoom()) {
                ctx.read();
            } else {
                feed.pauseUntilDrained(() -> ctx.executor().execute(ctx::read));
            }
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == TransferEvent.BODY_ENDED) ended = true;
        ctx.fireUserEventTriggered(evt);
    }
}
