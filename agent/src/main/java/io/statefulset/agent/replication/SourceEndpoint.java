package io.statefulset.agent.replication;

import io.statefulset.agent.identity.HostPort;
import io.statefulset.agent.secret.Secret;
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
