package io.statefulset.agent.backup;

import static io.statefulset.agent.common.protocol.BackupProtocol.BYTES_TRAILER;
import static io.statefulset.agent.common.protocol.BackupProtocol.CAUSE_TRAILER;
import static io.statefulset.agent.common.protocol.BackupProtocol.CRC32C_TRAILER;
import static io.statefulset.agent.common.protocol.BackupProtocol.ERROR_TRAILER;
import static io.statefulset.agent.common.protocol.BackupProtocol.SIZE_ESTIMATE_HEADER;
import static io.statefulset.agent.common.protocol.BackupProtocol.STATUS_TRAILER;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statefulset.agent.testing.ExternalCommand;
import io.statefulset.agent.testing.DatabaseServer;
import io.statefulset.agent.testing.DatabaseServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code GET /backup} with the real curl, real mariadb-backup and a real mariadbd. */
class BackupHttpTest {
    private static final String TOKEN = "s3cret-token";
    // Quote, backslash, '#' and a space: each one breaks a carelessly written defaults file.
    private static final String PASSWORD = "p\"a\\ss #w0rd";

    @RegisterExtension
    final DatabaseServerExtension servers = new DatabaseServerExtension();

    private static void createBackupUser(DatabaseServer db) {
        db.execute("CREATE USER 'backup'@'%' IDENTIFIED BY '" + PASSWORD.replace("\\", "\\\\").replace("'", "''") + "'",
                "GRANT ALL ON *.* TO 'backup'@'%'");
    }

    private static Process curl(Path dir, String url, String... extra) throws Exception {
        List<String> argv = new java.util.ArrayList<>(List.of("curl", "-sS", "-D", "headers.txt"));
        argv.addAll(List.of(extra));
        argv.add(url);
        return new ProcessBuilder(argv).directory(dir.toFile()).redirectError(dir.resolve("curl.err").toFile()).start();
    }

    @Test
    void curlWithTheTokenPullsABackupThatRestores() throws Exception {
        DatabaseServer db = servers.start(1);
        Shop.fill(db, 2000);
        createBackupUser(db);
        Path work = servers.tempDir("curl-");
        Files.createDirectory(work.resolve("clone"));
        try (TestDonor donor = TestDonor.on(db, servers.tempDir("scratch-")).token(TOKEN).user("backup", PASSWORD).start()) {
            ExternalCommand pull = ExternalCommand.pipeline(work, "curl -sS --fail -D headers.txt -H 'Authorization: Bearer "
                    + TOKEN + "' " + donor.url("/backup") + " | tee body.xb | mbstream -x -C clone");
            assertEquals(0, pull.exitCode(), pull.output());

            CurlDump dump = CurlDump.read(work.resolve("headers.txt"));
            assertEquals(200, dump.status());
            assertEquals("application/octet-stream", dump.header("content-type").orElseThrow());
            assertEquals("chunked", dump.header("transfer-encoding").orElseThrow());
            assertTrue(Long.parseLong(dump.header(SIZE_ESTIMATE_HEADER).orElseThrow()) > 0);
            StreamDigest body = StreamDigest.of(work.resolve("body.xb"));
            assertEquals("success", dump.trailer(STATUS_TRAILER).orElseThrow(), dump.trailers().toString());
            assertEquals(Long.toString(body.bytes()), dump.trailer(BYTES_TRAILER).orElseThrow());
            assertEquals(body.crc32c(), dump.trailer(CRC32C_TRAILER).orElseThrow());
            assertTrue(dump.trailer(ERROR_TRAILER).isEmpty(), dump.trailers().toString());
            assertTrue(donor.scratchDirs().isEmpty(), "scratch dir left: " + donor.scratchDirs());
        }
        ExternalCommand prepare = ExternalCommand.run(work, List.of("mariadb-backup", "--prepare", "--target-dir=" + work.resolve("clone"), "--tmpdir=" + work));
        assertEquals(0, prepare.exitCode(), prepare.output());
        DatabaseServer restored = servers.startOn(work.resolve("clone"), 2);
        assertEquals(Shop.fingerprint(db), Shop.fingerprint(restored));
    }

    @Test
    void wrongOrMissingTokenGets401AndNoBytes() throws Exception {
        DatabaseServer db = servers.start(1);
        Path work = servers.tempDir("token-");
        try (TestDonor donor = TestDonor.on(db, servers.tempDir("scratch-")).token(TOKEN).start()) {
            for (String header : List.of("X-None: 1", "Authorization: Bearer wrong-token", "Authorization: Basic " + TOKEN,
                    "Authorization: Bearer " + TOKEN + "x")) {
                ExternalCommand c = ExternalCommand.run(work, List.of("curl", "-sS", "-D", "headers.txt", "-o", "body",
                        "-H", header, donor.url("/backup")));
                assertEquals(0, c.exitCode(), c.output());
                CurlDump dump = CurlDump.read(work.resolve("headers.txt"));
                assertEquals(401, dump.status(), header);
                assertTrue(dump.header("www-authenticate").orElseThrow().startsWith("Bearer"));
                assertEquals(0, Files.size(work.resolve("body")), header);
            }
            // The tutorial's silent client gets nothing once a token guards the donor.
            ExternalCommand raw = ExternalCommand.pipeline(work, "ncat --recv-only 127.0.0.1 " + donor.port() + " | wc -c");
            assertEquals(0, raw.exitCode(), raw.output());
            assertEquals("0", raw.output().strip());
            assertTrue(donor.registry.scrape().contains("mysql_agent_backups_total{status=\"success\"} 0.0"));
        }
        // An empty token file would make "Bearer " with nothing after it a valid credential.
        IllegalArgumentException empty = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> TestDonor.on(db, work).token("").start());
        assertTrue(empty.getMessage().contains("is empty"), empty.getMessage());
    }

    @Test
    void secondClientGets503WhileTheFirstCompletesIntact() throws Exception {
        DatabaseServer db = servers.start(1);
        Shop.fill(db, 30_000); // bigger than every buffer between the tool and a client that stops reading
        createBackupUser(db);
        Path first = servers.tempDir("first-");
        Path second = servers.tempDir("second-");
        try (TestDonor donor = TestDonor.on(db, servers.tempDir("scratch-")).user("backup", PASSWORD).start()) {
            Process slow = curl(first, donor.url("/backup")); // its stdout is not read yet: the stream stalls
            await("the backup tool to start").atMost(Duration.ofSeconds(30)).until(() -> !BackupToolProcesses.running().isEmpty());

            ProcessHandle tool = BackupToolProcesses.running().get(0);
            List<String> args = List.of(tool.info().arguments().orElseThrow());
            assertTrue(args.get(0).startsWith("--defaults-extra-file="), args.toString());
            assertFalse(String.join(" ", args).contains(PASSWORD), "password on the tool's command line");
            Path defaults = Path.of(args.get(0).substring("--defaults-extra-file=".length()));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(defaults)));

            ExternalCommand busy = ExternalCommand.run(second, List.of("curl", "-sS", "-D", "headers.txt", "-o", "body", donor.url("/backup")));
            assertEquals(0, busy.exitCode(), busy.output());
            CurlDump refused = CurlDump.read(second.resolve("headers.txt"));
            assertEquals(503, refused.status());
            assertTrue(Long.parseLong(refused.header("retry-after").orElseThrow()) >= 1);
            assertTrue(Files.readString(second.resolve("body")).contains("another backup is running"));

            StreamDigest body = StreamDigest.of(slow.getInputStream());
            assertEquals(0, slow.waitFor(), Files.readString(first.resolve("curl.err")));
            CurlDump dump = CurlDump.read(first.resolve("headers.txt"));
            assertEquals(200, dump.status());
            assertEquals("success", dump.trailer(STATUS_TRAILER).orElseThrow(), dump.trailers().toString());
            assertEquals(Long.toString(body.bytes()), dump.trailer(BYTES_TRAILER).orElseThrow());
            assertEquals(body.crc32c(), dump.trailer(CRC32C_TRAILER).orElseThrow());
            assertTrue(body.bytes() > 30_000_000L, "stream of " + body.bytes() + " bytes");
            await("the scratch dir to go").atMost(Duration.ofSeconds(10)).until(() -> donor.scratchDirs().isEmpty());
        }
    }

    @Test
    void deadMysqldReachesTheClientAsAFailedTrailer() throws Exception {
        DatabaseServer db = servers.start(1);
        db.kill(); // only a dead port is needed: no clean InnoDB shutdown to wait for
        Path work = servers.tempDir("dead-");
        try (TestDonor donor = TestDonor.on(db, servers.tempDir("scratch-")).start()) {
            ExternalCommand c = ExternalCommand.run(work, List.of("curl", "-sS", "-D", "headers.txt", "-o", "body", donor.url("/backup")));
            assertEquals(0, c.exitCode(), c.output());
            CurlDump dump = CurlDump.read(work.resolve("headers.txt"));
            assertEquals(200, dump.status());
            assertEquals("failed", dump.trailer(STATUS_TRAILER).orElseThrow());
            String error = dump.trailer(ERROR_TRAILER).orElseThrow();
            assertTrue(error.contains("Failed to connect to MariaDB server") && error.contains("Connection refused"), error);
            assertTrue(error.startsWith("mariadb-backup failed (exit 1) [backup-tool]: "), error);
            assertEquals("backup-tool", dump.trailer(CAUSE_TRAILER).orElseThrow());
            assertEquals(Long.toString(Files.size(work.resolve("body"))), dump.trailer(BYTES_TRAILER).orElseThrow());
            assertTrue(donor.registry.scrape().contains("mysql_agent_backups_total{status=\"failed\"} 1.0"));
            assertTrue(donor.registry.scrape().contains("mysql_agent_backup_failures_total{cause=\"backup-tool\"} 1.0"));
            assertTrue(donor.registry.scrape().contains("mysql_agent_backup_failures_total{cause=\"redo-wrap\"} 0.0"));
        }
    }

    @Test
    void http10ClientGetsThePlainStreamUntilClose() throws Exception {
        DatabaseServer db = servers.start(1);
        Path work = servers.tempDir("http10-");
        Files.createDirectory(work.resolve("clone"));
        try (TestDonor donor = TestDonor.on(db, servers.tempDir("scratch-")).start()) {
            ExternalCommand pull = ExternalCommand.pipeline(work, "curl -sS --fail --http1.0 -D headers.txt "
                    + donor.url("/backup") + " | mbstream -x -C clone");
            assertEquals(0, pull.exitCode(), pull.output());
            CurlDump dump = CurlDump.read(work.resolve("headers.txt"));
            assertEquals(200, dump.status());
            assertTrue(dump.header("transfer-encoding").isEmpty(), dump.headers().toString());
            assertTrue(dump.trailers().isEmpty(), dump.trailers().toString());
        }
        assertTrue(Files.exists(work.resolve("clone/xtrabackup_checkpoints")));
    }

    @Test
    void missingBackupToolIs500SayingWhatToInstall() throws Exception {
        DatabaseServer db = servers.start(1);
        Path work = servers.tempDir("notool-");
        try (TestDonor donor = TestDonor.on(db, servers.tempDir("scratch-")).backupTool("/nonexistent/xtrabackup").start()) {
            ExternalCommand c = ExternalCommand.run(work, List.of("curl", "-sS", "-D", "headers.txt", "-o", "body", donor.url("/backup")));
            assertEquals(0, c.exitCode(), c.output());
            assertEquals(500, CurlDump.read(work.resolve("headers.txt")).status());
            String body = Files.readString(work.resolve("body"));
            assertTrue(body.contains("no backup tool found") && body.contains("--backup-tool") && body.contains("--clone-method clone-plugin"), body);
            assertTrue(donor.scratchDirs().isEmpty());
            await("the failure to be counted").atMost(Duration.ofSeconds(10)).until(() -> donor.registry.scrape().contains("mysql_agent_backups_total{status=\"failed\"} 1.0"));
        }
    }
}
