package io.statefulset.agent.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection must deliver a complete request within the timeout of opening (TLS handshake included) or of its
 * last answer; otherwise it is closed. This is what stops a slowloris client (one header byte every few seconds
 * resets a read timeout, not this), a port scan's half-open connections and idle keep-alive connections from
 * piling up. A route that starts streaming stops the clock: a backup may run for hours.
 */
final class RequestDeadline extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(RequestDeadline.class);
    static final String NAME = "request-deadline";

    private final Duration timeout;
    private ScheduledFuture<?> timer;

    RequestDeadline(Duration timeout) {
        this.timeout = timeout;
    }

    /** A request arrived: the clock stops until {@link #restart} (after its answer) or forever (a stream). */
    static void stop(ChannelPipeline pipeline) {
        RequestDeadline d = pipeline.get(RequestDeadline.class);
        if (d != null) d.cancel();
    }

    /** The answer went out on a keep-alive connection: the next request has the full timeout again. */
    static void restart(ChannelHandlerContext ctx) {
        RequestDeadline d = ctx.pipeline().get(RequestDeadline.class);
        if (d != null) d.arm(ctx.pipeline().context(d));
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        arm(ctx);
        ctx.fireChannelActive();
    }

    private void arm(ChannelHandlerContext ctx) {
        cancel();
        timer = ctx.executor().schedule(() -> {
            if (!ctx.channel().isActive()) return;
            log.debug("closed connection from {}: no complete request within {} ms", ctx.channel().remoteAddress(),
                    timeout.toMillis());
            ctx.close();
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void cancel() {
        if (timer != null) timer.cancel(false);
        timer = null;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }
}
