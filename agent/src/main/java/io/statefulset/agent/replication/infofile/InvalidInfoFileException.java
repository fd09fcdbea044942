package io.statefulset.agent.replication.infofile;

import io.statefulset.agent.replication.ReplicationSetupException;

/**
 * A backup info file ({@code xtrabackup_binlog_info}, {@code xtrabackup_slave_info}, ...) that does not have the
 * shape the backup tools write. Nothing from such a file reaches mysqld.
 */
public final class InvalidInfoFileException extends ReplicationSetupException {
    private final String file;
    private final int line;

    public InvalidInfoFileException(String file, int line, String problem, String expected) {
        super(file + " line " + line + ": " + problem + "; expected " + expected
                + " (the file comes from the clone: re-clone this replica if it was damaged)");
        this.file = file;
        this.line = line;
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }
}
