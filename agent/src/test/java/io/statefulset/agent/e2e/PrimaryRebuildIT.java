package io.statefulset.agent.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statefulset.agent.common.protocol.PeerStatus;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
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
 * Lost volumes on a three-pod cluster ({@code bin/local-cluster lose-volume N}): a replica re-clones from the most
 * current peer, not from a lagging previous peer; the primary comes back from its replicas with every row they
 * had, and they keep replicating from it without a re-clone. The cluster's first start shows the other side: no
 * peer holds data, so mysql-0 starts empty.
 */
@Tag("e2e")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PrimaryRebuildIT {
    private static final Duration REPLICATION = Duration.ofSeconds(60);

    private LocalCluster cluster;
    private Convergence convergence;

    @RegisterExtension
    final DumpLogsOnFailure dump = new DumpLogsOnFailure(() -> cluster);

    @BeforeAll
    void up() throws Exception {
        cluster = LocalCluster.create("rebuild", LocalCluster.preferredMode());
        convergence = new Convergence(cluster);
        cluster.ok("up", "--no-demo");
        convergence.createTable(cluster.pod(0));
    }

    @AfterAll
    void down() {
        if (cluster != null) cluster.close();
    }

    private List<Pod> replicas() {
        return List.of(cluster.pod(1), cluster.pod(2));
    }

    @Test
    @Order(1)
    void theFirstStartOfANewClusterStartsThePrimaryEmpty() {
        InitLog init = new InitLog(cluster.pod(0).lastRunLog("init"));
        assertTrue(init.startedEmpty(), "mysql-0 found no peer with data and said so:\n" + init.text());
        assertEquals(Optional.empty(), init.rebuiltFrom());
    }

    @Test
    @Order(2)
    void aReplicaThatLostItsVolumeClonesFromTheCurrentPeerNotTheLaggingPreviousOne() throws Exception {
        Pod primary = cluster.pod(0);
        Pod lagging = cluster.pod(1);
        convergence.converge(primary, replicas(), "before-lag", REPLICATION);
        // A read lock holds mysql-1's SQL thread: both threads say Yes while Seconds_Behind_Master grows.
        try (Connection lock = lagging.connect(); Statement s = lock.createStatement()) {
            s.execute("LOCK TABLES " + Convergence.TABLE + " READ");
            convergence.writeMarker(primary, "lag");
            await("mysql-1's /status reports lag").atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> status(lagging).filter(st -> st.replicating() && st.lagSeconds().orElse(0) >= 2).isPresent());
            cluster.ok("lose-volume", "2");
            s.execute("UNLOCK TABLES");
        }
        InitLog init = new InitLog(cluster.pod(2).lastRunLog("init"));
        String current = cluster.peerName(0, primary.agentPort());
        assertEquals(Optional.of(current), init.clonedFrom(), "the current primary, not the lagging mysql-1:\n" + init.text());
        assertTrue(init.text().contains("donor " + current + " (primary"), "one line names the donor and why:\n" + init.text());
        convergence.converge(primary, replicas(), "after-replica-loss", REPLICATION);
    }

    @Test
    @Order(3)
    void thePrimaryThatLostItsVolumeIsRebuiltFromItsReplicasWhichKeepReplicating() throws Exception {
        Pod primary = cluster.pod(0);
        for (int i = 0; i < 50; i++) convergence.writeMarker(primary, "before-loss" + i);
        String checksum = convergence.converge(primary, replicas(), "before-loss", REPLICATION);
        String rows = primary.queryOne("SELECT COUNT(*) FROM " + Convergence.TABLE);
        List<Long> setupsBefore = replicas().stream().map(PrimaryRebuildIT::setups).toList();

        String out = cluster.ok("lose-volume", "0");
        assertTrue(out.contains("mysql-0: volume lost"), out);
        Pod rebuilt = cluster.pod(0);
        InitLog init = new InitLog(rebuilt.lastRunLog("init"));
        assertTrue(init.rebuiltFrom().isPresent(), "mysql-0 was rebuilt from a replica:\n" + init.text());
        assertEquals(rows, rebuilt.queryOne("SELECT COUNT(*) FROM " + Convergence.TABLE), "every row the replicas had");
        assertEquals(checksum, rebuilt.checksum(Convergence.TABLE));
        assertTrue(rebuilt.slaveStatus().isEmpty(), "the rebuilt primary replicates from nobody: " + rebuilt.slaveStatus());
        assertEquals("0", rebuilt.queryOne("SELECT @@read_only"), "the rebuilt primary takes writes");
        assertTrue(rebuilt.lastRunLog("serve").contains("binlog GTID state set to "), rebuilt.lastRunLog("serve"));

        convergence.converge(rebuilt, replicas(), "after-rebuild", REPLICATION);
        assertEquals(setupsBefore, replicas().stream().map(PrimaryRebuildIT::setups).toList(),
                "the replicas kept their replication: no re-clone, no new setup");
        for (Pod r : replicas()) {
            Map<String, String> st = r.slaveStatus();
            assertEquals("Yes", st.get("Slave_IO_Running"), r.name() + ": " + st);
            assertEquals("Yes", st.get("Slave_SQL_Running"), r.name() + ": " + st);
            assertEquals("Slave_Pos", st.get("Using_Gtid"), r.name() + ": " + st);
        }
    }

    /** The pod's {@code /status}; {@link Pod#httpBody} puts the HTTP status code first. */
    private static Optional<PeerStatus> status(Pod p) {
        String answer = p.httpBody("/status");
        return answer.startsWith("200 ") ? PeerStatus.parse(answer.substring(4)) : Optional.empty();
    }

    private static long setups(Pod p) {
        return p.log("serve").lines().filter(l -> l.contains("replication setup: ")).count();
    }
}
