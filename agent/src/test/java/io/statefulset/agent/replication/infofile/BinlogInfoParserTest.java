package io.statefulset.agent.replication.infofile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class BinlogInfoParserTest {
    static final String UUID_A = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
    static final String UUID_B = "4f2a0c6e-1b2d-11ef-8a55-0242ac120002";
    static final String FILE = "xtrabackup_binlog_info";

    private static ClonePosition parse(String text) {
        return BinlogInfoParser.parse(FILE, text);
    }

    @Test
    void mysqlTwoFields() {
        ClonePosition p = parse("mysql-bin.000003\t1234\n");
        assertEquals(Optional.of(new BinlogPosition("mysql-bin.000003", 1234)), p.binlog());
        assertEquals(Optional.empty(), p.gtid());
        assertFalse(p.gtidPositioned());
        assertEquals(FILE, p.infoFile());
    }

    @Test
    void mariaDbThreeFieldsAsMeasuredOnMariaDb1011() {
        ClonePosition p = parse("mysql-bin.000001\t1240\t0-100-5\n");
        assertEquals(new BinlogPosition("mysql-bin.000001", 1240), p.binlog().orElseThrow());
        GtidPosition g = p.gtid().orElseThrow();
        assertInstanceOf(GtidPosition.MariaDb.class, g);
        assertEquals("0-100-5", g.text());
    }

    @Test
    void mariaDbSeveralDomains() {
        assertEquals("0-100-5,1-101-17", parse("mysql-bin.000001\t1240\t0-100-5,1-101-17").gtid().orElseThrow().text());
    }

    @Test
    void perconaGtidSetSpanningLinesAfterCommas() {
        ClonePosition p = parse("mysql-bin.000003\t1234\t" + UUID_A + ":1-5,\n" + UUID_B + ":1-3\n");
        GtidPosition g = p.gtid().orElseThrow();
        assertInstanceOf(GtidPosition.Mysql.class, g);
        assertEquals(UUID_A + ":1-5," + UUID_B + ":1-3", g.text());
        assertEquals(1234, p.binlog().orElseThrow().position());
    }

    @Test
    void gtidSetOverThreeLinesWithIntervalsAndTags() {
        String uuidC = "a1b2c3d4-0000-1111-2222-333344445555";
        ClonePosition p = parse("binlog.000010\t157\t" + UUID_A + ":1-5:7-9,\n" + UUID_B + ":1-3,\n" + uuidC + ":batch_1:1-4\n\n");
        assertEquals(UUID_A + ":1-5:7-9," + UUID_B + ":1-3," + uuidC + ":batch_1:1-4", p.gtid().orElseThrow().text());
    }

    @Test
    void spacesInsteadOfTabsAsInThePerconaDocs() {
        ClonePosition p = parse("mysql-bin.000002    1232        " + UUID_A + ":1-4");
        assertEquals(new BinlogPosition("mysql-bin.000002", 1232), p.binlog().orElseThrow());
        assertEquals(UUID_A + ":1-4", p.gtid().orElseThrow().text());
    }

    @Test
    void emptyThirdFieldMeansNoGtid() {
        ClonePosition p = parse("binlog.000001\t157\t\n");
        assertEquals(Optional.empty(), p.gtid());
        assertEquals(157, p.binlog().orElseThrow().position());
    }

    @Test
    void blankLinesAroundAreTolerated() {
        assertEquals(new BinlogPosition("mysql-bin.000001", 4), parse("\n\nmysql-bin.000001\t4\n\n\n").binlog().orElseThrow());
    }

    @Test
    void emptyFileIsRefusedWithAHint() {
        InvalidInfoFileException e = assertThrows(InvalidInfoFileException.class, () -> parse("\n"));
        assertTrue(e.getMessage().contains("log-bin"), e.getMessage());
        assertEquals(FILE, e.file());
    }

    @Test
    void fileNameWithoutPositionIsRefused() {
        InvalidInfoFileException e = assertThrows(InvalidInfoFileException.class, () -> parse("mysql-bin.000001\n"));
        assertEquals(1, e.line());
        assertTrue(e.getMessage().contains("no position"), e.getMessage());
    }

    @Test
    void injectionThroughTheFileNameIsRefused() {
        InvalidInfoFileException e = assertThrows(InvalidInfoFileException.class,
                () -> parse("mysql-bin.000001', MASTER_HOST='evil\t4\n"));
        assertTrue(e.getMessage().startsWith(FILE + " line 1: binlog file name 'mysql-bin.000001','"), e.getMessage());
        assertTrue(e.getMessage().contains("[A-Za-z0-9._-]"), e.getMessage());
        assertTrue(e.getMessage().contains("expected <binlog file><TAB><position>"), e.getMessage());
    }

    @Test
    void quoteInTheFileNameIsRefused() {
        assertThrows(InvalidInfoFileException.class, () -> parse("mysql'bin.000001\t4"));
    }

    @Test
    void nonNumericPositionIsRefused() {
        InvalidInfoFileException e = assertThrows(InvalidInfoFileException.class, () -> parse("mysql-bin.000001\t12a4"));
        assertTrue(e.getMessage().contains("'12a4' is not a number"), e.getMessage());
    }

    @Test
    void positionBeyondLongIsRefused() {
        assertThrows(InvalidInfoFileException.class, () -> parse("mysql-bin.000001\t9999999999999999999"));
    }

    @Test
    void garbageInTheGtidFieldIsRefused() {
        InvalidInfoFileException e = assertThrows(InvalidInfoFileException.class,
                () -> parse("mysql-bin.000001\t4\t0-100-5'; DROP TABLE t; --"));
        assertTrue(e.getMessage().contains("is not a GTID position"), e.getMessage());
    }

    @Test
    void aSecondLineThatDoesNotContinueAGtidSetIsRefused() {
        InvalidInfoFileException e = assertThrows(InvalidInfoFileException.class,
                () -> parse("mysql-bin.000001\t4\t0-100-5\nmysql-bin.000002\t8\n"));
        assertEquals(2, e.line());
    }

    @Test
    void aNewlineInsideTheFileNameIsRefused() {
        assertThrows(InvalidInfoFileException.class, () -> parse("mysql-bin.\n000001\t4"));
    }

    @Test
    void blankLineInsideAGtidSetIsRefused() {
        InvalidInfoFileException e = assertThrows(InvalidInfoFileException.class,
                () -> parse("b.000001\t4\t" + UUID_A + ":1-5,\n\n" + UUID_B + ":1-3"));
        assertEquals(3, e.line());
    }

    @Test
    void trailingCommaWithNothingAfterIsRefused() {
        assertThrows(InvalidInfoFileException.class, () -> parse("b.000001\t4\t" + UUID_A + ":1-5,\n"));
    }

    @Test
    void controlCharactersAreRefusedWithTheirLine() {
        InvalidInfoFileException e = assertThrows(InvalidInfoFileException.class, () -> parse("b.000001\t4\r\n"));
        assertEquals(1, e.line());
        assertTrue(e.getMessage().contains("code 13"), e.getMessage());
        assertEquals(2, assertThrows(InvalidInfoFileException.class,
                () -> parse("b.000001\t4\t" + UUID_A + ":1-5,\n" + UUID_B + "\u0000:1-3")).line());
    }
}
