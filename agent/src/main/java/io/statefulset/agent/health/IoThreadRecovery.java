package io.statefulset.agent.health;

/**
 * What the {@link ReplicationWatch} hands each sample of a replica whose start checks passed, so that an IO thread
 * the source stopped for good can be started again once that is safe. Implemented over JDBC by
 * {@code replication.recovery} (which IO threads, and when); must return at once (the watch samples on one thread).
 */
public interface IoThreadRecovery {
    IoThreadRecovery NONE = state -> { };

    void sampled(ReplicaState state);
}
