package io.statefulset.agent.replication.infofile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupInfoFilesTest {
    @TempDir
    Path dir;

    private void write(String name, String text) throws Exception {
        Files.writeString(dir.resolve(name), text);
    }

    @Test
    void aDataDirWithoutInfoFilesHasNoPosition() {
        assertEquals(Optional.empty(), BackupInfoFiles.read(dir));
    }

    @Test
    void binlogInfoAlone() throws Exception {
        write("xtrabackup_binlog_info", "mysql-bin.000001\t1240\t0-100-5\n");
        ClonePosition p = BackupInfoFiles.read(dir).orElseThrow();
        assertEquals("xtrabackup_binlog_info", p.infoFile());
        assertEquals(1240, p.binlog().orElseThrow().position());
    }

    @Test
    void slaveInfoWinsOverBinlogInfo() throws Exception {
        // A backup of a replica has both; the binlog file is the replica's own binlog, wrong for the primary.
        write("xtrabackup_binlog_info", "mysql-bin.000001\t328\t0-100-6\n");
        write("xtrabackup_slave_info", "CHANGE MASTER TO MASTER_LOG_FILE='mysql-bin.000001', MASTER_LOG_POS=1308;\n");
        ClonePosition p = BackupInfoFiles.read(dir).orElseThrow();
        assertEquals("xtrabackup_slave_info", p.infoFile());
        assertEquals(new BinlogPosition("mysql-bin.000001", 1308), p.binlog().orElseThrow());
    }

    @Test
    void anEmptySlaveInfoFallsBackToBinlogInfo() throws Exception {
        write("xtrabackup_slave_info", "\n  \n");
        write("xtrabackup_binlog_info", "mysql-bin.000002\t4\n");
        assertEquals("xtrabackup_binlog_info", BackupInfoFiles.read(dir).orElseThrow().infoFile());
    }

    @Test
    void mariaDb111Names() throws Exception {
        write("mariadb_backup_binlog_info", "mysql-bin.000003\t99\t0-1-2\n");
        ClonePosition p = BackupInfoFiles.read(dir).orElseThrow();
        assertEquals("mariadb_backup_binlog_info", p.infoFile());
        assertEquals("0-1-2", p.gtid().orElseThrow().text());

        write("mariadb_backup_slave_info", "SET GLOBAL gtid_slave_pos = '0-100-8';\nCHANGE MASTER TO master_use_gtid = slave_pos;\n");
        ClonePosition q = BackupInfoFiles.read(dir).orElseThrow();
        assertEquals("mariadb_backup_slave_info", q.infoFile());
        assertTrue(q.gtidPositioned());
    }

    @Test
    void aSlaveInfoOfEitherNameWinsOverABinlogInfoOfEitherName() throws Exception {
        write("mariadb_backup_binlog_info", "mysql-bin.000003\t99\n");
        write("xtrabackup_slave_info", "CHANGE MASTER TO MASTER_LOG_FILE='mysql-bin.000001', MASTER_LOG_POS=7;\n");
        assertEquals("xtrabackup_slave_info", BackupInfoFiles.read(dir).orElseThrow().infoFile());
    }

    @Test
    void anInvalidSlaveInfoIsAnErrorNotAFallback() throws Exception {
        write("xtrabackup_binlog_info", "mysql-bin.000001\t4\n");
        write("xtrabackup_slave_info", "CHANGE MASTER TO MASTER_HOST='evil';\n");
        InvalidInfoFileException e = assertThrows(InvalidInfoFileException.class, () -> BackupInfoFiles.read(dir));
        assertEquals("xtrabackup_slave_info", e.file());
    }

    @Test
    void anOversizedFileIsRefused() throws Exception {
        write("xtrabackup_binlog_info", "mysql-bin.000001\t4\t" + "0-1-2,".repeat(20_000) + "0-1-2");
        assertTrue(assertThrows(InvalidInfoFileException.class, () -> BackupInfoFiles.read(dir)).getMessage().contains("larger than"));
    }

    @Test
    void bytesThatAreNotUtf8AreRefused() throws Exception {
        Files.write(dir.resolve("xtrabackup_binlog_info"), new byte[] {'m', '.', '1', '\t', '4', (byte) 0xC3, (byte) 0x28});
        assertTrue(assertThrows(InvalidInfoFileException.class, () -> BackupInfoFiles.read(dir)).getMessage().contains("UTF-8"));
    }
}
