package io.statefulset.agent.clone;

import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.common.identity.PodIdentity;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the peers how far they are before a clone: the donor order for {@link DonorRounds}, and, for a primary that
 * lost its data, whether any peer holds data at all.
 */
public final class DonorSurvey {
    private static final Logger log = LoggerFactory.getLogger(DonorSurvey.class);
    /** Ordinals are scanned up to this far past the pod: a sanity bound, far above any MySQL StatefulSet. */
    static final int MAX_SCAN = 64;
    static final Duration LEGACY_SETTLE = Duration.ofSeconds(2);
    static final Duration RESOLVE_TIMEOUT = Duration.ofSeconds(2);
    private static final int SCAN_BATCH = 8;

    private final StatusAsk ask;
    private final RoundClock clock;

    /** The peers to ask, looked up again on every poll. */
    @FunctionalInterface
    public interface Peers {
        List<HostPort> get() throws InterruptedException;
    }

    public DonorSurvey(StatusAsk ask) {
        this(ask, RoundClock.SYSTEM);
    }

    DonorSurvey(StatusAsk ask, RoundClock clock) {
        this.ask = ask;
        this.clock = clock;
    }

    /**
     * The donors to try, best first, and one log line saying which and why.
     *
     * @param usual the previous-peer list (kept whole: the tutorial's fallback)
     * @param extra peers beyond it (higher ordinals), used only when they answer with data
     */
    public DonorChoice.Ranking choose(List<HostPort> usual, List<HostPort> extra) throws InterruptedException {
        return choose(usual, extra, false);
    }

    /**
     * @param askAlone ask even a single donor: {@code --clone-method auto} needs its answer to pick the method, and
     *                 pays for it with the wait below when that donor is the tutorial's sidecar
     */
    public DonorChoice.Ranking choose(List<HostPort> usual, List<HostPort> extra, boolean askAlone) throws InterruptedException {
        if (usual.size() == 1 && extra.isEmpty() && !askAlone) {
            // Nothing to choose; and asking the tutorial's sidecar would start a backup (see below).
            return new DonorChoice.Ranking(usual, "donor " + usual.get(0) + ": the only one");
        }
        List<HostPort> all = new ArrayList<>(usual);
        all.addAll(extra);
        List<PeerReport> reports = ask.ask(all);
        List<HostPort> legacy = reports.stream().filter(PeerReport::legacy).map(PeerReport::peer).toList();
        if (!legacy.isEmpty()) {
            // ncat --max-conns=1 turns the next connection away until the backup our question started has died of
            // the closed socket, which takes a moment.
            log.info("{} answered /status with a backup stream (the tutorial's sidecar); waiting {} for those backups to end",
                    legacy, DonorRounds.human(LEGACY_SETTLE));
            clock.sleep(LEGACY_SETTLE);
        }
        DonorChoice.Ranking ranking = DonorChoice.rank(reports.subList(0, usual.size()),
                reports.subList(usual.size(), reports.size()));
        log.info("{}", ranking.reason());
        return ranking;
    }

    /**
     * The peers after this pod whose names resolve now, in ordinal order, stopping at the first that does not (a
     * StatefulSet's ordinals are contiguous). A name that takes longer than {@link #RESOLVE_TIMEOUT} counts as
     * absent: cluster DNS answers a pod's name in milliseconds, while a name that does not exist can take the
     * resolver's full timeout (20 s with an unreachable nameserver).
     */
    public List<HostPort> higherPeers(PodIdentity pod, int port) throws InterruptedException {
        List<HostPort> found = new ArrayList<>();
        for (int first = pod.ordinal() + 1; first <= pod.ordinal() + MAX_SCAN; first += SCAN_BATCH) {
            List<CompletableFuture<Boolean>> lookups = new ArrayList<>();
            for (int n = first; n < first + SCAN_BATCH; n++) {
                String host = pod.peerHost(n);
                lookups.add(CompletableFuture.supplyAsync(() -> resolves(host), PeerLookups.EXECUTOR));
            }
            long deadline = clock.nanoTime() + RESOLVE_TIMEOUT.toNanos();
            for (int i = 0; i < lookups.size(); i++) {
                if (!resolvedBy(lookups.get(i), deadline)) return found;
                found.add(new HostPort(pod.peerHost(first + i), port));
            }
        }
        return found;
    }

    private boolean resolves(String host) {
        try {
            clock.resolve(host);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private boolean resolvedBy(CompletableFuture<Boolean> lookup, long deadline) throws InterruptedException {
        try {
            return lookup.get(Math.max(0, deadline - clock.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return false;
        }
    }

    /**
     * Looks for peers that hold data until one does, or every peer answered without, or {@code wait} is over.
     *
     * @param peers asked again on every poll (a scan sees pods that appeared meanwhile)
     * @return the last reports; none holding data means there is nothing to rebuild from
     */
    public List<PeerReport> findData(Peers peers, Duration wait, Backoff backoff) throws InterruptedException {
        long deadline = clock.nanoTime() + wait.toNanos();
        for (int poll = 0; ; poll++) {
            List<PeerReport> reports = ask.ask(peers.get());
            boolean anyData = reports.stream().anyMatch(PeerReport::holdsData);
            boolean allSaidNo = !reports.isEmpty() && reports.stream().allMatch(r -> r.status().isPresent()
                    && r.status().get().mysqlUp());
            long now = clock.nanoTime();
            if (anyData || allSaidNo || now >= deadline) return reports;
            clock.sleep(Duration.ofNanos(Math.min(backoff.delay(poll).toNanos(), deadline - now)));
        }
    }
}
