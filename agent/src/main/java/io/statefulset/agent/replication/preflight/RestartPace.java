package io.statefulset.agent.replication.preflight;

import io.statefulset.agent.clone.Backoff;
import java.time.Duration;

/**
 * When {@link IoThreadRestart} may check the source again: at once the first time, then every {@link #RECHECK}
 * while the check refuses. A restart that did not hold (the source stopped the thread again within {@link #HELD})
 * waits longer each time, up to {@link #LONGEST}: a source that passes the check but cannot serve the replica
 * (binary logging off, its files damaged) must not make the agent restart the thread every few seconds forever.
 */
final class RestartPace {
    static final Duration RECHECK = Duration.ofSeconds(5);
    static final Duration HELD = Duration.ofMinutes(1);
    static final Duration LONGEST = Duration.ofMinutes(5);
    private static final Backoff AFTER_RESTART = new Backoff(RECHECK, LONGEST);

    private boolean checkedOnce;
    private long nextNanos;
    private boolean restartedOnce;
    private long restartedAtNanos;
    private int quickRestarts;

    synchronized boolean due(long nowNanos) {
        return !checkedOnce || nowNanos - nextNanos >= 0;
    }

    /** A check ended at {@code nowNanos}; {@code restarted}: it passed and the IO thread was started. */
    synchronized void checked(long nowNanos, boolean restarted) {
        checkedOnce = true;
        if (!restarted) {
            nextNanos = nowNanos + RECHECK.toNanos();
            return;
        }
        quickRestarts = restartedOnce && nowNanos - restartedAtNanos < HELD.toNanos() ? quickRestarts + 1 : 0;
        restartedOnce = true;
        restartedAtNanos = nowNanos;
        nextNanos = nowNanos + AFTER_RESTART.delay(quickRestarts).toNanos();
    }
}
