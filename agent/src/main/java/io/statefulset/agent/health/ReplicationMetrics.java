package io.statefulset.agent.health;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Replication gauges, read from the cached probe at scrape time (one mysqld round per scrape, not per gauge).
 * Prometheus names: {@code mysql_agent_mysql_up}, {@code mysql_agent_replication_lag_seconds} (NaN when unknown),
 * {@code mysql_agent_replication_io_running}, {@code mysql_agent_replication_sql_running},
 * {@code mysql_agent_replication_configured}.
 */
public final class ReplicationMetrics {
    private ReplicationMetrics() {}

    public static void register(MeterRegistry registry, CachedProbe probe) {
        Gauge.builder("mysql.agent.mysql.up", probe, p -> flag(p.reading().alive()))
                .description("1 when the local mysqld answers the probe query")
                .register(registry);
        Gauge.builder("mysql.agent.replication.lag", probe, p -> p.reading().replica()
                        .filter(s -> s.lagSeconds().isPresent())
                        .map(s -> (double) s.lagSeconds().getAsLong())
                        .orElse(Double.NaN))
                .baseUnit("seconds")
                .description("Seconds_Behind_Master of the local replica; NaN on the primary or when unknown")
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
    }

    private static double flag(boolean b) {
        return b ? 1 : 0;
    }
}
