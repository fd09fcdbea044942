package io.statefulset.agent.backup;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * The donor's redo log size, read from the files in its data dir: MariaDB 10.8+ writes one {@code ib_logfile0} of
 * {@code innodb_log_file_size}; MySQL before 8.0.30 {@code ib_logfile0..N}; MySQL 8.0.30+ {@code #innodb_redo/#ib_redoN}
 * files that add up to {@code innodb_redo_log_capacity}. Files are read rather than the server asked, so that the
 * number is there even when the backup failed because mysqld did.
 */
final class RedoLogSize {
    private static final Pattern IB_LOGFILE = Pattern.compile("ib_logfile\\d+");
    private static final Pattern IB_REDO = Pattern.compile("#ib_redo\\d+"); // not the spare "#ib_redoN_tmp" files
    private static final String REDO_DIR = "#innodb_redo";

    private RedoLogSize() {}

    /** @return empty when no redo file is found (the log lives elsewhere: innodb_log_group_home_dir) */
    static OptionalLong of(Path dataDir) {
        Path redoDir = dataDir.resolve(REDO_DIR);
        if (Files.isDirectory(redoDir, LinkOption.NOFOLLOW_LINKS)) return sum(redoDir, IB_REDO);
        return sum(dataDir, IB_LOGFILE);
    }

    /**
     * A data dir's size without its redo log, as the stream's size estimate: the backup copies only the redo written
     * while it runs, and a redo log sized for write load (hundreds of MB) would otherwise double a small database's.
     */
    static OptionalLong without(OptionalLong dataDirSize, Path dataDir) {
        if (dataDirSize.isEmpty()) return dataDirSize;
        return OptionalLong.of(Math.max(0, dataDirSize.getAsLong() - of(dataDir).orElse(0)));
    }

    private static OptionalLong sum(Path dir, Pattern names) {
        long total = 0;
        boolean any = false;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, p -> names.matcher(p.getFileName().toString()).matches())) {
            for (Path p : entries) {
                if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) continue;
                total += Files.size(p);
                any = true;
            }
        } catch (IOException e) {
            return OptionalLong.empty();
        }
        return any ? OptionalLong.of(total) : OptionalLong.empty();
    }
}
