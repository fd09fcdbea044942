package io.statefulset.agent.http;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.statefulset.agent.health.CachedProbe;
import io.statefulset.agent.health.HealthEndpoints;
import io.statefulset.agent.health.MysqlProbe;
import io.statefulset.agent.health.ReplicaState;
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
        };
        return new HealthEndpoints(new CachedProbe(alive, Duration.ofMinutes(1)), true, Duration.ofSeconds(30),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
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
    public void shutdown(long graceMillis) {}
}
