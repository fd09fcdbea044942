package io.statefulset.agent.health;

import java.util.Optional;

/**
 * One look at the local mysqld, shared by /healthz, /readyz, /status and the replication gauges so that they agree.
 *
 * @param alive                 mysqld answered
 * @param replica               its replica state; empty on the primary, or when mysqld did not answer
 * @param replicationConfigured the agent's once-marker exists
 * @param gtidPosition          the server's GTID position ({@link MysqlProbe#gtidPosition()}); empty when unknown
 */
public record ProbeReading(boolean alive, Optional<ReplicaState> replica, boolean replicationConfigured,
                           Optional<String> gtidPosition) {
    public static final ProbeReading UNREACHABLE = new ProbeReading(false, Optional.empty(), false, Optional.empty());

    /** A reading without a GTID position (tests of readiness, which does not look at it). */
    public ProbeReading(boolean alive, Optional<ReplicaState> replica, boolean replicationConfigured) {
        this(alive, replica, replicationConfigured, Optional.empty());
    }
}
