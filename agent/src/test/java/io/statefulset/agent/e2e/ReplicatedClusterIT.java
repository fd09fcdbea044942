package io.statefulset.agent.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statefulset.agent.testing.SteadyWriter;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The README's main job, end to end: {@code bin/local-cluster up} brings up mysql-0..2 as the StatefulSet would
 * (agent init, mysqld, agent serve, each pod after the previous one is ready), then the cluster is scaled, probed,
 * restarted piece by piece and torn down. One cluster for the class; the tests run in order and each leaves it
 * healthy for the next.
 */
@Tag("e2e")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicatedClusterIT {
    private static final Duration REPLICATION = Duration.ofSeconds(60);
    /** Bytes of rows per second on mysql-0 while a pod clones: half the rate README documents, on a shared machine. */
    private static final long LOAD_RATE = 4_000_000;
    private static final long LOAD_MAX = 64_000_000;

    private LocalCluster cluster;
    private Convergence convergence;

    @RegisterExtension
    final DumpLogsOnFailure dump = new DumpLogsOnFailure(() -> cluster);

    @BeforeAll
    void up() {
        cluster = LocalCluster.create("repl", LocalCluster.preferredMode());
        convergence = new Convergence(cluster);
        String out = cluster.ok("up");
        // The demo of the README: a row written on mysql-0 is read back on mysql-2.
        assertTrue(out.contains("mysql-2> SELECT * FROM test.messages"), "up did not show the demo read on mysql-2:\n" + out);
        assertTrue(out.matches("(?s).*\\| hello from mysql-0 at [0-9T:Z-]+ \\|.*"), "mysql-2 did not return the demo row:\n" + out);
        // Each test can also run alone (-Dit.test=ReplicatedClusterIT#...): the table they write to exists from here.
        try {
            convergence.createTable(cluster.pod(0));
        } catch (java.sql.SQLException e) {
            throw new AssertionError("cannot create " + Convergence.TABLE + " on mysql-0: " + e + "\n" + cluster.diagnostics(), e);
        }
    }

    @AfterAll
    void down() {
        if (cluster != null) cluster.close();
    }

    @Test
    @Order(1)
    void threePodsReplicateARowAndAgreeOnChecksums() throws Exception {
        List<Pod> pods = cluster.pods(3);
        Pod primary = pods.get(0);
        assertEquals("100", primary.queryOne("SELECT @@server_id"), "mysql-0's server-id (offset 100 + ordinal 0)");
        assertEquals("0", primary.queryOne("SELECT @@read_only"), "the primary must be writable");
        assertTrue(primary.slaveStatus().isEmpty(), "the primary must not replicate from anyone: " + primary.slaveStatus());
        for (Pod r : pods.subList(1, 3)) {
            assertEquals(Integer.toString(100 + r.ordinal()), r.queryOne("SELECT @@server_id"), r.name() + "'s server-id");
            assertEquals("1", r.queryOne("SELECT @@read_only"), r.name() + " must be read-only (replica.cnf)");
            Map<String, String> st = r.slaveStatus();
            assertEquals(cluster.mode() == LocalCluster.Mode.NETNS ? "mysql-0.mysql" : "127.0.0.1", st.get("Master_Host"),
                    r.name() + " replicates from the primary: " + st);
            assertEquals(Integer.toString(primary.mysqlPort()), st.get("Master_Port"), r.name() + "'s source port");
        }
        convergence.createTable(primary);
        for (int i = 0; i < 20; i++) convergence.writeMarker(primary, "bulk" + i);
        String checksum = convergence.converge(primary, pods.subList(1, 3), "three", REPLICATION);
        assertFalse(checksum.isBlank() || checksum.equals("0"), "an empty table proves nothing: checksum " + checksum);
        assertEquals("21", pods.get(2).queryOne("SELECT COUNT(*) FROM " + Convergence.TABLE));
    }

    @Test
    @Order(2)
    void scaleToFourClonesFromTheHighestPodAndReplicatesFromThePrimary() throws Exception {
        String out = cluster.ok("scale", "4");
        assertTrue(out.contains("mysql-3"), out);
        List<Pod> pods = cluster.pods(4);
        Pod newPod = pods.get(3);
        InitLog initLog = new InitLog(newPod.lastRunLog("init"));
        String donor = cluster.peerName(2, pods.get(2).agentPort());
        assertEquals(Optional.of(donor), initLog.clonedFrom(), "mysql-3 clones from the highest pod, mysql-2:\n" + initLog.text());
        assertFalse(initLog.text().contains("failed"), "the first donor should have worked:\n" + initLog.text());
        Map<String, String> st = newPod.slaveStatus();
        assertEquals(cluster.mode() == LocalCluster.Mode.NETNS ? "mysql-0.mysql" : "127.0.0.1", st.get("Master_Host"),
                "mysql-3 replicates from the primary, not from its donor: " + st);
        assertEquals(Integer.toString(pods.get(0).mysqlPort()), st.get("Master_Port"));
        assertEquals("103", newPod.queryOne("SELECT @@server_id"));
        convergence.converge(pods.get(0), pods.subList(1, 4), "four", REPLICATION);
    }

    @Test
    @Order(3)
    void readyzIsFalseOnAStoppedReplicaAndTrueOnceItRunsAgain() throws Exception {
        Pod replica = cluster.pod(1);
        assertEquals(200, replica.http("/readyz"), replica.httpBody("/readyz"));
        replica.execute("STOP SLAVE");
        await("/readyz of a stopped replica fails").atMost(Duration.ofSeconds(30)).ignoreExceptionsInstanceOf(Exception.class)
                .untilAsserted(() -> assertTrue(replica.http("/readyz") == 503, cluster::diagnostics));
        assertEquals(200, replica.http("/healthz"), "mysqld still answers, so /healthz stays true: " + replica.httpBody("/healthz"));
        replica.execute("START SLAVE");
        await("/readyz true again after START SLAVE").atMost(Duration.ofSeconds(30)).ignoreExceptionsInstanceOf(Exception.class)
                .untilAsserted(() -> assertTrue(replica.http("/readyz") == 200, cluster::diagnostics));
    }

    @Test
    @Order(4)
    void readyzIsFalseOnALaggingReplicaAndTrueOnceCaughtUp() throws Exception {
        cluster.okWith(Map.of("AGENT_MAX_LAG", "1s"), "restart-agent", "2");
        Pod primary = cluster.pod(0);
        Pod replica = cluster.pod(2);
        await("mysql-2 ready after its agent restarted with --max-lag 1s").atMost(Duration.ofSeconds(30)).ignoreExceptionsInstanceOf(Exception.class)
                .untilAsserted(() -> assertTrue(replica.http("/readyz") == 200, cluster::diagnostics));
        String marker;
        // A session on the replica holds a read lock on the table: the SQL thread keeps running but cannot apply
        // the primary's insert, so the replica falls behind while both replication threads say Yes.
        try (Connection lock = replica.connect(); Statement s = lock.createStatement()) {
            s.execute("LOCK TABLES " + Convergence.TABLE + " READ");
            marker = convergence.writeMarker(primary, "lag");
            await("/readyz of a replica lagging over 1 s fails").atMost(Duration.ofSeconds(30)).ignoreExceptionsInstanceOf(Exception.class)
                .untilAsserted(() -> assertTrue(replica.http("/readyz") == 503, cluster::diagnostics));
            Map<String, String> st = replica.slaveStatus();
            assertEquals("Yes", st.get("Slave_IO_Running"), "lag, not a stopped thread, must be the reason: " + st);
            assertEquals("Yes", st.get("Slave_SQL_Running"), "lag, not a stopped thread, must be the reason: " + st);
            assertEquals("0", replica.queryOne("SELECT COUNT(*) FROM " + Convergence.TABLE + " WHERE note = '" + marker + "'"),
                    "the row must still be held back by the lock");
            s.execute("UNLOCK TABLES");
        }
        await("/readyz true again once mysql-2 caught up").atMost(Duration.ofSeconds(30)).ignoreExceptionsInstanceOf(Exception.class)
                .untilAsserted(() -> assertTrue(replica.http("/readyz") == 200, cluster::diagnostics));
        convergence.awaitMarker(List.of(replica), marker, REPLICATION);
    }

    @Test
    @Order(5)
    @Tag("slow")
    void restartingEveryAgentAndMysqldInTurnConfiguresNothingTwice() throws Exception {
        List<Pod> pods = cluster.pods(4);
        List<Map<String, String>> sourcesBefore = new ArrayList<>();
        for (Pod p : pods) sourcesBefore.add(source(p));
        for (Pod p : pods) {
            cluster.ok("restart-agent", Integer.toString(p.ordinal()));
            awaitAllReady(pods);
            cluster.ok("restart-mysqld", Integer.toString(p.ordinal()));
            awaitAllReady(pods);
        }
        for (Pod p : pods) {
            assertEquals(sourcesBefore.get(p.ordinal()), source(p), p.name() + "'s replication source changed across restarts");
        }
        for (Pod r : pods.subList(1, 4)) {
            String lastRun = r.lastRunLog("serve");
            assertTrue(lastRun.contains("replication setup: ALREADY_CONFIGURED"),
                    r.name() + "'s restarted serve should say it left replication alone:\n" + lastRun);
            long setups = r.log("serve").lines().filter(l -> l.contains("replication setup: CONFIGURED")).count();
            assertEquals(1, setups, r.name() + " configured replication " + setups + " times over all its serve runs:\n" + r.log("serve"));
        }
        convergence.converge(pods.get(0), pods.subList(1, 4), "restarted", REPLICATION);
    }

    @Test
    @Order(6)
    void scaleDownKeepsTheDataAndScaleUpReusesItWithoutCloning() throws Exception {
        Pod before = cluster.pod(3);
        cluster.ok("scale", "3");
        assertTrue(before.hasInitializedData(), "scale-down keeps mysql-3's data dir like a PVC");
        Pod primary = cluster.pod(0);
        String marker = convergence.writeMarker(primary, "while-away");
        cluster.ok("scale", "4");
        Pod back = cluster.pod(3);
        InitLog initLog = new InitLog(back.lastRunLog("init"));
        assertTrue(initLog.leftDataAlone(), "mysql-3 came back on its own data and must not clone again:\n" + initLog.text());
        convergence.awaitMarker(List.of(back), marker, REPLICATION);
        convergence.awaitEqualChecksums(primary, List.of(cluster.pod(1), cluster.pod(2), back), Convergence.TABLE, REPLICATION);
    }

    @Test
    @Order(7)
    void scaleUpWhileThePrimaryTakesSteadyWritesClonesWithTheShippedRedoLogAndEveryPodAgrees() throws Exception {
        Pod primary = cluster.pod(0);
        long during;
        String out;
        try (SteadyWriter writer = SteadyWriter.start(primary.jdbcUrl(), "root", primary.password(), LOAD_RATE, LOAD_MAX)) {
            // Writing before the scale starts: a loaded machine may be slow to run the writer's first statement,
            // and only writes that land while mysql-4 clones say anything about the shipped redo log.
            await("the writer's first rows").atMost(Duration.ofSeconds(60)).until(() -> writer.bytes() > 0);
            long before = writer.bytes();
            out = cluster.ok("scale", "5");
            during = writer.bytes() - before;
        }
        assertTrue(out.contains("mysql-4"), out);
        assertTrue(during > 0, "the writer wrote nothing while mysql-4 cloned");
        Pod newPod = cluster.pod(4);
        InitLog initLog = new InitLog(newPod.lastRunLog("init"));
        assertEquals(Optional.of(cluster.peerName(3, cluster.pod(3).agentPort())), initLog.clonedFrom(), initLog.text());
        assertFalse(initLog.text().contains("failed ["), "the shipped redo log held the writes (" + during + " bytes):\n" + initLog.text());
        List<Pod> replicas = cluster.pods(5).subList(1, 5);
        convergence.awaitEqualChecksums(primary, replicas, SteadyWriter.TABLE, REPLICATION);
        convergence.converge(primary, replicas, "loaded", REPLICATION);
    }

    @Test
    @Order(8)
    void downLeavesNothingBehind() throws Exception {
        LocalCluster.Result r = cluster.down();
        assertEquals(0, r.exitCode(), r.output());
        assertEquals(List.of(), cluster.leftovers(), "after down");
    }

    private Map<String, String> source(Pod p) throws Exception {
        Map<String, String> st = p.slaveStatus();
        if (st.isEmpty()) return Map.of();
        return Map.of("Master_Host", st.get("Master_Host"), "Master_Port", st.get("Master_Port"),
                "Master_User", st.get("Master_User"), "Using_Gtid", st.get("Using_Gtid"));
    }

    private void awaitAllReady(List<Pod> pods) {
        for (Pod p : pods) {
            await(p.name() + " ready").atMost(Duration.ofSeconds(90)).ignoreExceptionsInstanceOf(Exception.class)
                .untilAsserted(() -> assertTrue(p.http("/readyz") == 200, cluster::diagnostics));
        }
    }
}
