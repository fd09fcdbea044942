package io.statefulset.agent.backup;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.statefulset.agent.common.backuptool.FailureCause;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import io.statefulset.agent.http.BackupRoute;
import io.statefulset.agent.http.HttpAnswers;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /backup} and the legacy raw stream: checks the token, takes the one slot, hands the connection to a
 * {@link BackupStreamer} on its own thread (the tool's stdout is a blocking stream; the network threads never
 * wait on it).
 */
public final class BackupEndpoint implements BackupRoute {
    private static final Logger log = LoggerFactory.getLogger(BackupEndpoint.class);

    private final Optional<BearerToken> token;
    private final boolean rawStream;
    private final BackupSlot slot;
    private final BackupStreamer streamer;
    private final WireCompression compression;
    private final long maxRate;
    private final ThreadFactory threads = new DefaultThreadFactory("backup-stream", true);

    BackupEndpoint(Optional<BearerToken> token, boolean rawStream, BackupSlot slot, BackupStreamer streamer,
                   WireCompression compression, long maxRate) {
        this.token = token;
        this.rawStream = rawStream;
        this.slot = slot;
        this.streamer = streamer;
        this.compression = compression;
        this.maxRate = maxRate;
    }

    /**
     * The backup side of the port: the slot, the streamer and their meters.
     *
     * @param env the agent's environment: PATH to find the backup tool, TMPDIR for its scratch dir; also the
     *            child's environment (minus password variables)
     */
    public static BackupEndpoint create(BackupSettings settings, MeterRegistry registry, Map<String, String> env) {
        BackupSlot slot = new BackupSlot();
        Path scratchParent = Path.of(env.getOrDefault("TMPDIR", System.getProperty("java.io.tmpdir")));
        // Before any backup: a serve killed mid-backup left its scratch dir, password file included.
        BackupScratch.removeStale(scratchParent);
        Optional<BearerToken> token = settings.token().map(t -> new BearerToken(t, settings.tokenGrace(), Clock.systemUTC()));
        return new BackupEndpoint(token, settings.rawStream(), slot,
                new BackupStreamer(settings, Map.copyOf(env), scratchParent, new BackupMetrics(registry, settings.maxRate()), slot),
                settings.compression(), settings.maxRate());
    }

    @Override
    public ChannelHandler newBodyEncoder() {
        return new BackupBodyEncoder(compression.zstdLevel());
    }

    @Override
    public void serveHttp(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (token.isPresent()) {
            String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
            Optional<String> presented = BearerToken.presentedIn(header);
            boolean hasBearer = presented.isPresent();
            BearerToken.Verdict verdict = presented.map(token.get()::check).orElse(BearerToken.Verdict.REFUSED);
            if (verdict == BearerToken.Verdict.PREVIOUS) {
                log.info("accepted /backup from {} with the previous token (its grace period runs)", ctx.channel().remoteAddress());
            }
            if (verdict == BearerToken.Verdict.REFUSED) {
                log.warn("refused /backup from {}: {} bearer token", ctx.channel().remoteAddress(), hasBearer ? "wrong" : "no");
                FullHttpResponse r = HttpAnswers.empty(HttpResponseStatus.UNAUTHORIZED);
                r.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"mysql-statefulset-agent\"");
                ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
                return;
            }
        }
        Optional<BackupRun> run = slot.tryAcquire(ctx.channel());
        if (run.isEmpty()) {
            long retry = slot.current().map(BackupRun::retryAfterSeconds).orElse(BackupRun.DEFAULT_RETRY_AFTER_SECONDS);
            log.info("refused /backup from {}: another backup is running; Retry-After {} s", ctx.channel().remoteAddress(), retry);
            FullHttpResponse r = HttpAnswers.text(HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "another backup is running on this donor; retry in " + retry + " s\n", false);
            r.headers().set(HttpHeaderNames.RETRY_AFTER, retry);
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        boolean chunked = HttpBackupSink.chunked(request.protocolVersion());
        BodyEncoding encoding = compression.choose(request.headers().get(HttpHeaderNames.ACCEPT_ENCODING), chunked,
                address(ctx.channel().remoteAddress()), address(ctx.channel().localAddress()));
        BackupBodyEncoder encoder = ctx.pipeline().get(BackupBodyEncoder.class);
        if (encoder == null) encoding = BodyEncoding.IDENTITY;
        else encoder.encodeNext(encoding);
        start(ctx.channel(), run.get(), new HttpBackupSink(ctx.channel(), request.protocolVersion(),
                encoding.describe(compression.zstdLevel())), encoding);
    }

    /** A client that sent nothing: the tutorial's {@code ncat --recv-only}. A busy donor closes on it at once. */
    @Override
    public void serveRaw(Channel channel) {
        if (!rawStream) {
            // The port only hands the sniffer's silent clients over with --legacy-raw-stream; this is a safety net.
            channel.close();
            return;
        }
        Optional<BackupRun> run = slot.tryAcquire(channel);
        if (run.isEmpty()) {
            log.info("closed raw client {}: another backup is running", channel.remoteAddress());
            channel.close();
            return;
        }
        start(channel, run.get(), new RawBackupSink(channel), BodyEncoding.IDENTITY);
    }

    private void start(Channel channel, BackupRun run, BackupSink sink, BodyEncoding encoding) {
        SendRate rate = SendRate.install(channel, maxRate);
        channel.pipeline().addLast(new ClientWatch(run));
        threads.newThread(() -> streamer.stream(run, sink, encoding, rate)).start();
    }

    private static InetAddress address(SocketAddress socket) {
        return socket instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }

    /** Aborts a running backup, telling its client why, and waits for it to end and flush. */
    @Override
    public boolean running() {
        return slot.current().isPresent();
    }

    @Override
    public boolean toolInstalled() {
        return streamer.toolInstalled();
    }

    @Override
    public void shutdown(long graceMillis) throws InterruptedException {
        Optional<BackupRun> current = slot.current();
        if (current.isEmpty()) return;
        BackupRun run = current.get();
        log.info("stopping: aborting the backup for {} ({} bytes sent)", run.client(), run.bytes());
        run.abort(FailureCause.DONOR_STOPPING, "donor shutting down");
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMillis);
        if (!run.awaitFinished(graceMillis, TimeUnit.MILLISECONDS)
                || !run.channel().closeFuture().await(Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())))) {
            log.warn("stopping: the backup for {} did not end within {} ms; closing its connection", run.client(), graceMillis);
        }
    }
}
