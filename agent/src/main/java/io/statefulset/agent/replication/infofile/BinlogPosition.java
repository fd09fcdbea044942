package io.statefulset.agent.replication.infofile;

import java.util.regex.Pattern;

/** A position in the source's binary log: the coordinates a file/position replica starts from. */
public record BinlogPosition(String file, long position) {
    private static final Pattern FILE = Pattern.compile("[A-Za-z0-9._-]{1,255}");

    public BinlogPosition {
        if (file == null || !FILE.matcher(file).matches()) {
            throw new IllegalArgumentException("binlog file name must match [A-Za-z0-9._-]{1,255}");
        }
        if (position < 0) throw new IllegalArgumentException("binlog position must not be negative");
    }

    public static boolean validFileName(String file) {
        return FILE.matcher(file).matches();
    }

    @Override
    public String toString() {
        return file + ":" + position;
    }
}
