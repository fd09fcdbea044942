package io.statefulset.agent.clone;

import io.statefulset.agent.common.backuptool.FailureCause;
import io.statefulset.agent.common.identity.HostPort;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fault rules of {@link DonorRounds}, with scripted donors and a clock that moves only when slept on. */
class DonorRoundsTest {
    private static final HostPort A = new HostPort("mysql-1.mysql", 3307);
    private static final HostPort B = new HostPort("mysql-0.mysql", 3307);
    private static final Backoff POLL = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1));
    private static final Backoff ROUND = new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(30));

    private final FakeClock clock = new FakeClock();
    private final ScriptedDonors donors = new ScriptedDonors();

    /** Each donor answers its script in order, then keeps answering the script's last step. */
    private final class ScriptedDonors implements DonorRounds.Attempt<String> {
        final Map<HostPort, Deque<Object>> scripts = new HashMap<>();
        final List<String> calls = new ArrayList<>();

        ScriptedDonors answer(HostPort donor, Object... steps) {
            scripts.put(donor, new ArrayDeque<>(List.of(steps)));
            return this;
        }

        @Override
        public String run(HostPort donor, InetAddress address) throws DonorException {
            calls.add(donor + "@" + clock.elapsed().toMillis());
            Deque<Object> script = scripts.get(donor);
            Object step = script.size() > 1 ? script.poll() : script.peek();
            if (step instanceof DonorException e) throw e;
            return (String) step;
        }
    }

    private static DonorFailedException failed(String why) {
        return new DonorFailedException(FailureCause.CONNECTION_LOST, why);
    }

    private static DonorUnreachableException refused() {
        return new DonorUnreachableException("nothing listens (connection refused)", null);
    }

    private DonorRounds rounds(Duration donorWait, int attempts, HostPort... order) {
        return new DonorRounds(List.of(order), donorWait, attempts, POLL, ROUND, clock);
    }

    @Test
    void theFirstDonorInListOrderThatAnswersIsTaken() throws Exception {
        donors.answer(A, "from A").answer(B, "from B");
        assertEquals("from A", rounds(Duration.ofSeconds(10), 1, A, B).run(donors));
        assertEquals(List.of(A + "@0"), donors.calls);
    }

    @Test
    void aDonorThatFailsIsLeftForTheNextOneAtOnce() throws Exception {
        donors.answer(A, failed("stalled")).answer(B, "from B");
        assertEquals("from B", rounds(Duration.ofSeconds(10), 1, A, B).run(donors));
        assertEquals(List.of(A + "@0", B + "@0"), donors.calls);
        assertEquals(List.of(), clock.sleeps, "no backoff between a failed donor and the next");
    }

    @Test
    void unreachableDonorsArePolledWithBackoffUntilOneAnswers() throws Exception {
        donors.answer(A, refused(), refused(), refused(), "from A").answer(B, refused());
        assertEquals("from A", rounds(Duration.ofSeconds(10), 1, A, B).run(donors));
        assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400)), clock.sleeps);
    }

    @Test
    void aNameThatDoesNotResolveYetIsWaitedForLikeAClosedPort() throws Exception {
        clock.unresolvable.add(A.host());
        donors.answer(A, "from A").answer(B, refused(), refused(), "from B");
        assertEquals("from B", rounds(Duration.ofSeconds(10), 1, A, B).run(donors));
        assertTrue(donors.calls.stream().noneMatch(c -> c.startsWith(A.toString())), donors.calls.toString());
    }

    @Test
    void noDonorReachableBeforeTheDeadlineEndsEverythingNamingEachDonorsState() {
        clock.unresolvable.add(B.host());
        donors.answer(A, refused());
        CloneException e = assertThrows(CloneException.class, () -> rounds(Duration.ofSeconds(3), 5, A, B).run(donors));
        assertEquals("no donor reachable within 3 s (--donor-wait): mysql-1.mysql:3307 (nothing listens (connection"
                + " refused)), mysql-0.mysql:3307 (name mysql-0.mysql does not resolve yet); check that the donor pods run"
                + " `agent serve` (or the tutorial's sidecar) on that port and that their names resolve from this pod",
                e.getMessage());
        assertEquals(Duration.ofSeconds(3), clock.elapsed(), "the last pause is cut to the deadline");
        assertEquals(Duration.ofSeconds(1), clock.sleeps.get(clock.sleeps.size() - 2), "the poll backoff is capped");
    }

    @Test
    void aBusyDonorIsAskedAgainOnlyAfterItsRetryAfter() throws Exception {
        donors.answer(A, new DonorBusyException("busy", Duration.ofMillis(2500)), "from A").answer(B, refused());
        assertEquals("from A", rounds(Duration.ofSeconds(30), 1, A, B).run(donors));
        List<String> asksOfA = donors.calls.stream().filter(c -> c.startsWith(A.toString())).toList();
        assertEquals(List.of(A + "@0", A + "@2500"), asksOfA, "not asked before Retry-After, and then at once");
    }

    @Test
    void aRoundInWhichEveryDonorFailedIsFollowedByAnotherAfterTheRoundBackoff() throws Exception {
        donors.answer(A, failed("stalled"), "from A").answer(B, failed("corrupt"));
        assertEquals("from A", rounds(Duration.ofSeconds(30), 3, A, B).run(donors));
        assertEquals(List.of(A + "@0", B + "@0", A + "@2000"), donors.calls);
        assertEquals(List.of(Duration.ofSeconds(2)), clock.sleeps);
    }

    @Test
    void afterTheLastRoundTheErrorNamesTheLastFailureOfEachDonor() {
        donors.answer(A, failed("stalled"), failed("corrupt stream")).answer(B, failed("token rejected"));
        CloneException e = assertThrows(CloneException.class, () -> rounds(Duration.ofSeconds(30), 2, A, B).run(donors));
        assertEquals("clone failed after 2 attempts (--clone-attempts); last error per donor: mysql-1.mysql:3307:"
                + " [connection-lost] corrupt stream; mysql-0.mysql:3307: [connection-lost] token rejected", e.getMessage());
        assertEquals(List.of(Duration.ofSeconds(2)), clock.sleeps, "no backoff after the last round");
    }

    @Test
    void roundBackoffDoublesBetweenRounds() {
        donors.answer(A, failed("stalled"));
        assertThrows(CloneException.class, () -> rounds(Duration.ofSeconds(30), 4, A).run(donors));
        assertEquals(List.of(Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8)), clock.sleeps);
    }

    @Test
    void aRoundWhoseDeadlinePassesAfterADonorWasReachedIsRetriedNotGivenUp() throws Exception {
        // A is busy for longer than the round lasts; B is not there yet. The round ends at --donor-wait, but a donor
        // was reached, so there is a next round rather than "no donor reachable".
        donors.answer(A, new DonorBusyException("busy", Duration.ofSeconds(60)), "from A").answer(B, refused());
        assertEquals("from A", rounds(Duration.ofSeconds(5), 2, A, B).run(donors));
        assertEquals(A + "@7000", donors.calls.get(donors.calls.size() - 1), "5 s round + 2 s round backoff");
    }

    @Test
    void aSingleAttemptSpentOnASlowFailureSaysSoInTheSingular() {
        donors.answer(A, refused(), failed("stalled"));
        DonorRounds.Attempt<String> slow = (donor, address) -> {
            clock.pass(Duration.ofSeconds(4));
            return donors.run(donor, address);
        };
        CloneException e = assertThrows(CloneException.class, () -> rounds(Duration.ofSeconds(5), 1, A).run(slow));
        assertTrue(e.getMessage().startsWith("clone failed after 1 attempt (--clone-attempts)"), e.getMessage());
    }

    @Test
    void aRoundNeedsDonorsAndAtLeastOneAttempt() {
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> new DonorRounds(List.of(), Duration.ofSeconds(1), 1, POLL, ROUND));
        assertEquals("no donors to clone from: pass --donor host:port", none.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new DonorRounds(List.of(A), Duration.ofSeconds(1), 0, POLL, ROUND));
    }
}
