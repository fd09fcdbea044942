package io.statefulset.agent.flow;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statefulset.agent.cli.Main;
import io.statefulset.agent.testing.LogCapture;
import io.statefulset.agent.testing.DatabaseServer;
import io.statefulset.agent.testing.DatabaseServerExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code serve} stopped while it streams a backup: its client gets a failed trailer, the clone is refused and leaves
 * nothing, the backup tool is gone, and a rerun against the restarted serve clones. Once in this JVM (the seam SIGTERM
 * uses), once as a process of its own that gets a real SIGTERM.
 */
class ServeStopTest {
    static Primary primary;
    static Path tool;

    @RegisterExtension
    final DatabaseServerExtension servers = new DatabaseServerExtension();

    @BeforeAll
    static void startPrimary() throws Exception {
        primary = Primary.startWithoutServe(2000);
        tool = StalledBackupTool.create(Files.createDirectories(primary.base.resolve("tools")));
    }

    @AfterAll
    static void stopPrimary() throws Exception {
        if (primary != null) primary.close();
    }

    @Test
    void stopDuringABackupFailsTheCloneCleanlyAndARerunAgainstTheRestartedServeClones() throws Exception {
        Pod pod = Pod.create("mysql-1", servers);
        InProcessServe stalling = primary.startServe("--backup-tool", tool.toString());
        try (LogCapture logs = LogCapture.start()) {
            CompletableFuture<Pod.Result> init = new CompletableFuture<>();
            Thread initThread = new Thread(() -> init.complete(pod.init("--donor", stalling.address())), "init-mysql-1");
            initThread.start();
            await("the backup to be streaming").atMost(Duration.ofSeconds(60)).ignoreExceptionsInstanceOf(Exception.class).until(() -> stalling.metric("mysql_agent_backup_bytes_total").orElse(0) >= StalledBackupTool.BYTES_BEFORE_STALL);
            List<ProcessHandle> backupTree = StalledBackupTool.runningUnder(ProcessHandle.current(), tool);
            assertFalse(backupTree.isEmpty(), "the backup tool runs");

            assertEquals(0, stalling.stop(), "a stop is a clean exit");
            Pod.Result result = init.get(60, TimeUnit.SECONDS);
            assertEquals(1, result.exitCode());
            assertTrue(logs.text().contains("donor " + stalling.address() + " reported its backup failed: donor shutting down"),
                    logs.text());
            assertEquals(List.of(), pod.dataDirEntries(), "no mysql/, no staging: nothing that looks initialised");
            await("the backup's processes to be gone").atMost(Duration.ofSeconds(10)).ignoreExceptionsInstanceOf(Exception.class)
                .untilAsserted(() -> assertTrue(backupTree.stream().noneMatch(ProcessHandle::isAlive), backupTree::toString));
            assertEquals(List.of(), entries(primary.pod.tmp), "the backup's scratch dir is deleted");
        }

        try (InProcessServe restarted = primary.startServe()) {
            Pod.Result rerun = pod.init("--donor", restarted.address());
            assertEquals(0, rerun.exitCode(), rerun.err());
            DatabaseServer replica = pod.startMysqld(servers);
            assertEquals(AppTable.fingerprint(primary.db), AppTable.fingerprint(replica));
        }
    }

    @Test
    void aServeProcessThatGetsSigtermDuringABackupTellsItsClientAndExitsZero() throws Exception {
        Path work = servers.tempDir("sigterm-");
        Path tmp = Files.createDirectories(work.resolve("tmp"));
        int port = DatabaseServer.freePort();
        Process serve = serveProcess(port, work.resolve("serve.log"), tmp);
        try {
            awaitHealthy(serve, port, work.resolve("serve.log"));
            Path headers = work.resolve("headers.txt");
            Process curl = new ProcessBuilder("curl", "-sS", "-D", headers.toString(), "-o", work.resolve("body").toString(),
                    "http://127.0.0.1:" + port + "/backup").redirectErrorStream(true).redirectOutput(work.resolve("curl.log").toFile()).start();
            await("the backup to be streaming").atMost(Duration.ofSeconds(60)).ignoreExceptionsInstanceOf(Exception.class).until(() -> bytesSent(port) >= StalledBackupTool.BYTES_BEFORE_STALL);
            List<ProcessHandle> backupTree = StalledBackupTool.runningUnder(serve.toHandle(), tool);
            assertFalse(backupTree.isEmpty(), "the backup tool runs");

            serve.destroy(); // SIGTERM
            assertTrue(serve.waitFor(30, TimeUnit.SECONDS), "serve stops within its grace period");
            assertEquals(0, serve.exitValue(), Files.readString(work.resolve("serve.log")));
            assertTrue(curl.waitFor(30, TimeUnit.SECONDS));
            String trailers = Files.readString(headers);
            assertTrue(trailers.contains("X-Backup-Status: failed"), trailers);
            assertTrue(trailers.contains("X-Backup-Error: donor shutting down"), trailers);
            assertTrue(trailers.contains("X-Backup-Bytes: " + Files.size(work.resolve("body"))), trailers);
            await("the backup's processes to be gone").atMost(Duration.ofSeconds(10)).ignoreExceptionsInstanceOf(Exception.class)
                .untilAsserted(() -> assertTrue(backupTree.stream().noneMatch(ProcessHandle::isAlive), backupTree::toString));
            assertEquals(List.of(), entries(tmp), "the backup's scratch dir is deleted");
            assertTrue(Files.readString(work.resolve("serve.log")).contains("stopped listening"));
        } finally {
            serve.descendants().forEach(ProcessHandle::destroyForcibly);
            serve.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** {@code java io.statefulset.agent.cli.Main serve ...}: the jar's main class on this test's classpath. */
    private static Process serveProcess(int port, Path log, Path tmp) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "serve", "--hostname", "mysql-0", "--listen", "127.0.0.1:" + port,
                "--mysql-port", Integer.toString(primary.db.port()), "--data-dir", primary.db.dataDir().toString(),
                "--backup-tool", tool.toString(), "--mysql-wait", "30s"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("AGENT_") || k.equals("MYSQL_PASSWORD"));
        env.put("TMPDIR", tmp.toString());
        return pb.start();
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitHealthy(Process serve, int port, Path log) throws Exception {
        await("the serve process to answer /healthz with 200").atMost(Duration.ofSeconds(60)).ignoreExceptionsInstanceOf(Exception.class).until(() -> {
            if (!serve.isAlive()) throw new AssertionError("serve exited " + serve.exitValue() + ": " + Files.readString(log));
            return get(port, "/healthz").statusCode() == 200;
        });
    }

    private static double bytesSent(int port) throws Exception {
        for (String line : get(port, "/metrics").body().split("\n")) {
            if (line.startsWith("mysql_agent_backup_bytes_total ")) return Double.parseDouble(line.substring(line.indexOf(' ') + 1));
        }
        return 0;
    }

    private static List<String> entries(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
