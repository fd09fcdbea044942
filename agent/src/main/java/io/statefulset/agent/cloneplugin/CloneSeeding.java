package io.statefulset.agent.cloneplugin;

import io.statefulset.agent.clone.Backoff;
import io.statefulset.agent.clone.CloneException;
import io.statefulset.agent.clone.CloneMethod;
import io.statefulset.agent.clone.DonorBusyException;
import io.statefulset.agent.clone.DonorException;
import io.statefulset.agent.clone.DonorFailedException;
import io.statefulset.agent.clone.DonorRounds;
import io.statefulset.agent.clone.SeedNote;
import io.statefulset.agent.clone.TransferProgress;
import io.statefulset.agent.common.backuptool.FailureCause;
import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.config.RebuildFence;
import io.statefulset.agent.replication.infofile.BackupInfoFiles;
import io.statefulset.agent.mysql.ClonePluginStatus;
import io.statefulset.agent.mysql.MysqlStartupWait;
import io.statefulset.agent.replication.ReplicationMarker;
import io.statefulset.agent.replication.ReplicationSetupException;
import io.statefulset.agent.replication.dialect.ServerVersion;
import io.statefulset.agent.replication.dialect.SqlCommand;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code serve}'s seeding of an empty replica with the CLONE plugin, before the replication setup. It runs only on
 * a replica whose mysqld is MySQL 8.0.17+, holds no data of its own ({@link ServerContents}), has no replication
 * marker and no xbstream info file: what the server looks like after the init container left the data dir to
 * mysqld and mysqld initialised it. Everything it decides from is in the server (clone_status survives restarts),
 * so a killed sidecar or mysqld leads the next run to the same place:
 * <ul>
 *   <li>a clone {@code In Progress} (the sidecar was restarted mid-clone): watched until the server restarts;</li>
 *   <li>{@code Completed}: nothing to do here, the replication setup positions by GTID from the cloned state;</li>
 *   <li>{@code Failed}, or no clone yet, on a fresh server: clone, donor by donor, with the xbstream path's rounds.</li>
 * </ul>
 * After CLONE the server restarts itself when a supervisor runs it, or shuts down with error 3707 when not (a
 * container, which the kubelet starts again): either way the clone only counts once the restarted server reports
 * it {@code Completed} without error, so replication never starts on half-copied data.
 */
public final class CloneSeeding {
    private static final Logger log = LoggerFactory.getLogger(CloneSeeding.class);
    /** ER_CLONE_... "Restart server failed (mysqld is not managed by supervisor process)": the clone is in place. */
    static final int NOT_SUPERVISED = 3707;
    private static final Duration DONOR_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration BUSY_RETRY = Duration.ofSeconds(10);
    private static final Duration RESTART_POLL = Duration.ofMillis(250);

    /** Opens a connection to the local mysqld for the CLONE statement: no socket timeout, the clone may take hours. */
    @FunctionalInterface
    public interface CloneConnection {
        Connection open() throws SQLException;
    }

    /** What the seeding did, for serve's log. */
    public record Outcome(boolean cloned, String detail) {
        @Override
        public String toString() {
            return (cloned ? "CLONED: " : "NOT NEEDED: ") + detail;
        }
    }

    private final ClonePluginSettings settings;
    private final boolean primary;
    private final Path dataDir;
    private final DataSource local;
    private final CloneConnection cloneConnection;
    private final String localTarget;
    private final Duration mysqlWait;
    private final CloneMetrics metrics;
    private final Backoff pollBackoff;
    private final Backoff roundBackoff;
    /** Only a rebuild of the primary uses it: init fenced the fresh server for serve's CLONE. */
    private final RebuildFence fence;

    public CloneSeeding(ClonePluginSettings settings, boolean primary, Path dataDir, DataSource local, CloneConnection cloneConnection,
                        String localTarget, Duration mysqlWait, CloneMetrics metrics, Backoff pollBackoff, Backoff roundBackoff) {
        this.settings = settings;
        this.primary = primary;
        this.dataDir = dataDir;
        this.local = local;
        this.cloneConnection = cloneConnection;
        this.localTarget = localTarget;
        this.mysqlWait = mysqlWait;
        this.metrics = metrics;
        this.pollBackoff = pollBackoff;
        this.roundBackoff = roundBackoff;
        this.fence = RebuildFence.of(settings.confDir(), dataDir);
    }

    /**
     * Waits for mysqld, then seeds it if it should be (see above), and returns once the cloned server is back.
     *
     * @throws ReplicationSetupException every donor failed on every attempt, or the server cannot take a clone
     */
    public Outcome run() throws InterruptedException {
        Optional<SeedNote> note = readNote();
        if (note.isPresent()) log.info("init handed this server over for a CLONE ({}: {})", SeedNote.path(dataDir), note.get().describe());
        boolean rebuild = note.map(n -> n.purpose() == SeedNote.Purpose.REBUILD_PRIMARY).orElse(false);
        if (primary && !rebuild) {
            clearFence("no rebuild of the primary is pending");
            return new Outcome(false, "the primary is never cloned");
        }
        if (!primary && rebuild) {
            throw new ReplicationSetupException(SeedNote.path(dataDir) + " asks to rebuild the primary, but this pod is a replica: delete"
                    + " the file (it belongs to ordinal 0) and restart the pod");
        }
        if (note.isEmpty() && settings.method() == CloneMethod.XBSTREAM) return new Outcome(false, "--clone-method xbstream");
        Seeding seeding = note.map(n -> new Seeding(true, true, "init chose the CLONE plugin (" + SeedNote.path(dataDir) + ")",
                donorsAfter(n.donor()), rebuild)).orElseGet(() -> new Seeding(settings.method() == CloneMethod.CLONE_PLUGIN, false,
                "--clone-method clone-plugin", settings.donors(), false));
        while (true) {
            ServerVersion version = MysqlStartupWait.await(local, mysqlWait, localTarget);
            Optional<String> skip;
            Optional<CloneStatus> status;
            try (Connection c = local.getConnection()) {
                skip = reasonNotToClone(c, version, seeding);
                status = skip.isPresent() ? Optional.empty() : CloneStatus.read(c);
            } catch (SQLException e) {
                log.warn("mysqld {} went away while checking whether to clone ({}); waiting for it again", localTarget, e.getMessage());
                continue;
            }
            if (skip.isPresent()) return noteDone(note, new Outcome(false, skip.get()));
            if (status.isPresent() && status.get().inProgress()) {
                watchRunningClone(status.get());
                continue;
            }
            if (status.isPresent() && status.get().completed()) {
                return noteDone(note, new Outcome(false, "this server was cloned before (clone_status " + status.get().describe() + ")"));
            }
            status.ifPresent(s -> log.warn("the last clone into this server did not complete (clone_status {}); cloning again", s.describe()));
            if (seeding.rebuild()) checkFenceReachable();
            return noteDone(note, cloneFromDonors(version, seeding));
        }
    }

    /**
     * How this run seeds: strictly (a server that cannot clone is an error, never "seeded elsewhere") when init
     * handed it over or the method says clone-plugin; {@code why} names which, for the errors.
     */
    private record Seeding(boolean strict, boolean handedOver, String why, List<HostPort> donors, boolean rebuild) {}

    /**
     * A rebuild's fence must be liftable from here, or the restart that finishes the clone would come up on the
     * loopback address only and the replicas could never reach the rebuilt primary: refuse before cloning.
     */
    private void checkFenceReachable() {
        if (fence.confDirFilledByInit()) return;
        throw new ReplicationSetupException("rebuilding the primary by CLONE needs init's conf dir in this container, to lift"
                + " init's " + RebuildFence.FILE_NAME + " (mysqld listens on 127.0.0.1 only until the clone) just before the"
                + " CLONE, but --conf-dir " + settings.confDir() + " holds no server-id.cnf: mount the pod's conf volume there"
                + " (k8s/base mounts it at /etc/mysql/conf.d in the agent container) or pass --conf-dir; nothing was cloned");
    }

    private List<HostPort> donorsAfter(HostPort first) {
        List<HostPort> donors = new ArrayList<>(List.of(first));
        settings.donors().stream().filter(d -> !d.equals(first)).forEach(donors::add);
        return donors;
    }

    private Optional<SeedNote> readNote() {
        try {
            return SeedNote.read(dataDir);
        } catch (IOException e) {
            throw new ReplicationSetupException(e.getMessage());
        }
    }

    /** The note has served once the server is cloned (or was seeded otherwise): only then is it removed. */
    private Outcome noteDone(Optional<SeedNote> note, Outcome outcome) {
        if (note.isEmpty()) return outcome;
        if (note.get().purpose() == SeedNote.Purpose.REBUILD_PRIMARY) clearFence("the rebuild's clone is done");
        try {
            SeedNote.delete(dataDir);
            log.info("removed {}: {}", SeedNote.path(dataDir), outcome.detail());
        } catch (IOException e) {
            // Harmless: a note beside a completed clone_status is not acted on again.
            log.warn("could not remove {} ({}); the next serve removes it", SeedNote.path(dataDir), e.getMessage());
        }
        return outcome;
    }

    /** @return why this server must not (or need not) be cloned, or empty when it should be */
    private Optional<String> reasonNotToClone(Connection c, ServerVersion version, Seeding seeding) throws SQLException {
        Optional<ReplicationMarker.Entry> marker = ReplicationMarker.configured(dataDir).read();
        if (marker.isPresent()) return Optional.of("replication was configured before (" + ReplicationMarker.configured(dataDir).path() + ")");
        if (BackupInfoFiles.read(dataDir).isPresent()) return Optional.of("the data dir was cloned by the backup tool (info file present)");
        if (!CloneCompatibility.supportsClone(version)) {
            if (seeding.strict()) {
                throw new ReplicationSetupException(seeding.why() + ", but mysqld " + localTarget + " runs " + version
                        + ": the CLONE plugin needs MySQL 8.0.17 or later (use --clone-method xbstream" + fixNote(seeding) + ")");
            }
            return Optional.of(version + " has no CLONE plugin (the xbstream path seeds it)");
        }
        Optional<CloneStatus> status = CloneStatus.read(c);
        if (status.isPresent() && (status.get().inProgress() || status.get().completed())) return Optional.empty();
        ServerContents contents = ServerContents.read(c);
        if (!contents.fresh()) {
            if (status.isPresent()) {
                // A failed clone that had already replaced data cannot be told from the server's own data: refuse
                // to guess, and never replicate on it.
                throw new ReplicationSetupException("the last clone into " + localTarget + " failed (clone_status "
                        + status.get().describe() + ") and the server holds data (" + contents.describe() + "): re-create"
                        + " this replica's data dir (delete its PVC) so that it is cloned from scratch");
            }
            if (seeding.handedOver()) {
                // init left this data dir empty for the clone: data here came from elsewhere, and replicating
                // on it would hide that.
                throw new ReplicationSetupException(seeding.why() + ", but mysqld " + localTarget + " holds data of its own ("
                        + contents.describe() + "), which CLONE would drop: check what wrote to it; to keep it, delete "
                        + SeedNote.path(dataDir) + "; to clone, re-create this replica's data dir");
            }
            if (seeding.strict()) {
                log.warn("not cloning into {}: it holds data of its own ({}), which CLONE would drop", localTarget, contents.describe());
            }
            return Optional.of("the server holds data of its own (" + contents.describe() + ")");
        }
        if (!ClonePluginStatus.active(c)) {
            if (!seeding.strict()) return Optional.of("the CLONE plugin is not active on " + localTarget);
            throw new ReplicationSetupException(seeding.why() + ", but mysqld " + localTarget + " (" + version + ") has no active"
                    + " CLONE plugin: add plugin-load-add=mysql_clone.so to this pod's config (or use --clone-method xbstream"
                    + fixNote(seeding) + "); nothing replicates on the empty server meanwhile");
        }
        return Optional.empty();
    }

    /** With a note, xbstream also needs the note gone so that init decides again. */
    private String fixNote(Seeding seeding) {
        return !seeding.handedOver() ? "" : " on init and delete " + SeedNote.path(dataDir) + " with the rest of the data dir";
    }

    private Outcome cloneFromDonors(ServerVersion version, Seeding seeding) throws InterruptedException {
        List<HostPort> donors = seeding.donors();
        DonorProbe probe = new DonorProbe(settings.donorUser(), settings.donorPassword(), settings.requireSsl(), DONOR_CONNECT_TIMEOUT);
        DonorRounds rounds = new DonorRounds(donors, settings.donorWait(), settings.attempts(), pollBackoff, roundBackoff);
        try {
            return rounds.run((donor, address) -> cloneFrom(donor, probe.check(donor, version), seeding.rebuild()));
        } catch (CloneException e) {
            throw new ReplicationSetupException("seeding " + localTarget + " with the CLONE plugin: " + e.getMessage()
                    + " (the server was left as it was: nothing replicates until a clone completes)");
        } catch (IOException e) {
            throw new ReplicationSetupException("seeding " + localTarget + " with the CLONE plugin failed: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            // A value refused before it reached mysqld (a control character in the clone password, say): the
            // message names the value, never shows it.
            throw new ReplicationSetupException("seeding " + localTarget + " with the CLONE plugin refused a value: " + e.getMessage());
        }
    }

    /** One clone from one donor, until the restarted server reports it complete. */
    /** @param rebuild the primary's rebuild: its fence is lifted for the clone and raised again if it fails */
    private Outcome cloneFrom(HostPort donor, ServerVersion donorVersion, boolean rebuild)
            throws DonorException, InterruptedException {
        long start = System.nanoTime();
        log.info("cloning {} from {} ({}) with the CLONE plugin as '{}'{}{}", localTarget, donor, donorVersion, settings.donorUser(),
                settings.requireSsl() ? ", REQUIRE SSL" : "", caps());
        metrics.started();
        String ending;
        try {
            if (rebuild) liftFence();
            ending = runClone(donor, start);
        } catch (DonorException e) {
            metrics.failed(Duration.ofNanos(System.nanoTime() - start));
            if (rebuild) raiseFenceAgain();
            throw e;
        }
        log.info("clone from {}: {}; waiting for the restarted server to finish the clone", donor, ending);
        CloneStatus status;
        try {
            status = awaitRestartedServer(donor);
        } catch (DonorFailedException e) {
            metrics.failed(Duration.ofNanos(System.nanoTime() - start));
            if (rebuild) raiseFenceAgain();
            throw e;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        long bytes = finalBytes();
        metrics.succeeded(took, bytes);
        String detail = String.format("cloned %d bytes from %s in %.1f s (%.1f MB/s), %s; gtid_executed %s", bytes, donor,
                took.toNanos() / 1e9, bytes / 1e6 / Math.max(took.toNanos() / 1e9, 1e-3), ending, status.gtidExecuted());
        log.info("clone done: {}", detail);
        return new Outcome(true, detail);
    }

    /**
     * A fence left while no clone needs it (an operator deleted the note, or the clone was done by an earlier run)
     * would fence the next mysqld start for good: removed, and said, because a mysqld already started behind it
     * listens on 127.0.0.1 only until its next restart.
     */
    private void clearFence(String why) {
        try {
            if (fence.clear()) {
                log.warn("removed {} ({}): a mysqld started while it was there listens on 127.0.0.1 only, out of its replicas'"
                        + " reach, until it restarts (restart the mysql container if @@bind_address says 127.0.0.1)", fence.path(), why);
            }
        } catch (IOException e) {
            log.warn("could not remove {} ({}): the next mysqld start listens on 127.0.0.1 only; delete it by hand", fence.path(), e.getMessage());
        }
    }

    /**
     * Just before the CLONE, because the server restarts with the clone at the statement's end (or shuts down for
     * its container's restart), reading the conf dir then: it must find no fence to listen on every address.
     */
    private void liftFence() throws DonorFailedException {
        warnIfTheFenceDidNotHold();
        try {
            if (fence.liftForClone()) {
                log.info("lifted {}: the server that restarts with the clone listens on every address again", fence.path());
            }
        } catch (IOException e) {
            throw new DonorFailedException(FailureCause.CLONE_PLUGIN, "cannot remove " + fence.path() + " (" + e.getMessage()
                    + "): the cloned primary would listen on 127.0.0.1 only; check that the conf volume is writable in this"
                    + " container; nothing was cloned", e);
        }
    }

    /** A bind-address in another cnf (or my.cnf) read after the fence wins over it: the empty server was reachable. */
    private void warnIfTheFenceDidNotHold() {
        if (!fence.present()) return;
        try (Connection c = local.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @@GLOBAL.bind_address")) {
            String bound = rs.next() ? rs.getString(1) : "";
            if (!"127.0.0.1".equals(bound)) {
                log.warn("{} did not hold: mysqld {} listens on '{}' (a bind-address in another cnf wins over it), so replicas"
                        + " could reach the empty server before this clone; remove that bind-address from the primary's config",
                        fence.path(), localTarget, bound);
            }
        } catch (SQLException e) {
            log.debug("bind_address not readable: {}", e.getMessage());
        }
    }

    /** A clone that did not complete leaves an empty server: a restart before the next attempt must be fenced again. */
    private void raiseFenceAgain() {
        try {
            fence.raise();
            log.info("wrote {} again: the clone did not complete, so a restart before the next attempt keeps the empty server"
                    + " on 127.0.0.1", fence.path());
        } catch (IOException e) {
            log.warn("could not write {} again ({}): a mysqld restart before the next clone attempt listens on every address",
                    fence.path(), e.getMessage());
        }
    }

    /** @return how the statement ended: the server restarts (supervised) or shut down for the restart (3707) */
    private String runClone(HostPort donor, long start) throws DonorException, InterruptedException {
        SqlCommand clone = CloneStatements.clone(donor, settings.donorUser(), settings.donorPassword(), settings.requireSsl());
        try (Connection c = cloneConnection.open()) {
            for (SqlCommand step : CloneStatements.prepare(donor, settings, superReadOnly(c))) step.execute(c);
            ProgressWatch watch = new ProgressWatch(donor, start, true);
            watch.start();
            try {
                clone.execute(c);
                return "the statement returned; the server restarts itself (it runs under a supervisor)";
            } catch (SQLException e) {
                if (e.getErrorCode() == NOT_SUPERVISED) {
                    return "mysqld shut down to finish the clone (error 3707: not supervised; its container is started again)";
                }
                if (e.getErrorCode() == 0 && e.getSQLState() != null && e.getSQLState().startsWith("08")) {
                    return "the connection to mysqld closed during the clone (a supervised restart, or mysqld died: the restarted"
                            + " server's clone_status tells)";
                }
                if (watch.stoppedForStall()) {
                    throw new DonorFailedException(FailureCause.STALL, "no data from donor " + donor + " for " + settings.stallTimeout().toSeconds()
                            + " s (--stall-timeout): the CLONE was stopped (" + e.getMessage() + "); check the donor's mysqld"
                            + " (killed? overloaded?) and the network to it; the server keeps its own data", e);
                }
                throw failure(donor, e);
            } finally {
                watch.stop();
            }
        } catch (SQLException e) {
            throw new DonorFailedException(FailureCause.CLONE_PLUGIN, "the clone could not start on " + localTarget + ": " + e.getMessage()
                    + " (check that the local user has CLONE_ADMIN and that mysqld runs)", e);
        }
    }

    private static boolean superReadOnly(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @@GLOBAL.super_read_only")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    /** The server's refusal as one line naming the donor and what to check. */
    private DonorException failure(HostPort donor, SQLException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        String said = message.contains(" failed: ") ? message.substring(message.indexOf(" failed: ") + 9) : message;
        if (said.contains("Too many concurrent clone")) {
            return new DonorBusyException("donor " + donor + " is busy with another clone (" + said + ")", BUSY_RETRY);
        }
        String hint = said.contains("Access denied")
                ? "check the clone user, its password (AGENT_CLONE_PASSWORD / --clone-password-file) and its BACKUP_ADMIN on the donor"
                : said.contains("SSL") ? "the donor must offer TLS for --clone-require-ssl (MySQL creates certificates at first start)"
                : "check the donor's mysqld log; both sides need the same MySQL release with the CLONE plugin";
        return new DonorFailedException(FailureCause.CLONE_PLUGIN, "error " + e.getErrorCode() + " from CLONE INSTANCE FROM " + donor + ": " + said.replace('\n', ' ')
                + " (" + hint + "); the server keeps its own data", e);
    }

    /**
     * Waits for the server to come back after the clone and reads whether the clone completed. A fixed, short pace
     * rather than the start-up wait's growing pauses: the restart takes seconds and the clone's time is measured.
     */
    private CloneStatus awaitRestartedServer(HostPort donor) throws DonorFailedException, InterruptedException {
        long deadline = System.nanoTime() + mysqlWait.toNanos();
        while (true) {
            try (Connection c = local.getConnection()) {
                Optional<CloneStatus> status = CloneStatus.read(c);
                if (status.isPresent() && status.get().completed()) return status.get();
                if (status.isEmpty() || !status.get().inProgress()) {
                    throw new DonorFailedException(FailureCause.CLONE_PLUGIN, "the clone did not complete: mysqld " + localTarget
                            + " came back with clone_status " + status.map(CloneStatus::describe).orElse("empty")
                            + " (was the recipient mysqld killed, or out of memory or disk? see its log); the server kept"
                            + " its own data, nothing replicates");
                }
            } catch (SQLException e) {
                if ("28000".equals(e.getSQLState())) {
                    throw new ReplicationSetupException("mysqld " + localTarget + " refused the login after the clone from "
                            + donor + ": the clone brought the donor's accounts, so --mysql-user and MYSQL_PASSWORD must be"
                            + " the donor's (the same Secret on every pod)");
                }
            }
            if (System.nanoTime() - deadline > 0) {
                throw new ReplicationSetupException("the clone from " + donor + " did not finish within " + mysqlWait.toSeconds()
                        + " s (--mysql-wait): check mysqld " + localTarget + " and its log");
            }
            Thread.sleep(RESTART_POLL.toMillis());
        }
    }

    /** A clone running when the sidecar (re)started: its progress, until the server goes down to finish it or it ends. */
    private void watchRunningClone(CloneStatus status) throws InterruptedException {
        log.info("a clone from {} is already running in {} (the sidecar was restarted mid-clone): watching it", status.source(), localTarget);
        ProgressWatch watch = new ProgressWatch(HostPort.parse(status.source(), 3306), System.nanoTime(), false);
        while (true) {
            Thread.sleep(settings.progressInterval().toMillis());
            try (Connection c = local.getConnection()) {
                Optional<CloneStatus> now = CloneStatus.read(c);
                if (now.isEmpty() || !now.get().inProgress()) return;
                watch.report(c);
            } catch (SQLException e) {
                log.info("mysqld {} went down during the running clone ({}); waiting for it to come back", localTarget, DonorProbe.firstLine(e));
                return;
            }
        }
    }

    private long finalBytes() {
        try (Connection c = local.getConnection()) {
            return CloneProgress.read(c).bytes();
        } catch (SQLException e) {
            return 0;
        }
    }

    private String caps() {
        StringBuilder sb = new StringBuilder();
        if (settings.maxNetworkMibPerSec() > 0) sb.append(", network cap ").append(settings.maxNetworkMibPerSec()).append(" MiB/s");
        if (settings.maxDataMibPerSec() > 0) sb.append(", data cap ").append(settings.maxDataMibPerSec()).append(" MiB/s");
        return sb.toString();
    }

    /** Logs bytes, MB/s and ETA every progress interval from clone_progress, on its own thread. */
    private final class ProgressWatch {
        /** The stages in which data must keep arriving; FILE SYNC and the restart may take long without any. */
        private static final java.util.Set<String> COPY_STAGES = java.util.Set.of("FILE COPY", "PAGE COPY", "REDO COPY");

        private final HostPort donor;
        private final TransferProgress progress;
        private final boolean watchdog;
        private long reported;
        private boolean stalled;
        private long lastDataNanos = System.nanoTime();
        private volatile boolean stoppedForStall;
        private Thread thread;

        /** @param watchdog stop the CLONE (KILL QUERY) when no data arrives for --stall-timeout, as the xbstream path does */
        ProgressWatch(HostPort donor, long startNanos, boolean watchdog) {
            this.donor = donor;
            this.progress = new TransferProgress(donor);
            progress.begin(startNanos);
            this.watchdog = watchdog && !settings.stallTimeout().isZero();
        }

        boolean stoppedForStall() {
            return stoppedForStall;
        }

        void start() {
            thread = new Thread(() -> {
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        Thread.sleep(settings.progressInterval().toMillis());
                        try (Connection c = local.getConnection()) {
                            report(c);
                        } catch (SQLException e) {
                            log.debug("clone progress not readable: {}", e.getMessage());
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "clone-progress");
            thread.setDaemon(true);
            thread.start();
        }

        void report(Connection c) throws SQLException {
            CloneProgress p = CloneProgress.read(c);
            String stage = p.stage().isEmpty() ? "" : " (" + p.stage() + ")";
            long now = System.nanoTime();
            if (p.bytes() <= reported) {
                // Said once when it starts and once when it ends, not every interval.
                if (!stalled && reported > 0) {
                    log.info("clone: no new data since {}{}; waiting", TransferProgress.megabytes(reported), stage);
                    stalled = true;
                }
                // Measured on 8.0.33: with the donor's mysqld killed and not back, the recipient's CLONE waited
                // minutes without a connection to it (even with clone_donor_timeout_after_network_failure = 0).
                if (watchdog && !stoppedForStall && COPY_STAGES.contains(p.stage())
                        && now - lastDataNanos >= settings.stallTimeout().toNanos()) {
                    stopClone(c);
                }
                return;
            }
            lastDataNanos = now;
            if (stalled) log.info("clone: data flows again after the pause at {}", TransferProgress.megabytes(reported));
            stalled = false;
            progress.estimate(p.estimate());
            progress.received(Math.max(0, p.bytes() - reported));
            reported = Math.max(reported, p.bytes());
            log.info("{}{}", progress.line(System.nanoTime()), stage);
        }

        private void stopClone(Connection c) throws SQLException {
            Optional<CloneStatus> running = CloneStatus.read(c).filter(CloneStatus::inProgress);
            if (running.isEmpty()) return;
            stoppedForStall = true;
            log.warn("clone from {}: no data for {} s (--stall-timeout): stopping the CLONE (KILL QUERY {})", donor,
                    settings.stallTimeout().toSeconds(), running.get().pid());
            SqlCommand.of("KILL QUERY " + running.get().pid()).execute(c);
        }

        void stop() throws InterruptedException {
            thread.interrupt();
            thread.join(2000);
        }
    }
}
