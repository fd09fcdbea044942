package io.statefulset.agent.health;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.statefulset.agent.common.protocol.PeerStatus;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * /healthz, /readyz, /status and /metrics. /healthz, /status and /metrics may query mysqld (through the cache), so
 * callers run them off the network threads; /readyz answers from the {@link ReplicationWatch}'s samples.
 */
public final class HealthEndpoints implements AutoCloseable {
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final CachedProbe probe;
    private final boolean primary;
    private final ReplicationWatch watch;
    private final PrometheusMeterRegistry registry;
    private final int mysqlPort;

    private HealthEndpoints(CachedProbe probe, boolean primary, ReplicationWatch watch, PrometheusMeterRegistry registry, int mysqlPort) {
        this.probe = probe;
        this.primary = primary;
        this.watch = watch;
        this.registry = registry;
        this.mysqlPort = mysqlPort;
    }

    /**
     * The endpoints with their watch; {@link ReplicationWatch#start()} begins the sampling (until then /readyz takes
     * a sample on request).
     */
    public static HealthEndpoints of(CachedProbe probe, boolean primary, Duration maxLag, StartCheck startCheck,
                                     PrometheusMeterRegistry registry) {
        return of(probe, primary, maxLag, startCheck, registry, PeerStatus.Seeding.DEFAULT_MYSQL_PORT);
    }

    /** @param mysqlPort the local mysqld's port, which /status tells peers that CLONE from this pod */
    public static HealthEndpoints of(CachedProbe probe, boolean primary, Duration maxLag, StartCheck startCheck,
                                     PrometheusMeterRegistry registry, int mysqlPort) {
        return of(probe, primary, maxLag, startCheck, IoThreadRecovery.NONE, registry, mysqlPort);
    }

    /** @param recovery what the watch hands the replica's samples (an IO thread the source stopped) */
    public static HealthEndpoints of(CachedProbe probe, boolean primary, Duration maxLag, StartCheck startCheck,
                                     IoThreadRecovery recovery, PrometheusMeterRegistry registry, int mysqlPort) {
        return new HealthEndpoints(probe, primary, new ReplicationWatch(probe, primary, maxLag, startCheck, recovery, registry),
                registry, mysqlPort);
    }

    /** Starts sampling once a second. */
    public HealthEndpoints start() {
        watch.start();
        return this;
    }

    public PlainResponse healthz() {
        return probe.reading().alive()
                ? PlainResponse.text(200, "ok")
                : PlainResponse.text(503, "mysqld does not answer");
    }

    public PlainResponse readyz() {
        Readiness r = watch.readiness();
        return PlainResponse.text(r.ready() ? 200 : 503, r.reason());
    }

    /**
     * {@code GET /status}: what a peer that picks a donor needs ({@link PeerStatus}).
     *
     * @param backupTool the backup route finds a backup tool (an xbstream clone from here can work)
     */
    public PlainResponse status(boolean backupRunning, boolean backupTool) {
        ProbeReading r = probe.reading();
        Optional<ReplicaState> replica = r.replica();
        PeerStatus status = new PeerStatus(primary ? PeerStatus.PRIMARY : PeerStatus.REPLICA, r.alive(),
                replica.map(ReplicaState::running).orElse(false),
                replica.map(ReplicaState::lagSeconds).orElse(OptionalLong.empty()), r.gtidPosition().orElse(""),
                backupRunning, new PeerStatus.Seeding(r.alive() && probe.clonePluginActive(), backupTool, mysqlPort));
        return PlainResponse.text(200, status.text());
    }

    public PlainResponse metrics() {
        return new PlainResponse(200, PROMETHEUS_TEXT, registry.scrape());
    }

    /** Stops the watch's sampling. */
    @Override
    public void close() {
        watch.close();
    }
}
