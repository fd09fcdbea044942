package io.statefulset.agent.mysql;

import io.statefulset.agent.replication.dialect.ServerVersion;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What the plan depends on besides the clone's position: the server's id (to tie the marker to it) and, on MySQL,
 * whether GTIDs are on and which ones it already holds.
 *
 * @param gtidMode      MySQL {@code gtid_mode=ON}; always true on MariaDB, where every transaction has a GTID
 * @param gtidExecuted  MySQL {@code gtid_executed}, whitespace removed; empty on MariaDB
 * @param superReadOnly MySQL {@code super_read_only}, which refuses {@code RESET MASTER} / {@code gtid_purged}
 */
public record ReplicaServerState(ServerVersion version, long serverId, boolean gtidMode, String gtidExecuted,
                                 boolean superReadOnly) {

    public static ReplicaServerState read(Connection c, ServerVersion version) throws SQLException {
        try (Statement s = c.createStatement()) {
            if (version.isMariaDb()) {
                try (ResultSet rs = s.executeQuery("SELECT @@GLOBAL.server_id")) {
                    rs.next();
                    return new ReplicaServerState(version, rs.getLong(1), true, "", false);
                }
            }
            try (ResultSet rs = s.executeQuery(
                    "SELECT @@GLOBAL.server_id, @@GLOBAL.gtid_mode, @@GLOBAL.gtid_executed, @@GLOBAL.super_read_only")) {
                rs.next();
                String executed = rs.getString(3);
                return new ReplicaServerState(version, rs.getLong(1), "ON".equalsIgnoreCase(rs.getString(2)),
                        executed == null ? "" : executed.replaceAll("\\s+", ""), rs.getBoolean(4));
            }
        }
    }
}
