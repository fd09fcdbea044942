package io.statefulset.agent.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * First handler of every connection: an HTTP client speaks first, the tutorial's {@code ncat --recv-only} never
 * does. The first byte installs the HTTP pipeline; silence for {@code legacyWait} (or a client that closes its
 * sending side without a word) selects the raw stream.
 */
final class FirstByteSniffer extends ChannelInboundHandlerAdapter {
    private final Duration legacyWait;
    private final Consumer<ChannelHandlerContext> installHttp;
    private final Consumer<Channel> serveRaw;
    private ScheduledFuture<?> timer;
    private boolean decided;

    FirstByteSniffer(Duration legacyWait, Consumer<ChannelHandlerContext> installHttp, Consumer<Channel> serveRaw) {
        this.legacyWait = legacyWait;
        this.installHttp = installHttp;
        this.serveRaw = serveRaw;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        timer = ctx.executor().schedule(() -> silent(ctx), legacyWait.toNanos(), TimeUnit.NANOSECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (decided) {
            ctx.fireChannelRead(msg);
            return;
        }
        decided = true;
        timer.cancel(false);
        installHttp.accept(ctx);
        // Leave before handing the bytes on: the request may be answered and the connection closed within this
        // call (a 401 or 400 closes at once), after which this handler is no longer in the pipeline (found by
        // fuzzing: NoSuchElementException). A removed context still passes the read on to the handlers after it.
        ctx.pipeline().remove(this);
        ctx.fireChannelRead(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent && !decided) {
            timer.cancel(false);
            silent(ctx);
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (timer != null) timer.cancel(false);
        decided = true;
        ctx.fireChannelInactive();
    }

    private void silent(ChannelHandlerContext ctx) {
        if (decided || !ctx.channel().isActive()) return;
        decided = true;
        ctx.pipeline().remove(this);
        serveRaw.accept(ctx.channel());
    }
}
