package io.statefulset.agent.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 * The main job on MySQL: {@code bin/local-cluster up --flavor mysql80} brings up mysql-0..2 as MySQL 8.0.33 pods
 * whose replicas serve seeds with the CLONE plugin (mysqld supervised: the clone's RESTART exits 16 and comes
 * back) and which replicate by GTID. One cluster for the class, tests in order, each leaving it healthy. Needs
 * root (netns): the donor's link is throttled with tc so that its mysqld can be killed mid-clone.
 */
@Tag("e2e")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class Mysql80ClusterIT {
    private static final Duration REPLICATION = Duration.ofSeconds(90);
    /** ~32 MB of incompressible rows: at 40 Mbit/s a clone of them takes several seconds. */
    private static final int DOUBLINGS = 15;

    private LocalCluster cluster;
    private Convergence convergence;

    @RegisterExtension
    final DumpLogsOnFailure dump = new DumpLogsOnFailure(() -> cluster);

    @BeforeAll
    void up() throws Exception {
        assumeTrue(LocalCluster.isRoot(), "needs netns mode (root) to throttle a donor's link with tc");
        cluster = LocalCluster.create("my80", LocalCluster.Mode.NETNS);
        convergence = new Convergence(cluster);
        String out = cluster.ok("up", "--flavor", "mysql80");
        assertTrue(out.contains("mysql-2> SELECT * FROM test.messages"), "up did not show the demo read on mysql-2:\n" + out);
        assertTrue(out.matches("(?s).*\\| hello from mysql-0 at [0-9T:Z-]+ \\|.*"), "mysql-2 did not return the demo row:\n" + out);
        convergence.createTable(cluster.pod(0));
    }

    @AfterAll
    void down() {
        if (cluster != null) cluster.close();
    }

    @Test
    @Order(1)
    void threeMysqlPodsClonedByThePluginReplicateByGtidWithEqualChecksums() throws Exception {
        List<Pod> pods = cluster.pods(3);
        Pod primary = pods.get(0);
        assertTrue(primary.queryOne("SELECT VERSION()").startsWith("8.0.33"), "mysql-0 runs MySQL 8.0.33");
        for (Pod r : pods.subList(1, 3)) {
            String serve = r.log("serve");
            String donor = "mysql-" + (r.ordinal() - 1) + ".mysql:3306";
            assertTrue(serve.contains("clone done: cloned ") && serve.contains(" from " + donor), r.name() + " cloned from " + donor + ":\n" + serve);
            // --clone-method auto (the default): init asked the donor, which offers the plugin, and handed over.
            String init = r.log("init");
            assertTrue(init.contains("seeding method: clone-plugin from " + donor), r.name() + "'s init chose the CLONE plugin:\n" + init);
            assertTrue(serve.contains("init handed this server over for a CLONE"), r.name() + "'s serve took the hand-over:\n" + serve);
            assertTrue(r.log("mysqld").contains("mysqld exited 16 (RESTART, after a clone)"), r.name() + "'s supervisor restarted mysqld");
            Map<String, String> st = r.slaveStatus();
            assertEquals("mysql-0.mysql", st.get("Master_Host"), r.name() + " replicates from the primary: " + st);
            assertEquals("1", st.get("Auto_Position"), r.name() + " replicates by GTID: " + st);
            assertEquals("1", r.queryOne("SELECT @@super_read_only"), r.name() + " is read-only again after the clone");
        }
        for (int i = 0; i < 20; i++) convergence.writeMarker(primary, "bulk" + i);
        convergence.converge(primary, pods.subList(1, 3), "three", REPLICATION);
        String gtids = primary.queryOne("SELECT @@gtid_executed");
        for (Pod r : pods.subList(1, 3)) {
            await(r.name() + " has the primary's gtid_executed").atMost(REPLICATION).ignoreExceptionsInstanceOf(Exception.class).until(() -> r.queryOne("SELECT @@gtid_executed").equals(gtids));
        }
    }

    @Test
    @Order(2)
    void scaleToFourWhileTheDonorsMysqldIsKilledMidCloneFallsBackToTheNextDonor() throws Exception {
        Pod primary = cluster.pod(0);
        primary.execute("CREATE TABLE e2e.blobs (id INT AUTO_INCREMENT PRIMARY KEY, b VARBINARY(1024) NOT NULL)",
                "INSERT INTO e2e.blobs (b) VALUES (RANDOM_BYTES(1024))");
        for (int i = 0; i < DOUBLINGS; i++) primary.execute("INSERT INTO e2e.blobs (b) SELECT RANDOM_BYTES(1024) FROM e2e.blobs");
        convergence.awaitEqualChecksums(primary, cluster.pods(3).subList(1, 3), "e2e.blobs", REPLICATION);
        cluster.ok("shape", "2", "40mbit");

        Path out = Files.createTempFile("lc-it-scale-", ".txt");
        // --stall-timeout 5s: a CLONE that gets no data from the killed donor for 5 s is stopped, and the next donor tried.
        Process scale = cluster.start(out, Map.of("AGENT_PROGRESS_INTERVAL", "500ms", "AGENT_STALL_TIMEOUT", "5s"), "scale", "4");
        try {
            Pod newPod = await("mysql-3 exists").atMost(Duration.ofSeconds(60)).ignoreExceptionsInstanceOf(Exception.class).until(() -> cluster.podIfCreated(3), java.util.Optional::isPresent).orElseThrow();
            await("mysql-3's serve reports clone progress from mysql-2").atMost(Duration.ofSeconds(120)).ignoreExceptionsInstanceOf(Exception.class).until(() -> newPod.log("serve").lines().anyMatch(l -> l.contains("clone from mysql-2.mysql:3306: ") && l.contains(" MB received")
                            && !l.contains(": 0.0 MB received")));
            cluster.ok("kill-mysqld", "2");
            assertTrue(scale.waitFor(240, TimeUnit.SECONDS), "scale 4 did not finish:\n" + Files.readString(out));
            assertEquals(0, scale.exitValue(), "scale 4 failed:\n" + Files.readString(out) + "\n" + cluster.diagnostics());
            String serve = newPod.log("serve");
            assertTrue(serve.contains("clone from mysql-2.mysql:3306 failed [stall]: "), "the killed donor fails that attempt visibly:\n" + serve);
            assertTrue(serve.contains("clone done: cloned ") && serve.contains(" from mysql-1.mysql:3306"), "the next donor completes it:\n" + serve);
            assertEquals("mysql-0.mysql", newPod.slaveStatus().get("Master_Host"));
        } finally {
            if (scale.isAlive()) scale.destroyForcibly().waitFor();
            Files.deleteIfExists(out);
            cluster.ok("shape", "2", "off");
        }
        cluster.ok("restart-mysqld", "2");
        List<Pod> pods = cluster.pods(4);
        convergence.awaitEqualChecksums(primary, pods.subList(1, 4), "e2e.blobs", REPLICATION);
        convergence.converge(primary, pods.subList(1, 4), "four", REPLICATION);
    }

    @Test
    @Order(3)
    void readyzIsFalseOnAStoppedReplicaAndTrueOnceItRunsAgain() throws Exception {
        Pod replica = cluster.pod(3);
        assertEquals(200, replica.http("/readyz"), replica.httpBody("/readyz"));
        replica.execute("STOP REPLICA");
        await("/readyz of a stopped replica fails").atMost(Duration.ofSeconds(30)).ignoreExceptionsInstanceOf(Exception.class).until(() -> replica.http("/readyz") == 503);
        assertEquals(200, replica.http("/healthz"), replica.httpBody("/healthz"));
        replica.execute("START REPLICA");
        await("/readyz true again").atMost(Duration.ofSeconds(30)).ignoreExceptionsInstanceOf(Exception.class).until(() -> replica.http("/readyz") == 200);
    }

    @Test
    @Order(4)
    @Tag("slow")
    void restartingEveryAgentAndMysqldClonesAndConfiguresNothingTwice() throws Exception {
        List<Pod> pods = cluster.pods(4);
        for (Pod p : pods) {
            cluster.ok("restart-agent", Integer.toString(p.ordinal()));
            // As the kubelet does, the next restart comes once this one is through: serve has logged its setup.
            await(p.name() + "'s restarted serve finishing its setup").atMost(REPLICATION).ignoreExceptionsInstanceOf(Exception.class).until(() -> p.lastRunLog("serve").contains("replication setup: "));
            cluster.ok("restart-mysqld", Integer.toString(p.ordinal()));
        }
        for (Pod p : pods) await(p.name() + " ready").atMost(REPLICATION).ignoreExceptionsInstanceOf(Exception.class).until(() -> p.http("/readyz") == 200);
        for (Pod r : pods.subList(1, 4)) {
            String serve = r.log("serve");
            assertTrue(r.lastRunLog("serve").contains("replication setup: ALREADY_CONFIGURED"), r.name() + ":\n" + r.lastRunLog("serve"));
            assertEquals(1, serve.lines().filter(l -> l.contains("clone done: cloned ")).count(), r.name() + " cloned once:\n" + serve);
            assertEquals(1, serve.lines().filter(l -> l.contains("replication setup: CONFIGURED")).count(), r.name() + " configured once:\n" + serve);
            assertFalse(r.lastRunLog("serve").contains("cloning root@"), r.name() + " did not clone again");
        }
        convergence.converge(pods.get(0), pods.subList(1, 4), "restarted", REPLICATION);
    }

    /**
     * Issue 17 on MySQL: mysql-0 loses its volume; init finds the replicas hold data, one offers the CLONE plugin,
     * and hands the rebuild to serve, which clones mysql-0 from it and makes it a primary again (PrimaryRebuildIT's
     * MariaDB case, by CLONE instead of xbstream). mysql-1 is held behind meanwhile, so that the donor must be the most
     * advanced replica rather than the first by ordinal.
     */
    @Test
    @Order(5)
    void thePrimaryThatLostItsVolumeIsRebuiltByCloneFromAReplicaWhichKeepReplicating() throws Exception {
        Pod primary = cluster.pod(0);
        List<Pod> replicas = cluster.pods(4).subList(1, 4);
        Pod behind = replicas.get(0);
        for (int i = 0; i < 20; i++) convergence.writeMarker(primary, "before-loss" + i);
        convergence.converge(primary, replicas, "before-loss", REPLICATION);
        List<Long> setupsBefore = replicas.stream().map(Mysql80ClusterIT::setups).toList();

        String out;
        String checksum;
        String rows;
        // mysql-1, the first peer by ordinal (the tie-break's pick), falls behind: a read lock holds its SQL thread
        // while the last row reaches the others, so the rebuild must take a more advanced replica.
        try (Connection lock = behind.connect(); Statement s = lock.createStatement()) {
            s.execute("LOCK TABLES " + Convergence.TABLE + " READ");
            String last = convergence.writeMarker(primary, "behind");
            convergence.awaitMarker(replicas.subList(1, 3), last, REPLICATION);
            checksum = primary.checksum(Convergence.TABLE);
            rows = primary.queryOne("SELECT COUNT(*) FROM " + Convergence.TABLE);
            out = cluster.ok("lose-volume", "0");
            s.execute("UNLOCK TABLES");
        }
        assertTrue(out.contains("mysql-0: volume lost"), out);
        Pod rebuilt = cluster.pod(0);
        String init = rebuilt.lastRunLog("init");
        String handed = init.lines().filter(l -> l.contains("the primary is rebuilt by serve's CLONE from ")).findFirst()
                .orElseThrow(() -> new AssertionError("init handed the rebuild to serve:\n" + init));
        assertTrue(handed.contains("CLONE from mysql-2.") || handed.contains("CLONE from mysql-3."),
                "the most advanced replica, not mysql-1 which is behind: " + handed);
        await("mysql-0's serve to finish the rebuild").atMost(REPLICATION).ignoreExceptionsInstanceOf(Exception.class)
                .until(() -> rebuilt.lastRunLog("serve").contains("replication setup: "));
        String serve = rebuilt.lastRunLog("serve");
        assertTrue(serve.contains("clone done: cloned ") && serve.contains("rebuilt from a replica"), serve);
        assertTrue(init.contains("agent-rebuild-fence.cnf: mysqld listens on 127.0.0.1 only until serve's CLONE"), init);
        assertTrue(serve.contains("agent-rebuild-fence.cnf: the server that restarts with the clone listens on every address"), serve);
        assertEquals(rows, rebuilt.queryOne("SELECT COUNT(*) FROM " + Convergence.TABLE), "every row the replicas had");
        assertEquals(checksum, rebuilt.checksum(Convergence.TABLE));
        assertTrue(rebuilt.slaveStatus().isEmpty(), "the rebuilt primary replicates from nobody: " + rebuilt.slaveStatus());
        assertEquals("0", rebuilt.queryOne("SELECT @@read_only"), "the rebuilt primary takes writes");

        convergence.converge(rebuilt, replicas, "after-rebuild", REPLICATION);
        assertEquals(setupsBefore, replicas.stream().map(Mysql80ClusterIT::setups).toList(),
                "the replicas kept their replication: no re-clone, no new setup");
        for (Pod r : replicas) {
            Map<String, String> st = r.slaveStatus();
            assertEquals("Yes", st.get("Slave_IO_Running"), r.name() + ": " + st);
            assertEquals("Yes", st.get("Slave_SQL_Running"), r.name() + ": " + st);
            assertEquals("1", st.get("Auto_Position"), r.name() + ": " + st);
        }
    }

    private static long setups(Pod p) {
        return p.log("serve").lines().filter(l -> l.contains("replication setup: ")).count();
    }

    @Test
    @Order(6)
    void downLeavesNothingBehind() throws Exception {
        LocalCluster.Result r = cluster.down();
        assertEquals(0, r.exitCode(), r.output());
        assertEquals(List.of(), cluster.leftovers(), "after down");
    }
}
