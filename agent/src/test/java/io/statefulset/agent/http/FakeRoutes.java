package io.statefulset.agent.http;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.statefulset.agent.health.CachedProbe;
import io.statefulset.agent.health.HealthEndpoints;
import io.statefulset.agent.health.MysqlProbe;
import io.statefulset.agent.health.ReplicaState;
import io.statefulset.agent.health.StartCheck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the port's handlers route to, for tests of the routing rules: a backup route that records who it was given,
 * and health endpoints over a mysqld that answers (health itself is tested against real servers elsewhere).
 */
final class FakeRoutes implements BackupRoute {
    final List<String> httpBackups = new ArrayList<>();
    final List<Channel> rawClients = new ArrayList<>();

    static HealthEndpoints healthyPrimary() {
        MysqlProbe alive = new MysqlProbe() {
            @Override
            public boolean alive() {
                return true;
            }

            @Override
            public Optional<ReplicaState> replicaState() {
                return Optional.empty();
            }

            @Override
            public boolean replicationConfigured() {
                return false;
            }

            @Override
            public Optional<String> gtidPosition() {
                return Optional.of("0-100-42");
            }

            @Override
            public boolean clonePluginActive() {
                return true;
            }
        };
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        CachedProbe probe = new CachedProbe(alive, Duration.ofMinutes(1));
        // Not started: /readyz takes its first sample on the first request.
        return HealthEndpoints.of(probe, true, Duration.ofSeconds(30), StartCheck.notNeeded(registry), registry, 13306);
    }

    @Override
    public ChannelHandler newBodyEncoder() {
        return new ChannelInboundHandlerAdapter();
    }

    @Override
    public void serveHttp(ChannelHandlerContext ctx, FullHttpRequest request) {
        httpBackups.add(request.uri());
    }

    @Override
    public void serveRaw(Channel channel) {
        rawClients.add(channel);
    }

    @Override
    public boolean running() {
        return !httpBackups.isEmpty() || !rawClients.isEmpty();
    }

    @Override
    public boolean toolInstalled() {
        return true;
    }

    @Override
    public void shutdown(long graceMillis) {}
}
