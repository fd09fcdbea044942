package io.statefulset.agent.cli;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The flags both modes take. */
final class SharedFlags {
    @Option(names = "--hostname", description = "pod name <statefulset>-<ordinal>")
    @DefaultText("$HOSTNAME, else the machine's hostname")
    String hostname;

    @Option(names = "--service", defaultValue = "mysql", description = "headless Service; peers are <sts>-<n>.<service>")
    String service;

    @Option(names = "--data-dir", defaultValue = "/var/lib/mysql", description = "mysqld's data dir")
    Path dataDir;

    @Option(names = "--backup-tool", defaultValue = "auto",
            description = "xtrabackup, mariadb-backup, mariabackup or a path; auto = first on PATH")
    String backupTool;

    @Option(names = "--token-file", description = "shared secret: serve requires it on /backup, init sends it")
    @DefaultText("none")
    Path tokenFile;

    Optional<Path> tokenFile() {
        return Optional.ofNullable(tokenFile);
    }
}
