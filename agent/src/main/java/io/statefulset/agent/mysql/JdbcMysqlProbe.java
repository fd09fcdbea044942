package io.statefulset.agent.mysql;

import io.statefulset.agent.replication.ReplicationMarker;
import io.statefulset.agent.replication.dialect.ReplicationDialect;
import io.statefulset.agent.replication.dialect.ServerVersion;
import io.statefulset.agent.health.MysqlProbe;
import io.statefulset.agent.health.ReplicaState;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link MysqlProbe} over the sidecar's pool. Every call answers within about the pool's connection timeout plus
 * {@code timeout}; a failure reads as "not alive" / "no replica state" (logged at debug: probes run every few
 * seconds and the endpoints already report the failure).
 */
public final class JdbcMysqlProbe implements MysqlProbe {
    private static final Logger log = LoggerFactory.getLogger(JdbcMysqlProbe.class);

    private final DataSource dataSource;
    private final ReplicationMarker marker;
    private final int timeoutSeconds;
    private final AtomicReference<ReplicationDialect> dialect = new AtomicReference<>();

    public JdbcMysqlProbe(DataSource dataSource, Path dataDir, Duration timeout) {
        this.dataSource = dataSource;
        this.marker = ReplicationMarker.configured(dataDir);
        this.timeoutSeconds = (int) Math.max(1, timeout.toSeconds());
    }

    @Override
    public boolean alive() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.setQueryTimeout(timeoutSeconds);
            try (ResultSet rs = s.executeQuery("SELECT 1")) {
                return rs.next() && rs.getInt(1) == 1;
            }
        } catch (SQLException e) {
            log.debug("mysqld is not answering: {}", MysqlStartupWait.rootMessage(e));
            return false;
        }
    }

    @Override
    public Optional<ReplicaState> replicaState() {
        try (Connection c = dataSource.getConnection()) {
            return ReplicaStatus.read(c, dialect(c), timeoutSeconds)
                    .filter(ReplicaStatus::configured)
                    .map(ReplicaStatus::toReplicaState);
        } catch (SQLException e) {
            // The mysqld container may have been restarted with another image (an upgrade): detect again next time.
            dialect.set(null);
            log.debug("cannot read the replica status: {}", MysqlStartupWait.rootMessage(e));
            return Optional.empty();
        }
    }

    @Override
    public boolean replicationConfigured() {
        return marker.exists();
    }

    @Override
    public Optional<String> gtidPosition() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.setQueryTimeout(timeoutSeconds);
            String variable = dialect(c).version().isMariaDb() ? "@@GLOBAL.gtid_current_pos" : "@@GLOBAL.gtid_executed";
            try (ResultSet rs = s.executeQuery("SELECT " + variable)) {
                String v = rs.next() ? rs.getString(1) : null;
                return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.replaceAll("\\s+", ""));
            }
        } catch (SQLException e) {
            dialect.set(null);
            log.debug("cannot read the GTID position: {}", MysqlStartupWait.rootMessage(e));
            return Optional.empty();
        }
    }

    @Override
    public boolean clonePluginActive() {
        try (Connection c = dataSource.getConnection()) {
            return ClonePluginStatus.active(c, timeoutSeconds);
        } catch (SQLException e) {
            log.debug("cannot read the CLONE plugin's state: {}", MysqlStartupWait.rootMessage(e));
            return false;
        }
    }

    /** Detected on first use and after a failure, not on every probe. */
    private ReplicationDialect dialect(Connection c) throws SQLException {
        ReplicationDialect d = dialect.get();
        if (d == null) {
            d = ReplicationDialect.of(ServerVersion.of(c));
            dialect.set(d);
        }
        return d;
    }
}
