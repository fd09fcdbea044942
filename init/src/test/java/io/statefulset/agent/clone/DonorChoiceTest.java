package io.statefulset.agent.clone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.common.protocol.PeerStatus;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class DonorChoiceTest {
    private static final HostPort M0 = new HostPort("mysql-0.mysql", 3307);
    private static final HostPort M1 = new HostPort("mysql-1.mysql", 3307);
    private static final HostPort M2 = new HostPort("mysql-2.mysql", 3307);
    private static final HostPort M4 = new HostPort("mysql-4.mysql", 3307);

    private static PeerReport replica(HostPort p, boolean replicating, long lag, String gtid) {
        return PeerReport.answered(p, new PeerStatus(PeerStatus.REPLICA, true, replicating,
                replicating ? OptionalLong.of(lag) : OptionalLong.empty(), gtid, false));
    }

    private static PeerReport primary() {
        return PeerReport.answered(M0, new PeerStatus(PeerStatus.PRIMARY, true, false, OptionalLong.empty(), "0-100-50", false));
    }

    @Test
    void aLaggingPreviousPeerGivesWayToACurrentOne() {
        DonorChoice.Ranking r = DonorChoice.rank(List.of(replica(M2, true, 120, "0-100-40"), replica(M1, true, 0, "0-100-50"),
                primary()), List.of());
        assertEquals(List.of(M1, M0, M2), r.donors(), "least lag first; the primary (0 s) after the nearer equal peer");
        assertTrue(r.reason().startsWith("donor mysql-1.mysql:3307 (replica, replicating, lag 0 s, gtid 0-100-50): replicating,"
                + " lag 0 s, nearest of 2 equal peers; then mysql-0.mysql:3307"), r.reason());
    }

    @Test
    void equalPeersKeepThePreviousPeerRule() {
        assertEquals(List.of(M2, M1, M0), DonorChoice.rank(List.of(replica(M2, true, 0, "0-100-50"),
                replica(M1, true, 0, "0-100-50"), primary()), List.of()).donors());
    }

    @Test
    void aStoppedReplicaComesAfterEveryCurrentOneAndABusyOneAfterThat() {
        PeerReport busy = PeerReport.answered(M1, new PeerStatus(PeerStatus.REPLICA, true, true, OptionalLong.of(0), "0-100-50", true));
        assertEquals(List.of(M0, M2, M1), DonorChoice.rank(List.of(replica(M2, false, 0, "0-100-50"), busy, primary()),
                List.of()).donors());
    }

    @Test
    void withThePrimaryGoneTheMostAdvancedReplicaLeadsAndHigherOrdinalsJoinOnlyWithData() {
        PeerReport gone = PeerReport.silent(M0, "connection refused");
        DonorChoice.Ranking r = DonorChoice.rank(List.of(gone),
                List.of(replica(M2, false, 0, "0-100-48"), replica(M4, false, 0, "0-100-50"),
                        PeerReport.silent(new HostPort("mysql-3.mysql", 3307), "name does not resolve")));
        assertEquals(List.of(M4, M2, M0), r.donors());
        assertTrue(r.reason().contains("no peer replicates; the most advanced that holds data (50 transactions)"), r.reason());
    }

    @Test
    void withNoStatusAtAllTheOrderIsTheTutorials() {
        DonorChoice.Ranking r = DonorChoice.rank(List.of(PeerReport.silent(M1, "not HTTP"), PeerReport.silent(M0, "not HTTP")),
                List.of());
        assertEquals(List.of(M1, M0), r.donors());
        assertTrue(r.reason().contains("no peer answered /status: the previous peer first (the tutorial's rule)"), r.reason());
    }
}
