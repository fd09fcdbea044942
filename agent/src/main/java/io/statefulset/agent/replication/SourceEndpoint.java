package io.statefulset.agent.replication;

import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.common.secret.Secret;
import java.util.Optional;

/**
 * The server a replica connects to and the account it uses. {@link #toString()} stays safe to log: {@link Secret}
 * masks itself.
 */
public record SourceEndpoint(HostPort address, String user, Optional<Secret> password) {
    public SourceEndpoint {
        if (user == null || user.isBlank()) throw new IllegalArgumentException("replication user is empty: set --replication-user");
    }
}
