package io.statefulset.agent.init;

import io.statefulset.agent.common.identity.HostPort;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code init} in a JVM of its own, so that a test can kill it with SIGKILL mid-clone as Kubernetes would.
 * Args: hostname config-map-dir conf-dir data-dir donor stall-timeout-seconds.
 */
public final class InitProcessMain {
    private InitProcessMain() {}

    public static void main(String[] args) {
        InitOptions options = new InitOptions(args[0], "mysql", 100, Path.of(args[1]), Path.of(args[2]), Path.of(args[3]),
                List.of(HostPort.parse(args[4], 3307)), "auto", Optional.empty(), Optional.empty(), Duration.ofSeconds(5),
                Duration.ofSeconds(Long.parseLong(args[5])), 1, Duration.ofMillis(500), true, Duration.ofSeconds(1),
                io.statefulset.agent.clone.CloneMethod.AUTO);
        System.exit(new InitCommand(options, System.getenv()).run());
    }
}
