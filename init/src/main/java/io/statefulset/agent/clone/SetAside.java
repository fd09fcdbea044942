package io.statefulset.agent.clone;

import io.statefulset.agent.common.fs.FileTree;
import io.statefulset.agent.common.fs.Fsync;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Moves what a data dir holds into {@code <data-dir>/.agent-aside/<UTC time>-<label>/} instead of deleting it: an
 * unfinished clone is judged by rules, and an operator may want to look at what they judged. Inside the data dir
 * because it is often a volume mount point, where a rename is the only move that costs nothing; nested one level
 * deeper so that mysqld and the backup tools see only an empty schema directory, never the files.
 */
public final class SetAside {
    public static final String DIR = ".agent-aside";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Clock clock;

    public SetAside(Clock clock) {
        this.clock = clock;
    }

    /** Where things were put and how many top-level entries went there. */
    public record Moved(Path where, int entries, long bytes) {}

    /**
     * {@code mysql/} goes first, so that the data dir stops looking initialised at once: killed half way, the next
     * init finds no {@code mysql/} and clears the remains of the clone (nothing a database was made of).
     */
    public Moved moveAll(Path dataDir, String label) throws IOException {
        Path where = freeName(dataDir.resolve(DIR), STAMP.format(clock.instant()) + "-" + label);
        Files.createDirectories(where);
        List<Path> entries = new ArrayList<>();
        try (Stream<Path> list = Files.list(dataDir)) {
            for (Path p : list.sorted().toList()) {
                String name = p.getFileName().toString();
                if (!name.equals(DIR) && !name.equals(CloneStaging.LOST_FOUND)) entries.add(p);
            }
        }
        Path mysql = dataDir.resolve(CloneStaging.MYSQL_DIR);
        if (entries.remove(mysql)) entries.add(0, mysql);
        long bytes = 0;
        for (Path entry : entries) {
            bytes += FileTree.size(entry);
            Files.move(entry, where.resolve(entry.getFileName().toString()), StandardCopyOption.ATOMIC_MOVE);
            if (entry.equals(mysql)) Fsync.path(dataDir);
        }
        Fsync.path(where);
        Fsync.path(where.getParent());
        Fsync.path(dataDir);
        return new Moved(where, entries.size(), bytes);
    }

    private static Path freeName(Path parent, String name) {
        Path p = parent.resolve(name);
        for (int i = 2; Files.exists(p, LinkOption.NOFOLLOW_LINKS); i++) p = parent.resolve(name + "-" + i);
        return p;
    }
}
