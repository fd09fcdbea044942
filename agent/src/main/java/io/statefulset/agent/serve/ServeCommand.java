package io.statefulset.agent.serve;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.statefulset.agent.common.secret.SecretSource;
import io.statefulset.agent.health.IoThreadRecovery;
import io.statefulset.agent.health.StartCheck;
import io.statefulset.agent.rebuild.RebuildMarker;
import io.statefulset.agent.clone.Backoff;
import io.statefulset.agent.clone.CloneMethod;
import io.statefulset.agent.cloneplugin.CloneAccounts;
import io.statefulset.agent.cloneplugin.CloneCompatibility;
import io.statefulset.agent.cloneplugin.CloneMetrics;
import io.statefulset.agent.cloneplugin.ClonePluginSettings;
import io.statefulset.agent.cloneplugin.CloneSeeding;
import java.sql.Connection;
import java.sql.SQLException;
import io.statefulset.agent.http.AgentServer;
import io.statefulset.agent.mysql.JdbcMysqlProbe;
import io.statefulset.agent.mysql.LocalMysqlDataSource;
import io.statefulset.agent.mysql.MysqlStartupWait;
import io.statefulset.agent.replication.dialect.ServerVersion;
import io.statefulset.agent.replication.recovery.IoThreadRestart;
import io.statefulset.agent.replication.setup.ReplicationSettings;
import io.statefulset.agent.replication.setup.ReplicationSetup;
import io.statefulset.agent.replication.ReplicationSetupException;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sidecar: the backup/health server first (so that probes and peers get answers while mysqld starts), then the
 * replication setup (configured once; checked before start on every run), then serve until SIGTERM.
 */
public final class ServeCommand {
    private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    /** ER_SERVER_SHUTDOWN: the statement met a mysqld that is stopping. */
    private static final int SERVER_SHUTDOWN = 1053;
    private static final int ACCOUNT_ATTEMPTS = 3;
    /** The xbstream path's waiting rules, for the CLONE plugin's donors too. */
    private static final Backoff POLL_BACKOFF = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(5));
    private static final Backoff ROUND_BACKOFF = new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(30));

    private final ServeOptions options;
    private final Map<String, String> env;
    private final StopSignal stopSignal;

    public ServeCommand(ServeOptions options, Map<String, String> env) {
        this(options, env, StopSignal.sigterm());
    }

    /** Stopped by {@code stopSignal} instead of SIGTERM (serve embedded in another program, such as a test). */
    public ServeCommand(ServeOptions options, Map<String, String> env, StopSignal stopSignal) {
        this.options = options;
        this.env = env;
        this.stopSignal = stopSignal;
    }

    /** On a primary running MySQL 8.0.17+: the donor and recipient accounts CLONE needs (carried to every pod). */
    private void donorAccounts(HikariDataSource dataSource) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                ServerVersion v = ServerVersion.of(c);
                if (!CloneCompatibility.supportsClone(v)) return;
                ClonePluginSettings clone = options.clonePlugin();
                log.info("clone plugin accounts: {}", CloneAccounts.ensure(c, clone.donorUser(), clone.donorPassword(), options.mysqlUser()));
                return;
            } catch (SQLException e) {
                // mysqld restarting under us (measured: "Server shutdown in progress", error 1053, in the local
                // cluster's restarts) is worth waiting for; a refused statement is not.
                boolean restarting = e.getErrorCode() == SERVER_SHUTDOWN || (e.getSQLState() != null && e.getSQLState().startsWith("08"));
                if (!restarting || attempt >= ACCOUNT_ATTEMPTS) {
                    throw new ReplicationSetupException("creating the CLONE accounts on " + options.mysql() + " failed: " + e.getMessage()
                            + " (the local user needs CREATE USER and GRANT OPTION; the setup is safe to rerun)", e);
                }
                log.warn("creating the CLONE accounts: mysqld {} went away ({}); waiting for it again", options.mysql(), e.getMessage());
                MysqlStartupWait.await(dataSource, options.mysqlWait(), options.mysqlUser() + "@" + options.mysql());
            }
        }
    }

    /** @return the process exit code: 0 after a SIGTERM, 1 when the setup failed or the port cannot be bound */
    public int run() {
        long started = System.nanoTime();
        HikariDataSource dataSource = Sidecar.localMysql(options);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        StartCheck startCheck = !options.pod().isPrimary() ? StartCheck.pending(registry)
                : RebuildMarker.in(options.dataDir()).exists() ? StartCheck.rebuiltPrimary(registry)
                : StartCheck.notNeeded(registry);
        // A replica's IO thread stopped by its source (a primary rebuilt under it) is started again once it is safe.
        IoThreadRestart ioRestart = new IoThreadRestart(dataSource, () -> Sidecar.replicationAccount(options), registry);
        AgentServer server;
        try {
            server = Sidecar.startServer(options, new JdbcMysqlProbe(dataSource, options.dataDir(), PROBE_TIMEOUT),
                    startCheck, options.pod().isPrimary() ? IoThreadRecovery.NONE : ioRestart, registry, env);
        } catch (IOException | IllegalArgumentException e) {
            ioRestart.close();
            dataSource.close();
            log.error("serve failed: {}", e.getMessage());
            return 1;
        }
        log.info("serve ready in {} ms on {}", (System.nanoTime() - started) / 1_000_000, server.address());

        AtomicInteger exitCode = new AtomicInteger(0);
        // The setup waits for mysqld (which starts beside us) on its own thread, so that the server answers meanwhile.
        boolean primary = options.pod().isPrimary();
        String mysqlTarget = options.mysqlUser() + "@" + options.mysql();
        // The CLONE statement's own connection reads the password when it opens, like the pool.
        CloneSeeding seeding = new CloneSeeding(options.clonePlugin(), primary, options.dataDir(), dataSource,
                () -> LocalMysqlDataSource.cloneConnection(options.mysql(), options.mysqlUser(),
                        options.mysqlPassword().map(SecretSource::current)), mysqlTarget, options.mysqlWait(),
                new CloneMetrics(registry), POLL_BACKOFF, ROUND_BACKOFF);
        Thread setup = new Thread(() -> {
            try {
                CloneSeeding.Outcome seeded = seeding.run();
                log.info("clone plugin: {}", seeded);
                // The replication password is read here, when it is about to be used.
                ReplicationSettings settings = Sidecar.replication(options);
                new ReplicationSetup(settings, dataSource, Sidecar.gateListener(startCheck)).run();
                if (settings.primary()) startCheck.passed(); // a rebuilt primary is one again
                if (settings.primary() && options.clonePlugin().method() != CloneMethod.XBSTREAM) donorAccounts(dataSource);
            } catch (ReplicationSetupException e) {
                log.error("replication setup failed: {}", e.getMessage());
                exitCode.set(1);
                server.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "replication-setup");
        setup.setDaemon(true);
        setup.start();

        StopSignal.Watch stop = stopSignal.watch(() -> {
            log.info("SIGTERM: stopping (a running backup is aborted, its client gets a failed trailer)");
            setup.interrupt();
            server.close();
        });
        try {
            server.awaitClosed();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            ioRestart.close();
            dataSource.close();
        }
        // A stop that raced with a failed setup still ends with 1.
        stop.served(exitCode.get());
        return exitCode.get();
    }
}
