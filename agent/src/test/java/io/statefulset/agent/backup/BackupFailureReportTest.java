package io.statefulset.agent.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statefulset.agent.common.backuptool.BackupTool;
import io.statefulset.agent.common.backuptool.FailureCause;
import io.statefulset.agent.common.backuptool.RedoProtection;
import io.statefulset.agent.common.backuptool.ToolVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupFailureReportTest {
    static final RedoProtection MARIADB = new RedoProtection(new BackupTool("mariadb-backup", Path.of("/usr/bin/mariadb-backup")),
            ToolVersion.parse("mariadb-backup based on MariaDB server 10.11.19-MariaDB debian-linux-gnu (x86_64)"));
    static final List<String> WRAP = List.of("Was only able to copy log from 240273823 to 243160115, not 247274645",
            "mariabackup: Try increasing the innodb_log_file_size.");

    @Test
    void aWrappedRedoLogIsNamedWithItsNumbersAndTheSettingThatWouldHaveHeld() {
        BackupFailureReport r = BackupFailureReport.of("mariadb-backup", 1, WRAP, Duration.ofMillis(5800), MARIADB,
                OptionalLong.of(4L << 20));
        assertEquals(FailureCause.REDO_WRAP, r.cause());
        assertEquals("mariadb-backup failed (exit 1) [redo-wrap]: Was only able to copy log from 240273823 to 243160115,"
                + " not 247274645 | mariabackup: Try increasing the innodb_log_file_size. -- the donor's redo log 4 MiB"
                + " (innodb_log_file_size) wrapped: the backup needed 7.0 MB of redo, written at 1.2 MB/s during its 5.8 s;"
                + " innodb_log_file_size=8M would have held (set it on every pod that donates)", r.text());
    }

    @Test
    void anotherFailureIsTheToolsWordsWithItsExitCode() {
        BackupFailureReport r = BackupFailureReport.of("mariadb-backup", 1, List.of("Access denied for user 'root'@'127.0.0.1'"),
                Duration.ofSeconds(1), MARIADB, OptionalLong.empty());
        assertEquals(FailureCause.BACKUP_TOOL, r.cause());
        assertEquals("mariadb-backup failed (exit 1) [backup-tool]: Access denied for user 'root'@'127.0.0.1'", r.text());
    }

    @Test
    void aSilentFailureSaysSo() {
        BackupFailureReport r = BackupFailureReport.of("xtrabackup", 137, List.of(), Duration.ofSeconds(1), MARIADB, OptionalLong.empty());
        assertEquals("xtrabackup failed (exit 137) [backup-tool]: it wrote nothing to stderr", r.text());
    }

    @Test
    void oldXtrabackupIsToldAboutTheConsumerOption() {
        RedoProtection old = new RedoProtection(new BackupTool("xtrabackup", Path.of("/usr/bin/xtrabackup")), ToolVersion.parse("xtrabackup version 8.0.28-21 based on MySQL server 8.0.28 Linux (x86_64)"));
        BackupFailureReport r = BackupFailureReport.of("xtrabackup", 1, List.of("xtrabackup: error: log block numbers mismatch:"),
                Duration.ofSeconds(30), old, OptionalLong.of(96L << 20));
        assertEquals(FailureCause.REDO_WRAP, r.cause());
        assertTrue(r.text().endsWith("the donor's redo log 96 MiB (innodb_log_file_size) wrapped during the 30.0 s backup: size it"
                + " for the redo written during a backup (write rate x backup time); xtrabackup 8.0.30+ would protect the copy"
                + " (--register-redo-log-consumer)"), r.text());
    }

    @Test
    void theSettingIsAPowerOfTwoThatHoldsTheRedo() {
        assertEquals("4M", BackupFailureReport.settingValue(1));
        assertEquals("8M", BackupFailureReport.settingValue(7_000_822));
        assertEquals("128M", BackupFailureReport.settingValue(107_019_791));
        assertEquals("128M", BackupFailureReport.settingValue(128L << 20));
        assertEquals("1G", BackupFailureReport.settingValue((512L << 20) + 1));
    }

    @Test
    void redoSizeIsReadFromTheDataDir(@TempDir Path dir) throws Exception {
        assertEquals(OptionalLong.empty(), RedoLogSize.of(dir));
        Files.write(dir.resolve("ib_logfile0"), new byte[4096]);
        Files.write(dir.resolve("ib_logfile1"), new byte[4096]);
        Files.write(dir.resolve("ibdata1"), new byte[100]);
        assertEquals(OptionalLong.of(8192), RedoLogSize.of(dir));
        Path redo = Files.createDirectory(dir.resolve("#innodb_redo"));
        Files.write(redo.resolve("#ib_redo10"), new byte[1000]);
        Files.write(redo.resolve("#ib_redo11"), new byte[1000]);
        Files.write(redo.resolve("#ib_redo12_tmp"), new byte[1000]);
        assertEquals(OptionalLong.of(2000), RedoLogSize.of(dir), "MySQL 8.0.30+: the redo dir, spare files not counted");
    }
}
