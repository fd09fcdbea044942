package io.statefulset.agent.common.fs;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.OptionalLong;

/** Deleting and measuring directory trees without following symlinks out of them: the one home for both. */
public final class FileTree {
    private FileTree() {}

    /** Deletes {@code p} and everything below it; a symlink is removed, never followed. Missing is fine. */
    public static void delete(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) return;
        if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            Files.delete(p);
            return;
        }
        Files.walkFileTree(p, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) throw e;
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Total size of the regular files under {@code root} (0 when missing), for log lines. */
    public static long size(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) return 0;
        long[] total = {0};
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile()) total[0] += attrs.size();
                return FileVisitResult.CONTINUE;
            }
        });
        return total[0];
    }

    /**
     * The tree's total file size as an estimate for a progress ETA: empty when it is missing or any part of it is
     * unreadable, since a wrong estimate would mislead more than none.
     */
    public static OptionalLong sizeEstimate(Path root) {
        if (!Files.isDirectory(root)) return OptionalLong.empty();
        try {
            return OptionalLong.of(size(root));
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }
}
