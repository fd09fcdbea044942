package io.statefulset.agent.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real {@code mariadb-backup --backup --stream=xbstream} of a running server, stored in a file for reuse. */
public final class BackupStream {
    private BackupStream() {}

    /** The command the tutorial's sidecar runs, against {@code db}. */
    public static List<String> command(DatabaseServer db) {
        return List.of("mariadb-backup", "--backup", "--slave-info", "--stream=xbstream", "--host=127.0.0.1",
                "--port=" + db.port(), "--user=root");
    }

    public static Path capture(DatabaseServer db, Path file) throws IOException, InterruptedException {
        Path log = file.resolveSibling(file.getFileName() + ".log");
        Process p = new ProcessBuilder(command(db)).redirectOutput(file.toFile()).redirectError(log.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("mariadb-backup failed: " + Files.readString(log));
        }
        return file;
    }
}
