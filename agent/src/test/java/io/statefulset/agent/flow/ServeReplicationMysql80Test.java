package io.statefulset.agent.flow;

import io.statefulset.agent.testing.DatabaseServerExtension;
import io.statefulset.agent.testing.ServerFlavor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ServeReplicationContract} on MySQL 8.0.33. */
class ServeReplicationMysql80Test extends ServeReplicationContract {
    @RegisterExtension
    static final DatabaseServerExtension servers = new DatabaseServerExtension(ServerFlavor.MYSQL_8_0);

    @BeforeAll
    static void primary() throws Exception {
        startPrimary(servers);
    }

    @Override
    ServerFlavor flavor() {
        return ServerFlavor.MYSQL_8_0;
    }
}
