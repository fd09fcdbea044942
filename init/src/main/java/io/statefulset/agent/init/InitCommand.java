package io.statefulset.agent.init;

import io.statefulset.agent.common.backuptool.BackupTool;
import io.statefulset.agent.clone.Backoff;
import io.statefulset.agent.clone.BackupPrepare;
import io.statefulset.agent.clone.CloneException;
import io.statefulset.agent.clone.CloneMethod;
import io.statefulset.agent.clone.CloneOutcome;
import io.statefulset.agent.clone.CloneStaging;
import io.statefulset.agent.clone.DataDirState;
import io.statefulset.agent.clone.DonorClient;
import io.statefulset.agent.clone.DonorTls;
import io.statefulset.agent.clone.DonorRounds;
import io.statefulset.agent.clone.DonorChoice;
import io.statefulset.agent.clone.SeedMethod;
import io.statefulset.agent.clone.SeedNote;
import io.statefulset.agent.config.RebuildFence;
import io.statefulset.agent.clone.DonorSurvey;
import io.statefulset.agent.clone.DonorTransfer;
import io.statefulset.agent.clone.HttpStatusAsk;
import io.statefulset.agent.clone.PreparedFix;
import io.statefulset.agent.rebuild.PrimaryRebuild;
import io.statefulset.agent.clone.HandOver;
import io.statefulset.agent.clone.ReplicaClone;
import io.statefulset.agent.config.MysqldConfig;
import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.common.identity.PodIdentity;
import io.statefulset.agent.common.protocol.BackupProtocol;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The init container: identity, config, and (on a replica with no data) the clone. */
public final class InitCommand {
    private static final Logger log = LoggerFactory.getLogger(InitCommand.class);
    /** Polling a donor that is not up yet: quick at first (pods start in seconds), then every few seconds. */
    static final Backoff POLL_BACKOFF = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(5));
    /** Between attempts over all donors: a donor that just failed is often a restarting pod. */
    static final Backoff ROUND_BACKOFF = new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(30));
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** A peer's /status answers from a cache in milliseconds; one that takes longer is not a donor to wait for. */
    private static final Duration STATUS_TIMEOUT = Duration.ofSeconds(3);

    private final InitOptions options;
    private final Map<String, String> env;
    private final HandOver handOver;

    public InitCommand(InitOptions options, Map<String, String> env) {
        this(options, env, new HandOver());
    }

    /** With a hand-over that tests can interrupt at any step. */
    InitCommand(InitOptions options, Map<String, String> env, HandOver handOver) {
        this.options = options;
        this.env = Map.copyOf(env);
        this.handOver = handOver;
    }

    /** @return the process exit code: 0 done, 1 failed */
    public int run() {
        long start = System.nanoTime();
        try {
            PodIdentity pod = PodIdentity.fromHostname(options.hostname(), options.service());
            int serverId = pod.serverId(options.serverIdOffset());
            log.info("pod {}: {} (ordinal {}), server-id {}", pod.podName(), pod.isPrimary() ? "primary" : "replica",
                    pod.ordinal(), serverId);
            new MysqldConfig(options.configMapDir(), options.confDir()).apply(pod, options.serverIdOffset());
            if (pod.isPrimary()) {
                if (!options.rebuildPrimary()) {
                    fenceForRebuild();
                    log.info("init done: {} is the primary, no clone (mysqld initialises its own data dir {}; --rebuild-primary"
                            + " is off)", pod.podName(), options.dataDir());
                    return 0;
                }
                PrimaryRebuild.Outcome rebuilt = rebuild(pod, PeerAccess.load(options));
                fenceForRebuild();
                log.info("init done: {} is the primary; rebuild: {}", pod.podName(), rebuilt.summary());
                return 0;
            }
            if (options.cloneMethod() == CloneMethod.CLONE_PLUGIN) {
                log.info("init done: {} is a replica seeded by serve with the CLONE plugin (--clone-method clone-plugin): no"
                        + " clone here; mysqld initialises {} and serve clones into it", pod.podName(), options.dataDir());
                return 0;
            }
            Optional<CloneOutcome> outcome = clone(pod, PeerAccess.load(options));
            if (outcome.isPresent()) {
                summarise(outcome.get());
            } else {
                log.info("init done: {} is a replica handed to serve for a CLONE ({}): mysqld initialises {} beside the note",
                        pod.podName(), SeedNote.path(options.dataDir()).getFileName(), options.dataDir());
            }
            return 0;
        } catch (IllegalArgumentException | IOException | CloneException e) {
            log.error("init failed after {} ms: {}", Duration.ofNanos(System.nanoTime() - start).toMillis(), e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.error("init interrupted; the next init resumes or redoes the clone");
            return 1;
        } catch (RuntimeException e) {
            log.error("init failed on an unexpected error (a bug: please report it with this log); the next init"
                    + " resumes or redoes the clone", e);
            return 1;
        }
    }

    /**
     * How init reaches its peers: the TLS of every connection, read once, and the /status survey over it. One TLS
     * for both, because a port with TLS on answers neither the question nor the clone without it.
     */
    private record PeerAccess(Optional<DonorTls> tls, DonorSurvey survey) {
        static PeerAccess load(InitOptions options) {
            Optional<DonorTls> tls = options.tls().map(DonorTls::load);
            return new PeerAccess(tls, new DonorSurvey(new HttpStatusAsk(STATUS_TIMEOUT, tls)));
        }
    }

    /** @return empty when the replica was handed to serve's CLONE ({@link SeedNote}) instead of cloned here */
    private Optional<CloneOutcome> clone(PodIdentity pod, PeerAccess peers) throws CloneException, IOException, InterruptedException {
        List<HostPort> donors = options.donors().isEmpty() ? pod.defaultDonors(BackupProtocol.DEFAULT_PORT) : options.donors();
        CloneStaging staging = new CloneStaging(options.dataDir());
        DataDirState state = staging.inspect();
        if (state == DataDirState.EMPTY || state == DataDirState.INTERRUPTED) {
            // Only a clone that will ask a donor asks the peers first; higher ordinals join only when they answer
            // with data, so that a replica whose primary is gone clones from the most advanced replica.
            List<HostPort> extra = options.donors().isEmpty()
                    ? peers.survey().higherPeers(pod, BackupProtocol.DEFAULT_PORT) : List.of();
            boolean auto = options.cloneMethod() == CloneMethod.AUTO;
            DonorChoice.Ranking ranking = peers.survey().choose(donors, extra, auto);
            donors = ranking.donors();
            if (auto) {
                SeedMethod method = SeedMethod.decide(ranking.first().orElseThrow());
                log.info("{}", method.reason());
                if (method.clonePluginDonor().isPresent()) {
                    handToServe(staging, new SeedNote(SeedNote.Purpose.REPLICA, method.clonePluginDonor().get()));
                    return Optional.empty();
                }
            }
        }
        return Optional.of(cloneFrom(staging, rounds(donors), PreparedFix.NONE, peers));
    }

    /**
     * Leaves the data dir to mysqld (its --initialize wants it empty; debris of an interrupted xbstream attempt goes)
     * with only the note beside it, written last so that a note always means "nothing else here".
     */
    private void handToServe(CloneStaging staging, SeedNote note) throws IOException {
        List<String> removed = staging.clearDataDir();
        if (!removed.isEmpty()) log.info("removed {} from {} (an earlier attempt) before handing it to mysqld", removed, options.dataDir());
        note.write(options.dataDir());
    }

    /**
     * The fence follows the note, whoever wrote it (this init, or one before a pod restart that found mysqld's files
     * beside it): a rebuild note means the server mysqld starts is empty until serve's CLONE, unless serve has
     * lifted the fence for a clone that has not failed since (the server may hold the clone: fenced, its replicas
     * could never reach it). Anything else means no fence: the conf dir outlives container restarts, so a stale one
     * is removed.
     */
    private void fenceForRebuild() throws IOException {
        RebuildFence fence = RebuildFence.of(options.confDir(), options.dataDir());
        boolean rebuildPending = SeedNote.read(options.dataDir()).map(n -> n.purpose() == SeedNote.Purpose.REBUILD_PRIMARY).orElse(false);
        if (!rebuildPending) {
            if (fence.clear()) log.info("removed {} (left by an earlier rebuild; no rebuild is pending)", fence.path());
        } else if (fence.liftedForClone()) {
            if (fence.liftForClone()) log.info("removed {}: serve lifted it for a CLONE into this data dir", fence.path());
        } else {
            fence.raise();
            log.info("wrote {}: mysqld listens on 127.0.0.1 only until serve's CLONE replaces the empty server (a replica"
                    + " connecting to it meanwhile would stop when the clone replaces its binary logs)", fence.path());
        }
    }

    private PrimaryRebuild.Outcome rebuild(PodIdentity pod, PeerAccess peers) throws CloneException, IOException, InterruptedException {
        CloneStaging staging = new CloneStaging(options.dataDir());
        DonorSurvey.Peers asked = options.donors().isEmpty()
                ? () -> peers.survey().higherPeers(pod, BackupProtocol.DEFAULT_PORT) : options::donors;
        return new PrimaryRebuild(staging, this::rounds, options.cloneMethod()).run(
                () -> peers.survey().findData(asked, options.rebuildWait(), POLL_BACKOFF),
                (rounds, fix) -> cloneFrom(staging, rounds, fix, peers));
    }

    private DonorRounds rounds(List<HostPort> donors) {
        return new DonorRounds(donors, options.donorWait(), options.attempts(), POLL_BACKOFF, ROUND_BACKOFF);
    }

    private CloneOutcome cloneFrom(CloneStaging staging, DonorRounds rounds, PreparedFix fix, PeerAccess peers)
            throws CloneException, IOException, InterruptedException {
        try (DonorClient client = new DonorClient(options.token(), peers.tls(), options.stallTimeout(), options.progressInterval(),
                CONNECT_TIMEOUT)) {
            return new ReplicaClone(staging, rounds, client,
                    () -> new BackupPrepare(BackupTool.resolve(options.backupTool(), env)), handOver, fix).run();
        }
    }

    private static void summarise(CloneOutcome outcome) {
        if (outcome.transfer().isEmpty()) {
            log.info("init done in {} ms: data dir ready ({})", outcome.total().toMillis(),
                    outcome.found() == DataDirState.PREPARED ? "finished an interrupted hand-over" : "nothing to do");
            return;
        }
        DonorTransfer t = outcome.transfer().get();
        double seconds = outcome.total().toNanos() / 1e9;
        String failures = outcome.describeFailures();
        log.info("init done: cloned {} bytes ({} files) from {} in {} s: {} MB/s transfer over {} s, prepare {} s{}",
                t.bytes(), t.files(), t.donor(), String.format("%.1f", seconds),
                String.format("%.1f", t.megabytesPerSecond()), String.format("%.1f", t.elapsed().toNanos() / 1e9),
                String.format("%.1f", outcome.prepare().toNanos() / 1e9), failures.isEmpty() ? "" : ", after " + failures);
    }
}
