package io.statefulset.agent.flow;

import io.statefulset.agent.testing.DatabaseServerExtension;
import io.statefulset.agent.testing.ServerFlavor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ReplicationGuardMysqlContract} on MySQL 8.0.33. */
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

    @Override
    String duplicateKeyText() {
        return "failed executing transaction";
    }
}
