package io.statefulset.agent.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test method (or a field via {@link #start}) real {@code mariadbd} instances in temp dirs, and stops them
 * and deletes their files afterwards. MariaDB missing from the machine is a failure, not a skip: these tests are
 * the product's proof, and {@code .ci/run} installs the Debian packages.
 *
 * <pre>{@code
 * @RegisterExtension MariaDbExtension db = new MariaDbExtension();
 * MariaDb primary = db.start(100);
 * }</pre>
 */
public final class MariaDbExtension implements AfterEachCallback, ParameterResolver {
    private final List<MariaDb> servers = new ArrayList<>();
    private final List<Path> dirs = new ArrayList<>();

    /** A fresh server with {@code --server-id=serverId}, log-bin on, root@% without password. */
    public MariaDb start(int serverId, String... extraArgs) throws Exception {
        if (!MariaDb.installed()) {
            throw new IllegalStateException("mariadbd is not on PATH: run `apt-get install -y mariadb-server mariadb-backup` (.ci/run does)");
        }
        Path base = tempDir("mariadb-" + serverId + "-");
        MariaDb db = MariaDb.fresh(base, serverId, extraArgs);
        servers.add(db);
        return db;
    }

    /** A server on an existing data dir (a clone's result); started, and stopped after the test. */
    public MariaDb startOn(Path dataDir, int serverId, String... extraArgs) throws Exception {
        MariaDb db = MariaDb.onDataDir(dataDir, tempDir("mariadb-run-" + serverId + "-"), serverId, extraArgs);
        servers.add(db);
        db.start();
        return db;
    }

    /** A temp dir removed after the test. */
    public Path tempDir(String prefix) throws Exception {
        Path dir = Files.createTempDirectory(prefix);
        dirs.add(dir);
        return dir;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        for (MariaDb db : servers) db.kill();
        servers.clear();
        for (Path dir : dirs) deleteTree(dir);
        dirs.clear();
    }

    public static void deleteTree(Path dir) throws Exception {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        return p.getParameter().getType() == MariaDb.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        try {
            return start(100 + p.getIndex());
        } catch (Exception ex) {
            throw new IllegalStateException("could not start mariadbd: " + ex.getMessage(), ex);
        }
    }
}
