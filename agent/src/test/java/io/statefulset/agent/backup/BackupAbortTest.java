package io.statefulset.agent.backup;

import static io.statefulset.agent.common.protocol.BackupProtocol.BYTES_TRAILER;
import static io.statefulset.agent.common.protocol.BackupProtocol.CRC32C_TRAILER;
import static io.statefulset.agent.common.protocol.BackupProtocol.ERROR_TRAILER;
import static io.statefulset.agent.common.protocol.BackupProtocol.STATUS_TRAILER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statefulset.agent.testing.MariaDb;
import io.statefulset.agent.testing.MariaDbExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A backup that cannot finish: the client vanishes, or the donor is told to stop. */
class BackupAbortTest {
    @RegisterExtension
    final MariaDbExtension servers = new MariaDbExtension();

    /** A real curl whose stdout nobody reads yet, so the stream stalls mid-way with the tool running. */
    static Process stalledCurl(Path dir, TestDonor donor) throws Exception {
        Process curl = new ProcessBuilder("curl", "-sS", "-D", "headers.txt", donor.url("/backup"))
                .directory(dir.toFile()).redirectError(dir.resolve("curl.err").toFile()).start();
        Poll.until("the first megabyte to be sent", Duration.ofSeconds(30), () -> donor.bytesSent() > 1_000_000);
        assertEquals(1, BackupToolProcesses.running().size());
        return curl;
    }

    @Test
    void clientKilledMidStreamLeavesNoToolProcessAndNoScratchDir() throws Exception {
        MariaDb db = servers.start(1);
        Shop.fill(db, 30_000);
        try (TestDonor donor = TestDonor.on(db, servers.tempDir("scratch-")).start()) {
            Process curl = stalledCurl(servers.tempDir("curl-"), donor);
            assertEquals(1, donor.scratchDirs().size());
            List<ProcessHandle> tools = BackupToolProcesses.running();

            curl.destroyForcibly().waitFor();

            Poll.until("the backup tool to be killed", Duration.ofSeconds(30), () -> tools.stream().noneMatch(ProcessHandle::isAlive));
            Poll.until("the scratch dir to go", Duration.ofSeconds(30), () -> donor.scratchDirs().isEmpty());
            Poll.until("the aborted backup to be counted", Duration.ofSeconds(30),
                    () -> donor.registry.scrape().contains("mysql_agent_backups_total{status=\"aborted\"} 1.0"));
            assertTrue(BackupToolProcesses.running().isEmpty());
            assertTrue(donor.registry.scrape().contains("mysql_agent_backup_in_progress 0.0"));
        }
    }

    @Test
    void stopAbortsARunningBackupWithAFailedTrailer() throws Exception {
        MariaDb db = servers.start(1);
        Shop.fill(db, 30_000);
        Path work = servers.tempDir("curl-");
        TestDonor donor = TestDonor.on(db, servers.tempDir("scratch-")).start();
        Process curl = stalledCurl(work, donor);
        List<ProcessHandle> tools = BackupToolProcesses.running();

        CompletableFuture<Void> stop = CompletableFuture.runAsync(donor::close);
        Poll.until("the backup tool to be killed", Duration.ofSeconds(30), () -> tools.stream().noneMatch(ProcessHandle::isAlive));
        StreamDigest body = StreamDigest.of(curl.getInputStream());
        assertEquals(0, curl.waitFor(), Files.readString(work.resolve("curl.err")));
        stop.get(30, TimeUnit.SECONDS);

        CurlDump dump = CurlDump.read(work.resolve("headers.txt"));
        assertEquals(200, dump.status());
        assertEquals("failed", dump.trailer(STATUS_TRAILER).orElseThrow());
        assertEquals("donor shutting down", dump.trailer(ERROR_TRAILER).orElseThrow());
        assertEquals(Long.toString(body.bytes()), dump.trailer(BYTES_TRAILER).orElseThrow());
        assertEquals(body.crc32c(), dump.trailer(CRC32C_TRAILER).orElseThrow());
        assertTrue(donor.scratchDirs().isEmpty());
        ExternalCommand refused = ExternalCommand.run(work, List.of("curl", "-sS", donor.url("/healthz")));
        assertEquals(7, refused.exitCode(), "curl should fail to connect after stop: " + refused.output());
    }
}
