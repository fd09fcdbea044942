package io.statefulset.agent.cloneplugin;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * How far the running clone is, from {@code performance_schema.clone_progress}: bytes cloned and estimated over
 * all stages (file, page and redo copy), and the stage now running.
 */
public record CloneProgress(long bytes, long estimate, String stage) {
    public static CloneProgress read(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT COALESCE(SUM(DATA), 0), COALESCE(SUM(ESTIMATE), 0),"
                        + " COALESCE(MAX(CASE WHEN STATE = 'In Progress' THEN STAGE END), '') FROM performance_schema.clone_progress")) {
            rs.next();
            return new CloneProgress(rs.getLong(1), rs.getLong(2), rs.getString(3));
        }
    }
}
