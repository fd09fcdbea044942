package io.statefulset.agent.serve;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.statefulset.agent.backup.BackupEndpoint;
import io.statefulset.agent.backup.BackupSettings;
import io.statefulset.agent.health.CachedProbe;
import io.statefulset.agent.health.CloneFailureMetrics;
import io.statefulset.agent.health.HealthEndpoints;
import io.statefulset.agent.health.MysqlProbe;
import io.statefulset.agent.health.ReplicationMetrics;
import io.statefulset.agent.http.AgentServer;
import io.statefulset.agent.mysql.LocalMysqlDataSource;
import io.statefulset.agent.replication.SourceEndpoint;
import io.statefulset.agent.replication.setup.PositioningPreference;
import io.statefulset.agent.replication.setup.ReplicationSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where {@code serve}'s options stop: each feature (backup, health, replication, the local mysqld, the port) gets
 * the settings of its own, so that none of them imports {@link ServeOptions}.
 */
public final class Sidecar {
    private static final Logger log = LoggerFactory.getLogger(Sidecar.class);
    /** Probe readings are reused this long, so kubelet and Prometheus cannot hammer mysqld. */
    public static final Duration PROBE_CACHE = Duration.ofSeconds(1);

    private Sidecar() {}

    public static ReplicationSettings replication(ServeOptions o) {
        return new ReplicationSettings(o.pod().isPrimary(), o.dataDir(),
                new SourceEndpoint(o.source(), o.replicationUser(), o.replicationPassword()),
                o.mysqlUser() + "@" + o.mysql(), o.mysqlWait(), PositioningPreference.GTID_WHEN_AVAILABLE);
    }

    public static BackupSettings backup(ServeOptions o) {
        return new BackupSettings(o.dataDir(), o.mysql(), o.mysqlUser(), o.mysqlPassword(), o.backupTool(), o.token(),
                Stream.of(o.mysqlPassword(), o.token(), o.replicationPassword()).flatMap(Optional::stream).toList());
    }

    public static HikariDataSource localMysql(ServeOptions o) {
        return LocalMysqlDataSource.create(o.mysql(), o.mysqlUser(), o.mysqlPassword(), LocalMysqlDataSource.TIMEOUT);
    }

    /** Starts the port on {@code options.listen()}. */
    public static AgentServer startServer(ServeOptions options, MysqlProbe probe, PrometheusMeterRegistry registry,
                                          Map<String, String> env) throws IOException {
        return startServer(options, probe, registry, env,
                new InetSocketAddress(options.listen().host(), options.listen().port()));
    }

    /**
     * As {@link #startServer(ServeOptions, MysqlProbe, PrometheusMeterRegistry, Map)} on {@code bind}; tests bind
     * port 0.
     *
     * @throws IllegalArgumentException when the token file is empty
     */
    public static AgentServer startServer(ServeOptions options, MysqlProbe probe, PrometheusMeterRegistry registry,
                                          Map<String, String> env, InetSocketAddress bind) throws IOException {
        BackupEndpoint backup = BackupEndpoint.create(backup(options), registry, env);
        CachedProbe cachedProbe = new CachedProbe(probe, PROBE_CACHE);
        ReplicationMetrics.register(registry, cachedProbe);
        CloneFailureMetrics.register(registry, options.dataDir());
        boolean primary = options.pod().isPrimary();
        HealthEndpoints health = new HealthEndpoints(cachedProbe, primary, options.maxLag(), registry);
        AgentServer server = AgentServer.start(bind, options.legacyWait(), backup, health);
        log.info("listening on {}: /backup ({}{}), /healthz, /readyz ({}, max lag {} s), /metrics", server.address(),
                options.token().isPresent() ? "bearer token required" : "no token",
                options.token().isEmpty() ? ", raw stream for silent clients after " + options.legacyWait().toMillis() + " ms" : "",
                primary ? "primary" : "replica", options.maxLag().toSeconds());
        return server;
    }

}
