package io.statefulset.agent.clone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statefulset.agent.common.backuptool.BackupTool;
import io.statefulset.agent.common.backuptool.FailureCause;
import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.testing.SeededServerExtension;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The real mariadb-backup --prepare on a real backup whose redo log was cut short. */
class BackupPrepareTest {
    @RegisterExtension
    static final SeededServerExtension source = new SeededServerExtension(500);

    @Test
    void aFailedPrepareIsReportedInTheToolsOwnErrorLines(@TempDir Path dir) throws Exception {
        Path target = Files.createDirectory(dir.resolve("data"));
        Process x = new ProcessBuilder("mbstream", "-x", "-C", target.toString()).redirectInput(source.stream().toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve("mbstream.log").toFile()).start();
        assertTrue(x.waitFor(60, TimeUnit.SECONDS) && x.exitValue() == 0, Files.readString(dir.resolve("mbstream.log")));
        try (RandomAccessFile log = new RandomAccessFile(target.resolve("ib_logfile0").toFile(), "rw")) {
            log.setLength(1000); // what a cut stream would leave
        }
        BackupPrepare prepare = new BackupPrepare(BackupTool.resolve("auto", System.getenv()));
        DonorFailedException e = assertThrows(DonorFailedException.class,
                () -> prepare.run(target, dir.resolve("prepare.log"), new HostPort("mysql-0.mysql", 3307)));
        assertEquals(FailureCause.PREPARE, e.failureCause());
        String m = e.getMessage();
        assertTrue(m.contains("--prepare failed (exit 1) on the clone from mysql-0.mysql:3307 after "), m);
        assertTrue(m.contains("[ERROR] InnoDB: File ./ib_logfile0 is too small"), "InnoDB's own words: " + m);
        assertFalse(m.contains("[Note]") || m.contains("my_thread_global_end"), "no chatter: " + m);
        assertTrue(Files.readString(dir.resolve("prepare.log")).contains("[Note]"), "the log holds the whole output");
    }
}
