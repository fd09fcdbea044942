package io.statefulset.agent.clone;

/** Something about one donor, on one try; the caller decides between waiting, the next donor and giving up. */
public abstract sealed class DonorException extends Exception
        permits DonorUnreachableException, DonorBusyException, DonorFailedException {
    protected DonorException(String message, Throwable cause) {
        super(message, cause);
    }
}
