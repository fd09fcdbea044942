package io.statefulset.agent.replication.setup;

import io.statefulset.agent.replication.ReplicationSetupException;
import io.statefulset.agent.mysql.ReplicaServerState;
import io.statefulset.agent.replication.dialect.ReplicationDialect;
import io.statefulset.agent.replication.dialect.ReplicationDialectTest;
import io.statefulset.agent.replication.dialect.ServerVersion;
import io.statefulset.agent.replication.dialect.SqlCommand;
import io.statefulset.agent.replication.infofile.BinlogInfoParser;
import io.statefulset.agent.replication.infofile.ClonePosition;
import io.statefulset.agent.replication.infofile.SlaveInfoParser;
import static io.statefulset.agent.replication.dialect.ReplicationDialectTest.SOURCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReplicationPlannerTest {
    static final String UUID = "3e11fa47-71ca-11e1-9e33-c80aa9429562";

    private static ReplicaServerState mariaDb() {
        return new ReplicaServerState(ServerVersion.parse("10.11.19-MariaDB"), 101, true, "", false);
    }

    private static ReplicaServerState mysql(String version, boolean gtidMode, String executed, boolean superReadOnly) {
        return new ReplicaServerState(ServerVersion.parse(version), 101, gtidMode, executed, superReadOnly);
    }

    private static List<String> plan(ReplicaServerState server, ClonePosition clone, PositioningPreference pref) {
        ReplicationPlan plan = ReplicationPlanner.plan(ReplicationDialect.of(server.version()), server, clone, SOURCE, pref);
        return plan.steps().stream().map(SqlCommand::display).toList();
    }

    private static ClonePosition binlogInfo(String text) {
        return BinlogInfoParser.parse("xtrabackup_binlog_info", text);
    }

    private static ClonePosition slaveInfo(String text) {
        return SlaveInfoParser.parse("xtrabackup_slave_info", text);
    }

    @Test
    void mariaDbBinlogInfoWithGtidPrefersGtid() {
        assertEquals(List.of(
                "SET GLOBAL gtid_slave_pos = ? ['0-100-5']",
                "CHANGE MASTER TO MASTER_HOST='mysql-0.mysql', MASTER_PORT=3306, MASTER_USER='repl', MASTER_PASSWORD='****',"
                        + " MASTER_CONNECT_RETRY=10, MASTER_USE_GTID=slave_pos",
                "START SLAVE"), plan(mariaDb(), binlogInfo("mysql-bin.000001\t1240\t0-100-5"), PositioningPreference.GTID_WHEN_AVAILABLE));
    }

    @Test
    void mariaDbBinlogInfoByFileAndPosition() {
        assertEquals(List.of(
                "CHANGE MASTER TO MASTER_HOST='mysql-0.mysql', MASTER_PORT=3306, MASTER_USER='repl', MASTER_PASSWORD='****',"
                        + " MASTER_CONNECT_RETRY=10, MASTER_LOG_FILE='mysql-bin.000001', MASTER_LOG_POS=1240, MASTER_USE_GTID=no",
                "START SLAVE"), plan(mariaDb(), binlogInfo("mysql-bin.000001\t1240\t0-100-5"), PositioningPreference.FILE_POSITION));
    }

    @Test
    void aGtidOnlySlaveInfoUsesGtidWhateverThePreference() {
        List<String> steps = plan(mariaDb(), slaveInfo("SET GLOBAL gtid_slave_pos = '0-100-8';\nCHANGE MASTER TO master_use_gtid = slave_pos;"),
                PositioningPreference.FILE_POSITION);
        assertEquals("SET GLOBAL gtid_slave_pos = ? ['0-100-8']", steps.get(0));
        assertTrue(steps.get(1).endsWith("MASTER_USE_GTID=slave_pos"), steps.get(1));
    }

    @Test
    void mariaDbSlaveInfoWithoutASetKeepsTheRestoredPosition() {
        List<String> steps = plan(mariaDb(), slaveInfo("CHANGE MASTER TO master_use_gtid = slave_pos"), PositioningPreference.GTID_WHEN_AVAILABLE);
        assertEquals(2, steps.size());
        assertTrue(steps.get(0).startsWith("CHANGE MASTER TO"), steps.get(0));
    }

    @Test
    void mysql84GtidOnAFreshServer() {
        assertEquals(List.of(
                "SET GLOBAL gtid_purged = ? ['" + UUID + ":1-5']",
                "CHANGE REPLICATION SOURCE TO SOURCE_HOST='mysql-0.mysql', SOURCE_PORT=3306, SOURCE_USER='repl', SOURCE_PASSWORD='****',"
                        + " SOURCE_CONNECT_RETRY=10, GET_SOURCE_PUBLIC_KEY=1, SOURCE_AUTO_POSITION=1",
                "START REPLICA"), plan(mysql("8.4.3", true, "", false), binlogInfo("binlog.000002\t157\t" + UUID + ":1-5"),
                PositioningPreference.GTID_WHEN_AVAILABLE));
    }

    @Test
    void mysqlWithGtidsOfItsOwnIsResetFirst() {
        List<String> steps = plan(mysql("8.4.3", true, "aaaaaaaa-71ca-11e1-9e33-c80aa9429562:1-2", false),
                binlogInfo("binlog.000002\t157\t" + UUID + ":1-5"), PositioningPreference.GTID_WHEN_AVAILABLE);
        assertEquals("RESET BINARY LOGS AND GTIDS", steps.get(0));
        assertEquals("SET GLOBAL gtid_purged = ? ['" + UUID + ":1-5']", steps.get(1));
        assertEquals(4, steps.size());
    }

    @Test
    void mysqlThatAlreadyHoldsTheBackupsGtidsIsNotReset() {
        // A restored server reads gtid_executed back from mysql.gtid_executed; and a rerun after a crash sees it set.
        List<String> steps = plan(mysql("8.0.36", true, UUID.toUpperCase() + ":1-5", false),
                binlogInfo("binlog.000002\t157\t" + UUID + ":1-5"), PositioningPreference.GTID_WHEN_AVAILABLE);
        assertEquals(2, steps.size());
        assertTrue(steps.get(0).endsWith("SOURCE_AUTO_POSITION=1"), steps.get(0));
    }

    @Test
    void superReadOnlyIsLiftedAroundTheGtidStatementsOnly() {
        List<String> steps = plan(mysql("8.0.22", true, "aaaaaaaa-71ca-11e1-9e33-c80aa9429562:1-2", true),
                slaveInfo("SET GLOBAL gtid_purged='" + UUID + ":1-5';\nCHANGE MASTER TO MASTER_AUTO_POSITION=1"),
                PositioningPreference.GTID_WHEN_AVAILABLE);
        assertEquals(List.of("SET GLOBAL super_read_only = OFF", "RESET MASTER", "SET GLOBAL gtid_purged = ? ['" + UUID + ":1-5']",
                "SET GLOBAL super_read_only = ON"), steps.subList(0, 4));
        assertTrue(steps.get(4).startsWith("CHANGE MASTER TO") && steps.get(4).endsWith("MASTER_AUTO_POSITION=1"), steps.get(4));
        assertEquals("START SLAVE", steps.get(5));
    }

    @Test
    void mysqlWithoutGtidModeUsesCoordinatesEvenWhenTheBackupHadGtids() {
        List<String> steps = plan(mysql("8.0.36", false, "", false), binlogInfo("binlog.000002\t157\t" + UUID + ":1-5"),
                PositioningPreference.GTID_WHEN_AVAILABLE);
        assertEquals(2, steps.size());
        assertTrue(steps.get(0).endsWith("SOURCE_LOG_FILE='binlog.000002', SOURCE_LOG_POS=157"), steps.get(0));
    }

    @Test
    void autoPositionDemandedWithoutGtidModeIsAnErrorThatSaysWhatToSet() {
        ReplicaServerState server = mysql("8.0.36", false, "", false);
        ReplicationSetupException e = assertThrows(ReplicationSetupException.class, () -> ReplicationPlanner.plan(
                ReplicationDialect.of(server.version()), server, slaveInfo("CHANGE MASTER TO MASTER_AUTO_POSITION=1"), SOURCE,
                PositioningPreference.GTID_WHEN_AVAILABLE));
        assertTrue(e.getMessage().contains("gtid_mode=ON"), e.getMessage());
    }

    @Test
    void mysql57Coordinates() {
        assertEquals(List.of("CHANGE MASTER TO MASTER_HOST='mysql-0.mysql', MASTER_PORT=3306, MASTER_USER='repl', MASTER_PASSWORD='****',"
                        + " MASTER_CONNECT_RETRY=10, MASTER_LOG_FILE='mysql-bin.000004', MASTER_LOG_POS=154", "START SLAVE"),
                plan(mysql("5.7.44", false, "", false), binlogInfo("mysql-bin.000004\t154"), PositioningPreference.GTID_WHEN_AVAILABLE));
    }

    @Test
    void thePositioningIsNamedForTheLog() {
        ReplicaServerState server = mariaDb();
        ReplicationPlan p = ReplicationPlanner.plan(ReplicationDialect.of(server.version()), server,
                binlogInfo("mysql-bin.000001\t1240\t0-100-5"), SOURCE, PositioningPreference.FILE_POSITION);
        assertEquals("binlog mysql-bin.000001:1240", p.positioning());
    }
}
