package io.statefulset.agent.backup;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.statefulset.agent.common.backuptool.FailureCause;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Backup meters. Prometheus names: {@code mysql_agent_backups_total{status=success|failed|aborted}},
 * {@code mysql_agent_backup_bytes_total}, {@code mysql_agent_backup_in_progress},
 * {@code mysql_agent_backup_duration_seconds} (count, sum, max),
 * {@code mysql_agent_backup_failures_total{cause=redo-wrap|backup-tool|tool-start|client-gone|donor-stopping|agent-error}}.
 */
final class BackupMetrics {
    /** The causes a donor can see; registered up front like the statuses. */
    static final List<FailureCause> SERVE_CAUSES = List.of(FailureCause.REDO_WRAP, FailureCause.BACKUP_TOOL,
            FailureCause.TOOL_START, FailureCause.CLIENT_GONE, FailureCause.DONOR_STOPPING, FailureCause.AGENT);

    private final Map<String, Counter> byStatus;
    private final Counter bytes;
    private final AtomicInteger inProgress = new AtomicInteger();
    private final Timer duration;
    private final Map<FailureCause, Counter> failures = new EnumMap<>(FailureCause.class);

    BackupMetrics(MeterRegistry registry) {
        // Every status is registered up front, so a dashboard sees 0 rather than no series.
        byStatus = Map.of(
                BackupOutcome.SUCCESS, served(registry, BackupOutcome.SUCCESS),
                BackupOutcome.FAILED, served(registry, BackupOutcome.FAILED),
                BackupOutcome.ABORTED, served(registry, BackupOutcome.ABORTED));
        bytes = Counter.builder("mysql.agent.backup.bytes")
                .description("Backup stream bytes sent to clients (counted as they are sent)")
                .register(registry);
        Gauge.builder("mysql.agent.backup.in.progress", inProgress, AtomicInteger::get)
                .description("1 while a backup is being streamed")
                .register(registry);
        duration = Timer.builder("mysql.agent.backup.duration")
                .description("Wall time of backups, from the request to the last byte")
                .register(registry);
        for (FailureCause cause : SERVE_CAUSES) {
            failures.put(cause, Counter.builder("mysql.agent.backup.failures")
                    .description("Backups that failed or were aborted, by cause (redo-wrap: the donor's redo log wrapped during the backup)")
                    .tag("cause", cause.label())
                    .register(registry));
        }
    }


    private static Counter served(MeterRegistry registry, String status) {
        return Counter.builder("mysql.agent.backups")
                .description("Backups served, by how they ended: success, failed (the client got a failed trailer) or aborted (the client went away)")
                .tag("status", status)
                .register(registry);
    }

    void started() {
        inProgress.incrementAndGet();
    }

    void sent(long n) {
        bytes.increment(n);
    }

    void ended(BackupOutcome outcome) {
        inProgress.decrementAndGet();
        byStatus.get(outcome.status()).increment();
        if (!outcome.succeeded()) failures.get(outcome.cause().filter(failures::containsKey).orElse(FailureCause.AGENT)).increment();
        duration.record(Duration.ofNanos(outcome.nanos()));
    }
}
