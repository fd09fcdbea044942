package io.statefulset.agent.backup;

import io.statefulset.agent.common.secret.Secret;
import io.statefulset.agent.common.secret.SecretSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The token {@code /backup} asks for. When its file changes, the new token is required from then on and the previous
 * one is still accepted for the grace period: an {@code init} that read the Secret just before the rotation can still
 * clone. A backup already running is never affected: the token is checked once, at the request.
 */
final class BearerToken {
    private static final Logger log = LoggerFactory.getLogger(BearerToken.class);
    private static final String SCHEME = "Bearer";

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

    /**
     * The credentials of an {@code Authorization} header, as RFC 6750 writes them: the scheme (any case), at least
     * one space, the token. Only spaces and tabs around the token are dropped: {@link String#trim()} would also drop
     * NULs and other control bytes, and a header of NULs then the token would pass as the token.
     */
    static Optional<String> presentedIn(String header) {
        if (header == null || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) return Optional.empty();
        int start = SCHEME.length();
        int end = header.length();
        if (start == end || !isBlank(header.charAt(start))) return Optional.empty();
        while (start < end && isBlank(header.charAt(start))) start++;
        while (end > start && isBlank(header.charAt(end - 1))) end--;
        return start == end ? Optional.empty() : Optional.of(header.substring(start, end));
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
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
