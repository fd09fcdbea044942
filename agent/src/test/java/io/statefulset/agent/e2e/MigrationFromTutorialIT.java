package io.statefulset.agent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.statefulset.agent.testing.MariaDbExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
 * Mixed versions, as while a cluster is migrated pod by pod from the tutorial's bash containers to the agent:
 * mysql-0 runs the agent, mysql-1 the tutorial's bash (its clone-mysql pulls from mysql-0's agent with
 * {@code ncat --recv-only | mbstream -x}), mysql-2 the agent again (its init clones from mysql-1's bash sidecar,
 * which sends raw xbstream). Then mysql-3, bash again, clones from mysql-2's agent, a replica. Every pod must
 * replicate from mysql-0. Last, mysql-3 is a bash pod broken the tutorial's way (its clone cut mid-stream: mysql/ is
 * there, so clone-mysql skips, and mariadbd cannot start), migrated to the agent: init clones it again.
 * Needs root: the tutorial's scripts use the fixed ports and the pods' DNS names.
 */
@Tag("e2e")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MigrationFromTutorialIT {
    private static final Duration REPLICATION = Duration.ofSeconds(60);

    private LocalCluster cluster;
    private Convergence convergence;

    @RegisterExtension
    final DumpLogsOnFailure dump = new DumpLogsOnFailure(() -> cluster);

    @BeforeAll
    void up() {
        assumeTrue(LocalCluster.isRoot(), "the tutorial's bash pods need netns mode (root): they use ports 3306/3307 and mysql-N.mysql names");
        cluster = LocalCluster.create("mixed", LocalCluster.Mode.NETNS);
        convergence = new Convergence(cluster);
        cluster.ok("up", "--pods", "3", "--bash", "1", "--no-demo");
    }

    @AfterAll
    void down() {
        if (cluster != null) cluster.close();
    }

    @Test
    @Order(1)
    void aTutorialCloneFromAnAgentDonorReplicates() throws Exception {
        Pod bashPod = cluster.pod(1);
        String clone = bashPod.lastRunLog("clone-mysql");
        assertTrue(clone.contains("ncat --recv-only mysql-0.mysql 3307") && clone.contains("exited 0"),
                "mysql-1's tutorial clone-mysql should have pulled from mysql-0's agent:\n" + clone);
        assertTrue(Files.exists(bashPod.dataDir().resolve("change_master_to.sql.orig")),
                "the tutorial's sidecar set replication up from the agent's backup (change_master_to.sql.orig)");
        Map<String, String> st = bashPod.slaveStatus();
        assertEquals("mysql-0.mysql", st.get("Master_Host"), "mysql-1 replicates from the primary: " + st);
        convergence.createTable(cluster.pod(0));
        convergence.converge(cluster.pod(0), List.of(bashPod), "bash-from-agent", REPLICATION);
    }

    @Test
    @Order(2)
    void anAgentCloneFromTheTutorialsBashSidecarReplicates() throws Exception {
        Pod agentPod = cluster.pod(2);
        InitLog init = new InitLog(agentPod.lastRunLog("init"));
        assertEquals(Optional.of("mysql-1.mysql:3307"), init.clonedFrom(), "mysql-2's init should have cloned from mysql-1's bash sidecar:\n" + init.text());
        Map<String, String> st = agentPod.slaveStatus();
        assertEquals("mysql-0.mysql", st.get("Master_Host"), "mysql-2 replicates from the primary, not its bash donor: " + st);
        convergence.createTable(cluster.pod(0));
        convergence.converge(cluster.pod(0), List.of(cluster.pod(1), agentPod), "agent-from-bash", REPLICATION);
    }

    @Test
    @Order(3)
    void aTutorialCloneFromAnAgentReplicaReplicates() throws Exception {
        cluster.ok("scale", "4", "--bash");
        Pod bashPod = cluster.pod(3);
        String clone = bashPod.lastRunLog("clone-mysql");
        assertTrue(clone.contains("ncat --recv-only mysql-2.mysql 3307") && clone.contains("exited 0"),
                "mysql-3's tutorial clone-mysql should have pulled from mysql-2's agent:\n" + clone);
        // Cloned from a replica, the backup carries the replica's source position (xtrabackup_slave_info).
        String sidecar = bashPod.log("sidecar");
        assertTrue(sidecar.contains("s/;$//' xtrabackup_slave_info"), "mysql-3's sidecar should have used the slave info:\n" + sidecar);
        assertEquals("mysql-0.mysql", bashPod.slaveStatus().get("Master_Host"));
        convergence.createTable(cluster.pod(0));
        List<Pod> replicas = List.of(cluster.pod(1), cluster.pod(2), bashPod);
        convergence.converge(cluster.pod(0), replicas, "bash-from-agent-replica", REPLICATION);
    }

    @Test
    @Order(4)
    void aBashPodBrokenBeforeTheMigrationIsClonedAgainByTheAgent() throws Exception {
        Pod donor = cluster.pod(2);
        Path data = cluster.pod(3).dataDir();
        cluster.ok("scale", "3");
        // A new PVC for mysql-3, then what its clone-mysql leaves when the pod dies at 60 % of the stream.
        try (Stream<Path> entries = Files.list(data)) {
            for (Path p : entries.toList()) MariaDbExtension.deleteTree(p);
        }
        long size = Long.parseLong(shell("ncat --recv-only " + donor.host() + " " + donor.agentPort() + " | wc -c").trim());
        shell("ncat --recv-only " + donor.host() + " " + donor.agentPort() + " | head -c " + size * 60 / 100
                + " | mbstream -x -C " + data + " || true");
        assertTrue(Files.isDirectory(data.resolve("mysql")), "the cut clone left mysql/");

        LocalCluster.Result bash = cluster.run(Duration.ofMinutes(3), Map.of(), "scale", "4", "--bash");
        assertTrue(bash.exitCode() != 0, "the tutorial's pod cannot come up on its cut clone:\n" + bash.output());
        assertTrue(cluster.pod(3).lastRunLog("clone-mysql").contains("exit 0"), "clone-mysql skipped the clone (mysql/ exists)");
        assertTrue(bash.output().contains("mariadbd exited during start-up"), bash.output());

        cluster.ok("scale", "3");
        cluster.ok("scale", "4", "--agent");
        Pod migrated = cluster.pod(3);
        InitLog init = new InitLog(migrated.lastRunLog("init"));
        assertTrue(init.text().contains("aside to /var/lib/mysql/.agent-aside/"),
                "init moved the broken clone aside:\n" + init.text());
        assertEquals(Optional.of("mysql-2.mysql:3307"), init.clonedFrom(), init.text());
        try (Stream<Path> aside = Files.list(data.resolve(".agent-aside"))) {
            Path kept = aside.findFirst().orElseThrow();
            assertTrue(Files.isDirectory(kept.resolve("mysql")), "the broken clone is kept, not deleted: " + kept);
        }
        assertEquals("mysql-0.mysql", migrated.slaveStatus().get("Master_Host"));
        convergence.createTable(cluster.pod(0));
        List<Pod> replicas = List.of(cluster.pod(1), cluster.pod(2), migrated);
        convergence.converge(cluster.pod(0), replicas, "healed-bash-pod", REPLICATION);
    }

    private static String shell(String command) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", "set -o pipefail; " + command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), command);
        assertEquals(0, p.exitValue(), command);
        return out;
    }
}
