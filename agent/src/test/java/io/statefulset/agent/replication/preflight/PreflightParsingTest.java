package io.statefulset.agent.replication.preflight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The small pieces of the checks that do not need a server (the checks themselves run against real ones). */
class PreflightParsingTest {
    @Test
    void mariaDbGtidListsAsTheServerPrintsThem() {
        assertEquals(List.of(), MariaDbGtid.list("", "x"), "a server without GTIDs yet");
        assertEquals(List.of(), MariaDbGtid.list(null, "x"));
        assertEquals(List.of(new MariaDbGtid(0, 100, 7), new MariaDbGtid(1, 101, 12345678901L)),
                MariaDbGtid.list("0-100-7, 1-101-12345678901", "x"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MariaDbGtid.list("0-100-7,3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5", "the source's gtid_binlog_state"));
        assertTrue(e.getMessage().startsWith("the source's gtid_binlog_state is not a MariaDB GTID list"), e.getMessage());
    }

    @Test
    void whatAMysqlReplicaHoldsIsItsExecutedSetAndWhatItsRelayLogRetrieved() {
        String u = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
        assertEquals(u + ":1-4," + u + ":4-5", MysqlGtidCheck.held(u + ":1-4", u + ":4-5"), "overlapping: the server reads it");
        assertEquals(u + ":1-4", MysqlGtidCheck.held(u + ":1-4", ""), "nothing retrieved");
        assertEquals(u + ":4-5", MysqlGtidCheck.held("", u + ":4-5"), "nothing executed yet: no leading comma");
        assertEquals("", MysqlGtidCheck.held("", ""));
    }

    @Test
    void binlogFilesCompareByTheirNumberNotTheirText() {
        assertTrue(BinlogFileCheck.olderThan("mysql-bin.000001", "mysql-bin.000003"));
        assertFalse(BinlogFileCheck.olderThan("mysql-bin.000004", "mysql-bin.000003"));
        // Past 999999 the extension grows a digit: text order would call it older.
        assertFalse(BinlogFileCheck.olderThan("mysql-bin.1000000", "mysql-bin.999999"));
        assertTrue(BinlogFileCheck.olderThan("mysql-bin.999999", "mysql-bin.1000000"));
    }
}
