package io.statefulset.agent.cloneplugin;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * The last clone this server received, from {@code performance_schema.clone_status}. The server keeps it across
 * restarts (it is stored in the data dir), so after the restart that finishes a clone it says whether the data in
 * place is the whole donor ({@code Completed}, no error) or not.
 *
 * @param pid          the processlist id of the session running the clone; 0 once the server restarted
 * @param state        {@code Not Started}, {@code In Progress}, {@code Completed} or {@code Failed}
 * @param source       the donor as {@code host:port}
 * @param gtidExecuted the donor's {@code gtid_executed} at the end of the clone (whitespace removed)
 */
public record CloneStatus(long pid, String state, String source, int errorNo, String errorMessage, String gtidExecuted) {
    /** MySQL's ER_NO_SUCH_TABLE: the plugin is not loaded, so its performance_schema tables do not exist. */
    private static final int NO_SUCH_TABLE = 1146;

    /** @return empty when this server never received a clone, or has no CLONE plugin */
    public static Optional<CloneStatus> read(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT PID, STATE, SOURCE, ERROR_NO, ERROR_MESSAGE, GTID_EXECUTED FROM performance_schema.clone_status ORDER BY ID DESC LIMIT 1")) {
            if (!rs.next()) return Optional.empty();
            String gtid = rs.getString(6);
            return Optional.of(new CloneStatus(rs.getLong(1), rs.getString(2), nullToEmpty(rs.getString(3)), rs.getInt(4),
                    nullToEmpty(rs.getString(5)), gtid == null ? "" : gtid.replaceAll("\\s+", "")));
        } catch (SQLException e) {
            if (e.getErrorCode() == NO_SUCH_TABLE) return Optional.empty();
            throw e;
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    public boolean completed() {
        return "Completed".equalsIgnoreCase(state) && errorNo == 0;
    }

    /**
     * A clone is running in this server now. A server killed mid-clone comes back showing {@code In Progress} with
     * no session ({@code PID 0}) and an error such as 1317 "Query execution was interrupted" (measured on 8.0.33):
     * that one is over and failed.
     */
    public boolean inProgress() {
        return "In Progress".equalsIgnoreCase(state) && pid != 0 && errorNo == 0;
    }

    /** {@code Completed from mysql-0.mysql:3306} or {@code Failed from mysql-0.mysql:3306 (error 3862: ...)} */
    public String describe() {
        return state + " from " + source + (errorNo == 0 ? "" : " (error " + errorNo + ": " + errorMessage.replace('\n', ' ') + ")");
    }
}
