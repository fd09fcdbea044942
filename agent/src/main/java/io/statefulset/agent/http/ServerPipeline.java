package io.statefulset.agent.http;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.statefulset.agent.health.HealthEndpoints;
import java.util.concurrent.Executor;

/**
 * The one place that builds a connection's pipeline on the port. On accept: {@code connection-limit}
 * ({@link ConnectionLimit}, shared by all connections), {@code request-deadline} ({@link RequestDeadline}), with TLS
 * {@code tls} ({@link TlsOnly}, which becomes the {@code SslHandler}) and {@code tls-handshake-log}; then, only with
 * {@code --legacy-raw-stream}, {@code sniffer} ({@link FirstByteSniffer}), else at once, or once the client has
 * spoken: {@code http-codec} (Netty's {@link HttpServerCodec} with line and header limits), {@code body-encoder}
 * ({@link BackupRoute#newBodyEncoder}: the backup body's compression), {@code http-aggregator}
 * (requests are small, whole ones are routed) and {@code routes} ({@link HttpRoutes}). A silent client goes to
 * {@link BackupRoute#serveRaw} instead; a backup appends its own watch on the client.
 */
public final class ServerPipeline {
    static final String CONNECTION_LIMIT = ConnectionLimit.NAME;
    static final String REQUEST_DEADLINE = RequestDeadline.NAME;
    static final String TLS = TlsOnly.NAME;
    static final String TLS_HANDSHAKE_LOG = "tls-handshake-log";
    static final String SNIFFER = "sniffer";
    static final String HTTP_CODEC = "http-codec";
    static final String BODY_ENCODER = "body-encoder";
    static final String HTTP_AGGREGATOR = "http-aggregator";
    static final String ROUTES = "routes";
    private static final int MAX_REQUEST_BYTES = 16 * 1024;
    /** Request line and headers: ours are a few hundred bytes; a bigger one is an attack or a mistake (400). */
    static final int MAX_INITIAL_LINE = 4096;
    static final int MAX_HEADER_BYTES = 8192;

    private final PortSettings port;
    private final ConnectionLimit limit;
    private final BackupRoute backup;
    private final HealthEndpoints health;
    private final Executor probeExecutor;

    public ServerPipeline(PortSettings port, BackupRoute backup, HealthEndpoints health, Executor probeExecutor) {
        this.port = port;
        this.limit = new ConnectionLimit(port.maxConnections());
        this.backup = backup;
        this.health = health;
        this.probeExecutor = probeExecutor;
    }

    /** For a connection just accepted. */
    public void install(ChannelPipeline pipeline) {
        pipeline.addLast(CONNECTION_LIMIT, limit).addLast(REQUEST_DEADLINE, new RequestDeadline(port.requestTimeout()));
        port.tls().ifPresent(tls -> pipeline.addLast(TLS, new TlsOnly(tls)).addLast(TLS_HANDSHAKE_LOG, new TlsHandshakeLog()));
        if (port.legacyWait().isPresent()) {
            pipeline.addLast(SNIFFER, new FirstByteSniffer(port.legacyWait().get(), ctx -> installHttp(ctx.pipeline()),
                    backup::serveRaw));
        } else {
            installHttp(pipeline);
        }
    }

    private void installHttp(ChannelPipeline pipeline) {
        pipeline.addLast(HTTP_CODEC, new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_BYTES, MAX_HEADER_BYTES))
                .addLast(BODY_ENCODER, backup.newBodyEncoder())
                .addLast(HTTP_AGGREGATOR, new HttpObjectAggregator(MAX_REQUEST_BYTES))
                .addLast(ROUTES, new HttpRoutes(backup, health, probeExecutor, port.tls().map(ServerTls::mutual).orElse(false)));
    }
}
