package io.statefulset.agent.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The donor's agent dies while a new pod clones from it. The new pod must never start mysqld on a partial copy:
 * while its init fails and retries, its data dir holds no {@code mysql/}; in the end it is a healthy replica with the
 * primary's data. Needs root: the donor's link is throttled with tc so the clone lasts long enough to be cut.
 */
@Tag("e2e")
@Tag("slow")
class DonorFailureIT {
    /** ~70 MB of incompressible rows; at 80 Mbit/s the clone from mysql-1 takes several seconds. */
    private static final int ROWS = 60_000;

    private LocalCluster cluster;

    @RegisterExtension
    final DumpLogsOnFailure dump = new DumpLogsOnFailure(() -> cluster);

    @AfterEach
    void down() {
        if (cluster != null) cluster.close();
    }

    @Test
    void aNewPodWhoseDonorDiesMidCloneRetriesAndNeverStartsOnAPartialCopy() throws Exception {
        assumeTrue(LocalCluster.isRoot(), "needs netns mode (root) to throttle the donor's link with tc");
        cluster = LocalCluster.create("donor", LocalCluster.Mode.NETNS);
        cluster.ok("up", "--pods", "2", "--no-demo");
        Pod primary = cluster.pod(0);
        Pod donor = cluster.pod(1);
        primary.execute("CREATE DATABASE e2e",
                "CREATE TABLE e2e.blobs (id INT PRIMARY KEY, b VARBINARY(1024) NOT NULL)",
                "INSERT INTO e2e.blobs SELECT seq, RANDOM_BYTES(1024) FROM e2e.seq_1_to_" + ROWS);
        Convergence convergence = new Convergence(cluster);
        convergence.awaitEqualChecksums(primary, List.of(donor), "e2e.blobs", Duration.ofSeconds(120));
        cluster.ok("shape", "1", "80mbit");

        Path out = Files.createTempFile("lc-it-scale-", ".txt");
        Process scale = cluster.start(out, Map.of("AGENT_PROGRESS_INTERVAL", "500ms"), "scale", "3");
        try {
            Pod newPod = await("mysql-2 exists").atMost(Duration.ofSeconds(60)).ignoreExceptionsInstanceOf(Exception.class)
                    .until(() -> cluster.podIfCreated(2), Optional::isPresent).orElseThrow();
            String donorAddress = cluster.peerName(1, donor.agentPort());
            await("mysql-2's init reports clone progress from " + donorAddress).atMost(Duration.ofSeconds(90)).ignoreExceptionsInstanceOf(Exception.class)
                .untilAsserted(() -> assertTrue(new InitLog(newPod.lastRunLog("init")).progressFrom(donorAddress), cluster::diagnostics));
            int logLengthAtKill = newPod.log("init").length();
            cluster.ok("kill-agent", "1");
            // The kubelet restarts a dead sidecar; the retry may go to it again or to mysql-0.
            cluster.ok("restart-agent", "1");

            // Until a retry has received and prepared a whole clone, the data dir must not look initialised.
            List<String> violations = new ArrayList<>();
            while (scale.isAlive()) {
                boolean exposed = newPod.hasInitializedData();
                boolean mysqld = Files.exists(newPod.logDir().resolve("mysqld.log"));
                InitLog sinceKill = new InitLog(newPod.log("init").substring(logLengthAtKill));
                if ((exposed || mysqld) && !sinceKill.prepared()) {
                    violations.add((exposed ? "mysql/ in the data dir" : "mysqld started") + " before a retry prepared a clone; init log since the kill:\n"
                            + sinceKill.text());
                    break;
                }
                scale.waitFor(20, TimeUnit.MILLISECONDS);
            }
            String scaleOut = Files.readString(out);
            assertEquals(0, scale.exitValue(), "scale 3 failed:\n" + scaleOut + "\n" + cluster.diagnostics());
            assertEquals(List.of(), violations, "the new pod must never expose a partial copy");
            InitLog initLog = new InitLog(newPod.lastRunLog("init"));
            assertTrue(initLog.failedFrom(donorAddress), "killing the donor's agent mid-clone must fail that attempt visibly:\n" + initLog.text());
            assertTrue(initLog.clonedFrom().isPresent(), "a retry must have completed the clone:\n" + initLog.text());

            assertEquals("mysql-0.mysql", newPod.slaveStatus().get("Master_Host"));
            convergence.awaitEqualChecksums(primary, List.of(donor, newPod), "e2e.blobs", Duration.ofSeconds(60));
            assertEquals(Integer.toString(ROWS), newPod.queryOne("SELECT COUNT(*) FROM e2e.blobs"));
            await("mysql-2 ready").atMost(Duration.ofSeconds(60)).ignoreExceptionsInstanceOf(Exception.class)
                .untilAsserted(() -> assertTrue(newPod.http("/readyz") == 200, cluster::diagnostics));
        } catch (AssertionError | Exception e) {
            e.addSuppressed(new AssertionError("output of `scale 3` so far:\n" + Files.readString(out)));
            throw e;
        } finally {
            if (scale.isAlive()) scale.destroyForcibly().waitFor();
            Files.deleteIfExists(out);
        }
    }
}
