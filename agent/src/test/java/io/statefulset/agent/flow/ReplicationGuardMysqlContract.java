package io.statefulset.agent.flow;

import static io.statefulset.agent.replication.setup.ReplicaFixture.createSchema;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statefulset.agent.replication.setup.ReplicaFixture;
import io.statefulset.agent.testing.DatabaseServer;
import io.statefulset.agent.testing.DatabaseServerExtension;
import io.statefulset.agent.testing.LogCapture;
import io.statefulset.agent.testing.ServerFlavor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link ReplicationGuardTest}'s cases on real MySQL (a subclass per version): the checks before start by GTID
 * auto-position ({@code gtid_purged} of the source contained in what the replica executed; the replica's
 * executed set minus the source's empty) and a SQL thread stopped by a duplicate key, with what /readyz, /metrics
 * and the log say. The source stopped and started runs on 8.0 only ({@link ReplicationGuardMysql80Test}).
 *
 * <p>Each test gets its own source and replica, both copies of one stopped server the class set up (rows
 * {@code app.messages} 1-3, GTIDs {@code <uuid>:1-3}): the source keeps its binlogs and UUID, the replica is a
 * {@link ColdBackup} with the info file the backup tool writes. A copy starts in a second where a fresh MySQL takes
 * many. The data dir is not cloned by init here: the checks are what is under test.
 */
abstract class ReplicationGuardMysqlContract {
    static final Duration WAIT = ReplicationTrouble.WAIT;

    /** The stopped server the sources and replicas are copied from, and what a backup of it records. */
    private static Path template;
    private static String templateUuid;
    private static String binlogInfo;

    DatabaseServer primary;
    Pod pod;

    /** Sets up {@link #template} on {@code servers} (class scope); call from the subclass's {@code @BeforeAll}. */
    static void template(DatabaseServerExtension servers) throws Exception {
        DatabaseServer db = servers.start(100);
        createSchema(db);
        templateUuid = db.queryOne("SELECT @@GLOBAL.server_uuid");
        assertEquals(templateUuid + ":1-3", db.queryOne("SELECT @@GLOBAL.gtid_executed"), "three transactions so far");
        Map<String, String> status = AppTable.firstRow(db, "SHOW MASTER STATUS");
        binlogInfo = status.get("File") + "\t" + status.get("Position") + "\t" + templateUuid + ":1-3\n";
        db.stop();
        template = db.dataDir();
    }

    /** The subclass's extension, of its flavor. */
    abstract DatabaseServerExtension servers();

    /** The source (a copy of the template with its binlogs, UUID {@link #templateUuid}) and pod mysql-1's seeded data dir. */
    void sourceAndSeed() throws Exception {
        Path data = servers().tempDir("source-").resolve("data");
        ColdBackup.copy(template, data);
        primary = servers().startOn(data, 100);
        pod = Pod.create("mysql-1", servers());
        ColdBackup.of(template, pod.data);
        Files.writeString(pod.data.resolve("xtrabackup_binlog_info"), binlogInfo);
    }

    /** mysqld on pod mysql-1's data dir, read-only as the replica cnf makes it; {@code extraArgs} after. */
    DatabaseServer startReplica(String... extraArgs) throws Exception {
        List<String> args = new ArrayList<>(List.of("--read-only=ON", "--super-read-only=ON"));
        args.addAll(List.of(extraArgs));
        return servers().startOn(pod.data, 101, args.toArray(String[]::new));
    }

    /** {@link #sourceAndSeed()} and the replica started. */
    DatabaseServer seededReplica() throws Exception {
        sourceAndSeed();
        return startReplica();
    }

    /** serve for the replica, once its /readyz answers 200. */
    InProcessServe readyServe(DatabaseServer replica, String... flags) throws Exception {
        return pod.readyServe(replica, primary.port(), WAIT, flags);
    }

    String source() {
        return "127.0.0.1:" + primary.port();
    }

    /** A write on the replica, as someone with SUPER would make it: super_read_only off for one statement. */
    static void writeOnReplica(DatabaseServer replica, String... statements) {
        String[] all = new String[statements.length + 2];
        all[0] = "SET GLOBAL super_read_only = OFF";
        System.arraycopy(statements, 0, all, 1, statements.length);
        all[all.length - 1] = "SET GLOBAL super_read_only = ON";
        replica.execute(all);
    }

    @Test
    void gtidsPurgedOnTheSourceBeforeTheReplicaStartsAreRefused() throws Exception {
        sourceAndSeed();
        // The row after the backup lives in binlog 3 only (the copy started binlog 2); binlog 4 starts after it.
        primary.execute("FLUSH BINARY LOGS", "INSERT INTO app.messages VALUES (100, 'after the backup')", "FLUSH BINARY LOGS");
        String last = primary.query("SHOW BINARY LOGS").get(primary.query("SHOW BINARY LOGS").size() - 1);
        ReplicaFixture.purgeBinlogsBefore(primary, last);
        assertEquals(templateUuid + ":1-4", primary.queryOne("SELECT @@GLOBAL.gtid_purged").replaceAll("\\s+", ""));
        DatabaseServer replica = startReplica();

        try (LogCapture logs = LogCapture.start(); InProcessServe serve = pod.serve(replica, primary.port())) {
            ReplicationTrouble.assertRefused(serve, logs, "the source " + source() + " has purged binlogs this replica needs: missing GTIDs '"
                    + templateUuid + ":4' (source gtid_purged '" + templateUuid + ":1-4', this replica's gtid_executed is '"
                    + templateUuid + ":1-3')", "binlog_purged", pod.data);
            ReplicationTrouble.assertNotStarted(replica);
        }
    }

    @Test
    void anErrantTransactionOnTheReplicaIsRefusedOnTheNextStart() throws Exception {
        DatabaseServer replica = seededReplica();
        try (LogCapture logs = LogCapture.start(); InProcessServe serve = readyServe(replica)) {
            logs.awaitLine("position check passed: the source " + source() + " has every GTID this replica needs and none is errant", WAIT);
            AppTable.writeAndAwait(primary, 200, replica);
        }
        // Someone writes on the replica: a GTID with the replica's own UUID, which the source never had.
        writeOnReplica(replica, "INSERT INTO app.messages VALUES (201, 'written on the replica')");
        String errant = replica.queryOne("SELECT @@GLOBAL.server_uuid") + ":1";

        try (LogCapture logs = LogCapture.start(); InProcessServe serve = pod.serve(replica, primary.port())) {
            ReplicationTrouble.assertRefused(serve, logs, "this replica has transactions the source " + source()
                    + " never had: errant GTIDs '" + errant + "'", "errant_transactions", pod.data);
            assertTrue(serve.get("/readyz").body().contains("mysqld started the replication threads itself: left as they are"));
            assertEquals(1.0, serve.metric("mysql_agent_replication_io_running").orElseThrow(), "the threads run, yet it is not ready");
        }
    }

    /**
     * The rebuilt primary's case (issue 17): the source lost its binary logs and GTID state under the replica, which
     * then stops with a fatal error that MySQL never retries; serve restarts the IO thread once the source holds
     * every transaction of the replica again, and not before.
     */
    @Test
    void anIoThreadStoppedByAResetSourceIsRestartedOnceTheSourceHoldsTheReplicasTransactions() throws Exception {
        DatabaseServer replica = seededReplica();
        try (LogCapture logs = LogCapture.start(); InProcessServe serve = readyServe(replica)) {
            // A transaction applied (:4), then one only retrieved into the relay log (:5): auto-positioning names both
            // to the source, and the check joins the two sets, which overlap at :4, into one text.
            AppTable.writeAndAwait(primary, 401, replica);
            replica.execute("STOP SLAVE SQL_THREAD");
            AppTable.write(primary, 402);
            await("the second write in the relay log").atMost(WAIT).until(() -> (templateUuid + ":4-5").equals(retrieved(replica)));
            // RESET MASTER alone leaves the dump thread waiting quietly (measured on 5.7.22 and 8.0.33). Woken (killed
            // here, as a clone or restart of the source ends it), it looks for the binlog after its own, which the
            // reset removed, and ends the dump with issue 17's words, "could not find next log": Last_IO_Errno 13114
            // on 8.0 (the source's 1236 inside it), 1236 itself on 5.7. Had the replica reconnected first, the source
            // would have refused it with "Replica has more GTIDs than the source has", the same numbers.
            int errno = primary.flavor() == ServerFlavor.MYSQL_5_7 ? 1236 : 13114;
            primary.execute("RESET MASTER");
            for (String id : primary.query("SELECT ID FROM information_schema.PROCESSLIST WHERE COMMAND LIKE 'Binlog Dump%'")) {
                primary.execute("KILL " + id);
            }
            String executed = replica.queryOne("SELECT @@GLOBAL.gtid_executed").replaceAll("\\s+", "");
            assertEquals(templateUuid + ":1-4", executed);
            String held = templateUuid + ":1-5";
            String replicaSays = "this replica's gtid_executed is '" + executed + "', its Retrieved_Gtid_Set '" + templateUuid + ":4-5'";
            String stopped = "replication: IO thread stopped with " + errno + " (Got fatal error 1236 from ";
            String refused = "; not restarted (errant_transactions): this replica has transactions the source " + source()
                    + " never had: errant GTIDs '" + held + "' (" + replicaSays + ")";
            logs.awaitLine(refused, WAIT);
            assertTrue(logs.text().contains(stopped), logs.text());
            serve.awaitStatus("/readyz", 503, WAIT);
            String body = serve.get("/readyz").body();
            assertTrue(body.contains("replication IO thread is not running (No): error " + errno + ": "), body);
            assertEquals("No", AppTable.slaveStatus(replica).get("Slave_IO_Running"), "not restarted while the check refuses");
            String restarts = "mysql_agent_replication_io_restarts_total{errno=\"" + errno + "\"}";
            assertEquals(0.0, serve.metric(restarts).orElseThrow());

            // What the rebuilt primary's clone gives it: every transaction of the replica (as purged GTIDs), the one
            // only retrieved included.
            primary.execute("SET GLOBAL gtid_purged = '" + held + "'");
            await("the IO thread restarted by serve").atMost(WAIT)
                    .until(() -> "Yes".equals(AppTable.slaveStatus(replica).get("Slave_IO_Running")));
            replica.execute("START SLAVE SQL_THREAD");
            AppTable.writeAndAwait(primary, 400, replica);
            assertEquals("1", replica.queryOne("SELECT COUNT(*) FROM app.messages WHERE id = 402"), "the relay log's transaction applied");
            serve.awaitStatus("/readyz", 200, WAIT);
            logs.awaitLine("IO thread restarted (", WAIT);
            String text = logs.text();
            assertTrue(text.contains("; the source " + source() + " has every GTID this replica needs and none is errant ("
                    + replicaSays + ", the source's '" + held + "'): IO thread restarted ("), text);
            assertEquals(1, LogCapture.occurrences(text, refused), "the refusal said once, not per check: " + text);
            assertEquals(1, LogCapture.occurrences(text, "IO thread restarted ("), text);
            assertEquals(2, LogCapture.occurrences(text, stopped), "the refusal and the restart: " + text);
            assertEquals(1.0, serve.metric(restarts).orElseThrow());
        }
    }

    private static String retrieved(DatabaseServer replica) {
        return AppTable.slaveStatus(replica).getOrDefault("Retrieved_Gtid_Set", "").replaceAll("\\s+", "");
    }

    @Test
    void theSqlThreadStoppedByADuplicateKeyIsReportedWithTheServersError() throws Exception {
        sourceAndSeed();
        // performance_schema on, as MySQL ships it (the test servers turn it off to save memory): 8.0's applier
        // workers report their own error there.
        DatabaseServer replica = startReplica("--performance-schema=ON");
        try (LogCapture logs = LogCapture.start(); InProcessServe serve = readyServe(replica)) {
            ReplicationTrouble.assertDuplicateKey(serve, logs, primary, replica,
                    () -> writeOnReplica(replica, "INSERT INTO app.messages VALUES (61, 'written on the replica')"),
                    // The operator's fix: remove the conflicting row on the replica, unlogged, and start the SQL thread again.
                    () -> {
                        writeOnReplica(replica, "SET SESSION sql_log_bin = 0", "DELETE FROM app.messages WHERE id = 61");
                        replica.execute("START SLAVE SQL_THREAD");
                    });
        }
    }
}
