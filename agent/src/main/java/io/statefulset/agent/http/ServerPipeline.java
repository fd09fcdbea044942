package io.statefulset.agent.http;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.statefulset.agent.health.HealthEndpoints;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * The one place that builds a connection's pipeline on the port, in two steps. On accept: {@code sniffer}
 * ({@link FirstByteSniffer}). Once the client has spoken: {@code http-codec} (Netty's {@link HttpServerCodec}),
 * {@code http-aggregator} (requests are small, whole ones are routed) and {@code routes} ({@link HttpRoutes}). A
 * silent client goes to {@link BackupRoute#serveRaw} instead; a backup appends its own watch on the client. A TLS
 * handler goes in front of {@code sniffer}.
 */
public final class ServerPipeline {
    static final String SNIFFER = "sniffer";
    static final String HTTP_CODEC = "http-codec";
    static final String HTTP_AGGREGATOR = "http-aggregator";
    static final String ROUTES = "routes";
    private static final int MAX_REQUEST_BYTES = 16 * 1024;

    private final Duration legacyWait;
    private final BackupRoute backup;
    private final HealthEndpoints health;
    private final Executor probeExecutor;

    public ServerPipeline(Duration legacyWait, BackupRoute backup, HealthEndpoints health, Executor probeExecutor) {
        this.legacyWait = legacyWait;
        this.backup = backup;
        this.health = health;
        this.probeExecutor = probeExecutor;
    }

    /** For a connection just accepted. */
    public void install(ChannelPipeline pipeline) {
        pipeline.addLast(SNIFFER, new FirstByteSniffer(legacyWait, ctx -> installHttp(ctx.pipeline()), backup::serveRaw));
    }

    private void installHttp(ChannelPipeline pipeline) {
        pipeline.addLast(HTTP_CODEC, new HttpServerCodec())
                .addLast(HTTP_AGGREGATOR, new HttpObjectAggregator(MAX_REQUEST_BYTES))
                .addLast(ROUTES, new HttpRoutes(backup, health, probeExecutor));
    }
}
