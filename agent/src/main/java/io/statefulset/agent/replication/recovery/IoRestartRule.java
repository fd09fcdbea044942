package io.statefulset.agent.replication.recovery;

import io.statefulset.agent.health.ReplicaState;
import java.util.List;

/**
 * Which stopped IO threads the agent may start again by itself. The source ends the dump with a fatal error when
 * it cannot serve the replica (its binary logs replaced under the dump thread by a clone, reset, or a replica that
 * holds GTIDs it lacks), and MySQL never retries after that: the thread stays stopped with {@link #ERRNOS}. Only a
 * channel positioned by GTID auto-positioning may be restarted, because there the source sends exactly the
 * transactions the replica lacks, and the GTID check before the restart refuses when it cannot; a file/position
 * channel would go on from a position that may name other transactions now (skipped or repeated), and MariaDB's
 * threads are left as they always were.
 */
public final class IoRestartRule {
    /**
     * {@code ER_SERVER_SOURCE_FATAL_ERROR_READING_BINLOG} (MySQL 8.0: "Got fatal error 1236 from source ...") and
     * {@code ER_MASTER_FATAL_ERROR_READING_BINLOG} (5.7 reports the source's 1236 itself).
     */
    public static final List<Integer> ERRNOS = List.of(13114, 1236);

    public enum Decision {
        /** Check the source; restart the IO thread when the check passes. */
        CHECK_THE_SOURCE,
        /** Running, connecting, stopped by hand or by another error: none of this rule's business. */
        NOT_STOPPED_BY_THE_SOURCE,
        /** File/position or MariaDB: left as it is. */
        NOT_AUTO_POSITIONED
    }

    private IoRestartRule() {}

    /** The IO thread stopped (not connecting) with one of {@link #ERRNOS}: all a sample of the watch can tell. */
    public static boolean stoppedBySource(ReplicaState state) {
        return "No".equalsIgnoreCase(state.ioState()) && ERRNOS.contains(state.ioError().errno());
    }

    /**
     * @param mariaDb      the replica is a MariaDB server
     * @param autoPosition MySQL's {@code Auto_Position=1} for the channel
     */
    public static Decision decide(ReplicaState state, boolean mariaDb, boolean autoPosition) {
        if (!stoppedBySource(state)) return Decision.NOT_STOPPED_BY_THE_SOURCE;
        if (mariaDb || !autoPosition) return Decision.NOT_AUTO_POSITIONED;
        return Decision.CHECK_THE_SOURCE;
    }
}
