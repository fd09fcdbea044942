package io.statefulset.agent.health;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples the local mysqld once per {@link #INTERVAL}, whether or not anyone asks: /readyz answers from the samples
 * ({@link SteadyReadiness}: {@value SteadyReadiness#SAMPLES} in a row decide a change), replication thread errors are
 * logged when they start and when they clear ({@link ThreadErrorLog}), and a change of readiness is logged once.
 * The checks before replication starts ({@link StartCheck}) overrule the samples at once: a refused replica is not
 * ready, however healthy its threads look. Once they passed, each sample of a replica also goes to the
 * {@link IoThreadRecovery}, which may start an IO thread the source stopped again.
 */
public final class ReplicationWatch implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReplicationWatch.class);
    /** Time between two samples. */
    public static final Duration INTERVAL = Duration.ofSeconds(1);

    private final CachedProbe probe;
    private final boolean primary;
    private final Duration maxLag;
    private final StartCheck startCheck;
    private final IoThreadRecovery recovery;
    private final SteadyReadiness steady = new SteadyReadiness();
    private final ThreadErrorLog errors;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "replication-watch");
        t.setDaemon(true);
        return t;
    });
    private long changedAtNanos = System.nanoTime();

    public ReplicationWatch(CachedProbe probe, boolean primary, Duration maxLag, StartCheck startCheck, MeterRegistry registry) {
        this(probe, primary, maxLag, startCheck, IoThreadRecovery.NONE, registry);
    }

    public ReplicationWatch(CachedProbe probe, boolean primary, Duration maxLag, StartCheck startCheck, IoThreadRecovery recovery,
                            MeterRegistry registry) {
        this.probe = probe;
        this.primary = primary;
        this.maxLag = maxLag;
        this.startCheck = startCheck;
        this.recovery = recovery;
        this.errors = new ThreadErrorLog(registry);
    }

    /** Takes the first sample now and then one per {@link #INTERVAL}. */
    public ReplicationWatch start() {
        timer.scheduleWithFixedDelay(this::sampleQuietly, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** One sample (the timer's job). */
    synchronized void sample() {
        ProbeReading reading = probe.reading();
        long now = System.nanoTime();
        if (!primary) reading.replica().ifPresent(state -> errors.observe(state, now));
        Optional<String> blocked = startCheck.blocking();
        // A replica the start checks refused (or did not check yet) is the operator's: nothing is restarted on it.
        if (!primary && blocked.isEmpty()) reading.replica().ifPresent(recovery::sampled);
        Readiness verdict = blocked.map(Readiness::notReady).orElseGet(() -> Readiness.of(reading, primary, maxLag));
        // A refusal or a wait of the start checks is logged by the setup, once: not again as a change of readiness.
        if (steady.offer(verdict) && blocked.isEmpty()) {
            Readiness r = steady.current();
            long seconds = (now - changedAtNanos) / 1_000_000_000L;
            if (r.ready()) {
                log.info("now {} (was not ready for {} s)", r.reason(), seconds);
            } else {
                log.warn("now {} (was ready for {} s)", r.reason(), seconds);
            }
            changedAtNanos = now;
        }
    }

    /** What /readyz says; a request that comes before the timer's first sample takes it. */
    public Readiness readiness() {
        if (!steady.sampled()) sampleQuietly();
        Optional<String> blocked = startCheck.blocking();
        if (blocked.isPresent()) return Readiness.notReady(blocked.get());
        return steady.current();
    }

    private void sampleQuietly() {
        try {
            sample();
        } catch (RuntimeException e) {
            // The timer stops for good on an exception: say it, keep sampling.
            log.warn("replication sample failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
