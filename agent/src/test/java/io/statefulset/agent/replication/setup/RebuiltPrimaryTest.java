package io.statefulset.agent.replication.setup;

import static io.statefulset.agent.replication.setup.ReplicaFixture.assertRowArrives;
import static io.statefulset.agent.replication.setup.ReplicaFixture.createSchema;
import static io.statefulset.agent.replication.setup.ReplicaFixture.dataSource;
import static io.statefulset.agent.replication.setup.ReplicaFixture.setUp;
import static io.statefulset.agent.replication.setup.ReplicaFixture.settings;
import static io.statefulset.agent.replication.setup.ReplicaFixture.slaveStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.statefulset.agent.rebuild.RebuildMarker;
import io.statefulset.agent.testing.DatabaseServer;
import io.statefulset.agent.testing.DatabaseServerExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A primary rebuilt from a replica's backup (real mariadb-backup, real mariadbd): serve sets its binlog GTID state
 * to the clone's position, and the old replica continues from it without a re-clone.
 */
class RebuiltPrimaryTest {
    @RegisterExtension
    final DatabaseServerExtension servers = new DatabaseServerExtension();

    private DatabaseServer rebuiltFrom(DatabaseServer replica) throws Exception {
        Path dataDir = BackupToolClone.cloneFrom(replica, servers.tempDir("rebuilt-").resolve("data"), true);
        RebuildMarker.in(dataDir).write("127.0.0.1:" + replica.port(), "as the test says");
        return servers.startOn(dataDir, 100);
    }

    /** A primary with rows, a replica of it with a row more, then the primary stopped: its volume is lost. */
    private DatabaseServer replicaOfALostPrimary() throws Exception {
        DatabaseServer primary = servers.start(100);
        createSchema(primary);
        DatabaseServer replica = servers.startOn(BackupToolClone.cloneFrom(primary, servers.tempDir("replica-").resolve("data"), false), 101);
        setUp(replica, primary, PositioningPreference.GTID_WHEN_AVAILABLE);
        assertRowArrives(primary, 10, replica);
        primary.stop();
        return replica;
    }

    private static SetupOutcome primarySetup(DatabaseServer primary) throws Exception {
        try (HikariDataSource ds = dataSource(primary)) {
            return new ReplicationSetup(settings(true, primary, primary, "repl", Optional.empty(),
                    PositioningPreference.GTID_WHEN_AVAILABLE), ds).run();
        }
    }

    @Test
    void theRebuiltPrimaryTakesTheClonesPositionAsItsBinlogStateAndTheReplicaContinues() throws Exception {
        DatabaseServer replica = replicaOfALostPrimary();
        String replicaPos = replica.queryOne("SELECT @@GLOBAL.gtid_slave_pos");

        DatabaseServer rebuilt = rebuiltFrom(replica);
        assertEquals("", rebuilt.queryOne("SELECT @@GLOBAL.gtid_binlog_state"), "nothing logged yet");
        SetupOutcome outcome = primarySetup(rebuilt);
        assertTrue(outcome.detail().contains("binlog GTID state set to " + replicaPos + " (the clone's gtid_slave_pos)"),
                outcome.detail());
        assertFalse(RebuildMarker.in(rebuilt.dataDir()).exists(), "the marker is consumed");
        assertEquals(List.of(), rebuilt.query("SHOW SLAVE STATUS"), "the rebuilt primary replicates from nobody");
        // The setup went on to create the replication user, which the binlog numbers after the clone's position.
        assertTrue(seq(rebuilt.queryOne("SELECT @@GLOBAL.gtid_binlog_state")) > seq(replicaPos),
                rebuilt.queryOne("SELECT @@GLOBAL.gtid_binlog_state") + " continues after " + replicaPos);

        replica.execute("STOP SLAVE", "CHANGE MASTER TO MASTER_PORT = " + rebuilt.port(), "START SLAVE");
        assertRowArrives(rebuilt, 11, replica);
        assertEquals("Yes", slaveStatus(replica).get("Slave_IO_Running"));
        assertEquals(rebuilt.checksum("app.messages"), replica.checksum("app.messages"));

        SetupOutcome again = primarySetup(rebuilt);
        assertFalse(again.detail().contains("rebuilt"), "a restart does not touch the GTID state again: " + again.detail());
    }

    @Test
    void aWriteBeforeServeLeavesTheBinlogStateAlone() throws Exception {
        DatabaseServer replica = replicaOfALostPrimary();

        DatabaseServer rebuilt = rebuiltFrom(replica);
        rebuilt.execute("INSERT INTO app.messages VALUES (12, 'too early')");
        String logged = rebuilt.queryOne("SELECT @@GLOBAL.gtid_binlog_state");
        SetupOutcome outcome = primarySetup(rebuilt);
        assertTrue(outcome.detail().contains("transactions were logged before the agent could set the binlog GTID state"),
                outcome.detail());
        assertTrue(seq(rebuilt.queryOne("SELECT @@GLOBAL.gtid_binlog_state")) >= seq(logged), "the binlog kept "
                + logged + ": " + rebuilt.queryOne("SELECT @@GLOBAL.gtid_binlog_state"));
        assertTrue(rebuilt.query("SHOW BINLOG EVENTS").size() > 3, "the binlog was not reset");
        assertEquals("1", rebuilt.queryOne("SELECT COUNT(*) FROM app.messages WHERE id = 12"));
    }

    /** The sequence number of domain 0 in a MariaDB GTID list (one domain in these tests). */
    private static long seq(String gtidList) {
        String zero = gtidList.split(",")[0].strip();
        return Long.parseLong(zero.substring(zero.lastIndexOf('-') + 1));
    }
}
