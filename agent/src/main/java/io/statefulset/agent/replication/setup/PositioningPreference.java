package io.statefulset.agent.replication.setup;

/** How a replica positions itself when the clone carried both binlog coordinates and a GTID position. */
public enum PositioningPreference {
    /**
     * GTID (MariaDB {@code MASTER_USE_GTID=slave_pos}; MySQL auto-position when {@code gtid_mode=ON}): a replica
     * positioned by GTID can later follow a different source, and it is what the backup tools recommend.
     */
    GTID_WHEN_AVAILABLE,
    /** Binlog file and position, as the tutorial does. A slave info file that only says "GTID" still uses GTID. */
    FILE_POSITION
}
