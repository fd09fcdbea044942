package io.statefulset.agent.clone;

/** The donor's name does not resolve or its port does not accept connections (yet): worth waiting for. */
public final class DonorUnreachableException extends DonorException {
    public DonorUnreachableException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
