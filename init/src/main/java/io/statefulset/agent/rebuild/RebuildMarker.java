package io.statefulset.agent.rebuild;

import io.statefulset.agent.common.fs.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * {@code .agent-rebuilt-primary} in the data dir: "this primary was cloned from a replica; its binlog GTID state
 * still has to be set". Written by {@code init} into the prepared clone (so it arrives with the hand-over), read
 * and removed by {@code serve} once mysqld runs. Its text is for humans; only its presence counts.
 */
public final class RebuildMarker {
    public static final String FILE = ".agent-rebuilt-primary";

    private final Path file;

    private RebuildMarker(Path file) {
        this.file = file;
    }

    public static RebuildMarker in(Path dataDir) {
        return new RebuildMarker(dataDir.resolve(FILE));
    }

    public Path path() {
        return file;
    }

    public boolean exists() {
        return Files.exists(file);
    }

    public void write(String donor, String position) throws IOException {
        AtomicFile.write(file, ("# mysql-statefulset-agent: this primary was rebuilt from a replica; serve sets its binlog\n"
                + "# GTID state from the clone, then deletes this file.\n"
                + "written_at=" + Instant.now() + "\n"
                + "donor=" + donor.replace('\n', ' ') + "\n"
                + "donor_gtid_position=" + position.replace('\n', ' ') + "\n").getBytes(StandardCharsets.UTF_8));
    }

    public String text() throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    public void delete() throws IOException {
        Files.deleteIfExists(file);
    }
}
