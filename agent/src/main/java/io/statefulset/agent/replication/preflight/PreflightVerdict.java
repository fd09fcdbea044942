package io.statefulset.agent.replication.preflight;

import io.statefulset.agent.clone.DataDirFacts;
import java.nio.file.Path;

/**
 * What the checks before replication starts found.
 *
 * @param detail the finding with its numbers (the missing or errant GTIDs, the file), one line
 */
public record PreflightVerdict(Outcome outcome, String detail) {
    /**
     * What the operator does about a refusal; the same words in the log and in /readyz. {@code init} honours the
     * marker file on the next start of the pod: it sets the data dir's content aside and clones again.
     */
    public static String reclone(Path dataDir) {
        return "re-clone this replica: touch " + dataDir.resolve(DataDirFacts.Choice.RECLONE.file) + " and restart the pod"
                + " (init sets the data aside and clones again), or delete its data dir (in Kubernetes: its PVC)";
    }

    public enum Outcome {
        PASSED("passed"),
        /**
         * The source refused the questions (the replication account lacks {@code REPLICATION CLIENT}): replication
         * starts as it did before the checks existed, with a warning saying what to grant.
         */
        UNCHECKED("unchecked"),
        /** The source no longer has binlogs (or GTIDs) this replica still needs. */
        BINLOG_PURGED("binlog_purged"),
        /** The replica has transactions the source never had, or stands ahead of it. */
        ERRANT_TRANSACTIONS("errant_transactions");

        private final String label;

        Outcome(String label) {
            this.label = label;
        }

        /** The metric label ({@code reason="binlog_purged"}). */
        public String label() {
            return label;
        }
    }

    public static PreflightVerdict passed(String detail) {
        return new PreflightVerdict(Outcome.PASSED, detail);
    }

    public static PreflightVerdict purged(String detail) {
        return new PreflightVerdict(Outcome.BINLOG_PURGED, detail);
    }

    public static PreflightVerdict errant(String detail) {
        return new PreflightVerdict(Outcome.ERRANT_TRANSACTIONS, detail);
    }

    public static PreflightVerdict unchecked(String detail) {
        return new PreflightVerdict(Outcome.UNCHECKED, detail);
    }

    /** Nothing stands against starting (checked and fine, or not checkable). */
    public boolean passed() {
        return outcome == Outcome.PASSED || outcome == Outcome.UNCHECKED;
    }

    /** The refusal as one line: what was found, with the numbers, and what to do. */
    public String refusal(Path dataDir) {
        return "replication not started: " + detail + "; " + reclone(dataDir);
    }
}
