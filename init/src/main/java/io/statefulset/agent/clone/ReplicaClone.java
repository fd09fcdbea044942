package io.statefulset.agent.clone;

import io.statefulset.agent.common.backuptool.FailureCause;
import io.statefulset.agent.common.fs.FileTree;
import io.statefulset.agent.common.fs.Fsync;
import io.statefulset.agent.common.identity.HostPort;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seeds a replica's data dir from a donor so that it is never half-valid: receive and prepare in the staging
 * area, mark it prepared, then hand over with {@code mysql/} last. Whatever instant a previous run was killed at,
 * this run finds one of the {@link DataDirState}s and either leaves the data dir alone, finishes the hand-over, or
 * wipes and clones again.
 */
public final class ReplicaClone {
    private static final Logger log = LoggerFactory.getLogger(ReplicaClone.class);

    private final CloneStaging staging;
    private final DonorRounds rounds;
    private final DonorClient client;
    private final Supplier<BackupPrepare> prepare;
    private final HandOver handOver;
    private final SetAside setAside;

    /**
     * @param prepare resolved only when a clone is needed, so that a finished data dir never depends on the backup
     *                tool being installed
     */
    public ReplicaClone(CloneStaging staging, DonorRounds rounds, DonorClient client, Supplier<BackupPrepare> prepare,
                        HandOver handOver) {
        this.setAside = new SetAside(Clock.systemUTC());
        this.staging = staging;
        this.rounds = rounds;
        this.client = client;
        this.prepare = prepare;
        this.handOver = handOver;
    }

    public CloneOutcome run() throws CloneException, IOException, InterruptedException {
        long start = System.nanoTime();
        staging.removeLeftovers();
        DataDirState state = staging.inspect();
        if (state == DataDirState.INITIALISED) state = judge();
        switch (state) {
            case INITIALISED:
                return new CloneOutcome(state, Optional.empty(), Duration.ZERO, since(start), Map.of());
            case PREPARED:
                log.warn("data dir {} holds a prepared clone whose hand-over was interrupted: finishing the hand-over", staging.dataDir());
                finishHandOver();
                return new CloneOutcome(state, Optional.empty(), Duration.ZERO, since(start), Map.of());
            case INTERRUPTED:
                log.warn("data dir {} holds an unfinished clone (interrupted while receiving or preparing): wiping it and cloning again",
                        staging.dataDir());
                break;
            case UNFINISHED_EXTRACTION:
            case EMPTY:
                break;
        }
        BackupPrepare prep = prepare.get();
        List<String> removed = staging.clearDataDir();
        if (!removed.isEmpty()) {
            log.warn("removed {} leftover entr{} from data dir {} before cloning (no mysql/, so no database): {}", removed.size(),
                    removed.size() == 1 ? "y" : "ies", staging.dataDir(), abbreviate(removed));
        }
        staging.create();
        log.info("cloning into {} from {} (first that answers, in this order); prepare with {}", staging.data(),
                rounds.donors(), prep.tool().executable());
        Prepared prepared;
        try {
            prepared = rounds.run((donor, address) -> receiveAndPrepare(donor, address, prep));
        } catch (CloneException | IOException | RuntimeException | InterruptedException e) {
            discardQuietly();
            throw e;
        }
        finishHandOver();
        Map<FailureCause, Integer> failures = rounds.failures();
        try {
            CloneFailureRecord.write(staging.dataDir(), failures);
        } catch (IOException e) {
            // Only serve's clone metrics miss it; the clone itself is done.
            log.warn("could not record the clone's donor failures in {}: {}", staging.dataDir(), e.getMessage());
        }
        return new CloneOutcome(state, Optional.of(prepared.transfer()), prepared.prepare(), since(start), failures);
    }

    /**
     * A data dir with {@code mysql/} and no staging area: ours are complete by construction, but the tutorial's
     * {@code clone-mysql} extracts straight into the data dir and leaves {@code mysql/} behind when it is cut.
     */
    private DataDirState judge() throws IOException, CloneException {
        Path dataDir = staging.dataDir();
        DataDirVerdict verdict = DataDirVerdict.of(DataDirFacts.read(dataDir));
        Path aside = dataDir.resolve(SetAside.DIR);
        switch (verdict.kind()) {
            case DATABASE:
                log.info("data dir {} already initialised ({}), nothing to do{}", dataDir, verdict.found(),
                        Files.exists(aside, LinkOption.NOFOLLOW_LINKS)
                                ? "; an earlier init's set-aside data is still in " + aside + " (rm -rf it once you no longer need it)" : "");
                return DataDirState.INITIALISED;
            case UNFINISHED_CLONE:
                SetAside.Moved moved = setAside.moveAll(dataDir, "unfinished-clone");
                log.warn("data dir {} holds {}: moved its {} entries ({}) aside to {} (nothing deleted; once you no longer"
                                + " need them: rm -rf {}); cloning again", dataDir, verdict.found(), moved.entries(),
                        TransferProgress.megabytes(moved.bytes()), moved.where(), moved.where());
                return DataDirState.UNFINISHED_EXTRACTION;
            default:
                throw new CloneException("data dir " + dataDir + " has mysql/ but init cannot tell a database from an"
                        + " unfinished clone, and leaves it untouched: found " + verdict.found() + ". Look at it, then either"
                        + " create " + dataDir.resolve(DataDirFacts.Choice.KEEP.file) + " (it is a database: init leaves it"
                        + " alone from then on) or create " + dataDir.resolve(DataDirFacts.Choice.RECLONE.file) + " (init moves"
                        + " everything into " + aside + "/ and clones again), and restart the pod");
        }
    }

    private record Prepared(DonorTransfer transfer, Duration prepare) {}

    private Prepared receiveAndPrepare(HostPort donor, InetAddress address, BackupPrepare prep)
            throws DonorException, IOException, InterruptedException {
        staging.resetData();
        try {
            DonorTransfer transfer = client.fetch(donor, address, staging.data());
            log.info("received {} ({} files) from {} in {} ms, {} MB/s{}", TransferProgress.megabytes(transfer.bytes()),
                    transfer.files(), donor, transfer.elapsed().toMillis(), String.format("%.1f", transfer.megabytesPerSecond()),
                    transfer.legacy() ? " (legacy donor: no trailers to check)" : ", byte count and CRC32C verified");
            if (!Files.isDirectory(staging.data().resolve(CloneStaging.MYSQL_DIR), LinkOption.NOFOLLOW_LINKS)) {
                throw new DonorFailedException(FailureCause.CORRUPT_STREAM, "the backup from " + donor + " has no " + CloneStaging.MYSQL_DIR
                        + "/ directory, so it is not a whole data dir: check what the donor backs up");
            }
            Duration took = prep.run(staging.data(), staging.prepareLog(), donor);
            Fsync.tree(staging.data());
            staging.markPrepared("donor=" + donor + " bytes=" + transfer.bytes() + " files=" + transfer.files());
            return new Prepared(transfer, took);
        } catch (DonorException e) {
            long debris = FileTree.size(staging.data());
            staging.resetData();
            log.info("wiped the staging area ({} of unusable data)", TransferProgress.megabytes(debris));
            throw e;
        }
    }

    private void finishHandOver() throws IOException {
        long start = System.nanoTime();
        int moved = handOver.run(staging.data(), staging.dataDir());
        staging.discard();
        log.info("hand-over done: {} entries moved into {} with mysql/ last, fsynced, staging removed ({} ms)", moved,
                staging.dataDir(), since(start).toMillis());
    }

    private void discardQuietly() {
        try {
            staging.discard();
        } catch (IOException e) {
            log.warn("could not remove the staging area {}: {} (the next init wipes it)", staging.root(), e.getMessage());
        }
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    private static String abbreviate(List<String> names) {
        return names.size() <= 8 ? String.join(", ", names) : String.join(", ", names.subList(0, 8)) + ", ...";
    }
}
