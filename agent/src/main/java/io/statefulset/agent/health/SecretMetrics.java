package io.statefulset.agent.health;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * When each secret in use was loaded (never its value), so that a rotation can be seen to have arrived.
 * Prometheus name: {@code mysql_agent_secret_loaded_timestamp_seconds{secret=token|mysql-password|replication-password|tls}}
 * (Unix time).
 */
public final class SecretMetrics {
    private SecretMetrics() {}

    public static void register(MeterRegistry registry, String secret, Supplier<Instant> loadedAt) {
        Gauge.builder("mysql.agent.secret.loaded.timestamp", loadedAt, s -> s.get().toEpochMilli() / 1000.0)
                .baseUnit("seconds")
                .description("Unix time at which the secret in use was read from its file or env var")
                .tag("secret", secret)
                // The supplier is a lambda nobody else holds: a weak reference (the default) would lose it.
                .strongReference(true)
                .register(registry);
    }
}
