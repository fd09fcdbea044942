package io.statefulset.agent.rebuild;

import io.statefulset.agent.clone.CloneException;
import io.statefulset.agent.clone.CloneMethod;
import io.statefulset.agent.clone.CloneOutcome;
import io.statefulset.agent.clone.CloneStaging;
import io.statefulset.agent.clone.DataDirState;
import io.statefulset.agent.clone.DonorChoice;
import io.statefulset.agent.clone.DonorRounds;
import io.statefulset.agent.clone.PeerReport;
import io.statefulset.agent.clone.PreparedFix;
import io.statefulset.agent.clone.SeedMethod;
import io.statefulset.agent.clone.SeedNote;
import io.statefulset.agent.common.identity.HostPort;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The primary (ordinal 0) came up with no database: before mysqld creates an empty one, look for peers that hold
 * data; if there are any, clone the primary from the most advanced one and make the clone a primary again.
 *
 * <p>Peers that are there but whose status cannot be read (see {@link PeerReport#unreadable()}) stop the rebuild
 * from starting an empty database: init fails with the fix instead.
 *
 * <p>Making it a primary: the replica's server files that would make mysqld replicate ({@code master.info},
 * {@code relay-log.info}, {@code multi-master.info}, relay logs) are removed, and the {@link RebuildMarker} asks
 * {@code serve} to set the binlog GTID state to the clone's position (MariaDB {@code gtid_binlog_state}, before
 * anything is written), so that a replica at that position continues and one behind it stops with error 1236
 * instead of silently skipping the transactions the rebuilt primary never had.
 */
public final class PrimaryRebuild {
    /** Files of a replica's mysqld that make it replicate; a primary must not carry them. */
    static final List<String> REPLICA_FILES = List.of("master.info", "relay-log.info", "multi-master.info");

    /** What the rebuild found and did, for the one summary line. */
    public record Outcome(Optional<CloneOutcome> cloned, String summary) {}

    /** What the clone needs, given the donors in order (the caller owns the client and the tool). */
    @FunctionalInterface
    public interface Cloner {
        CloneOutcome clone(DonorRounds rounds, PreparedFix fix) throws CloneException, IOException, InterruptedException;
    }

    private final CloneStaging staging;
    private final Function<List<HostPort>, DonorRounds> rounds;
    private final CloneMethod method;

    public PrimaryRebuild(CloneStaging staging, Function<List<HostPort>, DonorRounds> rounds) {
        this(staging, rounds, CloneMethod.XBSTREAM);
    }

    /**
     * @param method {@code auto}: a best donor that offers the CLONE plugin gets the rebuild by CLONE in serve (a
     *               {@link SeedNote}) instead of the xbstream clone here; {@code clone-plugin}: always so
     */
    public PrimaryRebuild(CloneStaging staging, Function<List<HostPort>, DonorRounds> rounds, CloneMethod method) {
        this.staging = staging;
        this.rounds = rounds;
        this.method = method;
    }

    /**
     * @param reports what the peers said (see {@code DonorSurvey.findData}); asked only when the data dir has no
     *                database
     */
    public Outcome run(ReportSource reports, Cloner cloner) throws CloneException, IOException, InterruptedException {
        DataDirState state = staging.inspect();
        if (state == DataDirState.INITIALISED) {
            return new Outcome(Optional.empty(), "data dir " + staging.dataDir() + " holds a database: nothing to rebuild");
        }
        if (state == DataDirState.PREPARED) {
            // The rebuild was prepared (and fixed) before a crash: only the hand-over is left, no donor needed.
            // DonorRounds wants a donor list; a prepared clone never asks it.
            CloneOutcome done = cloner.clone(rounds.apply(List.of(new HostPort("prepared-clone", 1))), PreparedFix.NONE);
            return new Outcome(Optional.of(done), "finished the hand-over of an interrupted rebuild");
        }
        List<PeerReport> found = reports.get();
        List<PeerReport> withData = found.stream().filter(PeerReport::holdsData).toList();
        String seen = found.isEmpty() ? "no peer to ask"
                : found.stream().map(PeerReport::describe).collect(Collectors.joining(", "));
        if (withData.isEmpty()) {
            List<PeerReport> unreadable = found.stream().filter(PeerReport::unreadable).toList();
            if (!unreadable.isEmpty()) throw unreadablePeers(unreadable, found.size());
            if (state == DataDirState.EMPTY) {
                return new Outcome(Optional.empty(), "no peer holds data (" + seen + "): first start of the cluster,"
                        + " mysqld initialises an empty data dir");
            }
            throw new CloneException("data dir " + staging.dataDir() + " holds an interrupted rebuild (" + staging.root()
                    + ") but no peer holds data now (" + seen + "); the next init looks again. To start an empty primary"
                    + " instead: rm -rf " + staging.root());
        }
        DonorChoice.Ranking ranking = DonorChoice.rank(withData, List.of());
        String donorGtid = withData.stream().filter(r -> r.peer().equals(ranking.donors().get(0)))
                .map(r -> r.status().get().gtidPosition()).findFirst().orElse("");
        if (method != CloneMethod.XBSTREAM) {
            PeerReport best = ranking.first().orElseThrow();
            SeedMethod seed = method == CloneMethod.AUTO ? SeedMethod.decide(best) : SeedMethod.clonePlugin(best);
            if (seed.clonePluginDonor().isPresent()) {
                HostPort donor = seed.clonePluginDonor().get();
                handToServe(donor, donorGtid);
                return new Outcome(Optional.empty(), "data dir was empty and " + withData.size() + " of " + found.size()
                        + " peers hold data: the primary is rebuilt by serve's CLONE from " + donor + " (" + SeedNote.FILE
                        + "); " + ranking.reason() + "; " + seed.reason().replace("the data dir is left to mysqld and serve"
                        + " clones into it", "serve clones, then makes it a primary (no replication, read-only off, GTID state"
                        + " from the clone: MySQL gtid_purged)"));
            }
        }
        CloneOutcome clone = cloner.clone(rounds.apply(ranking.donors()), (data, donor) -> makePrimary(data, donor, donorGtid));
        String from = clone.transfer().map(t -> t.donor() + " (" + t.bytes() + " bytes)").orElse("the prepared clone");
        return new Outcome(Optional.of(clone), "data dir was empty and " + withData.size() + " of " + found.size()
                + " peers hold data: cloned the primary from " + from + "; " + ranking.reason()
                + "; replica files removed, serve makes it a primary (GTID state from the clone: MariaDB gtid_binlog_state,"
                + " MySQL gtid_purged)");
    }

    /**
     * Peers are there but did not say whether they hold data: they may (a replica with TLS on that init cannot talk
     * to, the tutorial's sidecar), and an empty primary would then take writes the replicas never get. So init
     * fails with the fix, and the next init (the kubelet restarts it) asks again.
     */
    private CloneException unreadablePeers(List<PeerReport> unreadable, int asked) {
        String which = unreadable.stream().map(PeerReport::describe).collect(Collectors.joining(", "));
        return new CloneException("data dir " + staging.dataDir() + " has no database and no peer reported data, but "
                + unreadable.size() + " of " + asked + " peers answered without a readable /status (" + which + "): they"
                + " may hold the data, so the primary does not start an empty database. Fix the question: with TLS on the"
                + " peers' port give init the same --tls-ca-file (mutual TLS: --tls-cert-file, --tls-key-file) as for a"
                + " clone; a tutorial sidecar cannot answer, move that pod to the agent first. To start an empty primary"
                + " anyway: --rebuild-primary false. The next init asks again");
    }

    /** The peers' reports, asked only when needed. */
    @FunctionalInterface
    public interface ReportSource {
        List<PeerReport> get() throws InterruptedException;
    }

    /**
     * The data dir for mysqld to initialise: nothing but the rebuild marker (serve makes the clone a primary) and the
     * note (serve clones), both dot-files, written last, the note after the marker so that a note always has one.
     */
    private void handToServe(HostPort donor, String donorGtid) throws IOException {
        staging.clearDataDir();
        RebuildMarker.in(staging.dataDir()).write(donor.toString(), donorGtid);
        new SeedNote(SeedNote.Purpose.REBUILD_PRIMARY, donor).write(staging.dataDir());
    }

    static void makePrimary(Path data, HostPort donor, String donorGtid) throws IOException {
        List<Path> gone = new ArrayList<>();
        for (String name : REPLICA_FILES) gone.add(data.resolve(name));
        try (DirectoryStream<Path> relayLogs = Files.newDirectoryStream(data, "*relay-bin*")) {
            relayLogs.forEach(gone::add);
        }
        for (Path p : gone) Files.deleteIfExists(p);
        RebuildMarker.in(data).write(donor.toString(), donorGtid);
    }
}
