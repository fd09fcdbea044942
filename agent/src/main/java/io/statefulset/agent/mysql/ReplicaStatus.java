package io.statefulset.agent.mysql;

import io.statefulset.agent.replication.dialect.ReplicationDialect;
import io.statefulset.agent.health.ReplicaState;
import io.statefulset.agent.health.ThreadError;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One row of {@code SHOW SLAVE STATUS} / {@code SHOW REPLICA STATUS}. Columns are looked up under both names
 * (MySQL 8.0.22 renamed {@code Master_*}/{@code Slave_*} to {@code Source_*}/{@code Replica_*}), so one reader
 * serves every version.
 *
 * @param sourceHost    empty when the server has never been pointed at a source
 * @param ioState       {@code Yes}, {@code No}, {@code Connecting}, ... as the server says it
 * @param sourceLogFile the source's binlog file the IO thread reads ({@code Master_Log_File})
 * @param readSourcePos how far into it ({@code Read_Master_Log_Pos}): where the IO thread goes on from
 * @param usingGtid     MariaDB {@code Using_Gtid} ({@code No}, {@code Slave_Pos}, {@code Current_Pos}); empty on MySQL
 * @param autoPosition  MySQL {@code Auto_Position=1} (positioned by GTID); false on MariaDB
 * @param retrievedGtidSet MySQL {@code Retrieved_Gtid_Set}: the GTIDs received into the relay log (applied or not),
 *                      which auto-positioning names to the source with {@code gtid_executed}; empty on MariaDB
 */
public record ReplicaStatus(String sourceHost, int sourcePort, String ioState, String sqlState, OptionalLong lagSeconds,
                            ThreadError ioError, ThreadError sqlError, String sourceLogFile, long readSourcePos,
                            String usingGtid, boolean autoPosition, String retrievedGtidSet) {
    private static final String COORDINATOR_STOPPED = "Coordinator stopped because there were error(s) in the worker(s)";

    public static Optional<ReplicaStatus> read(Connection c, ReplicationDialect dialect, int timeoutSeconds) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.setQueryTimeout(timeoutSeconds);
            try (ResultSet rs = s.executeQuery(dialect.showReplicaStatus())) {
                if (!rs.next()) return Optional.empty();
                Map<String, Integer> columns = columns(rs.getMetaData());
                String lag = text(rs, columns, "Seconds_Behind_Source", "Seconds_Behind_Master");
                return Optional.of(new ReplicaStatus(
                        text(rs, columns, "Source_Host", "Master_Host"),
                        (int) number(rs, columns, "Source_Port", "Master_Port"),
                        text(rs, columns, "Replica_IO_Running", "Slave_IO_Running"),
                        text(rs, columns, "Replica_SQL_Running", "Slave_SQL_Running"),
                        lag.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(lag)),
                        error(rs, columns, "Last_IO_Errno", "Last_IO_Error"),
                        sqlError(c, dialect, error(rs, columns, "Last_SQL_Errno", "Last_SQL_Error"), timeoutSeconds),
                        text(rs, columns, "Source_Log_File", "Master_Log_File"),
                        number(rs, columns, "Read_Source_Log_Pos", "Read_Master_Log_Pos"),
                        text(rs, columns, "Using_Gtid"),
                        number(rs, columns, "Auto_Position") == 1,
                        text(rs, columns, "Retrieved_Gtid_Set")));
            }
        }
    }

    /**
     * MySQL's multi-threaded applier (the default since 8.0.27: 4 workers) says in Last_SQL_Error only which worker
     * failed where, and to look in performance_schema; the worker's own words (the duplicate entry, the missing
     * row) are there, under the same error number. With performance_schema off the coordinator's words stay.
     */
    private static ThreadError sqlError(Connection c, ReplicationDialect dialect, ThreadError coordinator, int timeoutSeconds) {
        if (dialect.version().isMariaDb() || !coordinator.message().startsWith(COORDINATOR_STOPPED)) return coordinator;
        try (Statement s = c.createStatement()) {
            s.setQueryTimeout(timeoutSeconds);
            try (ResultSet rs = s.executeQuery("SELECT LAST_ERROR_NUMBER, LAST_ERROR_MESSAGE"
                    + " FROM performance_schema.replication_applier_status_by_worker WHERE LAST_ERROR_NUMBER <> 0"
                    + " ORDER BY LAST_ERROR_TIMESTAMP DESC LIMIT 1")) {
                return rs.next() ? new ThreadError(rs.getInt(1), rs.getString(2)) : coordinator;
            }
        } catch (SQLException e) {
            return coordinator;
        }
    }

    /** The server has a source (it replicates, or did and was stopped). */
    public boolean configured() {
        return !sourceHost.isBlank();
    }

    public boolean ioRunning() {
        return ioState.equalsIgnoreCase("Yes");
    }

    public boolean sqlRunning() {
        return sqlState.equalsIgnoreCase("Yes");
    }

    /** Positioned by GTID (MariaDB {@code Using_Gtid} other than {@code No}, MySQL {@code Auto_Position=1}). */
    public boolean byGtid() {
        return autoPosition || (!usingGtid.isEmpty() && !usingGtid.equalsIgnoreCase("No"));
    }

    public ReplicaState toReplicaState() {
        return new ReplicaState(ioState, sqlState, lagSeconds, ioError, sqlError);
    }

    /** {@code source 127.0.0.1:3306, IO Yes, SQL Yes, lag 0 s} */
    public String describe() {
        return "source " + sourceHost + ":" + sourcePort + ", IO " + ioState + ", SQL " + sqlState + ", lag "
                + (lagSeconds.isPresent() ? lagSeconds.getAsLong() + " s" : "NULL")
                + (ioError.present() ? ", IO " + ioError : "") + (sqlError.present() ? ", SQL " + sqlError : "");
    }

    private static Map<String, Integer> columns(ResultSetMetaData md) throws SQLException {
        Map<String, Integer> out = new HashMap<>();
        for (int i = 1; i <= md.getColumnCount(); i++) out.put(md.getColumnLabel(i).toLowerCase(Locale.ROOT), i);
        return out;
    }

    private static String text(ResultSet rs, Map<String, Integer> columns, String... names) throws SQLException {
        for (String name : names) {
            Integer i = columns.get(name.toLowerCase(Locale.ROOT));
            if (i != null) {
                String v = rs.getString(i);
                return v == null ? "" : v.trim();
            }
        }
        return "";
    }

    private static long number(ResultSet rs, Map<String, Integer> columns, String... names) throws SQLException {
        String v = text(rs, columns, names);
        return v.isEmpty() ? 0 : Long.parseLong(v);
    }

    private static ThreadError error(ResultSet rs, Map<String, Integer> columns, String errno, String message) throws SQLException {
        return new ThreadError((int) number(rs, columns, errno), text(rs, columns, message));
    }
}
