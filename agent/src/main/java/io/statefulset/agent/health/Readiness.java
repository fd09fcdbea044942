package io.statefulset.agent.health;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The /readyz verdict and the reason a human reads in {@code kubectl describe pod}. The primary is ready when
 * mysqld answers; a replica only when both replication threads run and its lag is known and at most
 * {@code maxLag}, so a Service does not send reads to a replica that serves stale or frozen data. This is the
 * verdict of one sample; {@link SteadyReadiness} decides when it is allowed to change what /readyz says.
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
        List<String> problems = new ArrayList<>();
        if (!state.sqlRunning()) problems.add(stopped("SQL", state.sqlState(), state.sqlError()));
        if (!state.ioRunning()) {
            problems.add(isConnecting(state.ioState())
                    ? "replication lag is unknown: the IO thread is connecting to the source (" + state.ioError() + ")"
                    : stopped("IO", state.ioState(), state.ioError()));
        }
        if (!problems.isEmpty()) return notReady(String.join("; ", problems));
        if (state.lagSeconds().isEmpty()) return notReady("replication lag is unknown (Seconds_Behind_Master is NULL)");
        long lag = state.lagSeconds().getAsLong();
        if (lag > maxLag.toSeconds()) {
            return notReady("replica is " + lag + " s behind the source (max " + maxLag.toSeconds() + " s, --max-lag)");
        }
        return new Readiness(true, "ready: replica, IO and SQL threads running, " + lag + " s behind the source");
    }

    static Readiness notReady(String why) {
        return new Readiness(false, "not ready: " + why);
    }

    private static boolean isConnecting(String ioState) {
        return "Connecting".equalsIgnoreCase(ioState) || "Preparing".equalsIgnoreCase(ioState);
    }

    private static String stopped(String thread, String state, ThreadError error) {
        return "replication " + thread + " thread is not running (" + (state.isEmpty() ? "No" : state) + ")"
                + (error.present() ? ": " + error : ": no error reported (stopped by hand? START SLAVE starts it)");
    }
}
