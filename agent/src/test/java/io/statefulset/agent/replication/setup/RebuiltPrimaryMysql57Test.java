package io.statefulset.agent.replication.setup;

import io.statefulset.agent.testing.ServerFlavor;

/** {@link RebuiltPrimaryMysqlContract} on MySQL 5.7, which sets {@code gtid_purged} only on an empty history. */
class RebuiltPrimaryMysql57Test extends RebuiltPrimaryMysqlContract {
    RebuiltPrimaryMysql57Test() {
        super(ServerFlavor.MYSQL_5_7);
    }
}
