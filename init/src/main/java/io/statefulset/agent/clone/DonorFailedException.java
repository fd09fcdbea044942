package io.statefulset.agent.clone;

/**
 * A clone from this donor started and went wrong (died, stalled, corrupt or truncated stream, failed backup,
 * failed prepare, rejected token). The message is one line: what happened and what to check.
 */
public final class DonorFailedException extends DonorException {
    public DonorFailedException(String message) {
        super(message, null);
    }

    public DonorFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
