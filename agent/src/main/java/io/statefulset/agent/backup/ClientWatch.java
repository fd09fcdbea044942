package io.statefulset.agent.backup;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.statefulset.agent.common.backuptool.FailureCause;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last handler of a connection that streams a backup: tells the pump when the client can take more and aborts the
 * backup (killing the tool) the moment the client goes away. Anything the client sends meanwhile is dropped.
 */
final class ClientWatch extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ClientWatch.class);

    private final BackupRun run;

    ClientWatch(BackupRun run) {
        this.run = run;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        run.wake();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        run.abort(FailureCause.CLIENT_GONE, "client went away");
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("backup connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        run.abort(FailureCause.CLIENT_GONE, "client connection failed (" + cause.getMessage() + ")");
        ctx.close();
    }
}
