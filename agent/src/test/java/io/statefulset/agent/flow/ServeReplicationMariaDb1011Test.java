package io.statefulset.agent.flow;

import io.statefulset.agent.testing.DatabaseServerExtension;
import io.statefulset.agent.testing.ServerFlavor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ServeReplicationContract} on Debian's MariaDB 10.11. */
class ServeReplicationMariaDb1011Test extends ServeReplicationContract {
    @RegisterExtension
    static final DatabaseServerExtension servers = new DatabaseServerExtension(ServerFlavor.MARIADB_10_11);

    @BeforeAll
    static void primary() throws Exception {
        startPrimary(servers);
    }

    @Override
    ServerFlavor flavor() {
        return ServerFlavor.MARIADB_10_11;
    }
}
