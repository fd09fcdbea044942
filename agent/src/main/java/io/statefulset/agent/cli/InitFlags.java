package io.statefulset.agent.cli;

import io.statefulset.agent.common.identity.HostPort;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code agent.jar init}: the init container's flags, each with its default and {@code AGENT_*} env mirror. */
@Command(name = "init")
final class InitFlags {
    @Mixin
    SharedFlags shared;

    @Mixin
    DonorRoundFlags rounds;

    @Option(names = "--server-id-offset", defaultValue = "100", description = "server-id = offset + ordinal")
    int serverIdOffset;

    @Option(names = "--config-map-dir", defaultValue = "/mnt/config-map", description = "holds primary.cnf and replica.cnf")
    Path configMapDir;

    @Option(names = "--conf-dir", defaultValue = "/mnt/conf.d", description = "where server-id.cnf and the role's cnf are written")
    Path confDir;

    @Option(names = "--donor", split = "\\s*,\\s*", converter = AgentPortConverter.class,
            description = "host:port to clone from (repeatable; env: comma-separated)")
    @DefaultText("<sts>-<n-1>.<service>:3307, then earlier peers")
    List<HostPort> donors = new ArrayList<>();

    @Option(names = "--rebuild-primary", arity = "1", defaultValue = "true",
            description = "true: the primary with an empty data dir clones from the most advanced peer that holds data;"
                    + " false: it always starts empty (the tutorial)")
    boolean rebuildPrimary;

    @Option(names = "--rebuild-wait", defaultValue = "10s", converter = DurationConverter.class,
            description = "how long the primary with an empty data dir looks for peers that hold data (then it"
                    + " starts empty, unless a peer answered without a readable status: init exits 1)")
    Duration rebuildWait;
}
