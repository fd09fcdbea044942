package io.statefulset.agent.cloneplugin;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Clones this server received with the CLONE plugin. Prometheus names: {@code mysql_agent_clones_total{status=success|failed}},
 * {@code mysql_agent_clone_in_progress}, {@code mysql_agent_clone_duration_seconds} (count, sum, max),
 * {@code mysql_agent_clone_bytes_total}.
 */
public final class CloneMetrics {
    private final Counter succeeded;
    private final Counter failed;
    private final Counter bytes;
    private final AtomicInteger inProgress = new AtomicInteger();
    private final Timer duration;

    public CloneMetrics(MeterRegistry registry) {
        succeeded = outcome(registry, "success");
        failed = outcome(registry, "failed");
        bytes = Counter.builder("mysql.agent.clone.bytes")
                .description("Bytes cloned into this server by the CLONE plugin (performance_schema.clone_progress)")
                .register(registry);
        Gauge.builder("mysql.agent.clone.in.progress", inProgress, AtomicInteger::get)
                .description("1 while the CLONE plugin copies a donor into this server")
                .register(registry);
        duration = Timer.builder("mysql.agent.clone.duration")
                .description("Wall time of CLONE plugin clones, from the statement to the restarted server")
                .register(registry);
    }

    private static Counter outcome(MeterRegistry registry, String status) {
        return Counter.builder("mysql.agent.clones")
                .description("CLONE plugin clones into this server, by outcome: success or failed")
                .tag("status", status)
                .register(registry);
    }

    void started() {
        inProgress.set(1);
    }

    void succeeded(Duration took, long clonedBytes) {
        inProgress.set(0);
        succeeded.increment();
        bytes.increment(clonedBytes);
        duration.record(took);
    }

    void failed(Duration took) {
        inProgress.set(0);
        failed.increment();
        duration.record(took);
    }
}
