package io.statefulset.agent.replication.setup;

import io.statefulset.agent.replication.ReplicationMarker;
import static io.statefulset.agent.replication.setup.ReplicaFixture.assertRowArrives;
import static io.statefulset.agent.replication.setup.ReplicaFixture.createSchema;
import static io.statefulset.agent.replication.setup.ReplicaFixture.dataSource;
import static io.statefulset.agent.replication.setup.ReplicaFixture.replicaSettings;
import static io.statefulset.agent.replication.setup.ReplicaFixture.setUp;
import static io.statefulset.agent.replication.setup.ReplicaFixture.slaveStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.statefulset.agent.replication.setup.SetupOutcome.Kind;
import io.statefulset.agent.testing.MariaDb;
import io.statefulset.agent.testing.MariaDbExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sidecar stopped at each point of the setup, then started again: replication ends up configured exactly
 * once, rows flow without being applied twice, the marker is there and the pending record is gone. The stop is a
 * checkpoint that throws out of the setup at the named point, leaving mysqld and the data dir exactly as a killed
 * process would; optionally mysqld is killed and restarted too (the whole pod restarted).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplicationSetupRestartTest {
    @RegisterExtension
    final MariaDbExtension servers = new MariaDbExtension();

    private Path primaryDir;
    private MariaDb primary;
    private final AtomicInteger serverIds = new AtomicInteger(200);
    private final AtomicInteger rowIds = new AtomicInteger(1000);

    @BeforeAll
    void startPrimary() throws Exception {
        primaryDir = Files.createTempDirectory("restart-primary-");
        primary = MariaDb.fresh(primaryDir, 100);
        createSchema(primary);
    }

    @AfterAll
    void stopPrimary() throws Exception {
        if (primary != null) primary.kill();
        MariaDbExtension.deleteTree(primaryDir);
    }

    static final class Killed extends RuntimeException {
        Killed(String at) {
            super("stopped at " + at);
        }
    }

    static Stream<Arguments> interruptions() {
        PositioningPreference gtid = PositioningPreference.GTID_WHEN_AVAILABLE;
        PositioningPreference file = PositioningPreference.FILE_POSITION;
        return Stream.of(
                // GTID plan: step-1 SET gtid_slave_pos, step-2 CHANGE MASTER, step-3 START SLAVE
                Arguments.of(gtid, "pending-written", false, Kind.CONFIGURED),
                Arguments.of(gtid, "step-1", false, Kind.CONFIGURED),
                Arguments.of(gtid, "step-2", false, Kind.RESUMED),
                Arguments.of(gtid, "step-2", true, Kind.RESUMED),
                Arguments.of(gtid, "step-3", false, Kind.RESUMED),
                Arguments.of(gtid, "marker-written", false, Kind.ALREADY_CONFIGURED),
                // file/position plan: step-1 CHANGE MASTER, step-2 START SLAVE
                Arguments.of(file, "pending-written", false, Kind.CONFIGURED),
                Arguments.of(file, "step-1", false, Kind.RESUMED),
                Arguments.of(file, "step-2", true, Kind.RESUMED),
                Arguments.of(file, "marker-written", false, Kind.ALREADY_CONFIGURED));
    }

    @ParameterizedTest(name = "{0} stopped at {1}, mysqld restarted: {2}")
    @MethodSource("interruptions")
    void configuredExactlyOnce(PositioningPreference positioning, String stopAt, boolean restartMysqld, Kind expected) throws Exception {
        int serverId = serverIds.incrementAndGet();
        Path dataDir = BackupToolClone.cloneFrom(primary, servers.tempDir("restart-" + serverId + "-").resolve("data"), false);
        MariaDb replica = servers.startOn(dataDir, serverId);

        try (HikariDataSource ds = dataSource(replica)) {
            ReplicationSetup interrupted = new ReplicationSetup(replicaSettings(replica, primary, positioning), ds, name -> {
                if (name.equals(stopAt)) throw new Killed(name);
            });
            assertEquals("stopped at " + stopAt, assertThrows(Killed.class, interrupted::run).getMessage());
        }
        // The primary moves on while the sidecar is down.
        primary.execute("INSERT INTO app.messages VALUES (" + rowIds.incrementAndGet() + ", 'while the sidecar was down')");
        if (restartMysqld) {
            replica.kill();
            replica.start();
        }

        SetupOutcome outcome = setUp(replica, primary, positioning);
        assertEquals(expected, outcome.kind(), outcome.toString());
        assertTrue(Files.exists(dataDir.resolve(ReplicationMarker.CONFIGURED)), "marker");
        assertFalse(Files.exists(dataDir.resolve(ReplicationMarker.PENDING)), "pending record left behind");

        assertRowArrives(primary, rowIds.incrementAndGet(), replica);
        Map<String, String> status = slaveStatus(replica);
        assertEquals("Yes", status.get("Slave_IO_Running"), status.toString());
        assertEquals("Yes", status.get("Slave_SQL_Running"), status.toString());
        assertEquals("", status.get("Last_SQL_Error"), "a transaction was applied twice");
        assertEquals(positioning == PositioningPreference.FILE_POSITION ? "No" : "Slave_Pos", status.get("Using_Gtid"));
        assertEquals(1, replica.query("SHOW ALL SLAVES STATUS").size(), "replica connections on the replica");
        assertEquals(1, primary.query("SHOW SLAVE HOSTS").stream().filter(id -> id.equals(String.valueOf(serverId))).count(),
                "registrations of this replica on the primary");

        assertEquals(Kind.ALREADY_CONFIGURED, setUp(replica, primary, positioning).kind());
    }
}
