package io.statefulset.agent.health;

/**
 * The last error one replication thread reports ({@code Last_IO_Errno}/{@code Last_IO_Error},
 * {@code Last_SQL_Errno}/{@code Last_SQL_Error}), in the server's own words.
 *
 * @param errno 0 when the thread reports no error
 */
public record ThreadError(int errno, String message) {
    public static final ThreadError NONE = new ThreadError(0, "");

    public ThreadError {
        message = message == null ? "" : message.strip();
    }

    public boolean present() {
        return errno != 0 || !message.isEmpty();
    }

    /** {@code error 1062: Could not execute Write_rows_v1 event ...} */
    @Override
    public String toString() {
        return present() ? "error " + errno + ": " + message : "no error";
    }
}
