package io.statefulset.agent.backup;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statefulset.agent.testing.ExternalCommand;
import io.statefulset.agent.testing.DatabaseServer;
import io.statefulset.agent.testing.DatabaseServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The tutorial's client, unchanged: {@code ncat --recv-only host 3307 | xbstream -x}. */
class LegacyRawStreamTest {
    @RegisterExtension
    final DatabaseServerExtension servers = new DatabaseServerExtension();

    @Test
    void ncatRecvOnlyClonesWithoutAToken() throws Exception {
        DatabaseServer db = servers.start(1);
        Shop.fill(db, 2000);
        Path work = servers.tempDir("ncat-");
        Files.createDirectory(work.resolve("clone"));
        try (TestDonor donor = TestDonor.on(db, servers.tempDir("scratch-")).rawStream(true).start()) {
            ExternalCommand pull = ExternalCommand.pipeline(work, "ncat --recv-only 127.0.0.1 " + donor.port() + " | mbstream -x -C clone");
            assertEquals(0, pull.exitCode(), pull.output());
            await("the backup to be counted").atMost(Duration.ofSeconds(10)).until(() -> donor.registry.scrape().contains("mysql_agent_backups_total{status=\"success\"} 1.0"));
        }
        assertTrue(Files.exists(work.resolve("clone/xtrabackup_binlog_info")));
        ExternalCommand prepare = ExternalCommand.run(work, List.of("mariadb-backup", "--prepare", "--target-dir=" + work.resolve("clone"), "--tmpdir=" + work));
        assertEquals(0, prepare.exitCode(), prepare.output());
        DatabaseServer restored = servers.startOn(work.resolve("clone"), 2);
        assertEquals(Shop.fingerprint(db), Shop.fingerprint(restored));
    }

    @Test
    void clientThatHalfClosesWithoutAWordStillGetsTheStream() throws Exception {
        DatabaseServer db = servers.start(1);
        Path work = servers.tempDir("ncat-");
        Files.createDirectory(work.resolve("clone"));
        try (TestDonor donor = TestDonor.on(db, servers.tempDir("scratch-")).rawStream(true).start()) {
            // Plain ncat with stdin at EOF shuts its sending side at once: silence, then half-close.
            ExternalCommand pull = ExternalCommand.pipeline(work, "ncat 127.0.0.1 " + donor.port() + " </dev/null | mbstream -x -C clone");
            assertEquals(0, pull.exitCode(), pull.output());
        }
        assertTrue(Files.exists(work.resolve("clone/xtrabackup_checkpoints")));
        assertTrue(Files.isDirectory(work.resolve("clone/mysql")));
    }

    @Test
    void busyDonorClosesARawClientAtOnceAndFinishesTheFirst() throws Exception {
        DatabaseServer db = servers.start(1);
        Shop.fill(db, 30_000);
        Path first = servers.tempDir("first-");
        Path second = servers.tempDir("second-");
        try (TestDonor donor = TestDonor.on(db, servers.tempDir("scratch-")).rawStream(true).start()) {
            Process slow = new ProcessBuilder("ncat", "--recv-only", "127.0.0.1", Integer.toString(donor.port()))
                    .directory(first.toFile()).redirectError(first.resolve("ncat.err").toFile()).start();
            await("the backup tool to start").atMost(Duration.ofSeconds(30)).until(() -> !BackupToolProcesses.running().isEmpty());

            ExternalCommand busy = ExternalCommand.pipeline(second, "ncat --recv-only 127.0.0.1 " + donor.port() + " | wc -c");
            assertEquals(0, busy.exitCode(), busy.output());
            assertEquals("0", busy.output().strip());

            Files.copy(slow.getInputStream(), first.resolve("body.xb"));
            assertEquals(0, slow.waitFor(), Files.readString(first.resolve("ncat.err")));
            Files.createDirectory(first.resolve("clone"));
            ExternalCommand extract = ExternalCommand.pipeline(first, "mbstream -x -C clone < body.xb");
            assertEquals(0, extract.exitCode(), extract.output());
            assertTrue(Files.size(first.resolve("clone/shop/items.ibd")) > 30_000_000L);
            await("the backup to be counted").atMost(Duration.ofSeconds(10)).until(() -> donor.registry.scrape().contains("mysql_agent_backups_total{status=\"success\"} 1.0"));
        }
    }

    @Test
    void failedBackupResetsTheRawClientSoItsPipelineFails() throws Exception {
        DatabaseServer db = servers.start(1);
        db.kill(); // only a dead port is needed: no clean InnoDB shutdown to wait for
        Path work = servers.tempDir("ncat-");
        try (TestDonor donor = TestDonor.on(db, servers.tempDir("scratch-")).rawStream(true).start()) {
            ExternalCommand pull = ExternalCommand.pipeline(work, "ncat --recv-only 127.0.0.1 " + donor.port() + " | wc -c");
            assertEquals(1, pull.exitCode(), pull.output());
            assertTrue(pull.output().contains("Connection reset by peer"), pull.output());
        }
    }
}
