package io.statefulset.agent.flow;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statefulset.agent.testing.DatabaseServer;
import io.statefulset.agent.testing.DatabaseServerExtension;
import io.statefulset.agent.testing.LogCapture;
import io.statefulset.agent.testing.ServerFlavor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ReplicationGuardMysqlContract} on MySQL 8.0.33, and the source stopped and started (lag unknown). */
class ReplicationGuardMysql80Test extends ReplicationGuardMysqlContract {
    @RegisterExtension
    static final DatabaseServerExtension servers = new DatabaseServerExtension(ServerFlavor.MYSQL_8_0);

    @BeforeAll
    static void freshServerToCopy() throws Exception {
        template(servers);
    }

    @Override
    DatabaseServerExtension servers() {
        return servers;
    }

    // On 8.0 only: the watch reads the same status columns on 5.7, and the case waits out the 10 s connect retry.
    @Test
    void theSourceStoppedAndStartedMakesLagUnknownAndBack() throws Exception {
        DatabaseServer replica = seededReplica();
        try (LogCapture logs = LogCapture.start(); InProcessServe serve = readyServe(replica)) {
            logs.awaitLine("now ready: replica, IO and SQL threads running", WAIT);
            assertEquals(0.0, serve.metric("mysql_agent_replication_lag_seconds").orElseThrow());

            primary.stop();
            serve.awaitStatus("/readyz", 503, WAIT);
            String body = serve.get("/readyz").body();
            assertTrue(body.startsWith("not ready: replication lag is unknown: the IO thread is connecting to the source"), body);
            assertTrue(Double.isNaN(serve.metric("mysql_agent_replication_lag_seconds").orElseThrow()), "unknown lag is NaN, not 0");
            logs.awaitLine("now not ready: replication lag is unknown: the IO thread is connecting", WAIT);
            await("an IO error number in the metrics").atMost(WAIT).ignoreExceptionsInstanceOf(Exception.class)
                    .until(() -> serve.metric("mysql_agent_replication_last_error_number{thread=\"io\"}").orElseThrow() > 0);
            int errno = (int) serve.metric("mysql_agent_replication_last_error_number{thread=\"io\"}").orElseThrow();
            logs.awaitLine("replication IO thread error " + errno + " started (IO thread Connecting)", WAIT);
            await("/readyz to carry the server's error number").atMost(WAIT).ignoreExceptionsInstanceOf(Exception.class)
                    .until(() -> serve.get("/readyz").body().contains("error " + errno));

            primary.start();
            serve.awaitStatus("/readyz", 200, WAIT);
            logs.awaitLine("replication IO thread error " + errno + " cleared after", WAIT);
            AppTable.writeAndAwait(primary, 300, replica);
            assertEquals(0.0, serve.metric("mysql_agent_replication_last_error_number{thread=\"io\"}").orElseThrow());
            String text = logs.text();
            assertEquals(1, LogCapture.occurrences(text, "replication IO thread error " + errno + " started"), text);
            assertEquals(1, LogCapture.occurrences(text, "replication IO thread error " + errno + " cleared"), text);
            assertEquals(1, LogCapture.occurrences(text, "now not ready: "), text);
            assertEquals(2, LogCapture.occurrences(text, "now ready: "), text);
        }
    }
}
