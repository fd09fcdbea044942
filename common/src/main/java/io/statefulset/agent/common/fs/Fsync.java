package io.statefulset.agent.common.fs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * fsync for files and directories. A rename is only durable once its directory is synced, and "mysql/ appears
 * last" only holds after a power cut if every earlier rename and every file's content reached the disk first.
 */
public final class Fsync {
    private Fsync() {}

    /** Syncs one file or directory (Linux allows fsync on a read-only descriptor, directories included). */
    public static void path(Path p) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** Syncs every regular file and directory under {@code root}, children before their parents. */
    public static void tree(Path root) throws IOException {
        List<Path> all;
        try (Stream<Path> walk = Files.walk(root)) {
            all = walk.filter(p -> Files.isRegularFile(p) || Files.isDirectory(p)).toList();
        }
        for (int i = all.size() - 1; i >= 0; i--) path(all.get(i));
    }
}
