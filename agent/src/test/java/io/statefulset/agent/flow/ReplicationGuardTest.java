package io.statefulset.agent.flow;

import static org.awaitility.Awaitility.await;
import static io.statefulset.agent.replication.setup.ReplicaFixture.createSchema;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statefulset.agent.replication.setup.BackupToolClone;
import io.statefulset.agent.replication.setup.ReplicaFixture;
import io.statefulset.agent.testing.LogCapture;
import io.statefulset.agent.testing.DatabaseServer;
import io.statefulset.agent.testing.DatabaseServerExtension;
import java.sql.Connection;
import java.nio.file.Files;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Replication that is never silently broken, on real servers: {@code serve} against a replica cloned by the real
 * mariadb-backup, with what /readyz, /metrics and the log say in each case.
 */
class ReplicationGuardTest {
    static final Duration WAIT = ReplicationTrouble.WAIT;

    @RegisterExtension
    final DatabaseServerExtension servers = new DatabaseServerExtension();

    private DatabaseServer primary;
    private Pod pod;

    /** The primary with rows, and pod mysql-1's data dir cloned from it (mysqld not started yet). */
    private void primaryAndClone() throws Exception {
        primary = servers.start(100);
        createSchema(primary);
        pod = Pod.create("mysql-1", servers);
        BackupToolClone.cloneFrom(primary, pod.data, false);
    }

    /** {@link #primaryAndClone()}, and mariadbd started on the clone. */
    private DatabaseServer clonedReplica() throws Exception {
        primaryAndClone();
        return servers.startOn(pod.data, 101);
    }

    /** serve for the replica, once its /readyz answers 200. */
    private InProcessServe readyServe(DatabaseServer replica, String... flags) throws Exception {
        return pod.readyServe(replica, primary.port(), WAIT, flags);
    }

    private String source() {
        return "127.0.0.1:" + primary.port();
    }

    @Test
    void binlogsPurgedOnTheSourceBeforeTheReplicaStartsAreRefused() throws Exception {
        primaryAndClone();
        primary.execute("FLUSH BINARY LOGS", "INSERT INTO app.messages VALUES (100, 'after the clone')", "FLUSH BINARY LOGS",
                "INSERT INTO app.messages VALUES (101, 'after the clone')");
        ReplicaFixture.purgeBinlogsBefore(primary, "mysql-bin.000003");
        String oldestStart = primary.queryOne("SELECT BINLOG_GTID_POS('mysql-bin.000003', 4)");
        DatabaseServer replica = servers.startOn(pod.data, 101);

        try (LogCapture logs = LogCapture.start(); InProcessServe serve = pod.serve(replica, primary.port())) {
            ReplicationTrouble.assertRefused(serve, logs, "the source " + source()
                    + " has purged binlogs this replica needs: domain 0: the replica is at 0-100-", "binlog_purged", pod.data);
            assertTrue(logs.text().contains("the source's binlogs start after " + oldestStart + " (oldest binlog mysql-bin.000003"),
                    logs.text());
            ReplicationTrouble.assertNotStarted(replica);
        }
    }

    @Test
    void theAdvisedRecloneHealsAReplicaWhoseBinlogsWerePurged() throws Exception {
        try (Primary mysql0 = Primary.start(100)) {
            Pod pod1 = Pod.create("mysql-1", servers);
            assertEquals(0, pod1.init(mysql0.donorFlag()).exitCode());
            // The row after the clone lives in binlog 2 only; binlog 3 starts after it.
            mysql0.db.execute("FLUSH BINARY LOGS", "INSERT INTO app.messages VALUES (1000, 'after the clone')", "FLUSH BINARY LOGS");
            ReplicaFixture.purgeBinlogsBefore(mysql0.db, "mysql-bin.000003");
            DatabaseServer replica = pod1.startMysqld(servers);
            try (LogCapture logs = LogCapture.start(); InProcessServe serve = pod1.serve(replica, mysql0.db.port())) {
                logs.awaitLine("replication setup: REFUSED: ", WAIT);
                assertEquals(503, serve.get("/readyz").statusCode());
            }
            // What the line says to do: the marker file, then the pod restarts (init, mysqld, serve).
            Files.createFile(pod1.data.resolve(".agent-reclone"));
            replica.stop();
            Pod.Result again = pod1.init(mysql0.donorFlag());
            assertEquals(0, again.exitCode(), again.err());
            DatabaseServer recloned = pod1.startMysqld(servers);
            try (LogCapture logs = LogCapture.start(); InProcessServe serve = pod1.serve(recloned, mysql0.db.port())) {
                serve.awaitStatus("/readyz", 200, WAIT);
                logs.awaitLine("position check passed: ", WAIT);
                assertEquals("1", recloned.queryOne("SELECT COUNT(*) FROM app.messages WHERE id = 1000"));
                AppTable.writeAndAwait(mysql0.db, 1001, recloned);
            }
        }
    }

    @Test
    void anErrantTransactionOnTheReplicaIsRefusedOnTheNextStart() throws Exception {
        DatabaseServer replica = clonedReplica();
        try (LogCapture logs = LogCapture.start(); InProcessServe serve = readyServe(replica)) {
            logs.awaitLine("position check passed: the source " + source() + " still has every binlog after '0-100-", WAIT);
            AppTable.writeAndAwait(primary, 200, replica);
        }
        // Someone writes on the replica: its binlog now holds a GTID with the replica's server id.
        replica.execute("INSERT INTO app.messages VALUES (201, 'written on the replica')");
        String errant = replica.queryOne("SELECT @@GLOBAL.gtid_binlog_pos");
        assertTrue(errant.startsWith("0-101-"), errant);

        try (LogCapture logs = LogCapture.start(); InProcessServe serve = pod.serve(replica, primary.port())) {
            ReplicationTrouble.assertRefused(serve, logs, "this replica has GTIDs the source " + source() + " never had: '" + errant + "'",
                    "errant_transactions", pod.data);
            assertTrue(serve.get("/readyz").body().contains("mysqld started the replication threads itself: left as they are"));
            assertEquals(1.0, serve.metric("mysql_agent_replication_io_running").orElseThrow(), "the threads run, yet it is not ready");
        }
    }

    @Test
    void theSourceStoppedAndStartedMakesLagUnknownAndBack() throws Exception {
        DatabaseServer replica = clonedReplica();
        try (LogCapture logs = LogCapture.start(); InProcessServe serve = readyServe(replica)) {
            ReplicationTrouble.assertSourceRestart(serve, logs, primary, replica, 300);
        }
    }

    @Test
    void aSourceThatIsDownWhenServeStartsIsWaitedForBeforeAnythingStarts() throws Exception {
        primaryAndClone();
        primary.stop();
        DatabaseServer replica = servers.startOn(pod.data, 101);
        try (LogCapture logs = LogCapture.start(); InProcessServe serve = pod.serve(replica, primary.port())) {
            String waiting = "replication start checks wait for the source " + source() + " (as root): ";
            logs.awaitLine(waiting, WAIT);
            serve.awaitStatus("/readyz", 503, WAIT);
            await("/readyz to name the wait").atMost(WAIT).ignoreExceptionsInstanceOf(Exception.class).until(() -> serve.get("/readyz").body().startsWith("not ready: " + waiting));
            assertEquals(1.0, serve.metric("mysql_agent_replication_start_blocked").orElseThrow());
            assertEquals("No", AppTable.slaveStatus(replica).get("Slave_IO_Running"), "nothing started before the check");

            primary.start();
            logs.awaitLine("source " + source() + " answered after ", WAIT);
            serve.awaitStatus("/readyz", 200, WAIT);
            assertEquals(0.0, serve.metric("mysql_agent_replication_start_blocked").orElseThrow());
            AppTable.writeAndAwait(primary, 500, replica);
            assertEquals(1, logs.count(waiting), "said once, not per retry: " + logs.text());
        }
    }

    @Test
    void theSqlThreadStoppedByADuplicateKeyIsReportedWithTheServersError() throws Exception {
        DatabaseServer replica = clonedReplica();
        try (LogCapture logs = LogCapture.start(); InProcessServe serve = readyServe(replica)) {
            ReplicationTrouble.assertDuplicateKey(serve, logs, primary, replica,
                    () -> replica.execute("INSERT INTO app.messages VALUES (61, 'written on the replica')"),
                    // The operator's fix: remove the conflicting row on the replica and start the SQL thread again.
                    () -> replica.execute("SET SESSION sql_log_bin = 0", "DELETE FROM app.messages WHERE id = 61", "START SLAVE SQL_THREAD"));
        }
    }

    @Test
    void aLaggingReplicaIsNotReadyUntilItCatchesUp() throws Exception {
        DatabaseServer replica = clonedReplica();
        try (LogCapture logs = LogCapture.start(); InProcessServe serve = readyServe(replica, "--max-lag", "2s")) {
            logs.awaitLine("now ready: replica", WAIT);
            // A table lock held on the replica: the SQL thread waits for it, the row's event ages.
            try (Connection lock = replica.connect(); Statement s = lock.createStatement()) {
                s.execute("LOCK TABLES app.messages WRITE");
                primary.execute("INSERT INTO app.messages VALUES (400, 'held up on the replica')");
                serve.awaitStatus("/readyz", 503, WAIT);
                String body = serve.get("/readyz").body();
                assertTrue(body.matches("not ready: replica is \\d+ s behind the source \\(max 2 s, --max-lag\\)\\n"), body);
                assertTrue(serve.metric("mysql_agent_replication_lag_seconds").orElseThrow() > 2.0);
                assertEquals(1.0, serve.metric("mysql_agent_replication_sql_running").orElseThrow(), "lagging, not broken");
                logs.awaitLine("now not ready: replica is ", WAIT);
                s.execute("UNLOCK TABLES");
            }
            serve.awaitStatus("/readyz", 200, WAIT);
            assertEquals("1", replica.queryOne("SELECT COUNT(*) FROM app.messages WHERE id = 400"));
            await("readiness back, logged once").atMost(WAIT).ignoreExceptionsInstanceOf(Exception.class)
                .untilAsserted(() -> assertTrue(logs.count("now ready: replica") == 2, logs::text));
            assertEquals(1, logs.count("now not ready: "), logs.text());
        }
    }

}
