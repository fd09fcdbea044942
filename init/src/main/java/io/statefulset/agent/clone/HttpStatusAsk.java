package io.statefulset.agent.clone;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.statefulset.agent.common.identity.HostPort;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link StatusAsk} over Netty, every peer at once, all within {@code timeout} (plus a second for name lookups).
 * With TLS the question goes through the clone's own TLS ({@link DonorTls}: the same CA, client certificate and
 * name check), so a port with TLS on answers it; the handlers: {@link StatusPipeline}.
 */
public final class HttpStatusAsk implements StatusAsk {
    private static final Duration LOOKUP_GRACE = Duration.ofSeconds(1);
    private static final String NO_ANSWER = "no answer within the timeout";

    private final Duration timeout;
    private final Optional<DonorTls> tls;

    public HttpStatusAsk(Duration timeout, Optional<DonorTls> tls) {
        this.timeout = timeout;
        this.tls = tls;
    }

    @Override
    public List<PeerReport> ask(List<HostPort> peers) throws InterruptedException {
        if (peers.isEmpty()) return List.of();
        EventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory("peer-status", true));
        try {
            List<CompletableFuture<PeerReport>> pending = new ArrayList<>();
            for (HostPort peer : peers) pending.add(ask(group, peer));
            // A name lookup that hangs (an unreachable resolver) is not covered by the connect timeout: bound it all.
            long deadline = System.nanoTime() + timeout.toNanos() + LOOKUP_GRACE.toNanos();
            List<PeerReport> reports = new ArrayList<>();
            for (int i = 0; i < peers.size(); i++) {
                try {
                    reports.add(pending.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
                } catch (TimeoutException e) {
                    reports.add(PeerReport.silent(peers.get(i), NO_ANSWER));
                } catch (ExecutionException e) {
                    throw new IllegalStateException("the /status question to " + peers.get(i) + " failed unexpectedly", e.getCause());
                }
            }
            return reports;
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private CompletableFuture<PeerReport> ask(EventLoopGroup group, HostPort peer) {
        CompletableFuture<PeerReport> report = new CompletableFuture<>();
        PeerLookups.resolve(peer.host()).whenComplete((address, unresolved) -> {
            if (unresolved != null) {
                report.complete(PeerReport.silent(peer, "name does not resolve"));
                return;
            }
            if (group.isShuttingDown()) {
                // The lookup outlived the question (a slow resolver): its report was given up already.
                report.complete(PeerReport.silent(peer, NO_ANSWER));
                return;
            }
            try {
                new Bootstrap().group(group).channel(NioSocketChannel.class)
                        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(timeout.toMillis(), Integer.MAX_VALUE))
                        .handler(new ChannelInitializer<SocketChannel>() {
                            @Override
                            protected void initChannel(SocketChannel ch) {
                                StatusPipeline.install(ch.pipeline(), peer, tls, report);
                            }
                        })
                        .connect(new InetSocketAddress(address, peer.port()))
                        .addListener((ChannelFutureListener) f -> {
                            if (!f.isSuccess()) report.complete(PeerReport.silent(peer, connectProblem(f)));
                        });
            } catch (RejectedExecutionException e) {
                // The same, had the group begun to shut down just after the check.
                report.complete(PeerReport.silent(peer, NO_ANSWER));
            }
        });
        return report;
    }

    private static String connectProblem(ChannelFuture f) {
        Throwable cause = f.cause();
        if (cause instanceof ConnectTimeoutException) return NO_ANSWER;
        if (cause instanceof ConnectException) return "connection refused";
        return "cannot connect: " + cause.getMessage();
    }
}
