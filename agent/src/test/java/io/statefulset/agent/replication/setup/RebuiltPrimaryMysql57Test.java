package io.statefulset.agent.replication.setup;

import io.statefulset.agent.testing.DatabaseServerExtension;
import io.statefulset.agent.testing.ServerFlavor;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link RebuiltPrimaryMysqlContract} on MySQL 5.7, which sets {@code gtid_purged} only on an empty history. */
class RebuiltPrimaryMysql57Test extends RebuiltPrimaryMysqlContract {
    @RegisterExtension
    final DatabaseServerExtension servers = new DatabaseServerExtension(ServerFlavor.MYSQL_5_7);

    @Override
    DatabaseServerExtension servers() {
        return servers;
    }

    @Override
    String extendedGtidPurged(String beyond) {
        return "gtid_purged set to the clone's gtid_executed and the backup's " + beyond + " it lacked";
    }
}
