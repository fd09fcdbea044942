package io.statefulset.agent.backup;

import java.util.List;

/** The backup tool processes this JVM started, directly or through a child: those running a backup, not its {@code --version}. */
final class BackupToolProcesses {
    private BackupToolProcesses() {}

    static List<ProcessHandle> running() {
        return ProcessHandle.current().descendants()
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.endsWith("/mariadb-backup")).orElse(false))
                .filter(p -> List.of(p.info().arguments().orElse(new String[0])).contains("--backup"))
                .toList();
    }
}
