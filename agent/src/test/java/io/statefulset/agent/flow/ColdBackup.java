package io.statefulset.agent.flow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A backup of a stopped server as a backup tool leaves it, made by copying the data dir: no binlogs (the new
 * replica writes its own) and no server UUID (MySQL refuses a replica whose UUID equals its source's).
 */
final class ColdBackup {
    private ColdBackup() {}

    /** Copies the stopped server's data dir {@code from} into {@code to}, everything included. */
    static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else if (Files.isRegularFile(p)) Files.copy(p, target);
            }
        }
    }

    /** {@link #copy}, then what a backup holds: the binlogs and {@code auto.cnf} removed. */
    static void of(Path from, Path to) throws IOException {
        copy(from, to);
        try (Stream<Path> files = Files.list(to)) {
            for (Path p : files.toList()) {
                String name = p.getFileName().toString();
                if (name.startsWith("mysql-bin.") || name.equals("auto.cnf")) Files.delete(p);
            }
        }
    }
}
