package io.statefulset.agent.common.backuptool;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The backup tool's report that the server overwrote redo it had not copied yet: the redo log is a ring, and the
 * writes during the backup went round it before the tool's copier caught up. mariadb-backup says
 * "Was only able to copy log from X to Y, not Z" (LSNs: where the backup started, how far the copier got, where it
 * had to get); xtrabackup says "log block numbers mismatch" / "log has wrapped around", without numbers.
 *
 * @param fromLsn     the LSN the backup started copying at
 * @param copiedToLsn how far it got
 * @param neededLsn   how far it had to get
 */
public record RedoWrap(long fromLsn, long copiedToLsn, long neededLsn) {
    private static final Pattern MARIADB = Pattern.compile("was only able to copy log from (\\d+) to (\\d+), not (\\d+)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern XTRABACKUP = Pattern.compile("log block numbers mismatch|log has wrapped around",
            Pattern.CASE_INSENSITIVE);

    /** Whether the tool's lines report a wrapped redo log. */
    public static boolean reportedIn(List<String> lines) {
        return lines.stream().anyMatch(l -> MARIADB.matcher(l).find() || XTRABACKUP.matcher(l).find());
    }

    /** The LSNs of mariadb-backup's report, when the lines hold one. */
    public static Optional<RedoWrap> parse(List<String> lines) {
        for (String l : lines) {
            Matcher m = MARIADB.matcher(l);
            if (m.find()) {
                try {
                    return Optional.of(new RedoWrap(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3))));
                } catch (NumberFormatException e) {
                    return Optional.empty(); // beyond a long: not an LSN we can reason about
                }
            }
        }
        return Optional.empty();
    }

    /** Redo the server wrote between the start of the backup and the point it had to be copied to. */
    public long redoWritten() {
        return Math.max(0, neededLsn - fromLsn);
    }

    /** The cause the tool's own lines state: a wrapped redo log, or some other failure of the tool. */
    public static FailureCause causeOf(List<String> toolLines) {
        return reportedIn(toolLines) ? FailureCause.REDO_WRAP : FailureCause.BACKUP_TOOL;
    }
}
