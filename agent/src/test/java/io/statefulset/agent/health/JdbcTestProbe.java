package io.statefulset.agent.health;

import io.statefulset.agent.testing.DatabaseServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A plain-JDBC {@link MysqlProbe} over a test's real mariadbd (the product's implementation lives in the
 * replication package). "Configured" is whatever the test says it is.
 */
public final class JdbcTestProbe implements MysqlProbe {
    private final DatabaseServer db;
    private final AtomicBoolean configured = new AtomicBoolean();

    public JdbcTestProbe(DatabaseServer db) {
        this.db = db;
    }

    public JdbcTestProbe configured(boolean value) {
        configured.set(value);
        return this;
    }

    @Override
    public boolean alive() {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
            return rs.next();
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public Optional<ReplicaState> replicaState() {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW SLAVE STATUS")) {
            if (!rs.next()) return Optional.empty();
            long lag = rs.getLong("Seconds_Behind_Master");
            OptionalLong lagSeconds = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(lag);
            return Optional.of(new ReplicaState(rs.getString("Slave_IO_Running"), rs.getString("Slave_SQL_Running"), lagSeconds,
                    new ThreadError(rs.getInt("Last_IO_Errno"), rs.getString("Last_IO_Error")),
                    new ThreadError(rs.getInt("Last_SQL_Errno"), rs.getString("Last_SQL_Error"))));
        } catch (SQLException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<String> gtidPosition() {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT @@GLOBAL.gtid_current_pos")) {
            return rs.next() && !rs.getString(1).isEmpty() ? Optional.of(rs.getString(1)) : Optional.empty();
        } catch (SQLException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean replicationConfigured() {
        return configured.get();
    }
}
