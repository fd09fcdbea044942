package io.statefulset.agent.replication.setup;

import io.statefulset.agent.mysql.ReplicaStatus;
import io.statefulset.agent.rebuild.RebuildMarker;
import io.statefulset.agent.replication.ReplicationSetupException;
import io.statefulset.agent.replication.dialect.ReplicationDialect;
import io.statefulset.agent.replication.dialect.SqlCommand;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The primary's part of a rebuild ({@code init} cloned it from a replica and left a {@link RebuildMarker}): the
 * server must not replicate, and on MariaDB its binlog GTID state is set to the clone's {@code gtid_slave_pos}.
 *
 * <p>Why (measured on MariaDB 10.11): without it the rebuilt primary already continues the sequence after its
 * {@code gtid_slave_pos} and replicas at that position reconnect and go on, but its first binlog starts with an
 * empty GTID list, so a replica that is <i>behind</i> the clone connects too and silently skips the transactions
 * in between. With {@code gtid_binlog_state} set, such a replica stops with error 1236 ("Could not find GTID state
 * requested by slave in any binlog files") and needs a re-clone, which is what it does need. MariaDB allows the set
 * only while no GTID has been logged (error 1956 afterwards), so it never discards a write. MySQL restores
 * {@code gtid_executed} with the data (mysql.gtid_executed): nothing to set.
 */
final class RebuiltPrimary {
    private static final Logger log = LoggerFactory.getLogger(RebuiltPrimary.class);
    private static final int TIMEOUT_SECONDS = 10;

    private RebuiltPrimary() {}

    /** @return what was done, or empty when this primary was not rebuilt */
    static Optional<String> settle(Connection c, ReplicationDialect dialect, Path dataDir) throws SQLException {
        RebuildMarker marker = RebuildMarker.in(dataDir);
        if (!marker.exists()) return Optional.empty();
        StringBuilder done = new StringBuilder("rebuilt from a replica (").append(marker.path()).append("): ");
        Optional<ReplicaStatus> status = ReplicaStatus.read(c, dialect, TIMEOUT_SECONDS);
        if (status.isPresent() && status.get().configured()) {
            for (SqlCommand cmd : dialect.forgetSource()) cmd.execute(c);
            done.append("forgot the source it had (").append(status.get().describe()).append("); ");
        }
        done.append(dialect.version().isMariaDb() ? mariaDbGtidState(c)
                : "gtid_executed came with the clone, nothing to set");
        try {
            marker.delete();
        } catch (IOException e) {
            throw new ReplicationSetupException("cannot delete " + marker.path() + ": " + e.getMessage()
                    + " (the data dir must be writable by the sidecar)", e);
        }
        log.info("{}", done);
        return Optional.of(done.toString());
    }

    private static String mariaDbGtidState(Connection c) throws SQLException {
        String binlogPos;
        String slavePos;
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT @@GLOBAL.gtid_binlog_pos, @@GLOBAL.gtid_slave_pos")) {
            rs.next();
            binlogPos = nullToEmpty(rs.getString(1));
            slavePos = nullToEmpty(rs.getString(2));
        }
        if (slavePos.isEmpty()) return "the clone carries no gtid_slave_pos, binlog GTID state left empty";
        if (!binlogPos.isEmpty()) {
            return "transactions were logged before the agent could set the binlog GTID state (gtid_binlog_pos "
                    + binlogPos + "): left as it is; a replica behind " + slavePos + " may have skipped transactions";
        }
        try {
            SqlCommand.bound("SET GLOBAL gtid_binlog_state = ?", slavePos).execute(c);
        } catch (SQLException e) {
            if (e.getErrorCode() != 1956) throw e;
            return "a transaction was logged just before the binlog GTID state could be set: left as it is";
        }
        return "binlog GTID state set to " + slavePos + " (the clone's gtid_slave_pos): replicas there continue, one"
                + " behind it stops with error 1236 instead of skipping transactions";
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s.strip();
    }
}
