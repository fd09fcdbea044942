package io.statefulset.agent.serve;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.statefulset.agent.health.StartCheck;
import io.statefulset.agent.http.AgentServer;
import io.statefulset.agent.mysql.JdbcMysqlProbe;
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

    /** @return the process exit code: 0 after a SIGTERM, 1 when the setup failed or the port cannot be bound */
    public int run() {
        long started = System.nanoTime();
        HikariDataSource dataSource = Sidecar.localMysql(options);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        StartCheck startCheck = options.pod().isPrimary() ? StartCheck.notNeeded(registry) : StartCheck.pending(registry);
        AgentServer server;
        try {
            server = Sidecar.startServer(options, new JdbcMysqlProbe(dataSource, options.dataDir(), PROBE_TIMEOUT),
                    startCheck, registry, env);
        } catch (IOException | IllegalArgumentException e) {
            dataSource.close();
            log.error("serve failed: {}", e.getMessage());
            return 1;
        }
        log.info("serve ready in {} ms on {}", (System.nanoTime() - started) / 1_000_000, server.address());

        AtomicInteger exitCode = new AtomicInteger(0);
        // The setup waits for mysqld (which starts beside us) on its own thread, so that the server answers meanwhile.
        Thread setup = new Thread(() -> {
            try {
                // The replication password is read here, when it is about to be used.
                ReplicationSettings settings = Sidecar.replication(options);
                new ReplicationSetup(settings, dataSource, Sidecar.gateListener(startCheck)).run();
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
            dataSource.close();
        }
        // A stop that raced with a failed setup still ends with 1.
        stop.served(exitCode.get());
        return exitCode.get();
    }
}
