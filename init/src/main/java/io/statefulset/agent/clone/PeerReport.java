package io.statefulset.agent.clone;

import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.common.protocol.PeerStatus;
import java.util.Optional;

/**
 * What one peer said to {@code GET /status}, or why it said nothing.
 *
 * @param problem    empty when {@code status} is present; else "name does not resolve", "connection refused", ...
 * @param unreadable the peer is there (it took the connection and answered something) but its status could not be
 *                   read: a TLS handshake that failed, an HTTP error, the tutorial's sidecar. Such a peer may hold
 *                   data, so it is never taken for an absent one.
 */
public record PeerReport(HostPort peer, Optional<PeerStatus> status, String problem, boolean unreadable) {
    /** The problem of a peer that answered the question with an xbstream: the tutorial's ncat sidecar. */
    public static final String LEGACY_SIDECAR = "the tutorial's sidecar (it answered with a backup stream)";

    public boolean legacy() {
        return LEGACY_SIDECAR.equals(problem);
    }

    public static PeerReport answered(HostPort peer, PeerStatus status) {
        return new PeerReport(peer, Optional.of(status), "", false);
    }

    /** Nobody to ask: the name does not resolve, nothing listens, nothing answered in time. */
    public static PeerReport silent(HostPort peer, String problem) {
        return new PeerReport(peer, Optional.empty(), problem, false);
    }

    /** Someone answered, but not with a status. */
    public static PeerReport unreadable(HostPort peer, String problem) {
        return new PeerReport(peer, Optional.empty(), problem, true);
    }

    public static PeerReport legacySidecar(HostPort peer) {
        return unreadable(peer, LEGACY_SIDECAR);
    }

    public boolean holdsData() {
        return status.map(PeerStatus::holdsData).orElse(false);
    }

    public String describe() {
        return peer + " (" + status.map(PeerStatus::describe).orElse("no status: " + problem) + ")";
    }
}
