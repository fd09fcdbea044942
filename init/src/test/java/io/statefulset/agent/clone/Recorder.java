package io.statefulset.agent.clone;

import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelHandlerContext;
import java.util.ArrayList;
import java.util.List;

/** Test handler, placed last: keeps what reaches the end of the pipeline (messages, user events, exceptions). */
final class Recorder extends ChannelInboundHandlerAdapter {
    final List<Object> messages = new ArrayList<>();
    final List<Object> events = new ArrayList<>();
    final List<Throwable> exceptions = new ArrayList<>();
    int readCompletes;
    int inactive;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        messages.add(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        readCompletes++;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        events.add(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        exceptions.add(cause);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        inactive++;
        ctx.fireChannelInactive();
    }
}
