package io.statefulset.agent.backup;

import io.statefulset.agent.common.secret.Secret;
import io.statefulset.agent.common.fs.FileTree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One backup's private directory (mode 0700): the defaults file with the password (0600) and the tool's
 * {@code --target-dir} and {@code --tmpdir}. Deleted as a whole when the backup ends, however it ends.
 */
final class BackupScratch {
    static final String PREFIX = "agent-backup-";

    private final Path root;

    private BackupScratch(Path root) {
        this.root = root;
    }

    static BackupScratch create(Path parent, Optional<Secret> password) throws IOException {
        Files.createDirectories(parent);
        Path root = Files.createTempDirectory(parent, PREFIX,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        BackupScratch scratch = new BackupScratch(root);
        try {
            Files.createDirectory(scratch.targetDir());
            Files.createDirectory(scratch.tmpDir());
            Path defaults = Files.createFile(scratch.defaultsFile(),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(defaults, defaultsText(password), StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
            return scratch;
        } catch (IOException | RuntimeException e) {
            scratch.delete();
            throw e;
        }
    }

    /** A {@code [client]} group (read by mariadb-backup and xtrabackup) with the password quoted and escaped. */
    static String defaultsText(Optional<Secret> password) {
        StringBuilder sb = new StringBuilder("# written by mysql-statefulset-agent for one backup, deleted after it\n[client]\n");
        password.filter(p -> !p.isEmpty()).ifPresent(p -> sb.append("password=\"").append(escape(p.reveal())).append("\"\n"));
        return sb.toString();
    }

    // The option-file parser unescapes \\ \" \n \r \t inside a quoted value; '#' and spaces are safe once quoted.
    private static String escape(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 8);
        for (char c : value.toCharArray()) {
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    Path root() {
        return root;
    }

    Path defaultsFile() {
        return root.resolve("client.cnf");
    }

    Path targetDir() {
        return root.resolve("target");
    }

    Path tmpDir() {
        return root.resolve("tmp");
    }

    void delete() throws IOException {
        try {
            FileTree.delete(root);
        } catch (IOException e) {
            throw new IOException("could not delete backup scratch dir " + root + ": " + e.getMessage(), e);
        }
    }
}
