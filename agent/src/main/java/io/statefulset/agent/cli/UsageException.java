package io.statefulset.agent.cli;

/** Bad command line: exit code 2, with a message that says what to type instead. */
public final class UsageException extends Exception {
    public UsageException(String message) {
        super(message);
    }
}
