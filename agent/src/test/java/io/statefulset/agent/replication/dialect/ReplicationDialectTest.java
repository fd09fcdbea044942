package io.statefulset.agent.replication.dialect;

import io.statefulset.agent.replication.ReplicationSetupException;
import io.statefulset.agent.replication.SourceEndpoint;
import io.statefulset.agent.replication.infofile.BinlogPosition;
import io.statefulset.agent.replication.infofile.GtidPosition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.common.secret.Secret;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The exact statements per server family and at every version boundary. */
public class ReplicationDialectTest {
    public static final SourceEndpoint SOURCE = new SourceEndpoint(new HostPort("mysql-0.mysql", 3306), "repl",
            Optional.of(Secret.of("s3cret", "test")));
    static final BinlogPosition AT = new BinlogPosition("mysql-bin.000001", 1240);
    static final GtidPosition MYSQL_GTID = new GtidPosition.Mysql("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5");
    static final GtidPosition MARIADB_GTID = new GtidPosition.MariaDb("0-100-5");

    private static ReplicationDialect dialect(String version) {
        return ReplicationDialect.of(ServerVersion.parse(version));
    }

    private static List<String> sql(List<SqlCommand> commands) {
        return commands.stream().map(SqlCommand::sql).toList();
    }

    @Test
    void mysql57() {
        ReplicationDialect d = dialect("5.7.44-log");
        assertEquals("CHANGE MASTER TO MASTER_HOST='mysql-0.mysql', MASTER_PORT=3306, MASTER_USER='repl', MASTER_PASSWORD='s3cret',"
                + " MASTER_CONNECT_RETRY=10, MASTER_LOG_FILE='mysql-bin.000001', MASTER_LOG_POS=1240", d.changeSource(SOURCE, AT).sql());
        assertEquals("CHANGE MASTER TO MASTER_HOST='mysql-0.mysql', MASTER_PORT=3306, MASTER_USER='repl', MASTER_PASSWORD='s3cret',"
                + " MASTER_CONNECT_RETRY=10, MASTER_AUTO_POSITION=1", d.changeSourceByGtid(SOURCE).sql());
        assertEquals("START SLAVE", d.startReplica().sql());
        assertEquals("START SLAVE IO_THREAD", d.startIoThread().sql());
        assertEquals("SHOW SLAVE STATUS", d.showReplicaStatus());
        assertEquals("SHOW MASTER STATUS", d.showBinlogStatus());
        assertEquals(List.of("RESET MASTER", "SET GLOBAL gtid_purged = ?"), sql(d.setGtidPosition(MYSQL_GTID, true)));
    }

    @Test
    void mysql8022IsTheLastWithTheOldWordsAndGetsThePublicKey() {
        ReplicationDialect d = dialect("8.0.22");
        assertEquals("CHANGE MASTER TO MASTER_HOST='mysql-0.mysql', MASTER_PORT=3306, MASTER_USER='repl', MASTER_PASSWORD='s3cret',"
                + " MASTER_CONNECT_RETRY=10, GET_MASTER_PUBLIC_KEY=1, MASTER_LOG_FILE='mysql-bin.000001', MASTER_LOG_POS=1240",
                d.changeSource(SOURCE, AT).sql());
        assertEquals("START SLAVE", d.startReplica().sql());
        assertEquals("START SLAVE IO_THREAD", d.startIoThread().sql());
        assertEquals("SHOW SLAVE STATUS", d.showReplicaStatus());
    }

    @Test
    void mysql8023SwitchesToSourceWords() {
        ReplicationDialect d = dialect("8.0.23");
        assertEquals("CHANGE REPLICATION SOURCE TO SOURCE_HOST='mysql-0.mysql', SOURCE_PORT=3306, SOURCE_USER='repl',"
                + " SOURCE_PASSWORD='s3cret', SOURCE_CONNECT_RETRY=10, GET_SOURCE_PUBLIC_KEY=1, SOURCE_LOG_FILE='mysql-bin.000001',"
                + " SOURCE_LOG_POS=1240", d.changeSource(SOURCE, AT).sql());
        assertEquals("CHANGE REPLICATION SOURCE TO SOURCE_HOST='mysql-0.mysql', SOURCE_PORT=3306, SOURCE_USER='repl',"
                + " SOURCE_PASSWORD='s3cret', SOURCE_CONNECT_RETRY=10, GET_SOURCE_PUBLIC_KEY=1, SOURCE_AUTO_POSITION=1",
                d.changeSourceByGtid(SOURCE).sql());
        assertEquals("START REPLICA", d.startReplica().sql());
        assertEquals("START REPLICA IO_THREAD", d.startIoThread().sql());
        assertEquals("SHOW REPLICA STATUS", d.showReplicaStatus());
        assertEquals(List.of("RESET MASTER", "SET GLOBAL gtid_purged = ?"), sql(d.setGtidPosition(MYSQL_GTID, true)));
        assertEquals("SHOW MASTER STATUS", d.showBinlogStatus());
    }

    @Test
    void mysql84HasNoOldWordsLeft() {
        ReplicationDialect d = dialect("8.4.0");
        String change = d.changeSourceByGtid(SOURCE).sql();
        assertTrue(change.startsWith("CHANGE REPLICATION SOURCE TO SOURCE_HOST='mysql-0.mysql'"), change);
        assertFalse(change.contains("MASTER"), change);
        assertEquals("START REPLICA", d.startReplica().sql());
        assertEquals("START REPLICA IO_THREAD", d.startIoThread().sql());
        assertEquals("SHOW REPLICA STATUS", d.showReplicaStatus());
        assertEquals("SHOW BINARY LOG STATUS", d.showBinlogStatus());
        assertEquals(List.of("RESET BINARY LOGS AND GTIDS", "SET GLOBAL gtid_purged = ?"), sql(d.setGtidPosition(MYSQL_GTID, true)));
        assertEquals(List.of("SET GLOBAL gtid_purged = ?"), sql(d.setGtidPosition(MYSQL_GTID, false)));
        assertEquals(List.of(MYSQL_GTID.text()), d.setGtidPosition(MYSQL_GTID, false).get(0).parameters());
    }

    @Test
    void mysql9LikeMysql84() {
        ReplicationDialect d = dialect("9.1.0");
        assertEquals(dialect("8.4.0").changeSource(SOURCE, AT).sql(), d.changeSource(SOURCE, AT).sql());
        assertEquals("START REPLICA", d.startReplica().sql());
        assertEquals(List.of("RESET BINARY LOGS AND GTIDS", "SET GLOBAL gtid_purged = ?"), sql(d.setGtidPosition(MYSQL_GTID, true)));
    }

    @Test
    void mariaDb1011() {
        ReplicationDialect d = dialect("10.11.19-MariaDB-0+deb12u1-log");
        assertEquals("CHANGE MASTER TO MASTER_HOST='mysql-0.mysql', MASTER_PORT=3306, MASTER_USER='repl', MASTER_PASSWORD='s3cret',"
                + " MASTER_CONNECT_RETRY=10, MASTER_LOG_FILE='mysql-bin.000001', MASTER_LOG_POS=1240, MASTER_USE_GTID=no",
                d.changeSource(SOURCE, AT).sql());
        assertEquals("CHANGE MASTER TO MASTER_HOST='mysql-0.mysql', MASTER_PORT=3306, MASTER_USER='repl', MASTER_PASSWORD='s3cret',"
                + " MASTER_CONNECT_RETRY=10, MASTER_USE_GTID=slave_pos", d.changeSourceByGtid(SOURCE).sql());
        assertEquals("START SLAVE", d.startReplica().sql());
        assertEquals("SHOW SLAVE STATUS", d.showReplicaStatus());
        List<SqlCommand> gtid = d.setGtidPosition(MARIADB_GTID, true);
        assertEquals(List.of("SET GLOBAL gtid_slave_pos = ?"), sql(gtid));
        assertEquals(List.of("0-100-5"), gtid.get(0).parameters());
    }

    @Test
    void mariaDb114KeepsTheSlaveWords() {
        ReplicationDialect d = dialect("11.4.4-MariaDB");
        assertEquals(dialect("10.11.19-MariaDB").changeSourceByGtid(SOURCE).sql(), d.changeSourceByGtid(SOURCE).sql());
        assertEquals("START SLAVE", d.startReplica().sql());
    }

    @Test
    void thePasswordIsMaskedInTheDisplayedText() {
        SqlCommand c = dialect("8.4.3").changeSource(SOURCE, AT);
        assertTrue(c.sql().contains("'s3cret'"));
        assertFalse(c.display().contains("s3cret"), c.display());
        assertFalse(c.toString().contains("s3cret"), c.toString());
        assertTrue(c.display().contains("SOURCE_PASSWORD='****'"), c.display());
    }

    @Test
    void noPasswordNoPasswordOption() {
        SourceEndpoint noPassword = new SourceEndpoint(new HostPort("10.0.0.5", 3307), "root", Optional.empty());
        assertEquals("CHANGE MASTER TO MASTER_HOST='10.0.0.5', MASTER_PORT=3307, MASTER_USER='root', MASTER_CONNECT_RETRY=10,"
                + " MASTER_USE_GTID=slave_pos", dialect("10.11.19-MariaDB").changeSourceByGtid(noPassword).sql());
    }

    @Test
    void quotesAndBackslashesInValuesAreEscaped() {
        SourceEndpoint odd = new SourceEndpoint(new HostPort("db", 3306), "o'neil", Optional.of(Secret.of("a'b\\c", "test")));
        SqlCommand c = dialect("10.11.19-MariaDB").changeSourceByGtid(odd);
        assertTrue(c.sql().contains("MASTER_USER='o''neil', MASTER_PASSWORD='a''b\\\\c'"), c.sql());
    }

    @Test
    void aGtidOfTheOtherFlavorIsRefused() {
        assertThrows(ReplicationSetupException.class, () -> dialect("10.11.19-MariaDB").setGtidPosition(MYSQL_GTID, false));
        assertThrows(ReplicationSetupException.class, () -> dialect("8.0.36").setGtidPosition(MARIADB_GTID, false));
    }

    @Test
    void mariaDb114WithoutAReplicationPasswordSkipsTheCertificateCheckItCouldNotPass() {
        SourceEndpoint noPassword = new SourceEndpoint(new HostPort("mysql-0.mysql", 3306), "root", Optional.empty());
        SourceEndpoint emptyPassword = new SourceEndpoint(new HostPort("mysql-0.mysql", 3306), "root", Optional.of(Secret.of("", "test")));
        assertTrue(dialect("11.4.5-MariaDB-log").changeSourceByGtid(noPassword).sql().endsWith(", MASTER_SSL_VERIFY_SERVER_CERT=0, MASTER_USE_GTID=slave_pos"));
        assertTrue(dialect("11.4.5-MariaDB-log").changeSourceByGtid(emptyPassword).sql().contains("MASTER_SSL_VERIFY_SERVER_CERT=0"));
        assertFalse(dialect("11.4.5-MariaDB-log").changeSourceByGtid(SOURCE).sql().contains("SSL"), "a password verifies the certificate");
        assertFalse(dialect("10.11.19-MariaDB-0+deb12u1-log").changeSourceByGtid(noPassword).sql().contains("SSL"), "10.11 does not verify by default");
        assertFalse(dialect("8.0.33").changeSourceByGtid(noPassword).sql().contains("SSL"));
    }
}
