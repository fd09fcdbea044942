package io.statefulset.agent.clone;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the progress line every {@code interval} while connected. Netty's traffic counter would count the
 * connection's bytes a second time (and shape them); the verified count in {@link TransferProgress} is the one
 * users compare with the donor's.
 */
final class ProgressTicker extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ProgressTicker.class);

    private final TransferProgress progress;
    private final Duration interval;
    private ScheduledFuture<?> ticker;

    ProgressTicker(TransferProgress progress, Duration interval) {
        this.progress = progress;
        this.interval = interval;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        progress.begin(System.nanoTime());
        long every = interval.toMillis();
        ticker = ctx.executor().scheduleAtFixedRate(() -> log.info(progress.line(System.nanoTime())),
                every, every, TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stop();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }

    private void stop() {
        if (ticker != null) ticker.cancel(false);
    }
}
