package io.statefulset.agent.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.statefulset.agent.health.HealthEndpoints;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sidecar's port (default 3307): {@code /backup} (plus the tutorial's raw stream), {@code /healthz},
 * {@code /readyz}, {@code /metrics}, on Netty's HTTP/1.1 codecs (handlers: {@link ServerPipeline}).
 *
 * <p>It routes and answers; what a backup is and what health means live in {@code backup} and {@code health}.
 */
public final class AgentServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AgentServer.class);
    /** How long {@link #close()} waits for an aborted backup to tell its client and for connections to drain. */
    public static final Duration STOP_GRACE = Duration.ofSeconds(10);
    /** Outbound bytes queued per connection before the pump stops reading the tool's stdout. */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(256 * 1024, 1024 * 1024);
    private static final int PROBE_QUEUE = 64;
    private static final int BACKLOG = 128;

    private final EventLoopGroup group;
    private final Channel serverChannel;
    private final ChannelGroup connections;
    private final BackupRoute backup;
    private final ThreadPoolExecutor probeExecutor;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CountDownLatch closed = new CountDownLatch(1);

    private AgentServer(EventLoopGroup group, Channel serverChannel, ChannelGroup connections, BackupRoute backup,
                         ThreadPoolExecutor probeExecutor) {
        this.group = group;
        this.serverChannel = serverChannel;
        this.connections = connections;
        this.backup = backup;
        this.probeExecutor = probeExecutor;
    }

    /**
     * Binds {@code bind} (port 0 picks a free port, see {@link #port()}) and serves until {@link #close()}.
     *
     * @param legacyWait a client that sends nothing this long is handed to {@link BackupRoute#serveRaw}
     * @throws IOException when the address cannot be bound
     */
    public static AgentServer start(InetSocketAddress bind, Duration legacyWait, BackupRoute backup,
                                    HealthEndpoints health) throws IOException {
        // The port listens before Netty loads (hundreds of ms on a busy node): from here on the kernel queues
        // connections, and kubelet or a cloning peer only wait for the accept.
        ServerSocketChannel listening = listen(bind);
        try {
            return serve(listening, legacyWait, backup, health);
        } catch (IOException | RuntimeException e) {
            listening.close();
            throw e;
        }
    }

    private static AgentServer serve(ServerSocketChannel listening, Duration legacyWait, BackupRoute backup,
                                     HealthEndpoints health) throws IOException {
        ThreadPoolExecutor probeExecutor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(PROBE_QUEUE), new DefaultThreadFactory("health-probe", true));

        EventLoopGroup group = new NioEventLoopGroup(2, new DefaultThreadFactory("agent-net", true));
        ChannelGroup connections = new DefaultChannelGroup("backup-server", GlobalEventExecutor.INSTANCE);
        ServerPipeline pipeline = new ServerPipeline(legacyWait, backup, health, probeExecutor);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channelFactory(() -> new NioServerSocketChannel(listening))
                // ncat with stdin at EOF half-closes at once; the raw stream must still flow to it.
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        pipeline.install(ch.pipeline());
                    }
                });
        Channel serverChannel;
        try {
            // Registering an already bound channel makes it active: Netty starts accepting, no second bind.
            serverChannel = bootstrap.register().sync().channel();
        } catch (Exception e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            probeExecutor.shutdownNow();
            throw new IOException("cannot serve on " + listening.getLocalAddress() + ": " + e.getMessage(), e);
        }
        return new AgentServer(group, serverChannel, connections, backup, probeExecutor);
    }

    private static ServerSocketChannel listen(InetSocketAddress bind) throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(bind, BACKLOG);
            return channel;
        } catch (IOException e) {
            channel.close();
            throw new IOException("cannot listen on " + bind + ": " + e.getMessage()
                    + "; check that no other process holds the port, or pass another --listen", e);
        }
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** The bound port: the one asked for, or the one the OS chose for port 0. */
    public int port() {
        return address().getPort();
    }

    /**
     * Graceful stop: no new connections; a running backup is aborted and its client gets a failed trailer
     * ("donor shutting down") within {@link #STOP_GRACE}; then every connection and thread is closed.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            awaitClosedUninterruptibly();
            return;
        }
        try {
            serverChannel.close().awaitUninterruptibly();
            try {
                backup.shutdown(STOP_GRACE.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            connections.close().awaitUninterruptibly();
            probeExecutor.shutdownNow();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
            log.info("stopped listening on {}", serverChannel.localAddress());
        } finally {
            closed.countDown();
        }
    }

    /** Blocks until {@link #close()} has finished (the serve command's main thread waits here). */
    public void awaitClosed() throws InterruptedException {
        closed.await();
    }

    private void awaitClosedUninterruptibly() {
        boolean interrupted = false;
        while (true) {
            try {
                closed.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }
}
