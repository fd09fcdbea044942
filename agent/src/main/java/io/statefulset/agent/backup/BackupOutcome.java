package io.statefulset.agent.backup;

import io.statefulset.agent.common.backuptool.FailureCause;
import io.statefulset.agent.common.protocol.BackupProtocol;
import java.util.Optional;

/**
 * How a backup ended, as the trailers, the metrics and the summary log line tell it.
 *
 * @param status   {@link #SUCCESS}, {@link #FAILED} (the client gets a failed trailer) or {@link #ABORTED}
 *                 (the client went away: nobody to tell)
 * @param error    why it failed: the tool's stderr tail or the agent's reason; empty on success
 * @param exitCode the tool's exit code, -1 when it was killed or never ran
 * @param cause    why it failed or was aborted; empty on success
 */
record BackupOutcome(String status, String error, long bytes, int crc32c, int exitCode, long nanos, Optional<FailureCause> cause) {
    static final String SUCCESS = BackupProtocol.STATUS_SUCCESS;
    static final String FAILED = BackupProtocol.STATUS_FAILED;
    static final String ABORTED = "aborted";

    boolean succeeded() {
        return SUCCESS.equals(status);
    }

    double seconds() {
        return nanos / 1e9;
    }

    double megabytesPerSecond() {
        return nanos == 0 ? 0 : bytes / 1e6 / seconds();
    }
}
