package io.statefulset.agent.replication.setup;

import io.statefulset.agent.replication.SourceEndpoint;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What the replication setup needs from {@code serve}'s options (built by {@code serve.Sidecar}).
 *
 * @param primary     ordinal 0: make sure the replication user exists; every other ordinal is a replica
 * @param dataDir     where the clone left its info files and where the markers are kept
 * @param source      what a replica connects to, with the replication user and password
 * @param mysqlTarget the local mysqld as {@code user@host:port}, for messages
 * @param mysqlWait   how long to wait for the local mysqld
 */
public record ReplicationSettings(boolean primary, Path dataDir, SourceEndpoint source, String mysqlTarget,
                                  Duration mysqlWait, PositioningPreference positioning) {

    public ReplicationSettings withPositioning(PositioningPreference p) {
        return new ReplicationSettings(primary, dataDir, source, mysqlTarget, mysqlWait, p);
    }
}
