package io.statefulset.agent.common.backuptool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RedoProtectionTest {
    static final BackupTool XTRABACKUP = new BackupTool("xtrabackup", Path.of("/usr/bin/xtrabackup"));
    static final BackupTool MARIADB = new BackupTool("mariadb-backup", Path.of("/usr/bin/mariadb-backup"));

    static Optional<ToolVersion> xtrabackup(String version) {
        return ToolVersion.parse("xtrabackup version " + version + "-1 based on MySQL server " + version + " Linux (x86_64)");
    }

    @Test
    void versionsOfBothToolsAreRead() {
        assertEquals(Optional.of(new ToolVersion(true, 8, 0, 35)),
                ToolVersion.parse("xtrabackup version 8.0.35-30 based on MySQL server 8.0.35 Linux (x86_64) (revision id: 6beb4b49)"));
        assertEquals(Optional.of(new ToolVersion(false, 10, 11, 19)),
                ToolVersion.parse("mariadb-backup based on MariaDB server 10.11.19-MariaDB debian-linux-gnu (x86_64)"));
        assertEquals(Optional.empty(), ToolVersion.parse("no version here"));
    }

    @Test
    void xtrabackupFrom8030RegistersAsARedoLogConsumer() {
        assertEquals(List.of("--register-redo-log-consumer"), new RedoProtection(XTRABACKUP, xtrabackup("8.0.30")).backupOptions());
        assertEquals(List.of("--register-redo-log-consumer"), new RedoProtection(XTRABACKUP, xtrabackup("8.4.0")).backupOptions());
        assertEquals("innodb_redo_log_capacity", new RedoProtection(XTRABACKUP, xtrabackup("8.0.35")).sizeSetting());
    }

    @Test
    void olderOrUnknownXtrabackupAndMariadbBackupGetNoOption() {
        assertEquals(List.of(), new RedoProtection(XTRABACKUP, xtrabackup("8.0.29")).backupOptions());
        assertEquals(List.of(), new RedoProtection(XTRABACKUP, xtrabackup("2.4.29")).backupOptions());
        assertEquals(List.of(), new RedoProtection(XTRABACKUP, Optional.empty()).backupOptions());
        assertEquals(List.of(), new RedoProtection(MARIADB, ToolVersion.parse("mariadb-backup based on MariaDB server 10.11.19-MariaDB")).backupOptions());
        BackupTool renamed = new BackupTool("xtrabackup", Path.of("/opt/wrapper"));
        assertEquals(List.of(), new RedoProtection(renamed, ToolVersion.parse("mariadb-backup based on MariaDB server 10.11.19-MariaDB")).backupOptions(),
                "the flavour is what --version says, not the program's name");
        assertEquals("innodb_log_file_size", new RedoProtection(MARIADB, ToolVersion.parse("10.11.19")).sizeSetting());
        assertEquals("innodb_log_file_size", new RedoProtection(XTRABACKUP, xtrabackup("8.0.29")).sizeSetting());
    }

    @Test
    void theInstalledMariadbBackupTellsItsVersion() {
        Optional<java.nio.file.Path> tool = ProgramPath.find("mariadb-backup", System.getenv());
        org.junit.jupiter.api.Assumptions.assumeTrue(tool.isPresent(), "mariadb-backup not installed");
        Optional<ToolVersion> v = ToolVersion.detect(new BackupTool("mariadb-backup", tool.get()), Map.copyOf(System.getenv()));
        assertTrue(v.isPresent() && v.get().atLeast(10, 0, 0), v.toString());
    }
}
