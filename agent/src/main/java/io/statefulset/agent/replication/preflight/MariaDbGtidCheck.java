package io.statefulset.agent.replication.preflight;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * MariaDB positioned by GTID ({@code MASTER_USE_GTID=slave_pos}), by replication domain. MariaDB has no GTID set
 * functions: a position is one GTID per domain, and a domain's sequence numbers only grow, so the comparison is per
 * domain and per server.
 * <ul>
 *   <li>purged: the source's oldest binlog starts at {@code BINLOG_GTID_POS(oldest, 4)}; in each of its domains the
 *       replica must be at least there, or the events in between are gone;</li>
 *   <li>errant: every GTID of the replica (its replication position, and its own binlog state: what was written on
 *       it) must be in the source's {@code gtid_binlog_state} ({@code domain-server} with a sequence at least as
 *       high). A local write on the replica carries the replica's server id, which the source never had.</li>
 * </ul>
 * Writes on a replica that runs without {@code log-bin} leave no GTID, so they cannot be seen here.
 */
final class MariaDbGtidCheck {
    private MariaDbGtidCheck() {}

    static PreflightVerdict check(Connection replica, Connection source, String sourceName, boolean currentPos) throws SQLException {
        String positionVariable = currentPos ? "gtid_current_pos" : "gtid_slave_pos";
        String positionText;
        String replicaBinlogText;
        try (Statement s = replica.createStatement();
             ResultSet rs = s.executeQuery("SELECT @@GLOBAL." + positionVariable + ", @@GLOBAL.gtid_binlog_state")) {
            rs.next();
            positionText = text(rs.getString(1));
            replicaBinlogText = text(rs.getString(2));
        }
        List<MariaDbGtid> position = MariaDbGtid.list(positionText, "the replica's " + positionVariable);
        List<MariaDbGtid> replicaBinlog = MariaDbGtid.list(replicaBinlogText, "the replica's gtid_binlog_state");

        List<BinlogFileCheck.BinlogFile> logs = BinlogFileCheck.binaryLogs(source);
        String oldest = logs.isEmpty() ? "" : logs.get(0).name();
        String startText = "";
        String sourceStateText;
        try (PreparedStatement ps = source.prepareStatement("SELECT BINLOG_GTID_POS(?, 4), @@GLOBAL.gtid_binlog_state")) {
            ps.setString(1, oldest);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (!oldest.isEmpty()) startText = text(rs.getString(1));
                sourceStateText = text(rs.getString(2));
            }
        }
        List<MariaDbGtid> start = MariaDbGtid.list(startText, "the source's BINLOG_GTID_POS('" + oldest + "', 4)");
        List<MariaDbGtid> sourceState = MariaDbGtid.list(sourceStateText, "the source's gtid_binlog_state");
        String replicaSays = "this replica's " + positionVariable + " is '" + positionText + "'"
                + (replicaBinlogText.isEmpty() ? "" : ", its gtid_binlog_state '" + replicaBinlogText + "'");

        List<String> missing = new ArrayList<>();
        for (MariaDbGtid s : start) {
            Optional<MariaDbGtid> at = inDomain(position, s.domain());
            if (at.isEmpty()) {
                missing.add("domain " + s.domain() + ": the replica has no position, the source's binlogs start after " + s);
            } else if (at.get().seq() < s.seq()) {
                missing.add("domain " + s.domain() + ": the replica is at " + at.get() + ", the source's binlogs start after " + s);
            }
        }
        Set<MariaDbGtid> mine = new LinkedHashSet<>(position);
        mine.addAll(replicaBinlog);
        List<MariaDbGtid> errant = mine.stream().filter(g -> !covered(g, sourceState)).toList();
        String errantText = errant.stream().map(MariaDbGtid::toString).collect(Collectors.joining(","));

        if (!missing.isEmpty()) {
            return PreflightVerdict.purged("the source " + sourceName + " has purged binlogs this replica needs: "
                    + String.join("; ", missing) + " (oldest binlog " + oldest + "; " + replicaSays + ")"
                    + (errant.isEmpty() ? "" : "; errant GTIDs too: '" + errantText + "'"));
        }
        if (!errant.isEmpty()) {
            return PreflightVerdict.errant("this replica has GTIDs the source " + sourceName + " never had: '" + errantText
                    + "' (source gtid_binlog_state '" + sourceStateText + "'; " + replicaSays + ")");
        }
        return PreflightVerdict.passed("the source " + sourceName + " still has every binlog after '" + positionText
                + "' (its oldest is " + oldest + ") and none of this replica's GTIDs is errant");
    }

    private static Optional<MariaDbGtid> inDomain(List<MariaDbGtid> position, long domain) {
        return position.stream().filter(g -> g.domain() == domain).reduce((a, b) -> a.seq() >= b.seq() ? a : b);
    }

    private static boolean covered(MariaDbGtid g, List<MariaDbGtid> sourceState) {
        return sourceState.stream().anyMatch(s -> s.domain() == g.domain() && s.server() == g.server() && s.seq() >= g.seq());
    }

    private static String text(String s) {
        return s == null ? "" : s.strip();
    }
}
