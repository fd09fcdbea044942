package io.statefulset.agent.backup;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.OptionalLong;

/** The data dir's total file size: what a full backup streams, give or take, so receivers can show an ETA. */
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
            return OptionalLong.of(total[0]);
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }
}
