package io.statefulset.agent.replication;

import io.statefulset.agent.identity.PodIdentity;
import io.statefulset.agent.secret.Secret;
import io.statefulset.agent.serve.ServeOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * What the replication setup needs from {@code serve}'s options.
 *
 * @param primary     ordinal 0: make sure the replication user exists; every other ordinal is a replica
 * @param dataDir     where the clone left its info files and where the markers are kept
 * @param source      what a replica connects to, with the replication user and password
 * @param mysqlTarget the local mysqld as {@code user@host:port}, for messages
 * @param mysqlWait   how long to wait for the local mysqld
 */
public record ReplicationSettings(boolean primary, Path dataDir, SourceEndpoint source, String mysqlTarget,
                                  Duration mysqlWait, PositioningPreference positioning) {

    public static ReplicationSettings from(ServeOptions o) {
        boolean primary = PodIdentity.fromHostname(o.hostname(), o.service()).isPrimary();
        Optional<Secret> password = o.replicationPassword();
        return new ReplicationSettings(primary, o.dataDir(), new SourceEndpoint(o.source(), o.replicationUser(), password),
                o.mysqlUser() + "@" + o.mysql(), o.mysqlWait(), PositioningPreference.GTID_WHEN_AVAILABLE);
    }

    public ReplicationSettings withPositioning(PositioningPreference p) {
        return new ReplicationSettings(primary, dataDir, source, mysqlTarget, mysqlWait, p);
    }
}
