package io.statefulset.agent.clone;

import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.common.protocol.PeerStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Puts the donors in the order a clone tries them: the most advanced healthy peer first.
 * <ol>
 *   <li><b>current</b>: mysqld up, not busy with a backup, and the primary or a replica whose both threads run;
 *       least lag first (the primary counts as 0 s);</li>
 *   <li><b>holds data</b>: mysqld up with a GTID position but not replicating (the primary is gone, or replication
 *       stopped): most transactions first;</li>
 *   <li><b>busy</b>: streaming a backup now (it would answer 503);</li>
 *   <li><b>silent</b>: no status (the tutorial's bash sidecar, an older agent, a pod still starting).</li>
 * </ol>
 * Within a tier the given order decides (the previous peer first, as in the tutorial): it is the tie-break, and
 * with no status at all it is the whole rule. {@code extra} peers (higher ordinals) join only when they answered
 * with data, so that a clone never waits for a pod that is not there.
 */
public final class DonorChoice {
    private DonorChoice() {}

    /**
     * The donors in order and the one-line reason for the first.
     *
     * @param first what the first donor said; empty when nobody was asked (a single donor outside {@code auto})
     */
    public record Ranking(List<HostPort> donors, String reason, Optional<PeerReport> first) {
        public Ranking(List<HostPort> donors, String reason) {
            this(donors, reason, Optional.empty());
        }
    }

    private enum Tier { CURRENT, HOLDS_DATA, BUSY, SILENT }

    public static Ranking rank(List<PeerReport> usual, List<PeerReport> extra) {
        List<PeerReport> all = new ArrayList<>(usual);
        extra.stream().filter(r -> tier(r) == Tier.CURRENT || tier(r) == Tier.HOLDS_DATA).forEach(all::add);
        List<PeerReport> ranked = new ArrayList<>(all);
        ranked.sort(Comparator.comparing(DonorChoice::tier)
                .thenComparingLong(r -> tier(r) == Tier.CURRENT ? lag(r) : 0)
                .thenComparingLong(r -> tier(r) == Tier.HOLDS_DATA ? -r.status().get().transactions() : 0)
                .thenComparingInt(all::indexOf));
        PeerReport first = ranked.get(0);
        String why = switch (tier(first)) {
            case CURRENT -> (first.status().get().primary() ? "the primary, current" : "replicating, lag " + lag(first) + " s")
                    + tieNote(ranked, first, r -> tier(r) == Tier.CURRENT && lag(r) == lag(first));
            case HOLDS_DATA -> "no peer replicates; the most advanced that holds data (" + first.status().get().transactions()
                    + " transactions)" + tieNote(ranked, first, r -> tier(r) == Tier.HOLDS_DATA
                    && r.status().get().transactions() == first.status().get().transactions());
            case BUSY -> "every peer that answered is busy with a backup; the nearest first";
            case SILENT -> "no peer answered /status: the previous peer first (the tutorial's rule)";
        };
        String others = ranked.subList(1, ranked.size()).stream().map(PeerReport::describe).collect(Collectors.joining(", "));
        return new Ranking(ranked.stream().map(PeerReport::peer).toList(),
                "donor " + first.describe() + ": " + why + (others.isEmpty() ? "" : "; then " + others), Optional.of(first));
    }

    private static String tieNote(List<PeerReport> ranked, PeerReport first, java.util.function.Predicate<PeerReport> tied) {
        long n = ranked.stream().filter(tied).count();
        return n > 1 ? ", nearest of " + n + " equal peers" : "";
    }

    private static Tier tier(PeerReport r) {
        if (r.status().isEmpty() || !r.status().get().mysqlUp()) return Tier.SILENT;
        PeerStatus s = r.status().get();
        if (s.backupRunning()) return Tier.BUSY;
        if (s.primary() || s.replicating()) return Tier.CURRENT;
        return s.holdsData() ? Tier.HOLDS_DATA : Tier.SILENT;
    }

    private static long lag(PeerReport r) {
        PeerStatus s = r.status().get();
        return s.primary() ? 0 : s.lagSeconds().orElse(Long.MAX_VALUE);
    }
}
