package io.statefulset.agent.clone;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a data dir that already has {@code mysql/} holds that tells a database from the leftovers of a backup stream
 * extracted straight into it (the tutorial's {@code ncat | xbstream -x}), read from disk once. The rules that judge
 * these facts are {@link DataDirVerdict}'s.
 *
 * @param checkpoints      the {@code backup_type} of {@code xtrabackup_checkpoints} (MariaDB 11.1+:
 *                         {@code mariadb_backup_checkpoints}); "" when the file is there but says none
 * @param extractionOnly   files that only an extracted stream holds: a restore by {@code --copy-back} leaves them
 *                         out, a server never writes them
 * @param backupInfo       {@code xtrabackup_info}: in every backup, and copied by {@code --copy-back}
 * @param privilegeTables  the table a server cannot start without (MariaDB {@code mysql/global_priv.frm} or
 *                         {@code mysql/user.frm}, MySQL 8 {@code mysql.ibd}); a stream carries it only after every
 *                         InnoDB tablespace, so an extraction cut early lacks it
 * @param redoCreator      the creator field of the InnoDB redo log header, when there is a redo log: a server writes
 *                         its own name there at every start, the backup tools write {@code Backup}/{@code xtrabkup}
 * @param serverMarks      files a started server writes and no backup stream carries
 * @param choice           the marker file an operator left to settle an unclear case
 */
public record DataDirFacts(Optional<String> checkpoints, List<String> extractionOnly, List<String> backupInfo,
                           boolean privilegeTables, Optional<String> redoCreator, List<String> serverMarks,
                           Optional<Choice> choice) {
    /** Left by an operator (see the message of an unclear verdict); read before anything else. */
    public enum Choice {
        KEEP(".agent-keep"), RECLONE(".agent-reclone");

        public final String file;

        Choice(String file) {
            this.file = file;
        }
    }

    static final List<String> CHECKPOINTS = List.of("xtrabackup_checkpoints", "mariadb_backup_checkpoints");
    /** What {@code should_skip_file_on_copy_back} (Percona) and mariadb-backup's copy-back leave out. */
    static final List<String> EXTRACTION_ONLY = List.of("backup-my.cnf", "xtrabackup_binlog_info",
            "mariadb_backup_binlog_info", "xtrabackup_logfile", "xtrabackup_tablespaces", "xtrabackup_binary");
    static final List<String> BACKUP_INFO = List.of("xtrabackup_info", "mariadb_backup_info");
    static final List<String> PRIVILEGE_TABLES = List.of("mysql/global_priv.frm", "mysql/user.frm", "mysql.ibd");
    /**
     * MariaDB writes {@code multi-master.info} at every start and {@code ddl_recovery.log} while running, InnoDB
     * {@code ibtmp1} (MySQL 8: {@code #innodb_temp/}) while running, MySQL {@code auto.cnf} at its first start. Not
     * {@code ib_buffer_pool}: the backup tools copy it.
     */
    static final List<String> SERVER_MARKS = List.of("multi-master.info", "ddl_recovery.log", "ibtmp1", "#innodb_temp",
            "auto.cnf");
    private static final int CREATOR_OFFSET = 16;
    private static final int CREATOR_LENGTH = 32;

    public DataDirFacts {
        extractionOnly = List.copyOf(extractionOnly);
        backupInfo = List.copyOf(backupInfo);
        serverMarks = List.copyOf(serverMarks);
    }

    public static DataDirFacts read(Path dataDir) throws IOException {
        Optional<Choice> choice = Optional.empty();
        for (Choice c : Choice.values()) {
            if (Files.exists(dataDir.resolve(c.file), LinkOption.NOFOLLOW_LINKS)) choice = Optional.of(c);
        }
        Optional<String> checkpoints = Optional.empty();
        for (String name : CHECKPOINTS) {
            Path file = dataDir.resolve(name);
            if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                checkpoints = Optional.of(backupType(file));
                break;
            }
        }
        boolean privilegeTables = false;
        for (String p : PRIVILEGE_TABLES) {
            privilegeTables |= Files.isRegularFile(dataDir.resolve(p), LinkOption.NOFOLLOW_LINKS);
        }
        return new DataDirFacts(checkpoints, present(dataDir, EXTRACTION_ONLY), present(dataDir, BACKUP_INFO),
                privilegeTables, redoCreator(dataDir), present(dataDir, SERVER_MARKS), choice);
    }

    private static List<String> present(Path dataDir, List<String> names) {
        List<String> found = new ArrayList<>();
        for (String n : names) {
            if (Files.exists(dataDir.resolve(n), LinkOption.NOFOLLOW_LINKS)) found.add(n);
        }
        return found;
    }

    private static String backupType(Path checkpoints) throws IOException {
        for (String line : Files.readAllLines(checkpoints, StandardCharsets.UTF_8)) {
            int eq = line.indexOf('=');
            if (eq > 0 && line.substring(0, eq).trim().equals("backup_type")) return line.substring(eq + 1).trim();
        }
        return "";
    }

    /** MariaDB and MySQL before 8.0.30: {@code ib_logfile0}; MySQL 8.0.30+: the first file of {@code #innodb_redo/}. */
    private static Optional<String> redoCreator(Path dataDir) throws IOException {
        Path log = dataDir.resolve("ib_logfile0");
        if (!Files.isRegularFile(log, LinkOption.NOFOLLOW_LINKS)) {
            Path dir = dataDir.resolve("#innodb_redo");
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return Optional.empty();
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "#ib_redo*")) {
                log = null;
                for (Path f : files) {
                    if (!f.getFileName().toString().endsWith("_tmp") && (log == null || f.compareTo(log) < 0)) log = f;
                }
            }
            if (log == null) return Optional.empty();
        }
        byte[] header = new byte[CREATOR_OFFSET + CREATOR_LENGTH];
        int n;
        try (InputStream in = Files.newInputStream(log)) {
            n = in.readNBytes(header, 0, header.length);
        }
        StringBuilder creator = new StringBuilder();
        for (int i = CREATOR_OFFSET; i < n && header[i] != 0; i++) {
            int b = header[i] & 0xff;
            creator.append(b >= 0x20 && b < 0x7f ? (char) b : '?');
        }
        return Optional.of(creator.toString().trim());
    }

    /** Whether the redo log was last written by a backup tool (a stream's copy of it, or a prepare's). */
    public boolean redoFromBackupTool() {
        return redoCreator.map(c -> c.startsWith("Backup") || c.startsWith("xtrabkup")).orElse(false);
    }

    /** Evidence that a server has started on this data dir since the backup tool last wrote it. */
    public List<String> serverEvidence() {
        List<String> all = new ArrayList<>(serverMarks);
        redoCreator.filter(c -> !c.isEmpty() && !redoFromBackupTool())
                .ifPresent(c -> all.add("a redo log written by \"" + c + "\""));
        return all;
    }
}
