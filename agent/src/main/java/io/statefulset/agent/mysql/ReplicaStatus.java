package io.statefulset.agent.mysql;

import io.statefulset.agent.replication.dialect.ReplicationDialect;
import io.statefulset.agent.health.ReplicaState;
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
 * @param sourceHost empty when the server has never been pointed at a source
 * @param ioState    {@code Yes}, {@code No}, {@code Connecting}, ... as the server says it
 */
public record ReplicaStatus(String sourceHost, int sourcePort, String ioState, String sqlState, OptionalLong lagSeconds,
                            String lastIoError, String lastSqlError) {

    public static Optional<ReplicaStatus> read(Connection c, ReplicationDialect dialect, int timeoutSeconds) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.setQueryTimeout(timeoutSeconds);
            try (ResultSet rs = s.executeQuery(dialect.showReplicaStatus())) {
                if (!rs.next()) return Optional.empty();
                Map<String, Integer> columns = columns(rs.getMetaData());
                String portText = text(rs, columns, "Source_Port", "Master_Port");
                String lag = text(rs, columns, "Seconds_Behind_Source", "Seconds_Behind_Master");
                return Optional.of(new ReplicaStatus(
                        text(rs, columns, "Source_Host", "Master_Host"),
                        portText.isEmpty() ? 0 : Integer.parseInt(portText),
                        text(rs, columns, "Replica_IO_Running", "Slave_IO_Running"),
                        text(rs, columns, "Replica_SQL_Running", "Slave_SQL_Running"),
                        lag.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(lag)),
                        error(rs, columns, "Last_IO_Errno", "Last_IO_Error"),
                        error(rs, columns, "Last_SQL_Errno", "Last_SQL_Error")));
            }
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

    public ReplicaState toReplicaState() {
        String error = lastIoError.isEmpty() ? lastSqlError
                : lastSqlError.isEmpty() ? lastIoError : lastIoError + "; " + lastSqlError;
        return new ReplicaState(ioRunning(), sqlRunning(), lagSeconds, error);
    }

    /** {@code source 127.0.0.1:3306, IO Yes, SQL Yes, lag 0 s} */
    public String describe() {
        return "source " + sourceHost + ":" + sourcePort + ", IO " + ioState + ", SQL " + sqlState + ", lag "
                + (lagSeconds.isPresent() ? lagSeconds.getAsLong() + " s" : "NULL")
                + (lastIoError.isEmpty() ? "" : ", " + lastIoError) + (lastSqlError.isEmpty() ? "" : ", " + lastSqlError);
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

    private static String error(ResultSet rs, Map<String, Integer> columns, String errno, String message) throws SQLException {
        String text = text(rs, columns, message);
        if (text.isEmpty()) return "";
        String code = text(rs, columns, errno);
        String kind = errno.startsWith("Last_IO") ? "IO" : "SQL";
        return kind + " error " + (code.isEmpty() ? "" : code + ": ") + text;
    }
}
