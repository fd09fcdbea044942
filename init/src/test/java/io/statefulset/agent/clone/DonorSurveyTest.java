package io.statefulset.agent.clone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.common.identity.PodIdentity;
import io.statefulset.agent.common.protocol.PeerStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class DonorSurveyTest {
    private final FakeClock clock = new FakeClock();
    private final List<List<HostPort>> asked = new ArrayList<>();
    private final PodIdentity mysql0 = new PodIdentity("mysql", 0, "mysql");

    private DonorSurvey survey(StatusAsk ask) {
        return new DonorSurvey(peers -> {
            asked.add(peers);
            return ask.ask(peers);
        }, clock);
    }

    private static HostPort peer(int n) {
        return new HostPort("mysql-" + n + ".mysql", 3307);
    }

    @Test
    void theScanStopsAtTheFirstOrdinalWhoseNameDoesNotResolve() throws Exception {
        clock.unresolvable.add("mysql-3.mysql");
        assertEquals(List.of(peer(1), peer(2)), survey(p -> List.of()).higherPeers(mysql0, 3307));
    }

    @Test
    void findDataPollsUntilTheWaitIsOverWhenNoPeerExists() throws Exception {
        clock.unresolvable.add("mysql-1.mysql");
        DonorSurvey s = survey(p -> List.of());
        List<PeerReport> reports = s.findData(() -> s.higherPeers(mysql0, 3307), Duration.ofSeconds(10),
                new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(4)));
        assertEquals(List.of(), reports);
        assertEquals(Duration.ofSeconds(10), clock.elapsed(), "the whole --rebuild-wait, and not a moment more");
    }

    @Test
    void findDataStopsAtTheFirstPeerThatHoldsData() throws Exception {
        PeerStatus data = new PeerStatus(PeerStatus.REPLICA, true, false, OptionalLong.empty(), "0-100-3", false);
        List<String> answers = new ArrayList<>(List.of("down", "data"));
        DonorSurvey s = survey(p -> List.of(answers.remove(0).equals("down")
                ? PeerReport.silent(p.get(0), "connection refused") : PeerReport.answered(p.get(0), data)));
        List<PeerReport> reports = s.findData(() -> List.of(peer(1)), Duration.ofSeconds(10),
                new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(4)));
        assertTrue(reports.get(0).holdsData());
        assertEquals(2, asked.size(), "asked again after the first silence, then done");
    }

    @Test
    void aSingleDonorIsNotAsked() throws Exception {
        DonorChoice.Ranking r = survey(p -> { throw new AssertionError("asked " + p); }).choose(List.of(peer(0)), List.of());
        assertEquals(List.of(peer(0)), r.donors());
    }
}
