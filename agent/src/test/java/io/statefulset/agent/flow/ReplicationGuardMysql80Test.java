package io.statefulset.agent.flow;

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
            ReplicationTrouble.assertSourceRestart(serve, logs, primary, replica, 300);
        }
    }
}
