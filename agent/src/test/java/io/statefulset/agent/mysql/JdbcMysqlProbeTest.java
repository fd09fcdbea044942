package io.statefulset.agent.mysql;

import io.statefulset.agent.replication.Await;
import io.statefulset.agent.replication.setup.BackupToolClone;
import io.statefulset.agent.replication.setup.PositioningPreference;
import io.statefulset.agent.replication.setup.ReplicaFixture;
import io.statefulset.agent.replication.setup.SetupOutcome;
import static io.statefulset.agent.replication.setup.ReplicaFixture.assertRowArrives;
import static io.statefulset.agent.replication.setup.ReplicaFixture.createSchema;
import static io.statefulset.agent.replication.setup.ReplicaFixture.dataSource;
import static io.statefulset.agent.replication.setup.ReplicaFixture.setUp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.statefulset.agent.health.ReplicaState;
import io.statefulset.agent.testing.MariaDb;
import io.statefulset.agent.testing.MariaDbExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class JdbcMysqlProbeTest {
    @RegisterExtension
    final MariaDbExtension servers = new MariaDbExtension();

    @Test
    void primaryAndReplicaAsTheHealthEndpointsSeeThem() throws Exception {
        MariaDb primary = servers.start(100);
        createSchema(primary);
        Path dataDir = BackupToolClone.cloneFrom(primary, servers.tempDir("probe-").resolve("data"), false);
        MariaDb replica = servers.startOn(dataDir, 101);

        try (HikariDataSource primaryDs = dataSource(primary); HikariDataSource replicaDs = dataSource(replica)) {
            JdbcMysqlProbe onPrimary = new JdbcMysqlProbe(primaryDs, primary.dataDir(), Duration.ofSeconds(2));
            JdbcMysqlProbe onReplica = new JdbcMysqlProbe(replicaDs, replica.dataDir(), Duration.ofSeconds(2));

            assertTrue(onPrimary.alive());
            assertEquals(Optional.empty(), onPrimary.replicaState(), "a primary is no replica");
            assertFalse(onPrimary.replicationConfigured());
            assertTrue(onReplica.alive());
            assertEquals(Optional.empty(), onReplica.replicaState(), "not configured yet");
            assertFalse(onReplica.replicationConfigured());

            assertEquals(SetupOutcome.Kind.CONFIGURED, setUp(replica, primary, PositioningPreference.GTID_WHEN_AVAILABLE).kind());
            assertTrue(onReplica.replicationConfigured());
            assertRowArrives(primary, 60, replica);
            Await.until("IO and SQL threads running with a lag reading", ReplicaFixture.ARRIVAL, () -> onReplica.replicaState()
                    .filter(s -> s.running() && s.lagSeconds().isPresent()).isPresent());
            ReplicaState healthy = onReplica.replicaState().orElseThrow();
            assertEquals("", healthy.lastError());

            // A row written on the replica by hand makes the same row from the primary fail: the SQL thread stops.
            replica.execute("INSERT INTO app.messages VALUES (61, 'written on the replica')");
            primary.execute("INSERT INTO app.messages VALUES (61, 'written on the primary')");
            Await.until("the SQL thread to stop on the duplicate", ReplicaFixture.ARRIVAL,
                    () -> onReplica.replicaState().filter(s -> !s.sqlRunning()).isPresent());
            ReplicaState broken = onReplica.replicaState().orElseThrow();
            assertTrue(broken.ioRunning());
            assertFalse(broken.running());
            assertTrue(broken.lastError().startsWith("SQL error 1062: "), broken.lastError());
            assertTrue(broken.lastError().contains("Duplicate entry '61'"), broken.lastError());

            replica.kill();
            assertFalse(onReplica.alive());
            assertEquals(Optional.empty(), onReplica.replicaState());
            assertTrue(onReplica.replicationConfigured(), "the marker outlives mysqld");
        }
    }
}
