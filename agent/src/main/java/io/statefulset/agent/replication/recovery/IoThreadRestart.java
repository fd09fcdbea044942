package io.statefulset.agent.replication.recovery;

import io.micrometer.core.instrument.MeterRegistry;
import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.health.IoThreadRecovery;
import io.statefulset.agent.health.ReplicaState;
import io.statefulset.agent.mysql.MysqlStartupWait;
import io.statefulset.agent.mysql.ReplicaStatus;
import io.statefulset.agent.replication.SourceEndpoint;
import io.statefulset.agent.replication.dialect.ReplicationDialect;
import io.statefulset.agent.replication.dialect.ServerVersion;
import io.statefulset.agent.replication.dialect.SqlCommand;
import io.statefulset.agent.replication.preflight.MysqlGtidCheck;
import io.statefulset.agent.replication.preflight.PreflightVerdict;
import io.statefulset.agent.replication.preflight.SourceConnection;
import io.statefulset.agent.replication.preflight.StartGate;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Starts a replica's IO thread again after the source stopped it for good ({@link IoRestartRule}), once the check
 * the start gate runs ({@link MysqlGtidCheck}, over the replication account) finds that the source holds every
 * transaction the replica has (applied, or retrieved into its relay log: auto-positioning names both) and still has
 * what it lacks. The case it exists for: a replica reconnected to the rebuilt primary's fresh, empty server just
 * before the CLONE replaced its binary logs under the dump thread; after the clone the source holds the replica's
 * transactions again and auto-positioning goes on without a re-clone. While the check refuses nothing is done, and
 * it runs again at the {@link RestartPace}, on a thread of its own so that the watch keeps sampling meanwhile. A
 * channel found not auto-positioned (MariaDB, file/position) is said once per stop and not read again until its
 * error changes or clears.
 */
public final class IoThreadRestart implements IoThreadRecovery, AutoCloseable {
    private static final int STATUS_TIMEOUT_SECONDS = 10;

    private final DataSource local;
    private final Supplier<SourceEndpoint> account;
    private final IoRestartLog restarts;
    private final RestartPace pace = new RestartPace();
    private final AtomicBoolean busy = new AtomicBoolean();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "io-thread-restart");
        t.setDaemon(true);
        return t;
    });

    /** @param account the replication account, read at each check (its password may rotate) */
    public IoThreadRestart(DataSource local, Supplier<SourceEndpoint> account, MeterRegistry registry) {
        this.local = local;
        this.account = account;
        this.restarts = new IoRestartLog(registry);
    }

    @Override
    public void sampled(ReplicaState state) {
        long now = System.nanoTime();
        boolean due = pace.due(state, now);
        if (!IoRestartRule.stoppedBySource(state)) {
            restarts.cleared(state, now);
            return;
        }
        if (!due || !busy.compareAndSet(false, true)) return;
        try {
            worker.execute(() -> attempt(state));
        } catch (RejectedExecutionException closed) {
            busy.set(false);
        }
    }

    private void attempt(ReplicaState sampled) {
        long began = System.nanoTime();
        boolean restarted = false;
        try (Connection c = local.getConnection()) {
            restarted = checkAndRestart(c);
        } catch (SQLException | RuntimeException e) {
            restarts.refused(sampled.ioError(), "replica_unreadable", "this replica could not be read or"
                    + " its IO thread not started: " + MysqlStartupWait.rootMessage(e), RestartPace.RECHECK, System.nanoTime());
        } finally {
            pace.checked(began, restarted);
            busy.set(false);
        }
    }

    /** @return the IO thread was started */
    private boolean checkAndRestart(Connection replica) throws SQLException {
        ServerVersion version = ServerVersion.of(replica);
        ReplicationDialect dialect = ReplicationDialect.of(version);
        Optional<ReplicaStatus> read = ReplicaStatus.read(replica, dialect, STATUS_TIMEOUT_SECONDS).filter(ReplicaStatus::configured);
        if (read.isEmpty()) return false;
        ReplicaStatus status = read.get();
        ReplicaState state = status.toReplicaState();
        // Re-read: the sample may be a second old, and only the full status tells how the channel is positioned.
        IoRestartRule.Decision decision = IoRestartRule.decide(state, version.isMariaDb(), status.autoPosition());
        if (decision == IoRestartRule.Decision.NOT_AUTO_POSITIONED) {
            pace.leftAlone(state.ioError());
            restarts.leftAlone(state.ioError(), version.isMariaDb());
        }
        if (decision != IoRestartRule.Decision.CHECK_THE_SOURCE) return false;
        HostPort source = new HostPort(status.sourceHost(), status.sourcePort());
        SourceEndpoint as = account.get();
        PreflightVerdict verdict;
        try (Connection s = SourceConnection.open(source, as)) {
            // Auto-positioning asks for what is neither executed nor in the relay log: both must be the source's.
            verdict = MysqlGtidCheck.check(replica, status.retrievedGtidSet(), s, source.toString());
        } catch (SQLException e) {
            if (StartGate.isReplicaSide(e, replica)) throw e;
            if (e.getErrorCode() == StartGate.ER_SPECIFIC_ACCESS_DENIED) {
                verdict = StartGate.unchecked(source, as, e);
            } else {
                restarts.refused(state.ioError(), "source_unanswered", "the source " + source
                        + " does not answer (as " + as.user() + "): " + MysqlStartupWait.rootMessage(e), RestartPace.RECHECK,
                        System.nanoTime());
                return false;
            }
        }
        // Unchecked is a refusal here, unlike at start: a restart is only made on the check's word.
        if (verdict.outcome() != PreflightVerdict.Outcome.PASSED) {
            restarts.refused(state.ioError(), verdict.outcome().label(), verdict.detail(), RestartPace.RECHECK,
                    System.nanoTime());
            return false;
        }
        SqlCommand start = dialect.startIoThread();
        start.execute(replica);
        restarts.restarted(state.ioError(), verdict.detail(), start.display(), System.nanoTime());
        return true;
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
