package io.statefulset.agent.flow;

import io.statefulset.agent.testing.DatabaseServerExtension;
import io.statefulset.agent.testing.ServerFlavor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ReplicationGuardMysqlContract} on MySQL 5.7.22. */
class ReplicationGuardMysql57Test extends ReplicationGuardMysqlContract {
    @RegisterExtension
    static final DatabaseServerExtension servers = new DatabaseServerExtension(ServerFlavor.MYSQL_5_7);

    @BeforeAll
    static void freshServerToCopy() throws Exception {
        template(servers);
    }

    @Override
    DatabaseServerExtension servers() {
        return servers;
    }
}
