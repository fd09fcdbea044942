package io.statefulset.agent.backup;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.statefulset.agent.common.backuptool.FailureCause;
import io.statefulset.agent.common.secret.Secret;
import io.statefulset.agent.http.BackupRoute;
import io.statefulset.agent.http.HttpAnswers;
import java.nio.file.Path;
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
    private static final String BEARER = "bearer ";

    private final Optional<Secret> token;
    private final BackupSlot slot;
    private final BackupStreamer streamer;
    private final ThreadFactory threads = new DefaultThreadFactory("backup-stream", true);

    BackupEndpoint(Optional<Secret> token, BackupSlot slot, BackupStreamer streamer) {
        this.token = token;
        this.slot = slot;
        this.streamer = streamer;
    }

    /**
     * The backup side of the port: the slot, the streamer and their meters.
     *
     * @param env the agent's environment: PATH to find the backup tool, TMPDIR for its scratch dir; also the
     *            child's environment (minus password variables)
     * @throws IllegalArgumentException when the token file is empty
     */
    public static BackupEndpoint create(BackupSettings settings, MeterRegistry registry, Map<String, String> env) {
        settings.token().filter(Secret::isEmpty).ifPresent(t -> {
            throw new IllegalArgumentException("the /backup token from " + t.origin() + " is empty: put a secret in it,"
                    + " or drop --token-file to serve without one");
        });
        BackupSlot slot = new BackupSlot();
        Path scratchParent = Path.of(env.getOrDefault("TMPDIR", System.getProperty("java.io.tmpdir")));
        return new BackupEndpoint(settings.token(), slot,
                new BackupStreamer(settings, Map.copyOf(env), scratchParent, new BackupMetrics(registry), slot));
    }

    private boolean rawAllowed() {
        return token.isEmpty();
    }

    @Override
    public void serveHttp(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (token.isPresent()) {
            String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
            boolean hasBearer = header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length());
            if (!hasBearer || !token.get().matches(header.substring(BEARER.length()).trim())) {
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
        start(ctx.channel(), run.get(), new HttpBackupSink(ctx.channel(), request.protocolVersion()));
    }

    /** A client that sent nothing: the tutorial's {@code ncat --recv-only}. A busy donor closes on it at once. */
    @Override
    public void serveRaw(Channel channel) {
        if (!rawAllowed()) {
            log.warn("closed silent connection from {}: a token is configured, so the raw (ncat) stream is off",
                    channel.remoteAddress());
            channel.close();
            return;
        }
        Optional<BackupRun> run = slot.tryAcquire(channel);
        if (run.isEmpty()) {
            log.info("closed raw client {}: another backup is running", channel.remoteAddress());
            channel.close();
            return;
        }
        start(channel, run.get(), new RawBackupSink(channel));
    }

    private void start(Channel channel, BackupRun run, BackupSink sink) {
        channel.pipeline().addLast(new ClientWatch(run));
        threads.newThread(() -> streamer.stream(run, sink)).start();
    }

    /** Aborts a running backup, telling its client why, and waits for it to end and flush. */
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
