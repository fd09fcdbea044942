package io.statefulset.agent.replication.preflight;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * MySQL with {@code *_AUTO_POSITION=1}. The source sends what the replica lacks, which works only if the source
 * still has it: its {@code gtid_purged} must be a subset of the replica's {@code gtid_executed}. Errant
 * transactions are the replica's GTIDs the source never executed. The set arithmetic is the source's own
 * ({@code GTID_SUBSET}, {@code GTID_SUBTRACT}): GTID sets have intervals, tags and UUID ordering that a second
 * implementation would get subtly wrong.
 *
 * <p>What the replica holds is its {@code gtid_executed} and its {@code Retrieved_Gtid_Set} (in the relay log, maybe
 * not applied yet): auto-positioning sends the source both, so a transaction only retrieved counts as the replica's.
 * MySQL has no function for a union of sets, but the two texts joined by a comma are one set text that
 * {@code GTID_SUBSET}/{@code GTID_SUBTRACT} read with its intervals overlapping (5.7 and 8.0).
 */
public final class MysqlGtidCheck {
    private MysqlGtidCheck() {}

    /** @param retrieved the replica's {@code Retrieved_Gtid_Set}; empty when it has none */
    public static PreflightVerdict check(Connection replica, String retrieved, Connection source, String sourceName) throws SQLException {
        String executed;
        try (Statement s = replica.createStatement(); ResultSet rs = s.executeQuery("SELECT @@GLOBAL.gtid_executed")) {
            rs.next();
            executed = compact(rs.getString(1));
        }
        String inRelayLog = compact(retrieved);
        String held = held(executed, inRelayLog);
        try (PreparedStatement ps = source.prepareStatement("SELECT GTID_SUBSET(@@GLOBAL.gtid_purged, ?),"
                + " GTID_SUBTRACT(@@GLOBAL.gtid_purged, ?), GTID_SUBTRACT(?, @@GLOBAL.gtid_executed), @@GLOBAL.gtid_purged,"
                + " @@GLOBAL.gtid_executed")) {
            ps.setString(1, held);
            ps.setString(2, held);
            ps.setString(3, held);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                boolean servable = rs.getInt(1) == 1;
                String missing = compact(rs.getString(2));
                String errant = compact(rs.getString(3));
                String purged = compact(rs.getString(4));
                String sourceExecuted = compact(rs.getString(5));
                String replicaSays = "this replica's gtid_executed is '" + executed + "'"
                        + (inRelayLog.isEmpty() ? "" : ", its Retrieved_Gtid_Set '" + inRelayLog + "'");
                if (!servable) {
                    return PreflightVerdict.purged("the source " + sourceName + " has purged binlogs this replica needs: missing GTIDs '"
                            + missing + "' (source gtid_purged '" + purged + "', " + replicaSays + ")"
                            + (errant.isEmpty() ? "" : "; errant GTIDs too: '" + errant + "'"));
                }
                if (!errant.isEmpty()) {
                    return PreflightVerdict.errant("this replica has transactions the source " + sourceName + " never had:"
                            + " errant GTIDs '" + errant + "' (" + replicaSays + ")");
                }
                return PreflightVerdict.passed("the source " + sourceName + " has every GTID this replica needs and none is"
                        + " errant (" + replicaSays + ", the source's '" + sourceExecuted + "')");
            }
        }
    }

    /** The set text of what the replica holds: both sets, one after the other (an empty one is left out). */
    static String held(String executed, String retrieved) {
        if (retrieved.isEmpty()) return executed;
        return executed.isEmpty() ? retrieved : executed + "," + retrieved;
    }

    /** MySQL prints a line break after each comma of a long set. */
    private static String compact(String set) {
        return set == null ? "" : set.replaceAll("\\s+", "");
    }
}
