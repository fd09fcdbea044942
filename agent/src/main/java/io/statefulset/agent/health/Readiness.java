package io.statefulset.agent.health;

import java.time.Duration;

/**
 * The /readyz verdict and the reason a human reads in {@code kubectl describe pod}. The primary is ready when
 * mysqld answers; a replica only when both replication threads run and it is at most {@code maxLag} behind, so a
 * Service does not send reads to a replica that serves stale or frozen data.
 */
public record Readiness(boolean ready, String reason) {

    public static Readiness of(ProbeReading reading, boolean primary, Duration maxLag) {
        if (!reading.alive()) return notReady("mysqld does not answer");
        if (primary) return new Readiness(true, "ready: primary, mysqld answers");
        if (reading.replica().isEmpty()) {
            return notReady("replica, but mysqld reports no replication (SHOW SLAVE STATUS is empty)"
                    + (reading.replicationConfigured() ? "" : "; the agent has not configured it yet"));
        }
        ReplicaState state = reading.replica().get();
        if (!state.ioRunning()) return notReady("replication IO thread is not running" + errorSuffix(state));
        if (!state.sqlRunning()) return notReady("replication SQL thread is not running" + errorSuffix(state));
        if (state.lagSeconds().isEmpty()) return notReady("replication lag is unknown");
        long lag = state.lagSeconds().getAsLong();
        if (lag > maxLag.toSeconds()) {
            return notReady("replica is " + lag + " s behind the source (max " + maxLag.toSeconds() + " s, --max-lag)");
        }
        return new Readiness(true, "ready: replica, IO and SQL threads running, " + lag + " s behind the source");
    }

    private static Readiness notReady(String why) {
        return new Readiness(false, "not ready: " + why);
    }

    private static String errorSuffix(ReplicaState state) {
        return state.lastError().isEmpty() ? "" : " (last error: " + state.lastError() + ")";
    }
}
