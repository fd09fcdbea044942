package io.statefulset.agent.clone;

import io.statefulset.agent.common.backuptool.FailureCause;

/**
 * A clone from this donor started and went wrong (died, stalled, corrupt or truncated stream, failed backup,
 * failed prepare, rejected token). The message is one line: what happened and what to check; the cause names it
 * for the log and the failure counts.
 */
public final class DonorFailedException extends DonorException {
    private final FailureCause failureCause;

    public DonorFailedException(FailureCause failureCause, String message) {
        this(failureCause, message, null);
    }

    public DonorFailedException(FailureCause failureCause, String message, Throwable cause) {
        super(message, cause);
        this.failureCause = failureCause;
    }

    public FailureCause failureCause() {
        return failureCause;
    }
}
