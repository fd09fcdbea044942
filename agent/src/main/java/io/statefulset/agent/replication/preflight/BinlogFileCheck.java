package io.statefulset.agent.replication.preflight;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Positioned by binlog file and offset: the file must be in the source's {@code SHOW BINARY LOGS} and the offset
 * inside it. A file older than the source's oldest was purged; a newer one, or an offset past the end, means the
 * replica stands ahead of the source (it followed another server, or the source was reset).
 */
final class BinlogFileCheck {
    record BinlogFile(String name, long size) {}

    private BinlogFileCheck() {}

    static PreflightVerdict check(Connection source, String sourceName, String file, long position) throws SQLException {
        if (file.isEmpty()) return PreflightVerdict.passed("no binlog file to check yet (the IO thread has not read any)");
        List<BinlogFile> logs = binaryLogs(source);
        String at = file + ":" + position;
        for (BinlogFile log : logs) {
            if (!log.name().equals(file)) continue;
            if (position > log.size()) {
                return PreflightVerdict.errant("this replica reads from " + at + " but that file on the source " + sourceName
                        + " is only " + log.size() + " bytes long: the replica is ahead of the source");
            }
            return PreflightVerdict.passed("binlog " + at + " is on the source " + sourceName + " (file size " + log.size() + ")");
        }
        if (logs.isEmpty()) {
            return PreflightVerdict.purged("this replica reads from " + at + " but the source " + sourceName + " lists no binary logs");
        }
        String oldest = logs.get(0).name();
        String newest = logs.get(logs.size() - 1).name();
        String range = " (it has " + oldest + " .. " + newest + ")";
        if (olderThan(file, oldest)) {
            return PreflightVerdict.purged("the source " + sourceName + " has purged binlog file " + file + " that this replica"
                    + " needs (position " + at + ")" + range);
        }
        return PreflightVerdict.errant("the source " + sourceName + " has no binlog file " + file + range
                + ": this replica's position " + at + " is ahead of the source or from another server");
    }

    static List<BinlogFile> binaryLogs(Connection source) throws SQLException {
        List<BinlogFile> out = new ArrayList<>();
        try (Statement s = source.createStatement(); ResultSet rs = s.executeQuery("SHOW BINARY LOGS")) {
            while (rs.next()) out.add(new BinlogFile(rs.getString(1), rs.getLong(2)));
        }
        return out;
    }

    /** Same base name: the numeric extension decides (it may grow past six digits); else the name's order. */
    static boolean olderThan(String file, String oldest) {
        int a = file.lastIndexOf('.');
        int b = oldest.lastIndexOf('.');
        if (a > 0 && b > 0 && file.substring(0, a).equals(oldest.substring(0, b))) {
            try {
                return Long.parseLong(file.substring(a + 1)) < Long.parseLong(oldest.substring(b + 1));
            } catch (NumberFormatException e) {
                // not numbered: fall back to the names' order
            }
        }
        return file.compareTo(oldest) < 0;
    }
}
