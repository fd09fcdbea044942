package io.statefulset.agent.http;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.statefulset.agent.health.HealthEndpoints;
import io.statefulset.agent.health.PlainResponse;
import io.statefulset.agent.common.protocol.BackupProtocol;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps requests to endpoints: {@code GET} only; unknown paths 404, other methods 405. Health answers may wait on
 * mysqld, so they are computed on the probe executor and written back from there.
 */
final class HttpRoutes extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(HttpRoutes.class);

    private final BackupRoute backup;
    private final boolean clientCertificateForBackup;
    private final HealthEndpoints health;
    private final Executor probeExecutor;
    private boolean streaming;
    // Event-loop confined: health answers not yet written, and whether the client has stopped sending.
    private int pendingAnswers;
    private boolean inputClosed;

    HttpRoutes(BackupRoute backup, HealthEndpoints health, Executor probeExecutor, boolean clientCertificateForBackup) {
        this.clientCertificateForBackup = clientCertificateForBackup;
        this.backup = backup;
        this.health = health;
        this.probeExecutor = probeExecutor;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (streaming) return; // a request pipelined behind /backup: the connection closes after the stream
        RequestDeadline.stop(ctx.pipeline());
        if (!request.decoderResult().isSuccess()) {
            Throwable cause = request.decoderResult().cause();
            String why = cause instanceof TooLongFrameException
                    ? "request line or headers too long (at most " + ServerPipeline.MAX_INITIAL_LINE + " and "
                    + ServerPipeline.MAX_HEADER_BYTES + " bytes)\n"
                    : "malformed HTTP request\n";
            reply(ctx, HttpAnswers.text(HttpResponseStatus.BAD_REQUEST, why, false), false);
            return;
        }
        String path = new QueryStringDecoder(request.uri()).path();
        boolean known = switch (path) {
            case BackupProtocol.BACKUP_PATH, BackupProtocol.HEALTHZ_PATH, BackupProtocol.READYZ_PATH,
                    BackupProtocol.METRICS_PATH, BackupProtocol.STATUS_PATH -> true;
            default -> false;
        };
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (!known) {
            reply(ctx, HttpAnswers.text(HttpResponseStatus.NOT_FOUND, "no such endpoint: " + path
                    + " (try /backup, /healthz, /readyz, /status, /metrics)\n", keepAlive), keepAlive);
            return;
        }
        if (!HttpMethod.GET.equals(request.method())) {
            FullHttpResponse r = HttpAnswers.text(HttpResponseStatus.METHOD_NOT_ALLOWED, request.method() + " is not allowed on " + path + "; use GET\n", keepAlive);
            r.headers().set(HttpHeaderNames.ALLOW, HttpMethod.GET.name());
            reply(ctx, r, keepAlive);
            return;
        }
        switch (path) {
            case BackupProtocol.BACKUP_PATH -> {
                if (clientCertificateForBackup && !ClientCertificate.verified(ctx.pipeline())) {
                    log.warn("refused /backup from {}: no client certificate (mutual TLS)", ctx.channel().remoteAddress());
                    reply(ctx, HttpAnswers.text(HttpResponseStatus.FORBIDDEN, "/backup requires a client certificate"
                            + " signed by this agent's --tls-ca-file (init: --tls-cert-file, --tls-key-file)\n", false), false);
                    return;
                }
                streaming = true;
                backup.serveHttp(ctx, request);
            }
            case BackupProtocol.HEALTHZ_PATH -> answer(ctx, health::healthz, keepAlive);
            case BackupProtocol.READYZ_PATH -> answer(ctx, health::readyz, keepAlive);
            case BackupProtocol.STATUS_PATH -> answer(ctx, () -> health.status(backup.running(), backup.toolInstalled()), keepAlive);
            default -> answer(ctx, health::metrics, keepAlive);
        }
    }

    private void answer(ChannelHandlerContext ctx, Supplier<PlainResponse> endpoint, boolean keepAlive) {
        pendingAnswers++;
        try {
            probeExecutor.execute(() -> {
                PlainResponse r;
                try {
                    r = endpoint.get();
                } catch (RuntimeException e) {
                    log.warn("health endpoint failed: {}", e.toString());
                    r = PlainResponse.text(500, "health check failed: " + e.getMessage());
                }
                reply(ctx, HttpAnswers.full(r, keepAlive), keepAlive).addListener(f -> answered(ctx));
            });
        } catch (RejectedExecutionException e) {
            pendingAnswers--;
            // mysqld is so slow that probes pile up (or the agent is stopping): say so rather than queue forever.
            reply(ctx, HttpAnswers.text(HttpResponseStatus.SERVICE_UNAVAILABLE, "health checks are backed up: mysqld is not answering in time\n", false), false);
        }
    }

    private void answered(ChannelHandlerContext ctx) {
        pendingAnswers--;
        if (inputClosed && pendingAnswers == 0) ctx.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            inputClosed = true;
            // `printf 'GET /healthz ...' | ncat` half-closes after its request: answer it, then close. A /backup
            // client that half-closes is taken as gone (curl never does), so a dead client is noticed even
            // while the tool writes nothing.
            if (streaming || pendingAnswers == 0) ctx.close();
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    private static ChannelFuture reply(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
        ChannelFuture f = ctx.writeAndFlush(response);
        if (!keepAlive) f.addListener(ChannelFutureListener.CLOSE);
        else f.addListener(done -> RequestDeadline.restart(ctx));
        return f;
    }
}
