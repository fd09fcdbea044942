package io.statefulset.agent.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statefulset.agent.replication.ReplicationMarker;
import io.statefulset.agent.testing.LogCapture;
import io.statefulset.agent.testing.DatabaseServer;
import io.statefulset.agent.testing.DatabaseServerExtension;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The StatefulSet's start-up, pod by pod, with the real agent on both sides: {@code init} clones each replica from
 * {@code serve} on its previous peer, mariadbd starts on the clone with the config init wrote, and {@code serve}
 * beside it sets replication up from the primary. Two chains: by GTID (the agent's default), and by binlog file and
 * position (a replica of the tutorial's kind, which the agent then clones from).
 */
class ReplicaChainTest {
    static final Duration READY = Duration.ofSeconds(30);
    static Primary primary;

    @RegisterExtension
    final DatabaseServerExtension servers = new DatabaseServerExtension();

    @BeforeAll
    static void startPrimary() throws Exception {
        primary = Primary.start(3000);
    }

    @AfterAll
    static void stopPrimary() throws Exception {
        if (primary != null) primary.close();
    }

    @Test
    void gtidChainPrimaryToReplicaToAThirdClonedFromTheReplica() throws Exception {
        Pod pod1 = Pod.create("mysql-1", servers);
        Pod.Result init1 = pod1.init(primary.donorFlag());
        assertEquals(0, init1.exitCode(), init1.err());
        assertEquals("[mysqld]\nserver-id=101\nreport_host=mysql-1.mysql\n", Files.readString(pod1.conf.resolve("server-id.cnf")));
        assertEquals(Pod.REPLICA_CNF, Files.readString(pod1.conf.resolve("replica.cnf")));
        assertTrue(pod1.dataDirEntries().contains("xtrabackup_binlog_info"), pod1.dataDirEntries().toString());

        DatabaseServer replica1 = pod1.startMysqld(servers);
        assertEquals("101", replica1.queryOne("SELECT @@server_id"), "mysqld runs with the server-id init wrote");
        assertEquals("mysql-1.mysql", replica1.queryOne("SELECT @@report_host"));
        assertEquals("1", replica1.queryOne("SELECT @@read_only"), "replica.cnf from the config map applies");
        assertEquals(AppTable.fingerprint(primary.db), AppTable.fingerprint(replica1), "the clone holds the primary's rows");

        try (LogCapture logs = LogCapture.start(); InProcessServe serve1 = pod1.serve(replica1, primary.db.port())) {
            serve1.awaitStatus("/readyz", 200, READY);
            logs.awaitLine("replication setup: CONFIGURED: GTID 0-100-", READY);
            Map<String, String> status = AppTable.slaveStatus(replica1);
            assertEquals("Slave_Pos", status.get("Using_Gtid"), status.toString());
            assertEquals(String.valueOf(primary.db.port()), status.get("Master_Port"));
            assertTrue(Files.exists(pod1.data.resolve(ReplicationMarker.CONFIGURED)), "the once-marker is written");
            assertEquals(1.0, serve1.metric("mysql_agent_replication_configured").orElseThrow());
            AppTable.writeAndAwait(primary.db, 100_001, replica1);

            // The third pod clones from the replica's serve: the backup carries the replica's slave info.
            Pod pod2 = Pod.create("mysql-2", servers);
            Pod.Result init2 = pod2.init("--donor", serve1.address());
            assertEquals(0, init2.exitCode(), init2.err());
            String slaveInfo = Files.readString(pod2.data.resolve("xtrabackup_slave_info"));
            assertTrue(slaveInfo.startsWith("SET GLOBAL gtid_slave_pos = '0-100-"), slaveInfo);
            assertTrue(slaveInfo.contains("CHANGE MASTER TO master_use_gtid = slave_pos"), slaveInfo);

            DatabaseServer replica2 = pod2.startMysqld(servers);
            assertEquals("102", replica2.queryOne("SELECT @@server_id"));
            try (InProcessServe serve2 = pod2.serve(replica2, primary.db.port())) {
                serve2.awaitStatus("/readyz", 200, READY);
                logs.awaitLine("from xtrabackup_slave_info", READY);
                Map<String, String> status2 = AppTable.slaveStatus(replica2);
                assertEquals("Slave_Pos", status2.get("Using_Gtid"), status2.toString());
                assertEquals(String.valueOf(primary.db.port()), status2.get("Master_Port"),
                        "the third replicates from the primary, not from the replica it was cloned from");
                AppTable.writeAndAwait(primary.db, 100_002, replica1, replica2);
                assertSameData(replica1, replica2);
                assertEquals(primary.db.queryOne("SELECT @@gtid_binlog_pos"), replica2.queryOne("SELECT @@gtid_slave_pos"));
                assertEquals(0, serve2.stop());
            }
            assertEquals(0, serve1.stop());
        }
    }

    @Test
    void filePositionChainFromAReplicaTheTutorialSetUp() throws Exception {
        Pod pod1 = Pod.create("mysql-1", servers);
        assertEquals(0, pod1.init(primary.donorFlag()).exitCode());
        DatabaseServer replica1 = pod1.startMysqld(servers);
        // What the tutorial's bash sidecar runs on a fresh clone: the binlog coordinates, no GTID.
        String[] binlog = Files.readString(pod1.data.resolve("xtrabackup_binlog_info")).strip().split("\t");
        replica1.execute("CHANGE MASTER TO MASTER_LOG_FILE='" + binlog[0] + "', MASTER_LOG_POS=" + binlog[1]
                + ", MASTER_HOST='127.0.0.1', MASTER_PORT=" + primary.db.port() + ", MASTER_USER='root', MASTER_PASSWORD='',"
                + " MASTER_CONNECT_RETRY=10", "START SLAVE");
        assertEquals("No", AppTable.slaveStatus(replica1).get("Using_Gtid"), "precondition: positioned by file and position");

        try (LogCapture logs = LogCapture.start(); InProcessServe serve1 = pod1.serve(replica1, primary.db.port())) {
            serve1.awaitStatus("/readyz", 200, READY);
            logs.awaitLine("replication setup: ALREADY_REPLICATING", READY);
            assertEquals("No", AppTable.slaveStatus(replica1).get("Using_Gtid"), "a replica set up by someone else is left alone");
            AppTable.writeAndAwait(primary.db, 200_001, replica1);

            Pod pod2 = Pod.create("mysql-2", servers);
            assertEquals(0, pod2.init("--donor", serve1.address()).exitCode());
            String slaveInfo = Files.readString(pod2.data.resolve("xtrabackup_slave_info"));
            assertTrue(slaveInfo.startsWith("CHANGE MASTER TO MASTER_LOG_FILE='mysql-bin.000001', MASTER_LOG_POS="), slaveInfo);
            assertFalse(slaveInfo.contains("gtid"), slaveInfo);

            DatabaseServer replica2 = pod2.startMysqld(servers);
            try (InProcessServe serve2 = pod2.serve(replica2, primary.db.port())) {
                serve2.awaitStatus("/readyz", 200, READY);
                logs.awaitLine("replication setup: CONFIGURED: binlog mysql-bin.000001:", READY);
                Map<String, String> status2 = AppTable.slaveStatus(replica2);
                assertEquals("No", status2.get("Using_Gtid"), status2.toString());
                assertEquals(String.valueOf(primary.db.port()), status2.get("Master_Port"));
                assertEquals("mysql-bin.000001", status2.get("Master_Log_File"),
                        "positioned in the primary's binlog, not in the replica's own");
                AppTable.writeAndAwait(primary.db, 200_002, replica1, replica2);
                assertSameData(replica1, replica2);
            }
        }
    }

    private static void assertSameData(DatabaseServer... replicas) throws Exception {
        String checksum = AppTable.checksum(primary.db);
        String fingerprint = AppTable.fingerprint(primary.db);
        for (DatabaseServer r : replicas) {
            assertEquals(checksum, AppTable.checksum(r), "CHECKSUM TABLE on port " + r.port());
            assertEquals(fingerprint, AppTable.fingerprint(r), "rows on port " + r.port());
        }
    }
}
