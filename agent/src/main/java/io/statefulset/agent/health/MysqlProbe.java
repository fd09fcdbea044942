package io.statefulset.agent.health;

import java.util.Optional;

/**
 * What /healthz, /readyz and /metrics ask of the local mysqld. Implemented over JDBC by the replication package;
 * kept as an interface so that the HTTP side does not know SQL.
 */
public interface MysqlProbe {
    /** mysqld answers a trivial query within a short timeout. */
    boolean alive();

    /** The replica's state, or empty on a server that is not a replica (the primary) or does not answer. */
    Optional<ReplicaState> replicaState();

    /** Whether the agent has configured replication on this server (the once-marker exists). */
    boolean replicationConfigured();

    /**
     * How far this server has come, for peers that pick a donor: MariaDB {@code gtid_current_pos}, MySQL
     * {@code gtid_executed}; empty when mysqld does not answer or has no GTID yet.
     */
    Optional<String> gtidPosition();

    /**
     * The server can donate to a CLONE: its CLONE plugin is ACTIVE (MySQL 8.0.17+ only; MariaDB and 5.7 have none).
     * What {@code /status} offers to an {@code init} that picks how to seed a replica.
     */
    default boolean clonePluginActive() {
        return false;
    }
}
