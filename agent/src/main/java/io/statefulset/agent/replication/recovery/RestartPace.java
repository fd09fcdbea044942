package io.statefulset.agent.replication.recovery;

import io.statefulset.agent.clone.Backoff;
import io.statefulset.agent.health.ReplicaState;
import io.statefulset.agent.health.ThreadError;
import java.time.Duration;

/**
 * When {@link IoThreadRestart} may check the source again: at once when the thread is first seen stopped, then
 * every {@link #RECHECK} while the check refuses. A restart is judged when the thread is next seen stopped by the
 * source: stopped again within {@link #HELD} of the restart is a quick failure, and the wait before the next check
 * doubles with each one in a row ({@code 5, 10, 20, ... s}) up to {@link #LONGEST}, where it stays while the failures
 * stay quick: a source that passes the check but cannot serve the replica (binary logging off, its files damaged)
 * must not make the agent restart the thread every few seconds forever. A restart that held for {@link #HELD} starts
 * the pace afresh. A stop on a channel the agent does not restart ({@link #leftAlone}) is not checked again until the
 * thread's error changes or clears.
 */
final class RestartPace {
    static final Duration RECHECK = Duration.ofSeconds(5);
    static final Duration HELD = Duration.ofMinutes(1);
    static final Duration LONGEST = Duration.ofMinutes(5);
    /**
     * A sample may be read this long before it is handed over (the probe's cache, 1 s, and the read itself): a stop
     * seen sooner after a restart may be the one the restart ended, and is judged on a later sample.
     */
    static final Duration SETTLE = Duration.ofSeconds(2);
    private static final Backoff AFTER_QUICK_FAILURE = new Backoff(RECHECK, LONGEST);

    private boolean checkedOnce;
    private long nextNanos;
    private boolean judging;
    private long restartedAtNanos;
    private int quickFailures;
    private ThreadError leftAlone;

    /**
     * One sample of the replica, as the watch hands it over.
     *
     * @return the source is to be checked now
     */
    synchronized boolean due(ReplicaState state, long nowNanos) {
        boolean stoppedBySource = IoRestartRule.stoppedBySource(state);
        if (!stoppedBySource) leftAlone = null;
        if (stoppedBySource && state.ioError().equals(leftAlone)) return false;
        if (judging) {
            long since = nowNanos - restartedAtNanos;
            if (!stoppedBySource) {
                if (since >= HELD.toNanos()) held();
                return false;
            }
            if (since < SETTLE.toNanos()) return false;
            judging = false;
            if (since < HELD.toNanos()) {
                nextNanos = nowNanos + AFTER_QUICK_FAILURE.delay(quickFailures).toNanos();
                quickFailures++;
            } else {
                held();
            }
        }
        return stoppedBySource && (!checkedOnce || nowNanos - nextNanos >= 0);
    }

    /** A check ended at {@code nowNanos}; {@code restarted}: it passed and the IO thread was started. */
    synchronized void checked(long nowNanos, boolean restarted) {
        checkedOnce = true;
        if (restarted) {
            judging = true;
            restartedAtNanos = nowNanos;
            nextNanos = nowNanos;
        } else {
            nextNanos = nowNanos + RECHECK.toNanos();
        }
    }

    /** The check found the channel not auto-positioned: this stop (this {@code error}) is the operator's. */
    synchronized void leftAlone(ThreadError error) {
        leftAlone = error;
    }

    private void held() {
        judging = false;
        quickFailures = 0;
    }
}
