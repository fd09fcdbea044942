package io.statefulset.agent.init;

import io.statefulset.agent.clone.CloneMethod;
import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.common.secret.Secret;
import io.statefulset.agent.common.tls.TlsFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything {@code agent.jar init} is told, already parsed and validated by the CLI. Defaults reproduce the
 * Kubernetes tutorial so that the init container needs no flags at all.
 *
 * @param hostname        {@code <sts>-<ordinal>}
 * @param service         the headless Service: peers are {@code <sts>-<n>.<service>}
 * @param serverIdOffset  {@code server-id = offset + ordinal}
 * @param configMapDir    holds {@code primary.cnf} and {@code replica.cnf}
 * @param confDir         where {@code server-id.cnf} and the role's cnf are written
 * @param dataDir         mysqld's data dir
 * @param donors          explicit donors in order; empty = previous peer, then earlier ones, port 3307
 * @param backupTool      {@code auto} or a program name/path (used for {@code --prepare})
 * @param token           bearer token sent to donors, if any
 * @param tls             TLS towards donors (CA, and own certificate for mutual TLS), if any
 * @param donorWait       how long to wait for a donor's name to resolve and port to open, per attempt round
 * @param stallTimeout    a donor that sends nothing for this long has failed
 * @param attempts        clone attempts (each tries every donor in order) before exit 1
 * @param progressInterval how often a progress line is logged during a clone
 * @param rebuildPrimary  on the primary with an empty data dir, clone from a peer that holds data (if any)
 * @param rebuildWait     how long the primary looks for such peers before it starts empty
 * @param cloneMethod     {@code clone-plugin}: no clone here, serve seeds the replica with the CLONE plugin
 */
public record InitOptions(
        String hostname,
        String service,
        int serverIdOffset,
        Path configMapDir,
        Path confDir,
        Path dataDir,
        List<HostPort> donors,
        String backupTool,
        Optional<Secret> token,
        Optional<TlsFiles> tls,
        Duration donorWait,
        Duration stallTimeout,
        int attempts,
        Duration progressInterval,
        boolean rebuildPrimary,
        Duration rebuildWait,
        CloneMethod cloneMethod) {

    public InitOptions {
        donors = List.copyOf(donors);
    }
}
