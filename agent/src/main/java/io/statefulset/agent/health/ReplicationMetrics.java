package io.statefulset.agent.health;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Function;

/**
 * Replication gauges, read from the cached probe at scrape time (one mysqld round per scrape, not per gauge).
 * Prometheus names: {@code mysql_agent_mysql_up}, {@code mysql_agent_replication_lag_seconds} (NaN when unknown),
 * {@code mysql_agent_replication_io_running}, {@code mysql_agent_replication_sql_running},
 * {@code mysql_agent_replication_configured}, {@code mysql_agent_replication_last_error_number{thread="io|sql"}}.
 * The error log's meters are in {@link ThreadErrorLog}, the start checks' in {@link StartCheck}.
 */
public final class ReplicationMetrics {
    private ReplicationMetrics() {}

    public static void register(MeterRegistry registry, CachedProbe probe) {
        Gauge.builder("mysql.agent.mysql.up", probe, p -> flag(p.reading().alive()))
                .description("1 when the local mysqld answers the probe query")
                .register(registry);
        Gauge.builder("mysql.agent.replication.lag", probe, p -> p.reading().replica()
                        .filter(s -> s.knownLag().isPresent())
                        .map(s -> (double) s.knownLag().getAsLong())
                        .orElse(Double.NaN))
                .baseUnit("seconds")
                .description("Seconds_Behind_Master of the local replica while both threads run; NaN on the primary or"
                        + " when unknown (a thread stopped or connecting, mysqld not answering)")
                .register(registry);
        Gauge.builder("mysql.agent.replication.io.running", probe,
                        p -> flag(p.reading().replica().map(ReplicaState::ioRunning).orElse(false)))
                .description("1 when the replication IO thread runs")
                .register(registry);
        Gauge.builder("mysql.agent.replication.sql.running", probe,
                        p -> flag(p.reading().replica().map(ReplicaState::sqlRunning).orElse(false)))
                .description("1 when the replication SQL thread runs")
                .register(registry);
        Gauge.builder("mysql.agent.replication.configured", probe, p -> flag(p.reading().replicationConfigured()))
                .description("1 when the agent has configured replication on this server")
                .register(registry);
        errno(registry, probe, "io", ReplicaState::ioError);
        errno(registry, probe, "sql", ReplicaState::sqlError);
    }

    /**
     * 0 when there is no replica reading (the primary, mysqld not answering): {@code MysqlReplicationError} alerts
     * on {@code != 0}, which NaN would fire on every primary.
     */
    private static void errno(MeterRegistry registry, CachedProbe probe, String thread, Function<ReplicaState, ThreadError> error) {
        Gauge.builder("mysql.agent.replication.last.error.number", probe, p -> p.reading().replica()
                        .map(s -> (double) error.apply(s).errno())
                        .orElse(0.0))
                .tag("thread", thread)
                .description("the replication thread's Last_IO_Errno / Last_SQL_Errno; 0: none, or no replica reading"
                        + " (the primary, mysqld not answering)")
                .register(registry);
    }

    private static double flag(boolean b) {
        return b ? 1 : 0;
    }
}
