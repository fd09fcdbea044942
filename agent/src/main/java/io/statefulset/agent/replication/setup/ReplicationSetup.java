package io.statefulset.agent.replication.setup;

import io.statefulset.agent.cloneplugin.CloneStatus;
import io.statefulset.agent.replication.ReplicationMarker;
import io.statefulset.agent.replication.ReplicationSetupException;
import io.statefulset.agent.mysql.MysqlStartupWait;
import io.statefulset.agent.mysql.ReplicaServerState;
import io.statefulset.agent.mysql.ReplicaStatus;
import io.statefulset.agent.replication.dialect.BackslashEscapes;
import io.statefulset.agent.replication.dialect.ReplicationDialect;
import io.statefulset.agent.replication.dialect.ServerVersion;
import io.statefulset.agent.replication.dialect.SqlCommand;
import io.statefulset.agent.replication.infofile.BackupInfoFiles;
import io.statefulset.agent.replication.infofile.ClonePosition;
import io.statefulset.agent.replication.ReplicationMarker.Entry;
import io.statefulset.agent.replication.preflight.PreflightVerdict;
import io.statefulset.agent.replication.preflight.StartGate;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code serve}'s one-time replication setup. On the primary: the replication user, and after a rebuild the
 * primary's GTID state ({@link RebuiltPrimary}). On a replica, in order:
 * <ol>
 *   <li>the once-marker exists (and was written for this server): nothing to do;</li>
 *   <li>the server already has a source: if this agent's pending record says it got as far as CHANGE MASTER before
 *       it was stopped, start the replica and record it; otherwise someone else set it up: leave it alone and
 *       record that;</li>
 *   <li>no info file in the data dir: nothing to configure from (logged, not an error);</li>
 *   <li>else: record "pending", run the plan (GTID state, CHANGE MASTER), the checks before start, START, write the
 *       marker, drop "pending".</li>
 * </ol>
 * Wherever the server has a source, on every run, the {@link StartGate} checks the position against the source
 * before anything is started or trusted; a refusal starts nothing and is one line in the log.
 * Every point where the process can die leads a rerun to one of these branches, and none of them repeats a
 * statement that would fail or move the replica's position. The info files stay in the data dir: they are what
 * the position came from (useful when something looks wrong), and renaming them could not be atomic with START
 * SLAVE anyway (the tutorial's {@code mv} after START leaves a window where a crash re-applies, or, done before,
 * where a crash forgets the position); the marker decides.
 */
public final class ReplicationSetup {
    private static final Logger log = LoggerFactory.getLogger(ReplicationSetup.class);
    private static final int STATUS_TIMEOUT_SECONDS = 10;
    private static final String CLONE_STATUS = "performance_schema.clone_status";

    /** Lets a test stop the setup at a named point, the way a killed process would stop there. */
    interface Checkpoints {
        Checkpoints NONE = name -> { };

        void reached(String name);
    }

    private final ReplicationSettings settings;
    private final DataSource dataSource;
    private final StartGate.Listener gateListener;
    private final StartGate gate;
    private final Checkpoints checkpoints;

    public ReplicationSetup(ReplicationSettings settings, DataSource dataSource) {
        this(settings, dataSource, StartGate.Listener.NONE);
    }

    /** @param gateListener told what the checks before start found (serve's readiness and metrics) */
    public ReplicationSetup(ReplicationSettings settings, DataSource dataSource, StartGate.Listener gateListener) {
        this(settings, dataSource, gateListener, Checkpoints.NONE);
    }

    ReplicationSetup(ReplicationSettings settings, DataSource dataSource, StartGate.Listener gateListener, Checkpoints checkpoints) {
        this.settings = settings;
        this.dataSource = dataSource;
        this.gateListener = gateListener;
        this.gate = new StartGate(settings.source(), gateListener);
        this.checkpoints = checkpoints;
    }

    /**
     * Waits for mysqld (up to {@code mysqlWait}), then does what is described above.
     *
     * @throws ReplicationSetupException with what to check; safe to call again after fixing it
     */
    public SetupOutcome run() throws InterruptedException {
        ServerVersion version = MysqlStartupWait.await(dataSource, settings.mysqlWait(), settings.mysqlTarget());
        ReplicationDialect dialect = ReplicationDialect.of(version);
        try (Connection c = dataSource.getConnection()) {
            BackslashEscapes.ensure(c);
            SetupOutcome outcome = settings.primary() ? primary(c, dialect) : replica(c, dialect);
            if (outcome.kind() == SetupOutcome.Kind.REFUSED) {
                log.error("replication setup: {}", outcome);
            } else {
                log.info("replication setup: {}", outcome);
            }
            return outcome;
        } catch (SQLException e) {
            throw new ReplicationSetupException("replication setup on " + settings.mysqlTarget() + " (" + dialect.describe()
                    + ") failed: " + e.getMessage() + " (the setup is safe to rerun: fix the cause and restart the sidecar)", e);
        } catch (IllegalArgumentException e) {
            // A value refused before it reached mysqld (a control character in the password, say): the message
            // names the value, never shows it.
            throw new ReplicationSetupException("replication setup on " + settings.mysqlTarget() + " refused a value: "
                    + e.getMessage(), e);
        }
    }

    private SetupOutcome primary(Connection c, ReplicationDialect dialect) throws SQLException {
        Optional<String> rebuilt = RebuiltPrimary.settle(c, dialect, settings.dataDir());
        boolean created = ReplicationUser.ensure(c, settings.source().user(), settings.source().password());
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @@GLOBAL.log_bin")) {
            if (rs.next() && !rs.getBoolean(1)) {
                log.warn("the primary runs without log-bin: replicas cannot replicate from it (enable log-bin in primary.cnf)");
            }
        }
        return new SetupOutcome(SetupOutcome.Kind.PRIMARY, "replication user '" + settings.source().user() + "'@'%' "
                + (created ? "created" : "already existed") + rebuilt.map(r -> "; " + r).orElse(""));
    }

    private SetupOutcome replica(Connection c, ReplicationDialect dialect) throws SQLException, InterruptedException {
        ReplicaServerState server = ReplicaServerState.read(c, dialect.version());
        ReplicationMarker done = ReplicationMarker.configured(settings.dataDir());
        ReplicationMarker pending = ReplicationMarker.pending(settings.dataDir());

        Optional<Entry> doneEntry = done.read();
        if (doneEntry.isPresent()) {
            if (doneEntry.get().belongsTo(server.serverId())) {
                pending.delete();
                Optional<ReplicaStatus> st = status(c, dialect);
                if (st.isPresent()) {
                    PreflightVerdict v = gate.check(c, dialect, st.get());
                    if (!v.passed()) return refused(v, st.get());
                } else {
                    nothingToCheck("the server has no source");
                }
                return new SetupOutcome(SetupOutcome.Kind.ALREADY_CONFIGURED, "marker " + done.path() + " ("
                        + describe(doneEntry.get()) + "); replication left as it is");
            }
            log.warn("ignoring {}: it was written by server_id {} and this server is {} (copied along with a data dir?)",
                    done.path(), doneEntry.get().serverId().getAsLong(), server.serverId());
            done.delete();
        }

        Optional<ReplicaStatus> status = status(c, dialect);
        Optional<Entry> ours = pending.read().filter(e -> e.belongsTo(server.serverId()));
        if (status.isPresent()) {
            ReplicaStatus st = status.get();
            if (ours.isPresent()) {
                // Stopped after CHANGE MASTER last time (or refused by the checks): check, then start.
                PreflightVerdict v = gate.check(c, dialect, st);
                if (!v.passed()) return refused(v, st);
                if (!st.ioRunning() || !st.sqlRunning()) execute(c, dialect.startReplica());
                done.write(Entry.of(server.serverId(), ours.get().source(), ours.get().position()));
                checkpoints.reached("marker-written");
                pending.delete();
                return new SetupOutcome(SetupOutcome.Kind.RESUMED, "an earlier run stopped after CHANGE MASTER; replica started ("
                        + ours.get().position() + ", source " + ours.get().source() + ")");
            }
            Optional<ClonePosition> cloned = dialect.version().isMariaDb() ? Optional.empty() : clonedByPlugin(c);
            if (cloned.isEmpty()) {
                done.write(Entry.of(server.serverId(), st.sourceHost() + ":" + st.sourcePort(), "set up outside the agent"));
                PreflightVerdict v = gate.check(c, dialect, st);
                if (!v.passed()) return refused(v, st);
                return new SetupOutcome(SetupOutcome.Kind.ALREADY_REPLICATING, "the server already has a source ("
                        + st.describe() + "); left alone, marker written");
            }
            // A CLONE from a replica copies the donor's channel (measured: it starts by itself after the restart).
            // Ours replaces it: by GTID, the switch loses and repeats nothing. Before the pending record, so that a
            // crash in between leads here again rather than to "resume" the donor's channel.
            log.info("the clone from a replica brought the donor's channel ({}); replacing it with {}", st.describe(),
                    settings.source().address());
            for (SqlCommand step : dialect.forgetSource()) execute(c, step);
        }

        Optional<ClonePosition> clone = BackupInfoFiles.read(settings.dataDir());
        if (clone.isEmpty() && !dialect.version().isMariaDb()) clone = clonedByPlugin(c);
        if (clone.isEmpty()) {
            log.warn("no {} or {} in {}: this data dir was not cloned by a backup tool, so there is no position to replicate"
                    + " from; replication not configured (re-clone the replica, or configure it by hand)",
                    BackupInfoFiles.SLAVE_INFO, BackupInfoFiles.BINLOG_INFO, settings.dataDir());
            nothingToCheck("no replication configured");
            return new SetupOutcome(SetupOutcome.Kind.NO_INFO_FILE, "no info file in " + settings.dataDir());
        }
        ReplicationPlan plan = ReplicationPlanner.plan(dialect, server, clone.get(), settings.source(), settings.positioning());
        log.info("replica of {} as {} from {}, {} ({} statements, {})", settings.source().address(), settings.source().user(),
                clone.get().describe(), plan.positioning(), plan.steps().size(), dialect.describe());
        if (dialect.unverifiableTls(settings.source())) {
            log.warn("replication user '{}' has no password: {} cannot verify the source's TLS certificate without one,"
                    + " so the replica connects with MASTER_SSL_VERIFY_SERVER_CERT=0 (set AGENT_REPLICATION_PASSWORD"
                    + " or --replication-password-file for a verified connection)", settings.source().user(), dialect.version());
        }

        long t0 = System.nanoTime();
        String source = settings.source().address().toString();
        pending.write(Entry.of(server.serverId(), source, plan.positioning() + " from " + clone.get().infoFile()));
        checkpoints.reached("pending-written");
        int step = 0;
        for (SqlCommand cmd : plan.configure()) {
            execute(c, cmd);
            checkpoints.reached("step-" + ++step);
        }
        // Checked on the server as configured: the position it would ask the source for, its own GTIDs.
        ReplicaStatus configured = status(c, dialect).orElseThrow(() -> new ReplicationSetupException(
                "after CHANGE MASTER the server on " + settings.mysqlTarget() + " reports no replication source"));
        PreflightVerdict v = gate.check(c, dialect, configured);
        // Refused: the pending record stays, so the next start checks again (and starts, once it passes).
        if (!v.passed()) return refused(v, configured);
        execute(c, plan.start());
        checkpoints.reached("step-" + ++step);
        done.write(Entry.of(server.serverId(), source, plan.positioning() + " from " + clone.get().infoFile()));
        checkpoints.reached("marker-written");
        pending.delete();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        String state = status(c, dialect).map(ReplicaStatus::describe).orElse("no status");
        return new SetupOutcome(SetupOutcome.Kind.CONFIGURED, plan.positioning() + " from " + clone.get().infoFile()
                + ", source " + source + ", " + plan.steps().size() + " statements in " + ms + " ms; " + state);
    }

    /** The server's replication status, when it has a source. */
    private static Optional<ReplicaStatus> status(Connection c, ReplicationDialect dialect) throws SQLException {
        return ReplicaStatus.read(c, dialect, STATUS_TIMEOUT_SECONDS).filter(ReplicaStatus::configured);
    }

    private void nothingToCheck(String why) {
        gateListener.passed(PreflightVerdict.passed(why + ": nothing to check before start"));
    }

    /**
     * On a restart mysqld may have started the threads itself before the agent looked: they are left as they are
     * (stopping them would undo nothing), and readiness fails with the same line.
     */
    private SetupOutcome refused(PreflightVerdict v, ReplicaStatus st) {
        String line = v.refusal(settings.dataDir()) + (st.ioRunning() || st.sqlRunning() ? " (mysqld started the replication threads itself:"
                + " left as they are, not trusted: IO " + st.ioState() + ", SQL " + st.sqlState() + ")" : "");
        gateListener.refused(v, line);
        return new SetupOutcome(SetupOutcome.Kind.REFUSED, line);
    }

    /**
     * A server seeded by the CLONE plugin holds the donor's gtid_executed, and clone_status says the clone completed
     * (read after the restart that finishes it): positioned by GTID from that state, nothing to set.
     */
    private static Optional<ClonePosition> clonedByPlugin(Connection c) throws SQLException {
        return CloneStatus.read(c).filter(CloneStatus::completed)
                .map(s -> ClonePosition.gtidOnly(CLONE_STATUS + " (cloned from " + s.source() + ")", Optional.empty()));
    }

    private static void execute(Connection c, SqlCommand cmd) throws SQLException {
        long t0 = System.nanoTime();
        cmd.execute(c);
        log.info("{} ({} ms)", cmd.display(), (System.nanoTime() - t0) / 1_000_000);
    }

    private static String describe(Entry e) {
        return "written " + e.writtenAt().map(Object::toString).orElse("by hand") + ", " + e.position()
                + (e.source().isEmpty() ? "" : ", source " + e.source());
    }
}
