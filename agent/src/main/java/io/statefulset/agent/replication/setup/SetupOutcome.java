package io.statefulset.agent.replication.setup;

/**
 * What {@link ReplicationSetup#run()} did, for {@code serve}'s log and metrics.
 *
 * @param detail one line with the numbers: position, source, timings
 */
public record SetupOutcome(Kind kind, String detail) {
    public enum Kind {
        /** Ordinal 0: the replication user exists (created now or before). */
        PRIMARY,
        /** Replication was configured and started now. */
        CONFIGURED,
        /** An earlier run was interrupted after CHANGE MASTER; this run started the replica and recorded it. */
        RESUMED,
        /** The once-marker says it was done before: nothing was touched. */
        ALREADY_CONFIGURED,
        /** The server already had a source that this agent did not set: left alone, marker written. */
        ALREADY_REPLICATING,
        /** No info file in the data dir (it was not cloned by a backup tool): nothing to configure from. */
        NO_INFO_FILE
    }

    /** Replication is set up on this replica (now or before). */
    public boolean replicationConfigured() {
        return kind == Kind.CONFIGURED || kind == Kind.RESUMED || kind == Kind.ALREADY_CONFIGURED
                || kind == Kind.ALREADY_REPLICATING;
    }

    @Override
    public String toString() {
        return kind + ": " + detail;
    }
}
