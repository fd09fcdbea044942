package io.statefulset.agent.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.statefulset.agent.testing.LogCapture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The watch's log of readiness changes, sample by sample (the timer is not started: {@code sample()} is called by
 * hand). The case that failed in the full suite: serve's setup finished before the watch's first sample, which
 * then already saw both threads running; /readyz turned 200 and the log never said "now ready".
 */
class ReplicationWatchTest {
    private static final ReplicaState RUNNING = new ReplicaState("Yes", "Yes", OptionalLong.of(0), ThreadError.NONE, ThreadError.NONE);
    private static final ReplicaState LAGGING = new ReplicaState("Yes", "Yes", OptionalLong.of(30), ThreadError.NONE, ThreadError.NONE);

    @Test
    void aReplicaAlreadyRunningAtTheFirstSampleSaysNowReadyOnce() {
        AtomicReference<ReplicaState> state = new AtomicReference<>(RUNNING);
        StartCheck check = StartCheck.pending(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        check.passed();
        try (LogCapture logs = LogCapture.start(); ReplicationWatch watch = watch(state, check)) {
            watch.sample();
            assertTrue(watch.readiness().ready());
            assertEquals(1, logs.count("now ready: replica, IO and SQL threads running, 0 s behind the source (was not ready for "),
                    logs.text());
            watch.sample();
            watch.sample();
            assertEquals(1, logs.count("now ready: "), "said once, not per sample: " + logs.text());

            state.set(LAGGING);
            for (int i = 0; i < SteadyReadiness.SAMPLES; i++) watch.sample();
            assertEquals(1, logs.count("now not ready: replica is 30 s behind the source (max 10 s, --max-lag)"), logs.text());
        }
    }

    @Test
    void aReplicaThatStartsNotReadySaysNothingUntilItBecomesReady() {
        AtomicReference<ReplicaState> state = new AtomicReference<>(LAGGING);
        StartCheck check = StartCheck.notNeeded(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        try (LogCapture logs = LogCapture.start(); ReplicationWatch watch = watch(state, check)) {
            watch.sample();
            assertEquals(0, logs.count("now "), "not ready before the first sample and after it: no change " + logs.text());
            state.set(RUNNING);
            for (int i = 0; i < SteadyReadiness.SAMPLES; i++) watch.sample();
            assertEquals(1, logs.count("now ready: "), logs.text());
            assertEquals(0, logs.count("now not ready: "), logs.text());
        }
    }

    @Test
    void aRebuiltPrimaryIsNotReadyUntilServeMadeItAPrimaryAgain() {
        StartCheck check = StartCheck.rebuiltPrimary(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        try (LogCapture logs = LogCapture.start();
             ReplicationWatch watch = watch(new AtomicReference<>(RUNNING), check, true)) {
            for (int i = 0; i < SteadyReadiness.SAMPLES; i++) watch.sample();
            assertFalse(watch.readiness().ready(), "mysqld answers, but its GTID state is not set yet");
            assertTrue(watch.readiness().reason().contains("rebuilt primary"), watch.readiness().reason());
            check.passed();
            for (int i = 0; i < SteadyReadiness.SAMPLES; i++) watch.sample();
            assertTrue(watch.readiness().ready(), watch.readiness().reason());
            assertEquals(1, logs.count("now ready: primary"), logs.text());
        }
    }

    @Test
    void aReplicaSampleGoesToTheIoRecoveryOnlyOnceTheStartChecksPassed() {
        ReplicaState stopped = new ReplicaState("No", "Yes", OptionalLong.empty(), new ThreadError(13114, "could not find next log"),
                ThreadError.NONE);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        StartCheck check = StartCheck.pending(registry);
        List<ReplicaState> handed = new ArrayList<>();
        CachedProbe probe = new CachedProbe(new FixedProbe(new AtomicReference<>(stopped)), Duration.ZERO);
        try (ReplicationWatch watch = new ReplicationWatch(probe, false, Duration.ofSeconds(10), check, handed::add, registry);
             ReplicationWatch primary = new ReplicationWatch(probe, true, Duration.ofSeconds(10), StartCheck.notNeeded(registry),
                     handed::add, registry)) {
            watch.sample();
            check.refused("errant_transactions", "refused");
            watch.sample();
            assertEquals(List.of(), handed, "pending, then refused: the operator's replica");
            primary.sample();
            assertEquals(List.of(), handed, "the primary has no source");
            check.passed();
            watch.sample();
            assertEquals(List.of(stopped), handed);
        }
    }

    private static ReplicationWatch watch(AtomicReference<ReplicaState> state, StartCheck check) {
        return watch(state, check, false);
    }

    private static ReplicationWatch watch(AtomicReference<ReplicaState> state, StartCheck check, boolean primary) {
        // ttl 0: every sample reads the probe again.
        CachedProbe probe = new CachedProbe(new FixedProbe(state), Duration.ZERO);
        return new ReplicationWatch(probe, primary, Duration.ofSeconds(10), check, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    /** A mysqld that answers and reports whatever replica state the test sets. */
    private record FixedProbe(AtomicReference<ReplicaState> state) implements MysqlProbe {
        @Override
        public boolean alive() {
            return true;
        }

        @Override
        public Optional<ReplicaState> replicaState() {
            return Optional.of(state.get());
        }

        @Override
        public boolean replicationConfigured() {
            return true;
        }

        @Override
        public Optional<String> gtidPosition() {
            return Optional.of("0-100-5");
        }
    }
}
