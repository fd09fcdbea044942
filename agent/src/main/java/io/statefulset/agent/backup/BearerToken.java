package io.statefulset.agent.backup;

import io.statefulset.agent.common.secret.Secret;
import io.statefulset.agent.common.secret.SecretSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The token {@code /backup} asks for. When its file changes, the new token is required from then on and the previous
 * one is still accepted for the grace period: an {@code init} that read the Secret just before the rotation can still
 * clone. A backup already running is never affected: the token is checked once, at the request.
 */
final class BearerToken {
    private static final Logger log = LoggerFactory.getLogger(BearerToken.class);

    enum Verdict { CURRENT, PREVIOUS, REFUSED }

    private final SecretSource source;
    private final Duration grace;
    private final Clock clock;
    private volatile Secret previous;
    private volatile Instant previousUntil = Instant.MIN;

    BearerToken(SecretSource source, Duration grace, Clock clock) {
        this.source = source;
        this.grace = grace;
        this.clock = clock;
        source.onRotation((before, after) -> rotated(before));
    }

    private void rotated(Secret before) {
        previous = before;
        previousUntil = clock.instant().plus(grace);
        log.info("the /backup token in {} changed: the new one is required from now on; the previous one is accepted"
                + " until {} (--token-grace {} s)", source.origin(), previousUntil, grace.toSeconds());
    }

    Verdict check(String presented) {
        if (source.current().matches(presented)) return Verdict.CURRENT;
        Secret p = previous;
        if (p != null && clock.instant().isBefore(previousUntil) && p.matches(presented)) return Verdict.PREVIOUS;
        return Verdict.REFUSED;
    }

    String origin() {
        return source.origin();
    }
}
