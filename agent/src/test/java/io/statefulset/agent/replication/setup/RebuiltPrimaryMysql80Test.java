package io.statefulset.agent.replication.setup;

import static io.statefulset.agent.replication.setup.ReplicaFixture.assertRowArrives;
import static io.statefulset.agent.replication.setup.ReplicaFixture.createSchema;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statefulset.agent.rebuild.RebuildMarker;
import io.statefulset.agent.testing.DatabaseServer;
import io.statefulset.agent.testing.ServerFlavor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A MySQL 8.0 primary rebuilt from a replica's data (real mysqld): serve forgets the channel the clone carries in its
 * tables, lifts the replica's persisted read-only, keeps the clone's GTID set as {@code gtid_purged}, and the old
 * replica continues from it with auto-position.
 */
class RebuiltPrimaryMysql80Test extends RebuiltPrimaryMysqlContract {
    RebuiltPrimaryMysql80Test() {
        super(ServerFlavor.MYSQL_8_0);
    }

    private static void replicate(DatabaseServer replica, DatabaseServer source) {
        replica.execute("STOP REPLICA", "CHANGE REPLICATION SOURCE TO SOURCE_HOST = '127.0.0.1', SOURCE_PORT = " + source.port()
                + ", SOURCE_USER = 'root', SOURCE_AUTO_POSITION = 1", "START REPLICA");
    }

    @Test
    void theRebuiltPrimaryForgetsTheChannelTakesWritesAndTheReplicaContinuesFromItsGtidSet() throws Exception {
        DatabaseServer primary = servers.start(100);
        createSchema(primary);
        DatabaseServer replica = servers.start(101);
        replicate(replica, primary);
        assertRowArrives(primary, 10, replica);
        replica.execute("SET PERSIST super_read_only = ON");
        String replicaGtids = replica.queryOne("SELECT @@GLOBAL.gtid_executed").replaceAll("\\s+", "");
        primary.stop();
        replica.stop();

        // The test servers run with --no-defaults, which skips mysqld-auto.cnf: the option stands for what a pod's
        // mysqld would load from the clone's persisted settings.
        DatabaseServer rebuilt = servers.startOn(cloneOf(replica, replicaGtids), 100, "--super-read-only=ON");
        RebuildMarker.in(rebuilt.dataDir()).write("127.0.0.1:" + replica.port(), replicaGtids);
        assertEquals("1", rebuilt.queryOne("SELECT @@GLOBAL.super_read_only"), "the replica's persisted read-only came along");
        assertFalse(rebuilt.query("SHOW REPLICA STATUS").isEmpty(), "so did its channel (mysql.slave_master_info)");
        Path persisted = rebuilt.dataDir().resolve("mysqld-auto.cnf");
        assertTrue(Files.readString(persisted).contains("super_read_only"), "and its persisted settings");

        SetupOutcome outcome = primarySetup(rebuilt);
        String detail = outcome.detail();
        assertTrue(detail.contains("forgot the source it had"), detail);
        assertTrue(detail.contains("read-only (the replica's) turned off"), detail);
        assertTrue(detail.contains("gtid_executed came with the clone (" + replicaGtids), detail);
        assertFalse(RebuildMarker.in(rebuilt.dataDir()).exists(), "the marker is consumed");
        assertEquals(List.of(), rebuilt.query("SHOW REPLICA STATUS"), "the rebuilt primary replicates from nobody");
        assertEquals("0", rebuilt.queryOne("SELECT @@GLOBAL.super_read_only"));
        assertEquals("0", rebuilt.queryOne("SELECT @@GLOBAL.read_only"));
        assertFalse(Files.exists(persisted) && Files.readString(persisted).contains("read_only"),
                "a restart does not bring read-only back");
        String purged = rebuilt.queryOne("SELECT @@GLOBAL.gtid_purged").replaceAll("\\s+", "");
        assertTrue(subset(rebuilt, purged, replicaGtids) && subset(rebuilt, replicaGtids, purged),
                "gtid_purged " + purged + " is the clone's set " + replicaGtids);

        replica.start();
        replicate(replica, rebuilt);
        assertRowArrives(rebuilt, 11, replica);
        assertEquals(rebuilt.checksum("app.messages"), replica.checksum("app.messages"));
        assertTrue(subset(rebuilt, rebuilt.queryOne("SELECT @@GLOBAL.gtid_executed"), replica.queryOne("SELECT @@GLOBAL.gtid_executed")),
                "the replica has every transaction of the rebuilt primary, the replication user's included");

        SetupOutcome again = primarySetup(rebuilt);
        assertFalse(again.detail().contains("rebuilt"), "a restart does not touch the GTID state again: " + again.detail());
    }
}
