package io.statefulset.agent.flow;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statefulset.agent.cli.Main;
import io.statefulset.agent.testing.DatabaseServer;
import io.statefulset.agent.testing.DatabaseServerExtension;
import io.statefulset.agent.testing.PausedDownload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code serve} process SIGKILLed in the middle of a real mariadb-backup (OOM killer, kubelet after the grace
 * period) leaves its scratch dir with the password file; the next {@code serve} on the same TMPDIR removes it at start
 * and says so. The backup stays mid-stream because its client reads the status line and then nothing more.
 */
class ServeKillTest {
    private static final String USER = "agent";
    private static final String PASSWORD = "killed-serve-secret";

    @RegisterExtension
    final DatabaseServerExtension servers = new DatabaseServerExtension();

    @TempDir
    Path work;

    @Test
    void theNextServeRemovesTheScratchDirAKilledServeLeft() throws Exception {
        DatabaseServer db = servers.start(1);
        // A password, so that the scratch dir holds one (the tool reads it from there); the grant option for the setup.
        db.execute("CREATE USER '" + USER + "'@'127.0.0.1' IDENTIFIED BY '" + PASSWORD + "'",
                "GRANT ALL ON *.* TO '" + USER + "'@'127.0.0.1' WITH GRANT OPTION");
        Path tmp = Files.createDirectories(work.resolve("tmp"));
        Path unrelated = Files.writeString(tmp.resolve("someone-elses.txt"), "kept");
        Serve killed = serve(db, tmp, "killed");
        List<ProcessHandle> tree = new ArrayList<>();
        Path scratch;
        try {
            killed.awaitLine("serve ready in");
            try (PausedDownload client = PausedDownload.start(null, "127.0.0.1", killed.port())) {
                assertEquals("HTTP/1.1 200 OK", client.statusLine());
                ProcessHandle tool = await("mariadb-backup to run under the serve").atMost(Duration.ofSeconds(30))
                        .until(() -> backupToolsUsing(killed.process().descendants(), tmp), tools -> tools.size() == 1).get(0);
                scratch = await("the backup's scratch dir").atMost(Duration.ofSeconds(30)).until(() -> scratchDirs(tmp),
                        dirs -> dirs.size() == 1 && Files.exists(dirs.get(0).resolve("client.cnf"))).get(0);
                // Captured before the kill: afterwards the tool is an orphan, no longer the serve's descendant.
                tree.addAll(killed.process().descendants().toList());
                assertTrue(tool.isAlive(), "the backup is mid-stream, held by a client that stopped reading");
                killed.process().destroyForcibly(); // SIGKILL: no shutdown hook, no finally
                assertTrue(killed.process().waitFor(30, TimeUnit.SECONDS));
            }
            tree.forEach(ProcessHandle::destroyForcibly); // the kubelet takes the container's other processes with it
        } finally {
            killed.process().destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            tree.forEach(ProcessHandle::destroyForcibly);
            try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
                backupToolsUsing(all, tmp).forEach(ProcessHandle::destroyForcibly);
            }
        }
        await("the killed serve's processes to be gone").atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertTrue(tree.stream().noneMatch(ProcessHandle::isAlive), tree::toString));
        assertTrue(Files.readString(scratch.resolve("client.cnf")).contains(PASSWORD), "the killed serve left its password file");

        Serve next = serve(db, tmp, "next");
        try {
            next.awaitLine("serve ready in");
            String log = Files.readString(next.log());
            assertTrue(log.contains("removed 1 stale backup scratch dir(s) left by a killed serve (" + scratch.getFileName() + ")"), log);
            assertTrue(log.indexOf("stale backup scratch") < log.indexOf("serve ready in"), "removed before serve takes backups");
            assertFalse(log.contains(PASSWORD) || Files.readString(killed.log()).contains(PASSWORD), "no password in the logs");
            try (Stream<Path> left = Files.list(tmp)) {
                assertEquals(List.of(unrelated), left.toList(), "the dir and its lock file are gone, nothing else is");
            }
        } finally {
            next.process().destroy();
            next.process().waitFor(30, TimeUnit.SECONDS);
            next.process().destroyForcibly();
        }
    }

    private record Serve(Process process, int port, Path log) {
        void awaitLine(String line) {
            await("'" + line + "' in " + log.getFileName()).atMost(Duration.ofSeconds(60)).until(() -> {
                String text = Files.readString(log);
                if (!process.isAlive()) throw new AssertionError("serve exited " + process.exitValue() + ": " + text);
                return text.contains(line);
            });
        }
    }

    /** {@code java io.statefulset.agent.cli.Main serve ...} as the primary beside {@code db}, backing up with mariadb-backup. */
    private Serve serve(DatabaseServer db, Path tmp, String name) throws Exception {
        int port = DatabaseServer.freePort();
        Path log = work.resolve(name + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "serve", "--hostname", "mysql-0", "--listen", "127.0.0.1:" + port,
                "--mysql-port", Integer.toString(db.port()), "--mysql-user", USER, "--data-dir", db.dataDir().toString(),
                "--backup-tool", "mariadb-backup", "--mysql-wait", "30s"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("AGENT_"));
        env.put("MYSQL_PASSWORD", PASSWORD);
        env.put("TMPDIR", tmp.toString());
        return new Serve(pb.start(), port, log);
    }

    /** The backup tools among {@code processes} that read a defaults file under {@code tmp}: this test's, no one else's. */
    private static List<ProcessHandle> backupToolsUsing(Stream<ProcessHandle> processes, Path tmp) {
        String defaults = "--defaults-extra-file=" + tmp + "/";
        return processes.filter(p -> p.info().commandLine().orElse("").contains(defaults)).toList();
    }

    private static List<Path> scratchDirs(Path tmp) throws Exception {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.filter(p -> p.getFileName().toString().startsWith("agent-backup-") && Files.isDirectory(p)).toList();
        }
    }
}
