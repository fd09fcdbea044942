package io.statefulset.agent.clone;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;

/** Test handler, placed first: counts the reads the handlers behind it ask for (autoRead is off in the client). */
final class ReadCounter extends ChannelOutboundHandlerAdapter {
    int reads;

    @Override
    public void read(ChannelHandlerContext ctx) {
        reads++;
        ctx.read();
    }
}
