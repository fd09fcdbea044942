package io.statefulset.agent.replication.infofile;

import static io.statefulset.agent.replication.infofile.BinlogInfoParserTest.UUID_A;
import static io.statefulset.agent.replication.infofile.BinlogInfoParserTest.UUID_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SlaveInfoParserTest {
    static final String FILE = "xtrabackup_slave_info";

    private static ClonePosition parse(String text) {
        return SlaveInfoParser.parse(FILE, text);
    }

    private static void assertCoordinates(String file, long pos, ClonePosition p) {
        assertEquals(Optional.of(new BinlogPosition(file, pos)), p.binlog());
        assertEquals(Optional.empty(), p.gtid());
        assertFalse(p.gtidPositioned());
    }

    private static InvalidInfoFileException refused(String text) {
        return assertThrows(InvalidInfoFileException.class, () -> parse(text));
    }

    @Test
    void mariaDbCoordinatesAsMeasuredOnMariaDb1011() {
        assertCoordinates("mysql-bin.000001", 1308, parse("CHANGE MASTER TO MASTER_LOG_FILE='mysql-bin.000001', MASTER_LOG_POS=1308;\n"));
    }

    @Test
    void coordinatesWithoutSemicolonAsOlderToolsWriteThem() {
        assertCoordinates("mysql-bin.000001", 1308, parse("CHANGE MASTER TO MASTER_LOG_FILE='mysql-bin.000001', MASTER_LOG_POS=1308\n"));
    }

    @Test
    void mariaDbGtidAsMeasuredOnMariaDb1011() {
        ClonePosition p = parse("SET GLOBAL gtid_slave_pos = '0-100-8';\nCHANGE MASTER TO master_use_gtid = slave_pos;\n");
        assertTrue(p.gtidPositioned());
        assertEquals(Optional.empty(), p.binlog());
        GtidPosition g = p.gtid().orElseThrow();
        assertInstanceOf(GtidPosition.MariaDb.class, g);
        assertEquals("0-100-8", g.text());
    }

    @Test
    void mariaDbGtidWithoutTheLastSemicolon() {
        assertEquals("0-100-8,1-7-99", parse("SET GLOBAL gtid_slave_pos = '0-100-8,1-7-99';\nCHANGE MASTER TO master_use_gtid = slave_pos\n")
                .gtid().orElseThrow().text());
    }

    @Test
    void statementsWithoutAnySemicolon() {
        ClonePosition p = parse("SET GLOBAL gtid_slave_pos = '0-100-8'\nCHANGE MASTER TO master_use_gtid = slave_pos");
        assertEquals("0-100-8", p.gtid().orElseThrow().text());
        assertTrue(p.gtidPositioned());
    }

    @Test
    void mysql57GtidFromXtraBackup24WithSpacesWhereLineBreaksWere() {
        ClonePosition p = parse("SET GLOBAL gtid_purged='" + UUID_A + ":1-5, " + UUID_B + ":1-3';\nCHANGE MASTER TO MASTER_AUTO_POSITION=1\n");
        GtidPosition g = p.gtid().orElseThrow();
        assertInstanceOf(GtidPosition.Mysql.class, g);
        assertEquals(UUID_A + ":1-5," + UUID_B + ":1-3", g.text());
        assertTrue(p.gtidPositioned());
    }

    @Test
    void mysql80CoordinatesFromXtraBackup80() {
        assertCoordinates("binlog.000002", 155, parse("CHANGE MASTER TO MASTER_LOG_FILE='binlog.000002', MASTER_LOG_POS=155;\n"));
    }

    @Test
    void mysql80GtidFromXtraBackup80() {
        ClonePosition p = parse("SET GLOBAL gtid_purged='" + UUID_A + ":1-12';\nCHANGE MASTER TO MASTER_AUTO_POSITION=1;\n");
        assertEquals(UUID_A + ":1-12", p.gtid().orElseThrow().text());
    }

    @Test
    void changeReplicationSourceCoordinates() {
        assertCoordinates("mysql-bin.000002", 1232,
                parse("CHANGE REPLICATION SOURCE TO SOURCE_LOG_FILE='mysql-bin.000002', SOURCE_LOG_POS=1232;\n"));
    }

    @Test
    void changeReplicationSourceAutoPosition() {
        ClonePosition p = parse("SET GLOBAL gtid_purged='" + UUID_A + ":1-3';\nCHANGE REPLICATION SOURCE TO SOURCE_AUTO_POSITION=1;\n");
        assertTrue(p.gtidPositioned());
        assertEquals(UUID_A + ":1-3", p.gtid().orElseThrow().text());
    }

    @Test
    void autoPositionWithoutASetUsesTheRestoredState() {
        ClonePosition p = parse("CHANGE MASTER TO MASTER_AUTO_POSITION=1;");
        assertTrue(p.gtidPositioned());
        assertEquals(Optional.empty(), p.gtid());
    }

    @Test
    void emptyGtidValueMeansNoPosition() {
        ClonePosition p = parse("SET GLOBAL gtid_purged='';\nCHANGE MASTER TO MASTER_AUTO_POSITION=1;");
        assertTrue(p.gtidPositioned());
        assertEquals(Optional.empty(), p.gtid());
    }

    @Test
    void anyCaseExtraWhitespaceAndBlankLines() {
        assertCoordinates("mysql-bin.000009", 4,
                parse("\n\n  change   master to\n\t master_log_file = 'mysql-bin.000009' ,\n\n master_log_pos=4 ;\n\n;\n"));
    }

    @Test
    void emptyConnectionNameIsTheDefaultConnection() {
        assertCoordinates("m.000001", 4, parse("CHANGE MASTER '' TO MASTER_LOG_FILE='m.000001', MASTER_LOG_POS=4;"));
    }

    @Test
    void autoPositionZeroWithCoordinates() {
        assertCoordinates("m.000001", 4, parse("CHANGE MASTER TO MASTER_AUTO_POSITION=0, MASTER_LOG_FILE='m.000001', MASTER_LOG_POS=4"));
    }

    @Test
    void injectedOptionIsRefused() {
        InvalidInfoFileException e = refused("CHANGE MASTER TO MASTER_LOG_FILE='mysql-bin.000001', MASTER_HOST='evil', MASTER_LOG_POS=4;");
        assertEquals(1, e.line());
        assertTrue(e.getMessage().contains("option MASTER_HOST is not allowed"), e.getMessage());
        assertTrue(e.getMessage().contains("expected MASTER_LOG_FILE="), e.getMessage());
    }

    @Test
    void injectionThroughAQuoteInTheValueIsRefused() {
        InvalidInfoFileException e = refused("CHANGE MASTER TO MASTER_LOG_FILE='mysql-bin.000001'', MASTER_HOST=''evil', MASTER_LOG_POS=4;");
        assertTrue(e.getMessage().contains("a quote inside a quoted value"), e.getMessage());
    }

    @Test
    void theBriefsInjectionStringInsideAFileNameIsRefused() {
        InvalidInfoFileException e = refused("CHANGE MASTER TO MASTER_LOG_FILE='mysql-bin.000001', MASTER_HOST='evil', MASTER_LOG_POS=4");
        assertTrue(e.getMessage().startsWith(FILE + " line 1:"), e.getMessage());
    }

    @Test
    void aNewlineInsideAValueIsRefused() {
        InvalidInfoFileException e = refused("CHANGE MASTER TO\nMASTER_LOG_FILE='mysql-bin.\n000001', MASTER_LOG_POS=4");
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("line break inside a quoted value"), e.getMessage());
    }

    @Test
    void aBackslashInsideAValueIsRefused() {
        assertTrue(refused("CHANGE MASTER TO MASTER_LOG_FILE='mysql-bin\\'.000001', MASTER_LOG_POS=4").getMessage().contains("backslash"));
    }

    @Test
    void anUnclosedQuoteIsRefused() {
        assertTrue(refused("CHANGE MASTER TO MASTER_LOG_FILE='mysql-bin.000001, MASTER_LOG_POS=4").getMessage().contains("never closed"));
    }

    @Test
    void anUnknownStatementIsRefused() {
        InvalidInfoFileException e = refused("DROP TABLE users;");
        assertTrue(e.getMessage().contains("unexpected 'DROP'"), e.getMessage());
        refused("DROP TABLE mysql.user;");
    }

    @Test
    void aStatementAfterTheChangeIsRefused() {
        InvalidInfoFileException e = refused("CHANGE MASTER TO MASTER_LOG_FILE='a.000001', MASTER_LOG_POS=4;\nSTART SLAVE;\n");
        assertEquals(2, e.line());
    }

    @Test
    void junkAfterAStatementIsRefused() {
        assertTrue(refused("CHANGE MASTER TO MASTER_LOG_FILE='a.000001', MASTER_LOG_POS=4 junk").getMessage().contains("after a complete statement"));
    }

    @Test
    void otherVariablesAreRefused() {
        assertTrue(refused("SET GLOBAL read_only = 'OFF'; CHANGE MASTER TO master_use_gtid = slave_pos").getMessage().contains("read_only"));
    }

    @Test
    void sessionOrUserVariablesAreRefused() {
        refused("SET @@GLOBAL.gtid_purged='" + UUID_A + ":1-3'; CHANGE MASTER TO MASTER_AUTO_POSITION=1");
        refused("SET SESSION gtid_slave_pos='0-1-2'; CHANGE MASTER TO master_use_gtid = slave_pos");
    }

    @Test
    void aGtidValueThatIsNotAGtidIsRefused() {
        InvalidInfoFileException e = refused("SET GLOBAL gtid_slave_pos = '0-100-8 OR 1=1';\nCHANGE MASTER TO master_use_gtid = slave_pos;");
        assertTrue(e.getMessage().contains("is not a GTID position"), e.getMessage());
        assertTrue(e.getMessage().contains("MariaDB GTID list"), e.getMessage());
    }

    @Test
    void twoChangeStatementsAreRefused() {
        assertTrue(refused("CHANGE MASTER TO MASTER_LOG_FILE='a.000001', MASTER_LOG_POS=4;\nCHANGE MASTER TO MASTER_LOG_FILE='a.000002', MASTER_LOG_POS=4;")
                .getMessage().contains("multi-source"));
    }

    @Test
    void namedChannelsAndConnectionsAreRefused() {
        assertTrue(refused("CHANGE MASTER TO MASTER_AUTO_POSITION=1 FOR CHANNEL 'c2';").getMessage().contains("FOR CHANNEL"));
        assertTrue(refused("CHANGE MASTER 'c2' TO master_use_gtid = slave_pos;").getMessage().contains("named connection"));
    }

    @Test
    void incompleteCoordinatesAreRefused() {
        assertTrue(refused("CHANGE MASTER TO MASTER_LOG_FILE='a.000001';").getMessage().contains("without a log position"));
        assertTrue(refused("CHANGE MASTER TO MASTER_LOG_POS=4;").getMessage().contains("without a log file"));
    }

    @Test
    void contradictionsAreRefused() {
        refused("CHANGE MASTER TO MASTER_LOG_FILE='a.000001', MASTER_LOG_POS=4, MASTER_AUTO_POSITION=1");
        refused("SET GLOBAL gtid_slave_pos = '0-1-2'; CHANGE MASTER TO MASTER_LOG_FILE='a.000001', MASTER_LOG_POS=4");
        refused("SET GLOBAL gtid_slave_pos = '0-1-2'; CHANGE MASTER TO MASTER_AUTO_POSITION=1");
        refused("SET GLOBAL gtid_purged = '" + UUID_A + ":1-3'; CHANGE MASTER TO master_use_gtid = slave_pos");
        refused("CHANGE MASTER TO MASTER_LOG_POS=4, MASTER_LOG_POS=5, MASTER_LOG_FILE='a.000001'");
    }

    @Test
    void mixedWordsAreRefused() {
        refused("CHANGE REPLICATION SOURCE TO MASTER_LOG_FILE='a.000001', MASTER_LOG_POS=4");
        refused("CHANGE MASTER TO SOURCE_LOG_FILE='a.000001', SOURCE_LOG_POS=4");
        refused("CHANGE REPLICATION SOURCE TO master_use_gtid = slave_pos");
    }

    @Test
    void currentPosIsRefused() {
        assertTrue(refused("CHANGE MASTER TO master_use_gtid = current_pos").getMessage().contains("slave_pos"));
    }

    @Test
    void aSetAloneIsRefused() {
        assertTrue(refused("SET GLOBAL gtid_slave_pos = '0-100-8';").getMessage().contains("without a CHANGE"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"hello world", "CHANGE", "CHANGE MASTER TO", "-- comment\nCHANGE MASTER TO MASTER_AUTO_POSITION=1",
            "CHANGE MASTER TO MASTER_LOG_FILE=\"a.000001\", MASTER_LOG_POS=4", "CHANGE MASTER TO MASTER_LOG_FILE='a.000001', MASTER_LOG_POS=-4",
            "CHANGE MASTER TO MASTER_AUTO_POSITION=2", "CHANGE MASTER TO MASTER_LOG_FILE='a b', MASTER_LOG_POS=4",
            "CHANGE MASTER TO MASTER_LOG_FILE='', MASTER_LOG_POS=4", ";"})
    void garbageIsRefused(String text) {
        InvalidInfoFileException e = refused(text);
        assertTrue(e.getMessage().startsWith(FILE + " line "), e.getMessage());
        assertTrue(e.getMessage().contains("expected"), e.getMessage());
    }
}
