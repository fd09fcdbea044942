package io.statefulset.agent.flow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The InnoDB settings the project ships in the local cluster's config map (cluster/config-map/primary.cnf). */
final class ShippedServerConfig {
    private ShippedServerConfig() {}

    /** Its {@code innodb*} lines of {@code [mysqld]}, as mariadbd options. */
    static List<String> innodbOptions() throws IOException {
        Path cnf = locate().resolve("cluster/config-map/primary.cnf");
        List<String> options = new ArrayList<>();
        boolean mysqld = false;
        for (String raw : Files.readAllLines(cnf)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            if (line.startsWith("[")) mysqld = line.equals("[mysqld]");
            else if (mysqld && line.startsWith("innodb")) options.add("--" + line.replaceAll("\\s*=\\s*", "="));
        }
        if (options.isEmpty()) throw new AssertionError(cnf + " sets no innodb option: the shipped redo size is missing");
        return options;
    }

    private static Path locate() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("cluster/config-map/primary.cnf"))) return dir;
        }
        throw new IllegalStateException("no cluster/config-map above " + Path.of("").toAbsolutePath());
    }
}
