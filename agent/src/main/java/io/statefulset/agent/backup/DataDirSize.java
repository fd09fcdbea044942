package io.statefulset.agent.backup;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.OptionalLong;

/**
 * The data dir's total file size without its redo log: what a full backup streams, give or take, so receivers can
 * show an ETA. The redo log is left out because the backup copies only the redo written while it runs, and a redo
 * log sized for write load (hundreds of MB) would otherwise double the estimate of a small database.
 */
final class DataDirSize {
    private DataDirSize() {}

    /** @return empty when the dir is missing or any part of it is unreadable (an estimate must not mislead) */
    static OptionalLong of(Path dataDir) {
        if (!Files.isDirectory(dataDir)) return OptionalLong.empty();
        long[] total = {0};
        try {
            Files.walkFileTree(dataDir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile()) total[0] += attrs.size();
                    return FileVisitResult.CONTINUE;
                }
            });
            return OptionalLong.of(Math.max(0, total[0] - RedoLogSize.of(dataDir).orElse(0)));
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }
}
