package io.statefulset.agent.health;

import java.util.Optional;

/**
 * One look at the local mysqld, shared by /healthz, /readyz and the replication gauges so that they agree.
 *
 * @param alive                 mysqld answered
 * @param replica               its replica state; empty on the primary, or when mysqld did not answer
 * @param replicationConfigured the agent's once-marker exists
 */
public record ProbeReading(boolean alive, Optional<ReplicaState> replica, boolean replicationConfigured) {
    public static final ProbeReading UNREACHABLE = new ProbeReading(false, Optional.empty(), false);
}
