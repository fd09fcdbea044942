package io.statefulset.agent.flow;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.abort;

import io.statefulset.agent.testing.DatabaseServer;
import io.statefulset.agent.testing.DatabaseServerExtension;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The mariadb image, built from docker/Dockerfile with podman ({@code bin/image build}) and run as Kubernetes runs
 * it: as uid 999, read-only root filesystem, host network. {@code serve} in a container in front of a mariadbd on
 * this machine (running as 999 on files owned by 999, as in the mysql container), then {@code init} in a container
 * cloning from it into a fresh volume, then mariadbd on that volume. The image part of CI: its seconds go to
 * target/image-report.txt, which bin/test prints, and so does the reason when podman cannot run here.
 */
@Tag("image")
class ImageIT {
    private static final DatabaseServer.Account MYSQL = new DatabaseServer.Account(999, 999);
    private static final String TOKEN = "image-it-" + UUID.randomUUID();
    private static final Duration START = Duration.ofSeconds(90);
    /** Named by monitoring/ (an alert rule) ahead of the agent; empty while the agent exports all of them. */
    /**
     * Exported only while a replication thread reports an error (one series per errno and message), so a healthy
     * container never shows it; the rules test it with promtool input series instead.
     */
    private static final Set<String> NOT_YET_EXPORTED = Set.of("mysql_agent_replication_last_error_info");
    private static final Pattern AGENT_METRIC = Pattern.compile("\\bmysql_agent_[a-z0-9_]+");
    private static Podman podman;
    private static String image;
    private static double checkSeconds;
    private static double buildSeconds;
    private static long started;
    private static final List<String> report = new ArrayList<>();

    @BeforeAll
    static void buildImage() throws Exception {
        started = System.nanoTime();
        podman = Podman.fromBuild();
        Optional<String> cannot = "root".equals(System.getProperty("user.name"))
                ? podman.whyItCannotRun()
                : Optional.of("not root: the test runs rootful podman and mariadbd as uid 999 (run bin/test as root)");
        if (cannot.isPresent()) {
            writeReport("image: SKIPPED, the image was not built or run: " + cannot.get());
            abort(cannot.get());
        }
        checkSeconds = seconds(started);
        long t0 = System.nanoTime();
        try {
            image = podman.build("mariadb");
        } catch (AssertionError | Exception e) {
            writeReport(String.format("image: FAILED after %.1f s, bin/image build mariadb: %s", seconds(started),
                    e.getMessage().lines().findFirst().orElse("")));
            throw e;
        }
        buildSeconds = seconds(t0);
    }

    @AfterAll
    static void report() throws IOException {
        if (image == null) return;
        // check includes making the base image (debootstrap on a fresh machine, an import of the cached tarball after).
        writeReport(String.format("image: %.1f s in all: podman check and base image %.1f s, podman build of image %s %.1f s; %s",
                seconds(started), checkSeconds, image.replaceFirst("^sha256:", "").substring(0, 12), buildSeconds, String.join("; ", report)));
    }

    @Test
    void printsTheProjectVersion() throws Exception {
        long t0 = System.nanoTime();
        Podman.Result r = podman.podman(START, "run", "--rm", "--network", "host", "--read-only", image, "--version").orFail();
        assertEquals("mysql-statefulset-agent " + projectVersion(), r.out().strip());
        report.add(String.format("--version %.1f s", seconds(t0)));
    }

    @Test
    void serveInAContainerBacksUpTheHostServerAndInitClonesItIntoAVolumeAsUid999() throws Exception {
        long t0 = System.nanoTime();
        Path base = Files.createTempDirectory("image-it-");
        // mariadbd runs as 999 on the data dir below: it must reach it.
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String serve = "image-it-serve-" + suffix;
        String dataVolume = "image-it-data-" + suffix;
        String confVolume = "image-it-conf-" + suffix;
        DatabaseServer primary = null;
        DatabaseServer clone = null;
        try {
            primary = DatabaseServer.freshAs(MYSQL, Files.createDirectories(base.resolve("primary")), 100);
            AppTable.create(primary, 500);
            Path secrets = Files.createDirectories(base.resolve("secrets"));
            Files.writeString(secrets.resolve("token"), TOKEN);
            Files.setPosixFilePermissions(secrets.resolve("token"), PosixFilePermissions.fromString("rw-r--r--"));
            Pod replica = Pod.create("mysql-1", base.resolve("mysql-1"));
            try (Stream<Path> s = Files.walk(replica.base)) {
                for (Path p : s.toList()) Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(
                        Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }

            // The sidecar: mariadb-backup inside the container reads the server's data dir at the path the server
            // reports, so the dir is mounted at that same path.
            int agentPort = DatabaseServer.freePort();
            Path dataDir = primary.dataDir();
            podman.podman(START, "run", "-d", "--name", serve, "--network", "host", "--read-only",
                    "-v", dataDir + ":" + dataDir, "-v", secrets + ":/etc/agent:ro", image,
                    "serve", "--hostname", "mysql-0", "--mysql-port", Integer.toString(primary.port()),
                    "--data-dir", dataDir.toString(), "--listen", "127.0.0.1:" + agentPort,
                    "--token-file", "/etc/agent/token", "--mysql-wait", "60s").orFail();
            String agent = "http://127.0.0.1:" + agentPort;
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            await("serve's /readyz in container " + serve + " to answer 200").atMost(START).ignoreExceptionsInstanceOf(Exception.class)
                .untilAsserted(() -> assertTrue(get(http, agent + "/readyz").statusCode() == 200, () -> logs(serve)));
            String scrape = get(http, agent + "/metrics").body();
            assertTrue(scrape.contains("mysql_agent_mysql_up 1.0"), logs(serve));
            assertMonitoringUsesTheseMetrics(scrape);
            report.add(String.format("serve ready %.1f s", seconds(t0)));

            // The init container on a fresh volume (a PVC): podman gives an empty volume to the container's user,
            // as fsGroup does in Kubernetes. The volumes are bind volumes of this test's dirs, so that the files
            // can be checked and mariadbd started on them without reaching into podman's storage.
            podman.podman(START, "volume", "create", "--opt", "type=none", "--opt", "o=bind",
                    "--opt", "device=" + replica.data, dataVolume).orFail();
            podman.podman(START, "volume", "create", "--opt", "type=none", "--opt", "o=bind",
                    "--opt", "device=" + replica.conf, confVolume).orFail();
            long t1 = System.nanoTime();
            Podman.Result init = podman.podman(Duration.ofMinutes(5), "run", "--rm", "--network", "host", "--read-only",
                    "-v", dataVolume + ":/var/lib/mysql", "-v", confVolume + ":/mnt/conf.d",
                    "-v", replica.configMap + ":/mnt/config-map:ro", "-v", secrets + ":/etc/agent:ro", image,
                    "init", "--hostname", "mysql-1", "--donor", "127.0.0.1:" + agentPort,
                    "--token-file", "/etc/agent/token", "--donor-wait", "30s", "--clone-attempts", "1").orFail();
            String initLog = init.out() + init.err();
            assertTrue(initLog.contains("init done: cloned"), initLog);
            report.add(String.format("init clone %.1f s", seconds(t1)));

            List<String> notMysqls = new ArrayList<>();
            for (Path root : List.of(replica.data, replica.conf)) {
                try (Stream<Path> s = Files.walk(root)) {
                    for (Path p : s.toList()) {
                        int uid = (Integer) Files.getAttribute(p, "unix:uid");
                        int gid = (Integer) Files.getAttribute(p, "unix:gid");
                        if (uid != MYSQL.uid() || gid != MYSQL.gid()) notMysqls.add(p + " " + uid + ":" + gid);
                    }
                }
            }
            assertEquals(List.of(), notMysqls, "files of the volumes not owned by 999:999");
            assertTrue(Files.isDirectory(replica.data.resolve("mysql")), "no mysql/ in the cloned data dir");
            assertTrue(Files.readString(replica.conf.resolve("server-id.cnf")).contains("server-id=101"));

            clone = DatabaseServer.onDataDirAs(MYSQL, replica.data, base.resolve("mysql-1-run"), 101,
                    replica.mysqldOptions().toArray(String[]::new));
            clone.start();
            assertEquals(AppTable.fingerprint(primary), AppTable.fingerprint(clone));
            assertEquals(AppTable.checksum(primary), AppTable.checksum(clone));
            String metrics = get(http, agent + "/metrics").body();
            assertTrue(metrics.contains("mysql_agent_backups_total{status=\"success\"} 1.0"), metrics);
        } finally {
            podman.podman(START, "rm", "-f", "-t", "5", serve);
            if (clone != null) clone.kill();
            if (primary != null) primary.kill();
            podman.podman(START, "volume", "rm", "-f", dataVolume, confVolume);
            DatabaseServerExtension.deleteTree(base);
        }
    }

    /** Every agent metric the alert rules and the dashboard query is one the image exports (or a known gap). */
    private static void assertMonitoringUsesTheseMetrics(String scrape) throws IOException {
        Set<String> exported = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            Matcher m = AGENT_METRIC.matcher(line);
            if (!line.startsWith("#") && m.lookingAt()) exported.add(m.group());
        }
        Path root = Path.of(System.getProperty("image.tool")).toAbsolutePath().getParent().getParent();
        Set<String> used = new TreeSet<>();
        for (String file : List.of("monitoring/mysql-agent.rules.yaml", "monitoring/grafana-dashboard.json")) {
            Matcher m = AGENT_METRIC.matcher(Files.readString(root.resolve(file)));
            while (m.find()) used.add(m.group());
        }
        Set<String> missing = new TreeSet<>(used);
        missing.removeAll(exported);
        assertEquals(NOT_YET_EXPORTED, missing, "metrics monitoring/ queries that the agent does not export (exported: "
                + exported + "); a name that is exported now leaves NOT_YET_EXPORTED");
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String logs(String container) {
        try {
            Podman.Result r = podman.podman(Duration.ofSeconds(30), "logs", container);
            return "\nlogs of " + container + ":\n" + r.out() + r.err();
        } catch (Exception e) {
            return "\n(no logs of " + container + ": " + e + ")";
        }
    }

    private static String projectVersion() throws IOException {
        Properties p = new Properties();
        try (InputStream in = ImageIT.class.getResourceAsStream("/agent-version.properties")) {
            p.load(in);
        }
        return p.getProperty("version");
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static void writeReport(String line) throws IOException {
        System.err.println(line);
        Path file = Path.of(System.getProperty("image.report", "target/image-report.txt"));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
    }
}
