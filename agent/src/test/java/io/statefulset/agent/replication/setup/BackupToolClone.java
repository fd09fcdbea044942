package io.statefulset.agent.replication.setup;

import io.statefulset.agent.testing.MariaDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test-side stand-in for {@code init}'s clone, so that the info files these tests read are the real ones:
 * {@code mariadb-backup --backup --stream=xbstream | mbstream -x}, then {@code mariadb-backup --prepare}.
 */
public final class BackupToolClone {
    private BackupToolClone() {}

    /** Clones {@code donor} into {@code target} (created); {@code slaveInfo} adds {@code --slave-info}. */
    public static Path cloneFrom(MariaDb donor, Path target, boolean slaveInfo) throws Exception {
        Files.createDirectories(target);
        Path logs = Files.createDirectories(target.resolveSibling(target.getFileName() + "-clone-logs"));
        // A private tmpdir, as for the servers: /tmp is shared with processes of other PID namespaces.
        Path tmp = Files.createDirectories(logs.resolve("tmp"));
        List<String> backup = new ArrayList<>(List.of("mariadb-backup", "--no-defaults", "--backup", "--stream=xbstream",
                "--host=127.0.0.1", "--port=" + donor.port(), "--user=root", "--target-dir=" + logs.resolve("target"),
                "--tmpdir=" + tmp));
        if (slaveInfo) backup.add("--slave-info");
        List<Process> pipeline = ProcessBuilder.startPipeline(List.of(
                new ProcessBuilder(backup).redirectError(logs.resolve("backup.log").toFile()),
                new ProcessBuilder("mbstream", "-x", "-C", target.toString())
                        .redirectError(logs.resolve("mbstream.log").toFile())
                        .redirectOutput(logs.resolve("mbstream.out").toFile())));
        for (Process p : pipeline) {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                pipeline.forEach(Process::destroyForcibly);
                throw new IllegalStateException("clone of port " + donor.port() + " did not finish in 120 s");
            }
        }
        if (pipeline.get(0).exitValue() != 0 || pipeline.get(1).exitValue() != 0) {
            throw new IllegalStateException("clone of port " + donor.port() + " failed: " + Files.readString(logs.resolve("backup.log"))
                    + Files.readString(logs.resolve("mbstream.log")));
        }
        Process prepare = new ProcessBuilder("mariadb-backup", "--no-defaults", "--prepare", "--target-dir=" + target, "--tmpdir=" + tmp)
                .redirectErrorStream(true).redirectOutput(logs.resolve("prepare.log").toFile()).start();
        if (!prepare.waitFor(120, TimeUnit.SECONDS) || prepare.exitValue() != 0) {
            prepare.destroyForcibly();
            throw new IllegalStateException("prepare failed: " + Files.readString(logs.resolve("prepare.log")));
        }
        return target;
    }
}
