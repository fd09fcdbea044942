package io.statefulset.agent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The fallback without root: pods on loopback ports with explicit --hostname/--donor/--source-* flags. Runs even as
 * root (forced loopback mode), with a root password given as MYSQL_PASSWORD, which the pods get like a Secret.
 */
@Tag("e2e")
class LoopbackClusterIT {
    private LocalCluster cluster;

    @RegisterExtension
    final DumpLogsOnFailure dump = new DumpLogsOnFailure(() -> cluster);

    @AfterEach
    void down() {
        if (cluster != null) cluster.close();
    }

    @Test
    void twoPodsOnLoopbackPortsWithAPasswordReplicateAndLeaveNothingBehind() throws Exception {
        String password = "pw-'\\\"$x";
        cluster = LocalCluster.create("loop", LocalCluster.Mode.LOOPBACK, password);
        String out = cluster.ok("up", "--pods", "2");
        assertTrue(out.contains("mysql-1> SELECT * FROM test.messages"), out);

        Pod primary = cluster.pod(0);
        Pod replica = cluster.pod(1);
        assertEquals("127.0.0.1", replica.host());
        assertEquals(primary.mysqlPort() + 10, replica.mysqlPort(), "pod N listens on base+10N");
        assertEquals(replica.mysqlPort() + 1, replica.agentPort(), "and its agent on base+10N+1");
        Pod withoutPassword = new Pod(0, primary.host(), primary.mysqlPort(), primary.agentPort(), primary.dataDir(), primary.logDir(), "");
        assertThrows(SQLException.class, () -> withoutPassword.query("SELECT 1"), "root must need the password");

        InitLog initLog = new InitLog(replica.lastRunLog("init"));
        assertEquals(Optional.of("127.0.0.1:" + primary.agentPort()), initLog.clonedFrom(), "mysql-1 clones from mysql-0's agent port:\n" + initLog.text());
        assertEquals("127.0.0.1", replica.slaveStatus().get("Master_Host"));
        assertEquals(Integer.toString(primary.mysqlPort()), replica.slaveStatus().get("Master_Port"));
        Convergence convergence = new Convergence(cluster);
        convergence.createTable(primary);
        convergence.converge(primary, List.of(replica), "loopback", Duration.ofSeconds(60));
        for (Pod p : List.of(primary, replica)) {
            String logs = p.log("init") + p.log("serve");
            assertFalse(logs.contains(password), p.name() + "'s agent logs must never print the password");
        }

        assertEquals(0, cluster.down().exitCode());
        assertEquals(List.of(), cluster.leftovers(), "after down");
    }
}
