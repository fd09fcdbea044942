package io.statefulset.agent.clone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statefulset.agent.clone.DataDirFacts.Choice;
import io.statefulset.agent.clone.DataDirVerdict.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rules on facts shaped like what was measured on mariadb-backup 10.11 streams cut at every stage, and like the
 * Percona layouts (xtrabackup_logfile, #innodb_redo, mysql.ibd). The real-process proof is {@code InitHealTest}.
 */
class DataDirVerdictTest {
    private static final Optional<String> SERVER_REDO = Optional.of("MariaDB 10.11.19");
    private static final Optional<String> BACKUP_REDO = Optional.of("Backup 10.11.19");

    /** A data dir mariadbd created and ran on: privilege tables, its own redo log, multi-master.info. */
    private static final DataDirFacts SERVER_DIR = new DataDirFacts(Optional.empty(), List.of(), List.of(), true, SERVER_REDO,
            List.of("multi-master.info"), Optional.empty());

    @Test
    void aDataDirAServerCreatedIsADatabase() {
        assertEquals(Kind.DATABASE, DataDirVerdict.of(SERVER_DIR).kind());
        // Killed servers write no ib_buffer_pool, and a server without binary logs none of those: the redo log decides.
        assertEquals(Kind.DATABASE, kind(null, List.of(), true, SERVER_REDO, List.of()));
        assertEquals(Kind.DATABASE, kind(null, List.of(), true, Optional.of("MySQL 8.0.40"), List.of("auto.cnf", "#innodb_temp")));
    }

    @Test
    void aPreparedCloneIsADatabaseWhetherOrNotAServerRanOnIt() {
        assertEquals(Kind.DATABASE, kind("log-applied", List.of("backup-my.cnf", "xtrabackup_binlog_info"), true, BACKUP_REDO, List.of()));
        assertEquals(Kind.DATABASE, kind("full-prepared", List.of("backup-my.cnf"), true, SERVER_REDO, List.of("multi-master.info")));
    }

    @Test
    void anExtractedButUnpreparedBackupIsUnfinishedUntilAServerRanOnIt() {
        assertEquals(Kind.UNFINISHED_CLONE, kind("full-backuped", List.of("backup-my.cnf", "xtrabackup_binlog_info"), true, BACKUP_REDO, List.of()));
        assertEquals(Kind.UNFINISHED_CLONE, kind("incremental", List.of("xtrabackup_logfile"), true, Optional.empty(), List.of()));
        DataDirVerdict ran = DataDirVerdict.of(facts("full-backuped", List.of("backup-my.cnf"), true, SERVER_REDO, List.of("multi-master.info")));
        assertEquals(Kind.UNCLEAR, ran.kind());
        assertTrue(ran.found().contains("multi-master.info") && ran.found().contains("MariaDB 10.11.19"), ran.found());
    }

    @Test
    void aStreamCutBeforeThePrivilegeTablesIsUnfinishedEvenAfterAServerTriedToStartOnIt() {
        assertEquals(Kind.UNFINISHED_CLONE, kind(null, List.of(), false, Optional.empty(), List.of()));
        // mariadbd on a stream cut at 20 %: it creates ibdata1 and ib_logfile0, then aborts on the missing mysql.db.
        assertEquals(Kind.UNFINISHED_CLONE, kind(null, List.of(), false, SERVER_REDO, List.of("multi-master.info")));
    }

    @Test
    void aStreamCutAfterThePrivilegeTablesIsUnfinishedUnlessAServerRan() {
        assertEquals(Kind.UNFINISHED_CLONE, kind(null, List.of("xtrabackup_binlog_info"), true, Optional.empty(), List.of()));
        assertEquals(Kind.UNFINISHED_CLONE, kind(null, List.of(), true, BACKUP_REDO, List.of()));
        // A Percona 8.0 stream cut after mysql/ and before xtrabackup_binlog_info: no redo log at all.
        assertEquals(Kind.UNFINISHED_CLONE, kind(null, List.of(), true, Optional.empty(), List.of()));
        assertEquals(Kind.UNCLEAR, kind(null, List.of("xtrabackup_binlog_info"), true, SERVER_REDO, List.of()));
        assertEquals(Kind.UNCLEAR, kind(null, List.of(), true, BACKUP_REDO, List.of("multi-master.info")));
    }

    @Test
    void noRedoLogButSignsOfAServerOrOfACopyBackIsUnclear() {
        assertEquals(Kind.UNCLEAR, kind(null, List.of(), true, Optional.empty(), List.of("auto.cnf")));
        DataDirFacts copyBack = new DataDirFacts(Optional.empty(), List.of(), List.of("xtrabackup_info"), true, Optional.empty(),
                List.of(), Optional.empty());
        assertEquals(Kind.UNCLEAR, DataDirVerdict.of(copyBack).kind());
    }

    @Test
    void theOperatorsChoiceWins() {
        DataDirFacts unclear = facts("full-backuped", List.of(), true, SERVER_REDO, List.of("multi-master.info"));
        assertEquals(Kind.DATABASE, DataDirVerdict.of(withChoice(unclear, Choice.KEEP)).kind());
        assertEquals(Kind.UNFINISHED_CLONE, DataDirVerdict.of(withChoice(SERVER_DIR, Choice.RECLONE)).kind());
    }

    @Test
    void readsTheFactsFromDisk(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("mysql"));
        Files.writeString(dir.resolve("mysql/global_priv.frm"), "frm");
        Files.writeString(dir.resolve("xtrabackup_checkpoints"), "backup_type = full-backuped\nfrom_lsn = 0\n");
        Files.writeString(dir.resolve("xtrabackup_binlog_info"), "mysql-bin.000001\t1331\t0-1-5\n");
        byte[] redo = new byte[512];
        byte[] creator = "Backup 10.11.19".getBytes();
        System.arraycopy(creator, 0, redo, 16, creator.length);
        Files.write(dir.resolve("ib_logfile0"), redo);
        Files.writeString(dir.resolve(Choice.KEEP.file), "");
        DataDirFacts f = DataDirFacts.read(dir);
        assertEquals(Optional.of("full-backuped"), f.checkpoints());
        assertEquals(List.of("xtrabackup_binlog_info"), f.extractionOnly());
        assertTrue(f.privilegeTables());
        assertEquals(Optional.of("Backup 10.11.19"), f.redoCreator());
        assertTrue(f.redoFromBackupTool());
        assertEquals(List.of(), f.serverEvidence());
        assertEquals(Optional.of(Choice.KEEP), f.choice());
    }

    @Test
    void readsAMysql8RedoDirectory(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("#innodb_redo"));
        byte[] redo = new byte[2048];
        byte[] creator = "MySQL 8.0.40".getBytes();
        System.arraycopy(creator, 0, redo, 16, creator.length);
        Files.write(dir.resolve("#innodb_redo/#ib_redo7"), redo);
        Files.write(dir.resolve("#innodb_redo/#ib_redo8_tmp"), new byte[2048]);
        Files.write(dir.resolve("mysql.ibd"), new byte[16]);
        DataDirFacts f = DataDirFacts.read(dir);
        assertEquals(Optional.of("MySQL 8.0.40"), f.redoCreator());
        assertEquals(List.of("a redo log written by \"MySQL 8.0.40\""), f.serverEvidence());
        assertEquals(Kind.DATABASE, DataDirVerdict.of(f).kind());
    }

    private static Kind kind(String checkpoints, List<String> extractionOnly, boolean privilegeTables, Optional<String> redo,
                             List<String> marks) {
        return DataDirVerdict.of(facts(checkpoints, extractionOnly, privilegeTables, redo, marks)).kind();
    }

    private static DataDirFacts facts(String checkpoints, List<String> extractionOnly, boolean privilegeTables,
                                      Optional<String> redo, List<String> marks) {
        return new DataDirFacts(Optional.ofNullable(checkpoints), extractionOnly, List.of(), privilegeTables, redo, marks,
                Optional.empty());
    }

    private static DataDirFacts withChoice(DataDirFacts f, Choice c) {
        return new DataDirFacts(f.checkpoints(), f.extractionOnly(), f.backupInfo(), f.privilegeTables(), f.redoCreator(),
                f.serverMarks(), Optional.of(c));
    }
}
