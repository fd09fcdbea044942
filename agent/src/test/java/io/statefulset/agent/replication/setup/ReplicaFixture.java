package io.statefulset.agent.replication.setup;

import io.statefulset.agent.replication.Await;
import io.statefulset.agent.replication.SourceEndpoint;
import io.statefulset.agent.mysql.LocalMysqlDataSource;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.zaxxer.hikari.HikariDataSource;
import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.common.secret.Secret;
import io.statefulset.agent.testing.MariaDb;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** What the MariaDB tests share: the agent's settings for a local server, rows on the primary, status reads. */
public final class ReplicaFixture {
    public static final Duration ARRIVAL = Duration.ofSeconds(30);

    private ReplicaFixture() {}

    public static HikariDataSource dataSource(MariaDb local) {
        return LocalMysqlDataSource.create(new HostPort("127.0.0.1", local.port()), "root", Optional.empty(), Duration.ofSeconds(2));
    }

    public static ReplicationSettings replicaSettings(MariaDb replica, MariaDb source, PositioningPreference positioning) {
        return settings(false, replica, source, "root", Optional.empty(), positioning);
    }

    public static ReplicationSettings settings(boolean primary, MariaDb local, MariaDb source, String user, Optional<Secret> password,
                                        PositioningPreference positioning) {
        return new ReplicationSettings(primary, local.dataDir(),
                new SourceEndpoint(new HostPort("127.0.0.1", source.port()), user, password),
                "root@127.0.0.1:" + local.port(), Duration.ofSeconds(30), positioning);
    }

    public static SetupOutcome setUp(MariaDb replica, MariaDb source, PositioningPreference positioning) throws Exception {
        try (HikariDataSource ds = dataSource(replica)) {
            return new ReplicationSetup(replicaSettings(replica, source, positioning), ds).run();
        }
    }

    public static void createSchema(MariaDb primary) {
        primary.execute("CREATE DATABASE app", "CREATE TABLE app.messages (id INT PRIMARY KEY, message VARCHAR(64))",
                "INSERT INTO app.messages VALUES (1, 'hello'), (2, 'from'), (3, 'the primary')");
    }

    /** Writes row {@code id} on the primary and waits until every replica has it. */
    public static void assertRowArrives(MariaDb primary, int id, MariaDb... replicas) throws InterruptedException {
        primary.execute("INSERT INTO app.messages VALUES (" + id + ", 'row " + id + "')");
        for (MariaDb r : replicas) {
            Await.until("row " + id + " on the replica at port " + r.port() + " (" + slaveStatus(r) + ")", ARRIVAL,
                    () -> r.queryOne("SELECT COUNT(*) FROM app.messages WHERE id = " + id).equals("1"));
        }
        for (MariaDb r : replicas) {
            assertEquals(primary.queryOne("SELECT COUNT(*) FROM app.messages"), r.queryOne("SELECT COUNT(*) FROM app.messages"),
                    "row count on port " + r.port());
        }
    }

    /** The first row of SHOW SLAVE STATUS as column -> value; empty when the server has none. */
    static Map<String, String> slaveStatus(MariaDb db) {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW SLAVE STATUS")) {
            Map<String, String> row = new HashMap<>();
            if (!rs.next()) return row;
            ResultSetMetaData md = rs.getMetaData();
            for (int i = 1; i <= md.getColumnCount(); i++) row.put(md.getColumnLabel(i), rs.getString(i));
            return row;
        } catch (Exception e) {
            throw new IllegalStateException("SHOW SLAVE STATUS failed on port " + db.port() + ": " + e.getMessage(), e);
        }
    }

    public static int rowCount(MariaDb db, String sql) {
        return db.query(sql).size();
    }
}
