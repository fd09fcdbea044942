package io.statefulset.agent.replication.infofile;

import java.util.Optional;

/**
 * Where a cloned data dir stands in the primary's history, as the backup tool recorded it: binlog coordinates,
 * a GTID position, or both. Parsed from the info files, never executed from them.
 *
 * @param infoFile       the file it came from, for logs and errors
 * @param binlog         binlog coordinates on the primary, when the file carried them
 * @param gtid           a GTID position, when the file carried one
 * @param gtidPositioned the file itself says "replicate by GTID" ({@code MASTER_AUTO_POSITION=1},
 *                       {@code master_use_gtid = slave_pos}): there are no coordinates to fall back on
 */
public record ClonePosition(String infoFile, Optional<BinlogPosition> binlog, Optional<GtidPosition> gtid,
                            boolean gtidPositioned) {
    public ClonePosition {
        if (binlog.isEmpty() && !gtidPositioned) {
            throw new IllegalArgumentException(infoFile + " gives neither binlog coordinates nor GTID positioning");
        }
        if (binlog.isPresent() && gtidPositioned) {
            throw new IllegalArgumentException(infoFile + " gives binlog coordinates and GTID auto-positioning at once");
        }
    }

    public static ClonePosition coordinates(String infoFile, BinlogPosition binlog, Optional<GtidPosition> gtid) {
        return new ClonePosition(infoFile, Optional.of(binlog), gtid, false);
    }

    public static ClonePosition gtidOnly(String infoFile, Optional<GtidPosition> gtid) {
        return new ClonePosition(infoFile, Optional.empty(), gtid, true);
    }

    /** {@code mysql-bin.000001:1240, gtid 0-100-5 (xtrabackup_binlog_info)} */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        binlog.ifPresent(b -> sb.append(b));
        gtid.ifPresent(g -> sb.append(sb.length() > 0 ? ", " : "").append("gtid ").append(g.text()));
        if (gtidPositioned && gtid.isEmpty()) sb.append("GTID auto-positioning from the restored GTID state");
        return sb.append(" (").append(infoFile).append(")").toString();
    }
}
