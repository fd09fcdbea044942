package io.statefulset.agent.flow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

/**
 * A {@code --backup-tool} for stop tests: the real mariadb-backup, whose stream halts after its first
 * {@link #BYTES_BEFORE_STALL} bytes, as a big data dir keeps a backup running for minutes. A stop request then always
 * lands mid-stream, with no race against a small test backup that would otherwise finish first.
 */
final class StalledBackupTool {
    static final long BYTES_BEFORE_STALL = 256 * 1024;

    private StalledBackupTool() {}

    /** Writes the wrapper into {@code dir} and returns its path. */
    static Path create(Path dir) throws IOException {
        Path tool = dir.resolve("stalled-mariadb-backup");
        Files.writeString(tool, "#!/bin/sh\n"
                + "# mariadb-backup whose output stops after " + BYTES_BEFORE_STALL + " bytes (a test double for a long backup)\n"
                + "mariadb-backup \"$@\" | { head -c " + BYTES_BEFORE_STALL + "; exec sleep 600; }\n");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
        return tool;
    }

    /** The wrapper's processes started under {@code parent}, and everything they started. */
    static List<ProcessHandle> runningUnder(ProcessHandle parent, Path tool) {
        return parent.descendants()
                .filter(p -> p.info().commandLine().orElse("").contains(tool.toString()))
                .flatMap(p -> Stream.concat(Stream.of(p), p.descendants()))
                .toList();
    }
}
