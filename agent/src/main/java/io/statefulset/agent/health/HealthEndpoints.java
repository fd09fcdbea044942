package io.statefulset.agent.health;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.statefulset.agent.common.protocol.PeerStatus;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * /healthz, /readyz, /status and /metrics. Each call may query mysqld (through the cache), so callers run it off the
 * network threads.
 */
public final class HealthEndpoints {
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final CachedProbe probe;
    private final boolean primary;
    private final Duration maxLag;
    private final PrometheusMeterRegistry registry;

    public HealthEndpoints(CachedProbe probe, boolean primary, Duration maxLag, PrometheusMeterRegistry registry) {
        this.probe = probe;
        this.primary = primary;
        this.maxLag = maxLag;
        this.registry = registry;
    }

    public PlainResponse healthz() {
        return probe.reading().alive()
                ? PlainResponse.text(200, "ok")
                : PlainResponse.text(503, "mysqld does not answer");
    }

    public PlainResponse readyz() {
        Readiness r = Readiness.of(probe.reading(), primary, maxLag);
        return PlainResponse.text(r.ready() ? 200 : 503, r.reason());
    }

    /** {@code GET /status}: what a peer that picks a donor needs ({@link PeerStatus}). */
    public PlainResponse status(boolean backupRunning) {
        ProbeReading r = probe.reading();
        Optional<ReplicaState> replica = r.replica();
        PeerStatus status = new PeerStatus(primary ? PeerStatus.PRIMARY : PeerStatus.REPLICA, r.alive(),
                replica.map(ReplicaState::running).orElse(false),
                replica.map(ReplicaState::lagSeconds).orElse(OptionalLong.empty()), r.gtidPosition().orElse(""),
                backupRunning);
        return PlainResponse.text(200, status.text());
    }

    public PlainResponse metrics() {
        return new PlainResponse(200, PROMETHEUS_TEXT, registry.scrape());
    }
}
