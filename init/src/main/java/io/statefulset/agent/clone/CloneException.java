package io.statefulset.agent.clone;

/** The clone is given up: no donor reachable in time, or every attempt failed. {@code init} exits 1 with the message. */
public final class CloneException extends Exception {
    public CloneException(String message) {
        super(message);
    }
}
