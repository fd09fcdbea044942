package io.statefulset.agent.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts real database servers ({@link DatabaseServer}) of one {@link ServerFlavor} in temp dirs on free ports,
 * and stops them and deletes their files when the scope that started them ends: a server started inside a test
 * method lives until the end of that test, one started in {@code @BeforeAll} (extension in a static field) until
 * the end of the class, so that a class can share one expensive primary between its tests.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final DatabaseServerExtension servers = new DatabaseServerExtension(ServerFlavor.MYSQL_8_0);
 *
 * static DatabaseServer primary;
 *
 * @BeforeAll
 * static void primary() throws Exception {
 *     primary = servers.start(1);                              // fresh data dir, server_id 1, log-bin on
 * }
 *
 * @Test
 * void replica() throws Exception {
 *     Path data = servers.tempDir("clone-").resolve("data");  // deleted after this test
 *     // ... fill data (copy, clone, backup tool) ...
 *     DatabaseServer replica = servers.startOn(data, 2, "--read-only=ON");  // stopped after this test
 * }
 * }</pre>
 *
 * A flavor whose binaries are missing fails the test with the command that installs them: these tests are the
 * product's proof, and {@code bin/test} / {@code .ci/run} provide every flavor. A test method may also declare a
 * {@link DatabaseServer} parameter to get a fresh server (server_id 100 + the parameter's index).
 */
public final class DatabaseServerExtension implements BeforeEachCallback, AfterEachCallback, AfterAllCallback, ParameterResolver {
    private final ServerFlavor flavor;
    private final Scope classScope = new Scope();
    private final Scope testScope = new Scope();
    private boolean inTest;

    /** Debian's MariaDB 10.11. */
    public DatabaseServerExtension() {
        this(ServerFlavor.MARIADB_10_11);
    }

    public DatabaseServerExtension(ServerFlavor flavor) {
        this.flavor = flavor;
    }

    public ServerFlavor flavor() {
        return flavor;
    }

    /** A fresh server of this extension's flavor with {@code --server-id=serverId}; {@code extraArgs} override the defaults. */
    public DatabaseServer start(int serverId, String... extraArgs) throws Exception {
        return start(flavor, serverId, extraArgs);
    }

    /** A fresh server of another flavor (for tests that mix flavors). */
    public DatabaseServer start(ServerFlavor flavor, int serverId, String... extraArgs) throws Exception {
        flavor.baseDir(); // fails with the fix before a temp dir is made
        Path base = tempDir(prefix(flavor) + serverId + "-");
        DatabaseServer db = DatabaseServer.fresh(flavor, base, serverId, extraArgs);
        scope().servers.add(db);
        return db;
    }

    /** A server of this extension's flavor on an existing data dir (a clone's result, a copy), started. */
    public DatabaseServer startOn(Path dataDir, int serverId, String... extraArgs) throws Exception {
        DatabaseServer db = DatabaseServer.onDataDir(flavor, dataDir, tempDir(prefix(flavor) + "run-" + serverId + "-"),
                serverId, extraArgs);
        scope().servers.add(db);
        db.start();
        return db;
    }

    /** A temp dir removed (after its servers stopped) when the current scope ends. */
    public Path tempDir(String prefix) throws Exception {
        Path dir = Files.createTempDirectory(prefix);
        scope().dirs.add(dir);
        return dir;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        inTest = true;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        inTest = false;
        testScope.close();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        testScope.close();
        classScope.close();
    }

    /** Deletes a directory tree; missing is fine. */
    public static void deleteTree(Path dir) throws Exception {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        return p.getParameter().getType() == DatabaseServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        try {
            return start(100 + p.getIndex());
        } catch (Exception ex) {
            throw new IllegalStateException("could not start " + flavor + ": " + ex.getMessage(), ex);
        }
    }

    private Scope scope() {
        return inTest ? testScope : classScope;
    }

    private static String prefix(ServerFlavor flavor) {
        return flavor.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + "-";
    }

    /** What one scope started: servers are killed (no one needs their data after the test), then the dirs go. */
    private static final class Scope {
        final List<DatabaseServer> servers = new ArrayList<>();
        final List<Path> dirs = new ArrayList<>();

        void close() throws Exception {
            for (DatabaseServer db : servers) db.kill();
            servers.clear();
            for (Path dir : dirs) deleteTree(dir);
            dirs.clear();
        }
    }
}
