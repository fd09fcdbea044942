package io.statefulset.agent.replication.setup;

import io.statefulset.agent.replication.ReplicationMarker;
import io.statefulset.agent.replication.ReplicationSetupException;
import static io.statefulset.agent.replication.setup.ReplicaFixture.assertRowArrives;
import static io.statefulset.agent.replication.setup.ReplicaFixture.createSchema;
import static io.statefulset.agent.replication.setup.ReplicaFixture.dataSource;
import static io.statefulset.agent.replication.setup.ReplicaFixture.setUp;
import static io.statefulset.agent.replication.setup.ReplicaFixture.settings;
import static io.statefulset.agent.replication.setup.ReplicaFixture.slaveStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.statefulset.agent.common.secret.Secret;
import io.statefulset.agent.testing.MariaDb;
import io.statefulset.agent.testing.MariaDbExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The setup against real mariadbd, with data dirs cloned by the real mariadb-backup. */
class MariaDbReplicationSetupTest {
    @RegisterExtension
    final MariaDbExtension servers = new MariaDbExtension();

    private MariaDb primaryWithRows() throws Exception {
        MariaDb primary = servers.start(100);
        createSchema(primary);
        return primary;
    }

    private MariaDb clone(MariaDb donor, int serverId, boolean slaveInfo) throws Exception {
        Path dataDir = BackupToolClone.cloneFrom(donor, servers.tempDir("clone-" + serverId + "-").resolve("data"), slaveInfo);
        return servers.startOn(dataDir, serverId);
    }

    @Test
    void gtidChainPrimaryToReplicaToAThirdFromTheReplicasSlaveInfo() throws Exception {
        MariaDb primary = primaryWithRows();
        MariaDb first = clone(primary, 101, false);
        assertTrue(Files.exists(first.dataDir().resolve("xtrabackup_binlog_info")));

        SetupOutcome o1 = setUp(first, primary, PositioningPreference.GTID_WHEN_AVAILABLE);
        assertEquals(SetupOutcome.Kind.CONFIGURED, o1.kind(), o1.toString());
        assertTrue(o1.detail().startsWith("GTID 0-100-"), o1.detail());
        assertEquals("Slave_Pos", slaveStatus(first).get("Using_Gtid"));
        assertRowArrives(primary, 10, first);

        MariaDb second = clone(first, 102, true);
        String slaveInfo = Files.readString(second.dataDir().resolve("xtrabackup_slave_info"));
        assertTrue(slaveInfo.startsWith("SET GLOBAL gtid_slave_pos = '0-100-"), slaveInfo);
        assertFalse(Files.exists(second.dataDir().resolve(ReplicationMarker.CONFIGURED)), "the backup tool copied the marker");

        SetupOutcome o2 = setUp(second, primary, PositioningPreference.GTID_WHEN_AVAILABLE);
        assertEquals(SetupOutcome.Kind.CONFIGURED, o2.kind(), o2.toString());
        assertTrue(o2.detail().contains("from xtrabackup_slave_info"), o2.detail());
        Map<String, String> st = slaveStatus(second);
        assertEquals("Slave_Pos", st.get("Using_Gtid"));
        assertEquals(String.valueOf(primary.port()), st.get("Master_Port"), "the third replicates from the primary, not its donor");
        assertRowArrives(primary, 11, first, second);
    }

    @Test
    void fileAndPositionChain() throws Exception {
        MariaDb primary = primaryWithRows();
        MariaDb first = clone(primary, 101, false);
        SetupOutcome o1 = setUp(first, primary, PositioningPreference.FILE_POSITION);
        assertEquals(SetupOutcome.Kind.CONFIGURED, o1.kind(), o1.toString());
        assertTrue(o1.detail().startsWith("binlog mysql-bin.000001:"), o1.detail());
        assertEquals("No", slaveStatus(first).get("Using_Gtid"));
        assertRowArrives(primary, 20, first);

        MariaDb second = clone(first, 102, true);
        String slaveInfo = Files.readString(second.dataDir().resolve("xtrabackup_slave_info"));
        assertTrue(slaveInfo.startsWith("CHANGE MASTER TO MASTER_LOG_FILE='mysql-bin.000001', MASTER_LOG_POS="), slaveInfo);
        // The replica's own binlog info is there too, with coordinates the primary does not have: it must lose.
        assertTrue(Files.exists(second.dataDir().resolve("xtrabackup_binlog_info")));

        SetupOutcome o2 = setUp(second, primary, PositioningPreference.FILE_POSITION);
        assertEquals(SetupOutcome.Kind.CONFIGURED, o2.kind(), o2.toString());
        assertTrue(o2.detail().contains("from xtrabackup_slave_info"), o2.detail());
        assertEquals("No", slaveStatus(second).get("Using_Gtid"));
        assertRowArrives(primary, 21, first, second);
        assertEquals(primary.checksum("app.messages"), second.checksum("app.messages"));
    }

    @Test
    void replicationUserIsCreatedOnThePrimaryFromASecretAndTheReplicaUsesIt() throws Exception {
        MariaDb primary = primaryWithRows();
        Path secretFile = servers.tempDir("secret-").resolve("replication-password");
        Files.writeString(secretFile, "r3pl'pa\\ss\n");
        Secret password = Secret.fromFile(secretFile);

        try (HikariDataSource ds = dataSource(primary)) {
            ReplicationSetupException refused = assertThrows(ReplicationSetupException.class, () -> new ReplicationSetup(
                    settings(true, primary, primary, "repl", Optional.of(Secret.of("x\nsecretvalue", "test")),
                            PositioningPreference.GTID_WHEN_AVAILABLE), ds).run());
            assertTrue(refused.getMessage().contains("the replication password contains a control character"), refused.getMessage());
            assertFalse(refused.getMessage().contains("secretvalue"), refused.getMessage());
            assertEquals("0", primary.queryOne("SELECT COUNT(*) FROM mysql.user WHERE User = 'repl'"));
        }

        PrintStream originalErr = System.err;
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        SetupOutcome created;
        try (HikariDataSource ds = dataSource(primary)) {
            System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
            created = new ReplicationSetup(settings(true, primary, primary, "repl", Optional.of(password),
                    PositioningPreference.GTID_WHEN_AVAILABLE), ds).run();
        } finally {
            System.setErr(originalErr);
        }
        assertEquals(SetupOutcome.Kind.PRIMARY, created.kind());
        assertTrue(created.detail().endsWith("created"), created.detail());
        String log = logs.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("CREATE USER IF NOT EXISTS 'repl'@'%' IDENTIFIED BY '****'"), log);
        assertFalse(log.contains("r3pl"), log);
        String grants = String.join("\n", primary.query("SHOW GRANTS FOR 'repl'@'%'"));
        assertTrue(grants.contains("REPLICATION SLAVE"), grants);

        try (HikariDataSource ds = dataSource(primary)) {
            SetupOutcome again = new ReplicationSetup(settings(true, primary, primary, "repl", Optional.of(password),
                    PositioningPreference.GTID_WHEN_AVAILABLE), ds).run();
            assertTrue(again.detail().endsWith("already existed"), again.detail());
        }

        MariaDb replica = clone(primary, 101, false);
        try (HikariDataSource ds = dataSource(replica)) {
            SetupOutcome o = new ReplicationSetup(settings(false, replica, primary, "repl", Optional.of(password),
                    PositioningPreference.GTID_WHEN_AVAILABLE), ds).run();
            assertEquals(SetupOutcome.Kind.CONFIGURED, o.kind(), o.toString());
        }
        assertEquals("repl", slaveStatus(replica).get("Master_User"));
        assertRowArrives(primary, 30, replica);
        assertEquals("repl", primary.queryOne("SELECT USER FROM information_schema.PROCESSLIST WHERE COMMAND = 'Binlog Dump'"));
    }

    @Test
    void aDataDirThatWasNotClonedIsLeftAlone() throws Exception {
        MariaDb primary = servers.start(100);
        MariaDb fresh = servers.start(101);
        SetupOutcome o = setUp(fresh, primary, PositioningPreference.GTID_WHEN_AVAILABLE);
        assertEquals(SetupOutcome.Kind.NO_INFO_FILE, o.kind());
        assertFalse(o.replicationConfigured());
        assertTrue(slaveStatus(fresh).isEmpty());
        assertFalse(Files.exists(fresh.dataDir().resolve(ReplicationMarker.CONFIGURED)));
        assertFalse(Files.exists(fresh.dataDir().resolve(ReplicationMarker.PENDING)));
    }

    @Test
    void aServerThatAlreadyReplicatesIsLeftAloneAndRecorded() throws Exception {
        MariaDb primary = primaryWithRows();
        MariaDb replica = clone(primary, 101, false);
        String gtid = Files.readString(replica.dataDir().resolve("xtrabackup_binlog_info")).strip().split("\t")[2];
        replica.execute("SET GLOBAL gtid_slave_pos = '" + gtid + "'",
                "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + primary.port()
                        + ", MASTER_USER='root', MASTER_CONNECT_RETRY=33, MASTER_USE_GTID=slave_pos", "START SLAVE");

        SetupOutcome o = setUp(replica, primary, PositioningPreference.GTID_WHEN_AVAILABLE);
        assertEquals(SetupOutcome.Kind.ALREADY_REPLICATING, o.kind(), o.toString());
        assertEquals("33", slaveStatus(replica).get("Connect_Retry"), "the hand-made configuration was replaced");
        assertTrue(Files.exists(replica.dataDir().resolve(ReplicationMarker.CONFIGURED)));
        assertRowArrives(primary, 40, replica);
        assertEquals(SetupOutcome.Kind.ALREADY_CONFIGURED, setUp(replica, primary, PositioningPreference.GTID_WHEN_AVAILABLE).kind());
    }

    @Test
    void aMarkerThatCameWithACopiedDataDirIsNotTrusted() throws Exception {
        MariaDb primary = primaryWithRows();
        MariaDb replica = clone(primary, 101, false);
        ReplicationMarker.configured(replica.dataDir()).write(ReplicationMarker.Entry.of(999, "elsewhere:3306", "copied"));

        SetupOutcome o = setUp(replica, primary, PositioningPreference.GTID_WHEN_AVAILABLE);
        assertEquals(SetupOutcome.Kind.CONFIGURED, o.kind(), o.toString());
        assertEquals(101, ReplicationMarker.configured(replica.dataDir()).read().orElseThrow().serverId().getAsLong());
        assertRowArrives(primary, 50, replica);
    }
}
