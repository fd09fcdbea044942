package io.statefulset.agent.common.backuptool;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The backup program of the server's flavor: Percona {@code xtrabackup} for MySQL, {@code mariadb-backup}
 * (or its old name {@code mariabackup}) for MariaDB. Both take the same options for what we do
 * ({@code --backup --stream=xbstream}, {@code --prepare --target-dir}).
 */
public record BackupTool(String name, Path executable) {
    /** Preference order of {@code --backup-tool auto}. */
    public static final List<String> AUTO_ORDER = List.of("xtrabackup", "mariadb-backup", "mariabackup");

    /**
     * {@code auto} picks the first of {@link #AUTO_ORDER} found on PATH; any other value is a program name or path.
     *
     * @throws IllegalArgumentException naming what was looked for and where, when nothing is found
     */
    public static BackupTool resolve(String choice, Map<String, String> env) {
        List<String> wanted = "auto".equals(choice) ? AUTO_ORDER : List.of(choice);
        for (String name : wanted) {
            Optional<Path> found = ProgramPath.find(name, env);
            if (found.isPresent()) return new BackupTool(Path.of(name).getFileName().toString(), found.get());
        }
        throw new IllegalArgumentException("no backup tool found: looked for " + String.join(", ", wanted)
                + " on PATH=" + ProgramPath.searchPath(env) + "; install xtrabackup (MySQL) or mariadb-backup (MariaDB) in the agent's"
                + " image, or pass --backup-tool /path/to/tool; MySQL 8.0.17+ replicas can be seeded without one:"
                + " --clone-method clone-plugin on every pod (docs/clone-plugin.md)");
    }

    public boolean isMariaDb() {
        return name.startsWith("maria");
    }
}
