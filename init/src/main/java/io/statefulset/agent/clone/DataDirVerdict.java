package io.statefulset.agent.clone;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Whether a data dir with {@code mysql/} is a database or what an xbstream extraction left unfinished or never
 * prepared. The tutorial's {@code clone-mysql} extracts straight into the data dir, and {@code mysql/} is among the
 * stream's first entries, so its "initialised" test passes for any interrupted clone. Measured on mariadb-backup 10.11
 * streams, and from the Percona XtraBackup 2.4/8.0 sources:
 * <ul>
 *   <li>InnoDB tablespaces travel first, then the other engines' files (the privilege tables among them), then the
 *   redo log, and last {@code xtrabackup_checkpoints}, {@code backup-my.cnf} and {@code xtrabackup_info};</li>
 *   <li>{@code backup_type} is {@code full-backuped} until {@code --prepare} makes it {@code log-applied}
 *   ({@code full-prepared} in old versions);</li>
 *   <li>a server writes its own name into the redo log header at every start (the backup tools write
 *   {@code Backup ...} / {@code xtrabkup ...}), and cannot start without the privilege tables;</li>
 *   <li>MariaDB starts on an extracted but unprepared backup and recovers it itself; MySQL does not.</li>
 * </ul>
 * A clone is judged unfinished only when nothing suggests that a server has since made it a database; anything
 * between is {@link Kind#UNCLEAR}, and the operator decides.
 *
 * @param found what was seen, for the log line or the error
 */
public record DataDirVerdict(Kind kind, String found) {
    public enum Kind {
        /** Leave it alone. */
        DATABASE,
        /** Move it aside and clone again. */
        UNFINISHED_CLONE,
        /** Stop: the operator decides. */
        UNCLEAR
    }

    /** What {@code --prepare} writes into {@code backup_type}. */
    static final Set<String> PREPARED = Set.of("log-applied", "full-prepared");

    public static DataDirVerdict of(DataDirFacts f) {
        if (f.choice().isPresent()) {
            DataDirFacts.Choice c = f.choice().get();
            return new DataDirVerdict(c == DataDirFacts.Choice.KEEP ? Kind.DATABASE : Kind.UNFINISHED_CLONE,
                    "the operator's " + c.file + " file");
        }
        List<String> server = f.serverEvidence();
        if (f.checkpoints().isPresent()) {
            String type = f.checkpoints().get();
            if (PREPARED.contains(type)) {
                return new DataDirVerdict(Kind.DATABASE, "a prepared clone (xtrabackup_checkpoints: backup_type = " + type + ")");
            }
            String what = "an extracted backup that was never prepared (xtrabackup_checkpoints: backup_type = "
                    + (type.isEmpty() ? "(none)" : type) + ")";
            if (server.isEmpty()) return new DataDirVerdict(Kind.UNFINISHED_CLONE, what + ", and no sign of a server since");
            return new DataDirVerdict(Kind.UNCLEAR, what + ", but a server has run on it since (" + String.join(", ", server)
                    + "): MariaDB recovers such a data dir by itself and may have served it, MySQL does not");
        }
        if (!f.privilegeTables()) {
            return new DataDirVerdict(Kind.UNFINISHED_CLONE, "an extraction that stopped early: mysql/ has no privilege tables"
                    + " (" + String.join(", ", DataDirFacts.PRIVILEGE_TABLES) + "), which a stream carries after every InnoDB"
                    + " file and without which no server starts"
                    + (server.isEmpty() ? "" : "; a server tried to start on it (" + String.join(", ", server) + ")"));
        }
        if (!f.extractionOnly().isEmpty()) {
            return unlessServerRan(server, "an extraction that stopped before its end: " + String.join(", ", f.extractionOnly())
                    + " (files only a backup stream holds) but no xtrabackup_checkpoints (the stream's last files)");
        }
        if (f.redoFromBackupTool()) {
            return unlessServerRan(server, "an extraction that stopped before its end: the redo log is the backup tool's (\""
                    + f.redoCreator().orElse("") + "\") and there is no xtrabackup_checkpoints");
        }
        if (f.redoCreator().isEmpty()) {
            List<String> doubts = new ArrayList<>(server);
            doubts.addAll(f.backupInfo());
            if (doubts.isEmpty()) {
                return new DataDirVerdict(Kind.UNFINISHED_CLONE, "an extraction that stopped before its redo log: mysql/ but"
                        + " no redo log (ib_logfile0, #innodb_redo/), which every server that ran writes, and no sign of a server");
            }
            return new DataDirVerdict(Kind.UNCLEAR, "mysql/ with no redo log (ib_logfile0, #innodb_redo/) and no"
                    + " xtrabackup_checkpoints, yet " + String.join(", ", doubts) + " (a server has run, or a backup was"
                    + " restored with --copy-back)");
        }
        return new DataDirVerdict(Kind.DATABASE, "a data dir a server has run on (redo log written by \""
                + f.redoCreator().get() + "\")");
    }

    private static DataDirVerdict unlessServerRan(List<String> server, String what) {
        if (server.isEmpty()) return new DataDirVerdict(Kind.UNFINISHED_CLONE, what + ", and no sign of a server since");
        return new DataDirVerdict(Kind.UNCLEAR, what + ", but a server has run on it since (" + String.join(", ", server) + ")");
    }
}
