package io.statefulset.agent.flow;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.traffic.GlobalTrafficShapingHandler;
import java.net.InetSocketAddress;

/**
 * A TCP link to a donor's mysqld that carries the donor's bytes at a rate the test sets, so that a clone is still
 * copying when the test kills something. CLONE's own cap cannot do that: MySQL checks
 * {@code clone_max_network_bandwidth} every 100 ms and sleeps at most 1 s per check, so a ~100 MB clone over
 * loopback (about 1 GB/s) is through before the cap acts (measured on 8.0.33: cap 2 MiB/s, 17 to 990 MB/s).
 */
final class ShapedLink implements AutoCloseable {
    private static final long CHECK_INTERVAL_MS = 100;

    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final GlobalTrafficShapingHandler shaper;
    private final Channel server;

    /** Listens on 127.0.0.1 and forwards to 127.0.0.1:{@code donorPort}, donor to recipient at {@code bytesPerSecond}. */
    ShapedLink(int donorPort, long bytesPerSecond) throws InterruptedException {
        shaper = new GlobalTrafficShapingHandler(group, bytesPerSecond, 0, CHECK_INTERVAL_MS);
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(shaper, new Dial(donorPort));
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** From now on the donor's bytes flow as fast as the link takes them (already delayed writes keep their delay). */
    void unthrottle() {
        shaper.setWriteLimit(0);
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        shaper.release();
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** On a recipient's connection: dials the donor, then relays both ways; a refused dial closes the connection. */
    private static final class Dial extends ChannelInboundHandlerAdapter {
        private final int donorPort;

        Dial(int donorPort) {
            this.donorPort = donorPort;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            Channel recipient = ctx.channel();
            new Bootstrap().group(recipient.eventLoop()).channel(NioSocketChannel.class).option(ChannelOption.AUTO_READ, false)
                    .handler(new Relay(recipient)).connect("127.0.0.1", donorPort).addListener((ChannelFutureListener) f -> {
                        if (!f.isSuccess()) {
                            recipient.close();
                            return;
                        }
                        ctx.pipeline().replace(this, "relay", new Relay(f.channel()));
                        recipient.read();
                        f.channel().read();
                    });
        }
    }

    /** Writes what its channel reads to the peer and reads on once the peer took it, so nothing piles up here. */
    private static final class Relay extends ChannelInboundHandlerAdapter {
        private final Channel peer;

        Relay(Channel peer) {
            this.peer = peer;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            peer.writeAndFlush(msg).addListener((ChannelFutureListener) f -> {
                if (f.isSuccess()) ctx.channel().read();
                else ctx.close();
            });
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (peer.isActive()) peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
