package io.statefulset.agent.clone;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.common.secret.Secret;
import io.statefulset.agent.xbstream.XbstreamExtractor;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Pulls one backup from one donor into a directory: {@code GET /backup} over HTTP/1.1 (Netty's codec), or the raw
 * stream of a legacy donor, extracted as it arrives. The handlers: {@link DonorPipeline}.
 */
public final class DonorClient implements AutoCloseable {
    /**
     * Received but not yet extracted bytes; the socket is not read beyond this (backpressure). Small, because the
     * extractor has its own write buffers: this only has to cover a scheduling hiccup of the feeding thread.
     */
    static final long QUEUE_BYTES = 1L << 20;

    private final Optional<Secret> token;
    private final Duration stallTimeout;
    private final Duration progressInterval;
    private final Duration connectTimeout;
    private final EventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory("donor-client", true));

    public DonorClient(Optional<Secret> token, Duration stallTimeout, Duration progressInterval, Duration connectTimeout) {
        this.token = token;
        this.stallTimeout = stallTimeout;
        this.progressInterval = progressInterval;
        this.connectTimeout = connectTimeout;
    }

    /**
     * @param target an existing, empty directory
     * @throws DonorUnreachableException the connection was refused or timed out: nothing was received
     * @throws DonorBusyException        the donor serves another clone
     * @throws DonorFailedException      the transfer started and cannot be trusted; {@code target} holds debris
     * @throws IOException               writing to {@code target} failed (disk full, permissions)
     */
    public DonorTransfer fetch(HostPort donor, InetAddress address, Path target)
            throws DonorException, IOException, InterruptedException {
        try (XbstreamExtractor extractor = new XbstreamExtractor(target);
             ExtractionFeed feed = new ExtractionFeed(extractor, QUEUE_BYTES)) {
            CompletableFuture<DonorTransfer> result = new CompletableFuture<>();
            DonorPipeline pipeline = new DonorPipeline(donor, token, stallTimeout, progressInterval);
            Bootstrap bootstrap = new Bootstrap()
                    .group(group)
                    .channel(NioSocketChannel.class)
                    .option(ChannelOption.AUTO_READ, false)
                    // One connection reading 64 KiB at a time: a pool's 4 MiB chunks and thread caches cost more
                    // memory than they save time (measured: 3 MiB less RSS, the same MB/s).
                    .option(ChannelOption.ALLOCATOR, UnpooledByteBufAllocator.DEFAULT)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(connectTimeout.toMillis(), Integer.MAX_VALUE))
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            pipeline.install(ch.pipeline(), feed, target, result);
                        }
                    });
            ChannelFuture connect = bootstrap.connect(new InetSocketAddress(address, donor.port()));
            Channel channel = connect.channel();
            try {
                connect.await();
                if (!connect.isSuccess()) throw unreachable(donor, address, connect.cause());
                return await(result);
            } finally {
                channel.close().awaitUninterruptibly();
            }
        }
    }

    private static DonorTransfer await(CompletableFuture<DonorTransfer> result)
            throws DonorException, IOException, InterruptedException {
        try {
            return result.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof DonorException d) throw d;
            if (c instanceof IOException io) throw io;
            throw new IllegalStateException("clone transfer failed unexpectedly", c);
        }
    }

    private DonorUnreachableException unreachable(HostPort donor, InetAddress address, Throwable cause) {
        String at = new HostPort(address.getHostAddress(), donor.port()).toString();
        if (cause instanceof ConnectTimeoutException) {
            return new DonorUnreachableException("no answer from " + at + " within " + connectTimeout.toMillis() + " ms", cause);
        }
        if (cause instanceof ConnectException) {
            return new DonorUnreachableException("nothing listens on " + at + " (connection refused)", cause);
        }
        return new DonorUnreachableException("cannot connect to " + at + ": " + cause.getMessage(), cause);
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
