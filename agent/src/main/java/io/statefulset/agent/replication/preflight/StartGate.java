package io.statefulset.agent.replication.preflight;

import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.mysql.MysqlStartupWait;
import io.statefulset.agent.mysql.ReplicaStatus;
import io.statefulset.agent.replication.SourceEndpoint;
import io.statefulset.agent.replication.dialect.ReplicationDialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checks before a replica's threads may run, on every start of {@code serve}: can the source still serve the
 * replica's position, and does the replica hold transactions the source never had. Which check applies follows
 * how the replica is positioned: MySQL auto-position ({@link MysqlGtidCheck}), MariaDB GTID
 * ({@link MariaDbGtidCheck}), or binlog file and offset ({@link BinlogFileCheck}).
 *
 * <p>When the source cannot be asked (down, restarting, not resolvable yet), nothing can be decided: the gate says
 * so once, retries every {@link #RETRY}, and says once when the source answered.
 */
public final class StartGate {
    private static final Logger log = LoggerFactory.getLogger(StartGate.class);
    /** Pause between two attempts to reach a source that did not answer. */
    public static final Duration RETRY = Duration.ofSeconds(5);
    /** "Access denied; you need (at least one of) the ... privilege(s) for this operation" (MySQL and MariaDB). */
    public static final int ER_SPECIFIC_ACCESS_DENIED = 1227;

    /**
     * Where the checks' findings go (readiness and metrics). A refusal is reported by the caller, which knows the
     * whole line (what it did about the threads) and logs it once.
     */
    public interface Listener {
        Listener NONE = new Listener() { };

        default void waiting(String why) { }

        default void passed(PreflightVerdict verdict) { }

        /** @param line the refusal as logged, for /readyz */
        default void refused(PreflightVerdict verdict, String line) { }
    }

    private final SourceEndpoint account;
    private final Listener listener;

    public StartGate(SourceEndpoint account, Listener listener) {
        this.account = account;
        this.listener = listener;
    }

    /**
     * Checks {@code status}'s position against its source, waiting for the source as long as it takes.
     *
     * @param replica a connection to the local replica
     * @throws SQLException when the replica itself cannot be read
     */
    public PreflightVerdict check(Connection replica, ReplicationDialect dialect, ReplicaStatus status)
            throws SQLException, InterruptedException {
        HostPort source = new HostPort(status.sourceHost(), status.sourcePort());
        long start = System.nanoTime();
        String waitingFor = null;
        while (true) {
            try (Connection c = SourceConnection.open(source, account)) {
                PreflightVerdict v;
                try {
                    v = run(replica, c, dialect, status, source.toString());
                } catch (SQLException e) {
                    if (e.getErrorCode() != ER_SPECIFIC_ACCESS_DENIED) throw e;
                    // An account made by hand with REPLICATION SLAVE only: waiting would not help, refusing would
                    // stop replicas that worked before these checks existed.
                    v = unchecked(source, account, e);
                    log.warn("replication start checks not done, starting anyway: {}", v.detail());
                    listener.passed(v);
                    return v;
                }
                if (waitingFor != null) {
                    log.info("source {} answered after {} s: checking the replica's position", source,
                            (System.nanoTime() - start) / 1_000_000_000L);
                }
                if (v.passed()) {
                    log.info("position check passed: {}", v.detail());
                    listener.passed(v);
                }
                return v;
            } catch (SQLException e) {
                if (isReplicaSide(e, replica)) throw e;
                String why = "replication start checks wait for the source " + source + " (as " + account.user() + "): "
                        + MysqlStartupWait.rootMessage(e);
                if (!why.equals(waitingFor)) {
                    log.warn("{}; retrying every {} s, replication is not started until it answers", why, RETRY.toSeconds());
                    waitingFor = why;
                }
                listener.waiting(why);
            }
            Thread.sleep(RETRY.toMillis());
        }
    }

    /** The replication account lacks {@code REPLICATION CLIENT}: what to grant. */
    public static PreflightVerdict unchecked(HostPort source, SourceEndpoint account, SQLException e) {
        return PreflightVerdict.unchecked("the source " + source + " refused the questions to " + account.user()
                + " (" + MysqlStartupWait.rootMessage(e) + "): grant it REPLICATION CLIENT on the source"
                + " (GRANT REPLICATION CLIENT ON *.* TO '" + account.user() + "'@'%') so that purged binlogs and"
                + " errant transactions are caught before start");
    }

    private static PreflightVerdict run(Connection replica, Connection source, ReplicationDialect dialect, ReplicaStatus status,
                                        String sourceName) throws SQLException {
        if (!status.byGtid()) return BinlogFileCheck.check(source, sourceName, status.sourceLogFile(), status.readSourcePos());
        if (dialect.version().isMariaDb()) {
            return MariaDbGtidCheck.check(replica, source, sourceName, status.usingGtid().equalsIgnoreCase("Current_Pos"));
        }
        return MysqlGtidCheck.check(replica, status.retrievedGtidSet(), source, sourceName);
    }

    /** A broken local connection is the caller's failure, not a source that is away. */
    public static boolean isReplicaSide(SQLException e, Connection replica) {
        try {
            return replica.isClosed() || !replica.isValid(2);
        } catch (SQLException ignored) {
            return true;
        }
    }
}
