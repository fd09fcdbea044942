package io.statefulset.agent.clone;

import java.time.Duration;

/** The donor answered 503: it is serving another clone. Not a failure; ask again after {@link #retryAfter()}. */
public final class DonorBusyException extends DonorException {
    private final Duration retryAfter;

    public DonorBusyException(String message, Duration retryAfter) {
        super(message, null);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
