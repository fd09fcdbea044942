package io.statefulset.agent.http;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds the open connections of the port: one beyond the limit is closed as soon as it is accepted, before it costs
 * a TLS handshake or a buffer. Logged when refusing starts and when it ends, with the count in between.
 */
@Sharable
final class ConnectionLimit extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ConnectionLimit.class);
    static final String NAME = "connection-limit";

    private final int max;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicBoolean refusing = new AtomicBoolean();
    private final AtomicLong refused = new AtomicLong();

    ConnectionLimit(int max) {
        this.max = max;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (open.incrementAndGet() > max) {
            refused.incrementAndGet();
            if (refusing.compareAndSet(false, true)) {
                log.warn("{} connections open (--max-connections): closing new ones until some end", max);
            }
            ctx.close();
            return;
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (open.decrementAndGet() < max && refusing.compareAndSet(true, false)) {
            log.info("below {} open connections again: accepting; {} connections were closed meanwhile", max,
                    refused.getAndSet(0));
        }
        ctx.fireChannelInactive();
    }

    int open() {
        return open.get();
    }
}
