package io.statefulset.agent.common.backuptool;

import java.util.List;
import java.util.Optional;

/**
 * What a backup tool offers against a redo log that wraps during the backup, and which server setting sizes that
 * log. Percona XtraBackup 8.0.30+ can register as a redo log consumer: the server then waits for the backup (its
 * writes stall) instead of overwriting redo the backup has not copied. mariadb-backup (MariaDB 10.11) has no such
 * option: its copier thread races the server, and only a redo log big enough for the writes during a backup holds.
 *
 * @param version the tool's version, when {@code --version} told it
 */
public record RedoProtection(BackupTool tool, Optional<ToolVersion> version) {
    public static final String REGISTER_REDO_LOG_CONSUMER = "--register-redo-log-consumer";

    /** Options that make the tool protect its redo copy; empty when it has none. */
    public List<String> backupOptions() {
        return registersAsConsumer() ? List.of(REGISTER_REDO_LOG_CONSUMER) : List.of();
    }

    public boolean registersAsConsumer() {
        return perconaFrom8030();
    }

    private boolean perconaFrom8030() {
        return version.map(v -> v.percona() && v.atLeast(8, 0, 30)).orElse(false);
    }

    /**
     * The server setting that sizes the redo log: MySQL 8.0.30+ (whose xtrabackup has the same version) sizes it with
     * {@code innodb_redo_log_capacity}; MariaDB and older MySQL with {@code innodb_log_file_size} (times
     * {@code innodb_log_files_in_group} on MySQL).
     */
    public String sizeSetting() {
        if (perconaFrom8030()) return "innodb_redo_log_capacity";
        return "innodb_log_file_size";
    }

    /** One phrase for the start-of-backup log line. */
    public String describe() {
        if (registersAsConsumer()) {
            return tool.name() + " (" + version.get() + ") registers as a redo log consumer (" + REGISTER_REDO_LOG_CONSUMER
                    + "): the server holds back redo the backup has not copied";
        }
        return "no redo protection in " + tool.name() + version.map(v -> " (" + v + ")").orElse("")
                + ": the backup holds while the redo written during it fits in " + sizeSetting();
    }
}
