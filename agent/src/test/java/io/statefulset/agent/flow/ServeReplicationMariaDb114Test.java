package io.statefulset.agent.flow;

import io.statefulset.agent.testing.DatabaseServerExtension;
import io.statefulset.agent.testing.ServerFlavor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ServeReplicationContract} on MariaDB 11.4.5. */
class ServeReplicationMariaDb114Test extends ServeReplicationContract {
    @RegisterExtension
    static final DatabaseServerExtension servers = new DatabaseServerExtension(ServerFlavor.MARIADB_11_4);

    @BeforeAll
    static void primary() throws Exception {
        startPrimary(servers);
    }

    @Override
    ServerFlavor flavor() {
        return ServerFlavor.MARIADB_11_4;
    }
}
