package io.statefulset.agent.replication.setup;

import io.statefulset.agent.mysql.ReplicaStatus;
import io.statefulset.agent.rebuild.RebuildMarker;
import io.statefulset.agent.replication.ReplicationSetupException;
import io.statefulset.agent.replication.dialect.ReplicationDialect;
import io.statefulset.agent.replication.dialect.SqlCommand;
import java.io.IOException;
import java.nio.file.Path;
import io.statefulset.agent.replication.infofile.BackupInfoFiles;
import io.statefulset.agent.replication.infofile.ClonePosition;
import io.statefulset.agent.replication.infofile.GtidPosition;
import java.sql.Connection;
import java.sql.PreparedStatement;
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
 * only while no GTID has been logged (error 1956 afterwards), so it never discards a write.
 *
 * <p>MySQL: the replica's channel lives in the clone's tables (mysql.slave_master_info), hence the reset above; a
 * read-only setting persisted on the replica ({@code SET PERSIST}, mysqld-auto.cnf in the data dir) is reset and
 * turned off, or the primary would refuse writes. The GTID state is {@code gtid_purged}: the clone restores
 * {@code gtid_executed} from mysql.gtid_executed, and with no binlog of its own yet all of it is purged, so a
 * replica at the clone's position continues (auto-position) and one behind it stops with error 1236 instead of
 * skipping transactions. Should the restored set lack part of the position the backup tool recorded (the info
 * file), that part is added to {@code gtid_purged}: replicas that have it must not be sent it again.
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
        done.append(dialect.version().isMariaDb() ? mariaDbGtidState(c) : mysqlPrimary(c, dialect, dataDir));
        try {
            marker.delete();
        } catch (IOException e) {
            throw new ReplicationSetupException("cannot delete " + marker.path() + ": " + e.getMessage()
                    + " (the data dir must be writable by the sidecar)", e);
        }
        log.info("{}", done);
        return Optional.of(done.toString());
    }

    private static String mysqlPrimary(Connection c, ReplicationDialect dialect, Path dataDir) throws SQLException {
        StringBuilder done = new StringBuilder();
        boolean readOnly;
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT @@GLOBAL.super_read_only OR @@GLOBAL.read_only")) {
            rs.next();
            readOnly = rs.getBoolean(1);
        }
        if (dialect.version().atLeast(8, 0, 0)) {
            // IF EXISTS: nothing persisted is the usual case, and no error.
            SqlCommand.of("RESET PERSIST IF EXISTS super_read_only").execute(c);
            SqlCommand.of("RESET PERSIST IF EXISTS read_only").execute(c);
        }
        if (readOnly) {
            SqlCommand.of("SET GLOBAL super_read_only = OFF").execute(c);
            SqlCommand.of("SET GLOBAL read_only = OFF").execute(c);
            done.append("read-only (the replica's) turned off; ");
        }
        return done.append(mysqlGtidState(c, dialect, dataDir)).toString();
    }

    private static String mysqlGtidState(Connection c, ReplicationDialect dialect, Path dataDir) throws SQLException {
        Optional<GtidPosition> recorded = BackupInfoFiles.read(dataDir).flatMap(ClonePosition::gtid);
        String executed;
        String purged;
        String missing = "";
        try (PreparedStatement ps = c.prepareStatement("SELECT @@GLOBAL.gtid_executed, @@GLOBAL.gtid_purged,"
                + " GTID_SUBTRACT(?, @@GLOBAL.gtid_executed)")) {
            ps.setString(1, recorded.map(GtidPosition::text).orElse(""));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                executed = oneLine(rs.getString(1));
                purged = oneLine(rs.getString(2));
                missing = oneLine(rs.getString(3));
            }
        }
        if (missing.isEmpty()) {
            return "gtid_executed came with the clone (" + (executed.isEmpty() ? "empty" : executed) + ", gtid_purged "
                    + (purged.isEmpty() ? "empty" : purged) + ")" + recorded.map(g -> ", covering the backup's " + g.text())
                    .orElse("") + ": replicas there continue, one behind it stops with error 1236";
        }
        if (dialect.version().atLeast(8, 0, 0)) {
            // '+' adds a set disjoint from gtid_executed, whatever was logged meanwhile.
            SqlCommand.bound("SET GLOBAL gtid_purged = ?", "+" + missing).execute(c);
            return "gtid_purged extended by " + missing + ", the part of the backup's " + recorded.get().text()
                    + " that gtid_executed (" + executed + ") lacked";
        }
        if (!executed.equals(purged)) {
            return "gtid_executed (" + executed + ") lacks " + missing + " of the backup's position, and transactions were"
                    + " logged already: left as it is; replicas that have " + missing + " may get it sent again";
        }
        // 5.7 sets gtid_purged only on an empty gtid_executed, hence the reset; nothing of this server's own is
        // lost, since all of it is purged already. MySQL merges the overlapping ranges of the union as it parses.
        String union = executed.isEmpty() ? missing : executed + "," + missing;
        for (SqlCommand cmd : dialect.setGtidPosition(new GtidPosition.Mysql(union), true)) cmd.execute(c);
        return "gtid_purged set to the clone's gtid_executed and the backup's " + missing + " it lacked";
    }

    private static String oneLine(String gtidSet) {
        return gtidSet == null ? "" : gtidSet.replaceAll("\\s+", "");
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
