package io.statefulset.agent.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statefulset.agent.common.backuptool.BackupTool;
import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.common.secret.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupScratchTest {
    @TempDir
    Path parent;

    @Test
    void privateDirWithAPrivateDefaultsFileGoneAfterDelete() throws Exception {
        BackupScratch scratch = BackupScratch.create(parent, Optional.of(Secret.of("pw", "test")));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(scratch.root())));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(scratch.defaultsFile())));
        assertTrue(Files.isDirectory(scratch.targetDir()));
        assertTrue(Files.isDirectory(scratch.tmpDir()));
        Files.writeString(scratch.tmpDir().resolve("ibtmp"), "tool leftovers");
        scratch.delete();
        assertFalse(Files.exists(scratch.root()));
        try (var left = Files.list(parent)) {
            assertEquals(List.of(), left.toList(), "nothing left, the lock file beside the dir included");
        }
    }

    @Test
    void passwordIsQuotedAndEscapedForTheOptionFileParser() {
        String text = BackupScratch.defaultsText(Optional.of(Secret.of("a\"b\\c #d\ne", "test")));
        assertTrue(text.contains("\n[client]\npassword=\"a\\\"b\\\\c #d\\ne\"\n"), text);
    }

    @Test
    void noPasswordMeansNoPasswordLine() {
        assertFalse(BackupScratch.defaultsText(Optional.empty()).contains("password"));
        assertFalse(BackupScratch.defaultsText(Optional.of(Secret.of("", "test"))).contains("password"));
    }

    @Test
    void defaultsFileComesFirstAndThePasswordNeverReachesArgv() throws Exception {
        BackupScratch scratch = BackupScratch.create(parent, Optional.of(Secret.of("topsecret", "test")));
        List<String> argv = new BackupCommand(new BackupTool("mariadb-backup", Path.of("/usr/bin/mariadb-backup")),
                new HostPort("10.0.0.5", 3306), "root", List.of(), 1).argv(scratch);
        assertEquals("/usr/bin/mariadb-backup", argv.get(0));
        assertEquals("--defaults-extra-file=" + scratch.defaultsFile(), argv.get(1));
        assertTrue(argv.containsAll(List.of("--backup", "--slave-info", "--stream=xbstream", "--host=10.0.0.5",
                "--port=3306", "--user=root", "--target-dir=" + scratch.targetDir(), "--tmpdir=" + scratch.tmpDir())), argv.toString());
        assertFalse(String.join(" ", argv).contains("topsecret"));
        scratch.delete();
    }
}
