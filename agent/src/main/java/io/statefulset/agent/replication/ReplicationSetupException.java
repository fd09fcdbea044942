package io.statefulset.agent.replication;

/**
 * Replication could not be set up. The message says what went wrong and what to check; {@code serve} logs it and
 * exits 1 so that Kubernetes restarts the sidecar (the setup is safe to run again).
 */
public class ReplicationSetupException extends RuntimeException {
    public ReplicationSetupException(String message) {
        super(message);
    }

    public ReplicationSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
