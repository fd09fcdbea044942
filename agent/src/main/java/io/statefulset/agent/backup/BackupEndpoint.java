package io.statefulset.agent.backup;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.statefulset.agent.backuptool.FailureCause;
import io.statefulset.agent.secret.Secret;
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
final class BackupEndpoint {
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

    private boolean rawAllowed() {
        return token.isEmpty();
    }

    void serveHttp(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (token.isPresent()) {
            String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
            boolean hasBearer = header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length());
            if (!hasBearer || !token.get().matches(header.substring(BEARER.length()).trim())) {
                log.warn("refused /backup from {}: {} bearer token", ctx.channel().remoteAddress(), hasBearer ? "wrong" : "no");
                FullHttpResponse r = HttpRoutes.empty(HttpResponseStatus.UNAUTHORIZED);
                r.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"mysql-statefulset-agent\"");
                ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
                return;
            }
        }
        Optional<BackupRun> run = slot.tryAcquire(ctx.channel());
        if (run.isEmpty()) {
            long retry = slot.current().map(BackupRun::retryAfterSeconds).orElse(BackupRun.DEFAULT_RETRY_AFTER_SECONDS);
            log.info("refused /backup from {}: another backup is running; Retry-After {} s", ctx.channel().remoteAddress(), retry);
            FullHttpResponse r = HttpRoutes.text(HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "another backup is running on this donor; retry in " + retry + " s\n", false);
            r.headers().set(HttpHeaderNames.RETRY_AFTER, retry);
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        start(ctx.channel(), run.get(), new HttpBackupSink(ctx.channel(), request.protocolVersion()));
    }

    /** A client that sent nothing: the tutorial's {@code ncat --recv-only}. A busy donor closes on it at once. */
    void serveRaw(Channel channel) {
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
    void shutdown(long graceMillis) throws InterruptedException {
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
