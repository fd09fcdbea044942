package io.statefulset.agent.flow;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;
import io.statefulset.agent.testing.DatabaseServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** The application's table on the primary, and how to see it on replicas: rows, checksum, replication status. */
final class AppTable {
    static final String NAME = "app.messages";
    static final Duration ARRIVAL = Duration.ofSeconds(30);

    private AppTable() {}

    /** Creates the table with {@code rows} rows (ids 1..rows) in one statement. */
    static void create(DatabaseServer primary, int rows) {
        primary.execute("SET SESSION max_recursive_iterations = 10000000", "CREATE DATABASE app",
                "CREATE TABLE " + NAME + " (id INT PRIMARY KEY, message VARCHAR(64) NOT NULL) ENGINE=InnoDB",
                "INSERT INTO " + NAME + " WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < " + rows
                        + ") SELECT n, CONCAT('message-', n, '-', MD5(n)) FROM s");
    }

    static void write(DatabaseServer primary, int id) {
        primary.execute("INSERT INTO " + NAME + " VALUES (" + id + ", 'written after the clone: " + id + "')");
    }

    /** Writes row {@code id} on the primary and waits until every replica has applied it. */
    static void writeAndAwait(DatabaseServer primary, int id, DatabaseServer... replicas) throws Exception {
        write(primary, id);
        for (DatabaseServer r : replicas) {
            await("row " + id + " on the replica at port " + r.port()).atMost(ARRIVAL).ignoreExceptionsInstanceOf(Exception.class)
                .untilAsserted(() -> assertTrue(r.queryOne("SELECT COUNT(*) FROM " + NAME + " WHERE id = " + id).equals("1"), () -> "(replica status: " + slaveStatus(r) + ")"));
        }
    }

    /** Row count, id sum and a CRC of every message: equal on two servers means the same rows. */
    static String fingerprint(DatabaseServer db) {
        return db.queryOne("SELECT CONCAT(COUNT(*), ':', SUM(id), ':', SUM(CRC32(message))) FROM " + NAME);
    }

    static String checksum(DatabaseServer db) {
        return db.checksum(NAME);
    }

    /** The first row of SHOW SLAVE STATUS as column -> value; empty when the server has no source. */
    static Map<String, String> slaveStatus(DatabaseServer db) {
        try {
            return firstRow(db, "SHOW SLAVE STATUS");
        } catch (Exception e) {
            return Map.of("error", e.toString());
        }
    }

    /** The first row {@code sql} returns as column -> value; empty when it returns none. */
    static Map<String, String> firstRow(DatabaseServer db, String sql) {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            Map<String, String> row = new HashMap<>();
            if (!rs.next()) return row;
            ResultSetMetaData md = rs.getMetaData();
            for (int i = 1; i <= md.getColumnCount(); i++) row.put(md.getColumnLabel(i), rs.getString(i));
            return row;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed on port " + db.port() + ": " + e.getMessage(), e);
        }
    }
}
