package io.statefulset.agent.clone;

import io.statefulset.agent.common.backuptool.FailureCause;
import io.statefulset.agent.common.identity.HostPort;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which donor, when, and how often.
 *
 * <p>A <b>round</b> offers the clone to the donors in order (nearest peer first). Within a round, a donor whose name
 * does not resolve or whose port is closed is not a failure: the round keeps polling all of them with backoff, and
 * takes the first, in list order, that accepts a connection; a busy donor (503) is asked again after its
 * {@code Retry-After}. A donor that accepted and then failed is out for the rest of the round, and the next one is
 * tried at once. The round ends when every donor has failed, or at {@code donorWait} after its start. A round in
 * which no donor could even be reached is the end ("no donor reachable"); otherwise, after a backoff, the next round
 * starts, up to {@code attempts} rounds.
 *
 * <p>The probe is the real connection: a separate TCP probe would make the tutorial's ncat sidecar start (and
 * waste) a whole backup, and with its {@code --max-conns=1} it could turn away the real request.
 */
public final class DonorRounds {
    private static final Logger log = LoggerFactory.getLogger(DonorRounds.class);

    /** One try of one donor at one resolved address. */
    @FunctionalInterface
    public interface Attempt<T> {
        T run(HostPort donor, InetAddress address) throws DonorException, IOException, InterruptedException;
    }

    private final List<HostPort> donors;
    private final Duration donorWait;
    private final int attempts;
    private final Backoff pollBackoff;
    private final Backoff roundBackoff;
    private final RoundClock clock;
    private final Map<FailureCause, Integer> failures = new EnumMap<>(FailureCause.class);

    public DonorRounds(List<HostPort> donors, Duration donorWait, int attempts, Backoff pollBackoff, Backoff roundBackoff) {
        this(donors, donorWait, attempts, pollBackoff, roundBackoff, RoundClock.SYSTEM);
    }

    DonorRounds(List<HostPort> donors, Duration donorWait, int attempts, Backoff pollBackoff, Backoff roundBackoff,
                RoundClock clock) {
        if (donors.isEmpty()) throw new IllegalArgumentException("no donors to clone from: pass --donor host:port");
        if (attempts < 1) throw new IllegalArgumentException("attempts must be at least 1");
        this.donors = List.copyOf(donors);
        this.donorWait = donorWait;
        this.attempts = attempts;
        this.pollBackoff = pollBackoff;
        this.roundBackoff = roundBackoff;
        this.clock = clock;
    }

    public List<HostPort> donors() {
        return donors;
    }

    /** How many donor attempts failed so far, by cause. */
    public synchronized Map<FailureCause, Integer> failures() {
        return Map.copyOf(failures);
    }

    public <T> T run(Attempt<T> attempt) throws CloneException, IOException, InterruptedException {
        Map<HostPort, String> lastFailure = new LinkedHashMap<>();
        for (int round = 1; round <= attempts; round++) {
            Round<T> r = new Round<>(attempt, lastFailure);
            T done = r.run();
            if (done != null) return done;
            if (!r.reachedAny()) {
                throw new CloneException("no donor reachable within " + human(donorWait) + " (--donor-wait): "
                        + r.describeStates() + "; check that the donor pods run `agent serve` (or the tutorial's"
                        + " sidecar) on that port and that their names resolve from this pod");
            }
            if (round < attempts) {
                Duration pause = roundBackoff.delay(round - 1);
                log.warn("clone attempt {} of {} failed on every donor it reached; next attempt in {}", round, attempts, human(pause));
                clock.sleep(pause);
            }
        }
        throw new CloneException("clone failed after " + attempts + " attempt" + (attempts == 1 ? "" : "s")
                + " (--clone-attempts); last error per donor: " + lastFailure.entrySet().stream()
                .map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining("; ")));
    }

    /** One pass-until-deadline over the donors; returns null when the round failed. */
    private final class Round<T> {
        private final Attempt<T> attempt;
        private final Map<HostPort, String> lastFailure;
        private final long deadline = clock.nanoTime() + donorWait.toNanos();
        private final Set<HostPort> failed = new HashSet<>();
        private final Map<HostPort, Long> busyUntil = new HashMap<>();
        private final Map<HostPort, String> waitingFor = new LinkedHashMap<>();
        private boolean reachedAny;

        Round(Attempt<T> attempt, Map<HostPort, String> lastFailure) {
            this.attempt = attempt;
            this.lastFailure = lastFailure;
        }

        T run() throws IOException, InterruptedException {
            for (int poll = 0; ; poll++) {
                for (HostPort donor : donors) {
                    if (failed.contains(donor) || clock.nanoTime() < busyUntil.getOrDefault(donor, Long.MIN_VALUE)) continue;
                    InetAddress address;
                    try {
                        address = clock.resolve(donor.host());
                    } catch (UnknownHostException e) {
                        waiting(donor, "name " + donor.host() + " does not resolve yet");
                        continue;
                    }
                    try {
                        T done = attempt.run(donor, address);
                        return done;
                    } catch (DonorUnreachableException e) {
                        waiting(donor, e.getMessage());
                    } catch (DonorBusyException e) {
                        reachedAny = true;
                        busyUntil.put(donor, clock.nanoTime() + e.retryAfter().toNanos());
                        waiting(donor, e.getMessage());
                    } catch (DonorException e) { // sealed: a DonorFailedException
                        reachedAny = true;
                        failed.add(donor);
                        waitingFor.remove(donor);
                        FailureCause cause = e instanceof DonorFailedException f ? f.failureCause() : FailureCause.AGENT;
                        lastFailure.put(donor, "[" + cause + "] " + e.getMessage());
                        synchronized (DonorRounds.this) {
                            failures.merge(cause, 1, Integer::sum);
                        }
                        log.error("clone from {} failed [{}]: {}", donor, cause, e.getMessage());
                    }
                }
                if (failed.size() == donors.size()) return null;
                long now = clock.nanoTime();
                if (now >= deadline) {
                    if (reachedAny) log.warn("--donor-wait of {} is over for this attempt: {}", human(donorWait), describeStates());
                    return null;
                }
                long pause = Math.min(pollBackoff.delay(poll).toNanos(), deadline - now);
                for (long until : busyUntil.values()) if (until > now) pause = Math.min(pause, until - now);
                clock.sleep(Duration.ofNanos(pause));
            }
        }

        /** Logs a donor's waiting reason only when it changes, not on every poll. */
        private void waiting(HostPort donor, String reason) {
            if (!reason.equals(waitingFor.put(donor, reason))) {
                long left = Math.max(0, deadline - clock.nanoTime());
                log.info("waiting for donor {}: {} (polling with backoff, {} left)", donor, reason, human(Duration.ofNanos(left)));
            }
        }

        boolean reachedAny() {
            return reachedAny;
        }

        String describeStates() {
            return donors.stream().map(d -> d + " (" + (failed.contains(d) ? "failed: " + lastFailure.get(d)
                    : waitingFor.getOrDefault(d, "not tried")) + ")").collect(Collectors.joining(", "));
        }
    }

    static String human(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) return ms + " ms";
        long s = Math.round(ms / 1000.0);
        if (s < 120) return s + " s";
        return (s / 60) + " min " + (s % 60) + " s";
    }
}
