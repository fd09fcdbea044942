package io.statefulset.agent.init;

import io.statefulset.agent.clone.HandOver;
import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.common.secret.Secret;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The volumes an init container sees (config map, conf dir, data dir) in a temp dir, and short test deadlines. */
final class InitFixture {
    final Path base;
    final Path configMap;
    final Path conf;
    final Path data;

    String hostname = "mysql-1";
    List<HostPort> donors = List.of();
    Optional<String> token = Optional.empty();
    Duration donorWait = Duration.ofSeconds(5);
    Duration stallTimeout = Duration.ofSeconds(10);
    int attempts = 1;
    Duration progressInterval = Duration.ofMillis(500);
    boolean rebuildPrimary = true;
    Duration rebuildWait = Duration.ofMillis(500);

    InitFixture(Path base) throws IOException {
        this(base, base.resolve("volume").resolve("mysql"));
    }

    /** With a data dir of its own (one a server created, for example), which may lie outside {@code base}. */
    InitFixture(Path base, Path dataDir) throws IOException {
        this.base = base;
        this.configMap = Files.createDirectories(base.resolve("config-map"));
        this.conf = base.resolve("conf.d");
        this.data = Files.createDirectories(dataDir);
        Files.writeString(configMap.resolve("primary.cnf"), "[mysqld]\nlog-bin\n");
        Files.writeString(configMap.resolve("replica.cnf"), "[mysqld]\nsuper-read-only\n");
    }

    InitFixture donors(HostPort... d) {
        donors = List.of(d);
        return this;
    }

    InitOptions options() {
        return new InitOptions(hostname, "mysql", 100, configMap, conf, data, donors, "auto",
                token.map(t -> Secret.of(t, "test")), Optional.empty(), donorWait, stallTimeout, attempts, progressInterval,
                rebuildPrimary, rebuildWait, io.statefulset.agent.clone.CloneMethod.AUTO);
    }

    int run() {
        return new InitCommand(options(), System.getenv()).run();
    }

    int run(HandOver handOver) {
        return new InitCommand(options(), System.getenv(), handOver).run();
    }

    /** Top-level names in the data dir, sorted. */
    List<String> dataDirEntries() throws IOException {
        try (Stream<Path> s = Files.list(data)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    boolean looksInitialised() {
        return Files.isDirectory(data.resolve("mysql"));
    }

    /** Every path under the fixture's base that is not below the data dir or the config dirs: must stay empty. */
    List<Path> strayFiles() throws IOException {
        try (Stream<Path> s = Files.walk(base)) {
            return s.filter(p -> !p.equals(base) && !p.startsWith(data) && !p.startsWith(configMap) && !p.startsWith(conf)
                    && !p.equals(data.getParent())).toList();
        }
    }
}
