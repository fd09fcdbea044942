package io.statefulset.agent.clone;

import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.common.protocol.PeerStatus;
import java.util.Optional;

/**
 * What one peer said to {@code GET /status}, or why it said nothing.
 *
 * @param problem empty when {@code status} is present; else "name does not resolve", "connection refused", ...
 */
public record PeerReport(HostPort peer, Optional<PeerStatus> status, String problem) {
    /** The problem of a peer that answered the question with an xbstream: the tutorial's ncat sidecar. */
    public static final String LEGACY_SIDECAR = "the tutorial's sidecar (it answered with a backup stream)";

    public boolean legacy() {
        return LEGACY_SIDECAR.equals(problem);
    }

    public static PeerReport answered(HostPort peer, PeerStatus status) {
        return new PeerReport(peer, Optional.of(status), "");
    }

    public static PeerReport silent(HostPort peer, String problem) {
        return new PeerReport(peer, Optional.empty(), problem);
    }

    public boolean holdsData() {
        return status.map(PeerStatus::holdsData).orElse(false);
    }

    public String describe() {
        return peer + " (" + status.map(PeerStatus::describe).orElse("no status: " + problem) + ")";
    }
}
