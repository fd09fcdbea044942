package io.statefulset.agent.health;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the checks before replication starts say, for /readyz and /metrics: until they have passed, a replica is
 * not ready, whatever its threads show (on a restart mysqld may already run them). A refusal is final for this
 * run of {@code serve}: it needs the operator (a re-clone), and the checks run again on the next start.
 *
 * <p>Metrics: {@code mysql_agent_replication_start_refused_total{reason}} counts refusals by reason
 * ({@link #REASONS}, every series present from start-up); {@code mysql_agent_replication_start_blocked} is 1 while
 * the checks have not passed (pending, waiting for the source, or refused).
 */
public final class StartCheck {
    public static final List<String> REASONS = List.of("binlog_purged", "errant_transactions");
    private static final String PENDING = "replication start checks not done yet (the agent waits for mysqld)";
    private static final String REBUILDING = "rebuilt primary: not a primary again yet (the agent waits for mysqld to set"
            + " its GTID state)";

    private final AtomicReference<Optional<String>> blocking;
    private final Map<String, Counter> refusals = new ConcurrentHashMap<>();

    private StartCheck(Optional<String> initial, MeterRegistry registry) {
        this.blocking = new AtomicReference<>(initial);
        for (String reason : REASONS) {
            refusals.put(reason, Counter.builder("mysql.agent.replication.start.refused")
                    .tag("reason", reason)
                    .description("times serve refused to start replication: binlogs the replica needs are purged on the"
                            + " source, or the replica has transactions the source never had")
                    .register(registry));
        }
        Gauge.builder("mysql.agent.replication.start.blocked", blocking, b -> b.get().isPresent() ? 1 : 0)
                .description("1 while the checks before replication starts have not passed (pending, waiting, refused)")
                .register(registry);
    }

    /** A replica's checks: pending until the setup reports. */
    public static StartCheck pending(MeterRegistry registry) {
        return new StartCheck(Optional.of(PENDING), registry);
    }

    /**
     * A primary rebuilt from a replica: not ready until serve has made it a primary again (its GTID state set, no
     * source, writable), so that the Service sends no write before the state that keeps the replicas going is set.
     */
    public static StartCheck rebuiltPrimary(MeterRegistry registry) {
        return new StartCheck(Optional.of(REBUILDING), registry);
    }

    /** Nothing to check (the primary, or a caller without a setup). */
    public static StartCheck notNeeded(MeterRegistry registry) {
        return new StartCheck(Optional.empty(), registry);
    }

    /** The checks cannot be decided yet (the source does not answer); they are retried. */
    public void waiting(String why) {
        blocking.set(Optional.of(why));
    }

    /** The checks refused: {@code reason} is one of {@link #REASONS}, {@code why} the line with the numbers. */
    public void refused(String reason, String why) {
        Counter c = refusals.get(reason);
        if (c == null) throw new IllegalArgumentException("unknown refusal reason " + reason + " (known: " + REASONS + ")");
        c.increment();
        blocking.set(Optional.of(why));
    }

    public void passed() {
        blocking.set(Optional.empty());
    }

    /** Why replication may not be trusted yet, or empty once the checks passed. */
    public Optional<String> blocking() {
        return blocking.get();
    }
}
