package io.statefulset.agent.replication.preflight;

/**
 * What the checks before replication starts found.
 *
 * @param detail the finding with its numbers (the missing or errant GTIDs, the file), one line
 */
public record PreflightVerdict(Outcome outcome, String detail) {
    /** What the operator does about a refusal; the same words in the log, in /readyz and in the README. */
    public static final String RECLONE = "re-clone this replica: delete its data dir (in Kubernetes: its PVC) and restart the pod";

    public enum Outcome {
        PASSED("passed"),
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

    public boolean passed() {
        return outcome == Outcome.PASSED;
    }

    /** The refusal as one line: what was found, with the numbers, and what to do. */
    public String refusal() {
        return "replication not started: " + detail + "; " + RECLONE;
    }
}
