package io.statefulset.agent.flow;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statefulset.agent.cli.Main;
import io.statefulset.agent.testing.DatabaseServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code serve} process SIGKILLed in the middle of a backup (OOM killer, kubelet after the grace period)
 * leaves its scratch dir with the password file; the next {@code serve} on the same TMPDIR removes it at start and
 * says so. No mysqld: serve answers (and backs up with the hanging tool) while its setup waits for one.
 */
class ServeKillTest {
    private static final String PASSWORD = "killed-serve-secret";

    @TempDir
    Path work;

    @Test
    void theNextServeRemovesTheScratchDirAKilledServeLeft() throws Exception {
        Path tmp = Files.createDirectories(work.resolve("tmp"));
        Path unrelated = Files.writeString(tmp.resolve("someone-elses.txt"), "kept");
        Path tool = hangingTool(Files.createDirectories(work.resolve("tools")));
        Serve killed = serve(tmp, tool, "killed");
        Path scratch;
        Process curl = null;
        try {
            killed.awaitLine("serve ready in");
            curl = new ProcessBuilder("curl", "-sS", "-o", work.resolve("body").toString(), "http://127.0.0.1:" + killed.port() + "/backup")
                    .redirectErrorStream(true).redirectOutput(work.resolve("curl.log").toFile()).start();
            scratch = await("the backup's scratch dir").atMost(Duration.ofSeconds(30)).until(() -> scratchDirs(tmp),
                    dirs -> dirs.size() == 1 && Files.exists(dirs.get(0).resolve("client.cnf"))).get(0);
            await("the backup tool to run").atMost(Duration.ofSeconds(30))
                    .until(() -> killed.process().descendants().anyMatch(p -> p.info().commandLine().orElse("").contains("sleep")));
            List<ProcessHandle> tree = killed.process().descendants().toList();
            killed.process().destroyForcibly(); // SIGKILL: no shutdown hook, no finally
            assertTrue(killed.process().waitFor(30, TimeUnit.SECONDS));
            tree.forEach(ProcessHandle::destroyForcibly); // the kubelet takes the container's other processes with it
        } finally {
            killed.process().destroyForcibly();
            if (curl != null) curl.destroyForcibly();
        }
        assertTrue(Files.readString(scratch.resolve("client.cnf")).contains(PASSWORD), "the killed serve left its password file");

        Serve next = serve(tmp, tool, "next");
        try {
            next.awaitLine("serve ready in");
            String log = Files.readString(next.log());
            assertTrue(log.contains("removed 1 stale backup scratch dir(s) left by a killed serve (" + scratch.getFileName() + ")"), log);
            assertTrue(log.indexOf("stale backup scratch") < log.indexOf("serve ready in"), "removed before serve takes backups");
            assertFalse(log.contains(PASSWORD));
            try (Stream<Path> left = Files.list(tmp)) {
                assertEquals(List.of(unrelated), left.toList(), "the dir and its lock file are gone, nothing else is");
            }
        } finally {
            next.process().destroy();
            next.process().waitFor(30, TimeUnit.SECONDS);
            next.process().destroyForcibly();
        }
    }

    /** Answers --version like mariadb-backup, then "backs up" by sending a few bytes and hanging: a kill lands mid-backup. */
    private static Path hangingTool(Path dir) throws Exception {
        Path tool = dir.resolve("hanging-mariadb-backup");
        Files.writeString(tool, "#!/bin/sh\n"
                + "case \"$1\" in --version) echo 'mariadb-backup based on MariaDB server 10.11.6-MariaDB debian-linux-gnu (x86_64)'; exit 0;; esac\n"
                + "printf 'first bytes of a long backup'\n"
                + "exec sleep 600\n");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
        return tool;
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

    /** {@code java io.statefulset.agent.cli.Main serve ...} as the primary, with a mysqld port nothing listens on. */
    private Serve serve(Path tmp, Path tool, String name) throws Exception {
        int port = DatabaseServer.freePort();
        Path log = work.resolve(name + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "serve", "--hostname", "mysql-0", "--listen", "127.0.0.1:" + port,
                "--mysql-port", Integer.toString(DatabaseServer.freePort()), "--data-dir", Files.createDirectories(work.resolve("data")).toString(),
                "--backup-tool", tool.toString(), "--mysql-wait", "120s"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("AGENT_"));
        env.put("MYSQL_PASSWORD", PASSWORD);
        env.put("TMPDIR", tmp.toString());
        return new Serve(pb.start(), port, log);
    }

    private static List<Path> scratchDirs(Path tmp) throws Exception {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.filter(p -> p.getFileName().toString().startsWith("agent-backup-") && Files.isDirectory(p)).toList();
        }
    }
}
