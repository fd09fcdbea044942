package io.statefulset.agent.clone;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.statefulset.agent.common.backuptool.FailureCause;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * First handler: a donor that sends nothing for {@code stallTimeout} while we wait for it has stalled. Silence while
 * no read is asked for is ours (the disk is behind, or the body has ended), so it is not counted: the clock restarts
 * when reading does. Netty's {@code ReadTimeoutHandler} counts both, hence this subclass of its base.
 */
final class StallTimer extends IdleStateHandler {
    private final Duration stallTimeout;
    private final TransferProgress progress;
    private boolean readAsked;

    StallTimer(Duration stallTimeout, TransferProgress progress) {
        super(stallTimeout.toMillis(), 0, 0, TimeUnit.MILLISECONDS);
        this.stallTimeout = stallTimeout;
        this.progress = progress;
    }

    @Override
    public void read(ChannelHandlerContext ctx) throws Exception {
        if (!readAsked) {
            readAsked = true;
            resetReadTimeout();
        }
        super.read(ctx);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        readAsked = false;
        super.channelReadComplete(ctx);
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
        if (!readAsked) return;
        ctx.fireExceptionCaught(new DonorFailedException(FailureCause.STALL, "donor " + progress.donor() + " sent nothing for "
                + stallTimeout.toSeconds() + " s after " + progress.bytes() + " bytes: it stalled (frozen backup, hung"
                + " mysqld or a network partition); check the donor's logs (limit: --stall-timeout)"));
    }
}
