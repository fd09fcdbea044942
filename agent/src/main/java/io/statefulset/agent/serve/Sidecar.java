package io.statefulset.agent.serve;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.statefulset.agent.backup.BackupEndpoint;
import io.statefulset.agent.backup.BackupSettings;
import io.statefulset.agent.common.secret.SecretSource;
import io.statefulset.agent.common.watch.FilePoller;
import io.statefulset.agent.health.CachedProbe;
import io.statefulset.agent.health.CloneFailureMetrics;
import io.statefulset.agent.health.HealthEndpoints;
import io.statefulset.agent.health.IoThreadRecovery;
import io.statefulset.agent.health.MysqlProbe;
import io.statefulset.agent.health.ReplicationMetrics;
import io.statefulset.agent.health.ReplicationWatch;
import io.statefulset.agent.health.SecretMetrics;
import io.statefulset.agent.health.StartCheck;
import io.statefulset.agent.health.SteadyReadiness;
import io.statefulset.agent.http.AgentServer;
import io.statefulset.agent.http.PortSettings;
import io.statefulset.agent.http.ServerTls;
import io.statefulset.agent.mysql.LocalMysqlDataSource;
import io.statefulset.agent.replication.SourceEndpoint;
import io.statefulset.agent.replication.preflight.PreflightVerdict;
import io.statefulset.agent.replication.preflight.StartGate;
import io.statefulset.agent.tls.TlsProvider;
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

    /** The replication password is read now: call it when the setup runs, not at start. */
    public static ReplicationSettings replication(ServeOptions o) {
        return new ReplicationSettings(o.pod().isPrimary(), o.dataDir(), replicationAccount(o),
                o.mysqlUser() + "@" + o.mysql(), o.mysqlWait(), PositioningPreference.GTID_WHEN_AVAILABLE);
    }

    /** The source and the replication account, with the password as it is now. */
    public static SourceEndpoint replicationAccount(ServeOptions o) {
        return new SourceEndpoint(o.source(), o.replicationUser(), o.replicationPassword().map(SecretSource::current));
    }

    public static BackupSettings backup(ServeOptions o) {
        return new BackupSettings(o.dataDir(), o.mysql(), o.mysqlUser(), o.mysqlPassword(), o.backupTool(), o.token(),
                o.tokenGrace(), o.legacyRawStream(), o.sendStallTimeout(),
                Stream.of(o.mysqlPassword(), o.token(), o.replicationPassword()).flatMap(Optional::stream).toList(),
                o.compression(), o.maxRate(), o.backupParallel());
    }

    public static HikariDataSource localMysql(ServeOptions o) {
        return LocalMysqlDataSource.withPasswordFrom(o.mysql(), o.mysqlUser(), o.mysqlPassword(), LocalMysqlDataSource.TIMEOUT);
    }

    /**
     * Starts the port on {@code options.listen()}.
     *
     * @param recovery what the watch hands a replica's samples once its start checks passed
     */
    public static AgentServer startServer(ServeOptions options, MysqlProbe probe, StartCheck startCheck,
                                          IoThreadRecovery recovery, PrometheusMeterRegistry registry,
                                          Map<String, String> env) throws IOException {
        return startServer(options, probe, startCheck, recovery, registry, env,
                new InetSocketAddress(options.listen().host(), options.listen().port()));
    }

    /** As above on {@code bind} (tests bind port 0), with no replication start checks (nothing sets them up). */
    public static AgentServer startServer(ServeOptions options, MysqlProbe probe, PrometheusMeterRegistry registry,
                                          Map<String, String> env, InetSocketAddress bind) throws IOException {
        return startServer(options, probe, StartCheck.notNeeded(registry), IoThreadRecovery.NONE, registry, env, bind);
    }

    /**
     * The port on {@code bind}: backup, and health answered from a {@link ReplicationWatch} that samples mysqld
     * from now on.
     *
     * @throws IllegalArgumentException when a secret or TLS file is unreadable or unusable
     */
    public static AgentServer startServer(ServeOptions options, MysqlProbe probe, StartCheck startCheck,
                                          IoThreadRecovery recovery, PrometheusMeterRegistry registry,
                                          Map<String, String> env, InetSocketAddress bind) throws IOException {
        Optional<ServerTls> tls = options.tls().presentsCertificate() ? Optional.of(ServerTls.load(options.tls())) : Optional.empty();
        FilePoller poller = new FilePoller(FilePoller.INTERVAL);
        try {
            watchSecrets(options, registry, poller);
            tls.ifPresent(t -> {
                poller.watch(t.watched());
                SecretMetrics.register(registry, "tls", t.watched()::loadedAt);
            });
            BackupEndpoint backup = BackupEndpoint.create(backup(options), registry, env);
            CachedProbe cachedProbe = new CachedProbe(probe, PROBE_CACHE);
            ReplicationMetrics.register(registry, cachedProbe);
            CloneFailureMetrics.register(registry, options.dataDir());
            boolean primary = options.pod().isPrimary();
            HealthEndpoints health = HealthEndpoints.of(cachedProbe, primary, options.maxLag(), startCheck, recovery, registry,
                    options.mysql().port());
            PortSettings port = new PortSettings(tls,
                    options.legacyRawStream() ? Optional.of(options.legacyWait()) : Optional.empty(),
                    options.requestTimeout(), options.maxConnections());
            AgentServer server = AgentServer.start(bind, port, backup, health, poller);
            health.start();
            log.info("listening on {}: {}, /backup ({}{}, compression {}, {}), /healthz, /readyz ({}, max lag {} s, {} samples {} s apart"
                            + " decide a change), /status, /metrics; at most {} connections, {} s for a request, backups aborted"
                            + " after {} s without progress",
                    server.address(),
                    tls.map(t -> (t.mutual() ? "TLS with client certificates" : "TLS") + " (" + TlsProvider.describe() + ")")
                            .orElse("plain HTTP"),
                    options.token().isPresent() ? "bearer token required" : "no token",
                    options.legacyRawStream() ? ", raw stream for silent clients after " + options.legacyWait().toMillis() + " ms" : "",
                    options.compression().describe(), BackupSettings.describeRate(options.maxRate()),
                    primary ? "primary" : "replica", options.maxLag().toSeconds(), SteadyReadiness.SAMPLES,
                    ReplicationWatch.INTERVAL.toSeconds(), options.maxConnections(),
                    options.requestTimeout().toSeconds(), options.sendStallTimeout().toSeconds());
            return server;
        } catch (IOException | RuntimeException e) {
            poller.close();
            throw e;
        }
    }

    private static void watchSecrets(ServeOptions o, PrometheusMeterRegistry registry, FilePoller poller) {
        watch(o.token(), "token", registry, poller);
        watch(o.mysqlPassword(), "mysql-password", registry, poller);
        o.mysqlPassword().ifPresent(p -> p.onRotation((before, after) ->
                log.info("the mysql password in {} changed: the next connection and the next backup use the new one", p.origin())));
        // Without a replication password of its own, the replication user shares the mysql password's source.
        Optional<SecretSource> ownReplicationPassword = o.replicationPassword()
                .filter(r -> o.mysqlPassword().map(m -> m != r).orElse(true));
        watch(ownReplicationPassword, "replication-password", registry, poller);
        ownReplicationPassword.ifPresent(p -> p.onRotation((before, after) -> log.info("the replication password in {}"
                + " changed: used by the next replication setup (CHANGE MASTER keeps the one it was given)", p.origin())));
    }

    private static void watch(Optional<SecretSource> source, String name, PrometheusMeterRegistry registry, FilePoller poller) {
        source.ifPresent(s -> {
            s.watched().ifPresent(poller::watch);
            SecretMetrics.register(registry, name, s::loadedAt);
        });
    }

    /** Tells readiness and metrics what the replication start checks found. */
    public static StartGate.Listener gateListener(StartCheck startCheck) {
        return new StartGate.Listener() {
            @Override
            public void waiting(String why) {
                startCheck.waiting(why);
            }

            @Override
            public void passed(PreflightVerdict verdict) {
                startCheck.passed();
            }

            @Override
            public void refused(PreflightVerdict verdict, String line) {
                startCheck.refused(verdict.outcome().label(), line);
            }
        };
    }
}
