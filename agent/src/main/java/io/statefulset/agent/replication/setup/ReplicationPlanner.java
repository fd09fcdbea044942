package io.statefulset.agent.replication.setup;

import io.statefulset.agent.replication.ReplicationSetupException;
import io.statefulset.agent.replication.SourceEndpoint;
import io.statefulset.agent.mysql.ReplicaServerState;
import io.statefulset.agent.replication.dialect.ReplicationDialect;
import io.statefulset.agent.replication.dialect.ServerVersion;
import io.statefulset.agent.replication.dialect.SqlCommand;
import io.statefulset.agent.replication.infofile.BinlogPosition;
import io.statefulset.agent.replication.infofile.ClonePosition;
import io.statefulset.agent.replication.infofile.GtidPosition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Decides how a cloned server starts replicating: by GTID or by coordinates, and with which statements. */
public final class ReplicationPlanner {
    private ReplicationPlanner() {}

    public static ReplicationPlan plan(ReplicationDialect dialect, ReplicaServerState server, ClonePosition clone,
                                       SourceEndpoint source, PositioningPreference preference) {
        ServerVersion version = server.version();
        boolean useGtid = clone.gtidPositioned()
                || (preference == PositioningPreference.GTID_WHEN_AVAILABLE && clone.gtid().isPresent() && server.gtidMode());
        if (useGtid && !server.gtidMode()) {
            throw new ReplicationSetupException(clone.infoFile() + " asks for GTID auto-positioning (the donor replicated by GTID)"
                    + " but " + version + " runs with gtid_mode=OFF: set gtid_mode=ON and enforce_gtid_consistency=ON"
                    + " in the replica's config, as on the donor");
        }
        List<SqlCommand> steps = new ArrayList<>();
        if (!useGtid) {
            BinlogPosition at = clone.binlog().orElseThrow();
            steps.add(dialect.changeSource(source, at));
            steps.add(dialect.startReplica());
            return new ReplicationPlan(steps, "binlog " + at);
        }
        Optional<GtidPosition> gtid = clone.gtid();
        if (gtid.isPresent() && needsGtidSet(server, gtid.get())) {
            boolean reset = !version.isMariaDb() && !server.gtidExecuted().isEmpty();
            boolean lift = !version.isMariaDb() && server.superReadOnly();
            if (lift) steps.add(SqlCommand.of("SET GLOBAL super_read_only = OFF"));
            steps.addAll(dialect.setGtidPosition(gtid.get(), reset));
            if (lift) steps.add(SqlCommand.of("SET GLOBAL super_read_only = ON"));
        }
        steps.add(dialect.changeSourceByGtid(source));
        steps.add(dialect.startReplica());
        return new ReplicationPlan(steps, "GTID " + gtid.map(GtidPosition::text).orElse("(as restored)"));
    }

    /**
     * MySQL: a restored server often holds exactly the backup's GTID set already; then there is nothing to reset
     * (and a restart after the reset must not reset again). MariaDB: setting gtid_slave_pos is always harmless.
     */
    private static boolean needsGtidSet(ReplicaServerState server, GtidPosition gtid) {
        if (server.version().isMariaDb()) return true;
        return !server.gtidExecuted().equalsIgnoreCase(gtid.text());
    }
}
