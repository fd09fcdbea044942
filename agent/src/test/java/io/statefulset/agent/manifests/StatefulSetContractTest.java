package io.statefulset.agent.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statefulset.agent.config.MysqldConfig;
import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.common.protocol.BackupProtocol;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rendered StatefulSet of every overlay against the code: the CLI's flags and env names, the wire protocol's
 * port and paths, the Secret keys the agent reads, the volumes the modes share, and the sidecar's memory budget.
 */
class StatefulSetContractTest {
    private static final String AGENT_IMAGE = "mysql-statefulset-agent";
    private static final String AGENT_JAR = "/agent/agent.jar";
    private static final String SERVER_DATA_DIR = "/var/lib/mysql";
    private static final String SERVER_CONF_DIR = "/etc/mysql/conf.d";
    /** The uid/gid of mysqld in the mysql and mariadb images, which owns the data dir. */
    private static final int MYSQL_UID = 999;
    /** Threads the JVM may run (event loops, JIT, GC, JDBC, timers) and its internal structures (GC, symbols, CDS). */
    private static final int JVM_THREADS = 64;
    private static final long JVM_INTERNALS = MemoryQuantity.mebibytes(32);
    /** mariadb-backup --backup peaked at 56 MB RSS (630 MB data dir under inserts); rounded up. */
    private static final long BACKUP_TOOL_BACKUP = MemoryQuantity.mebibytes(64);
    /** mariadb-backup --prepare peaked at 129 MB RSS with its default --use-memory=100M; rounded up. */
    private static final long BACKUP_TOOL_PREPARE = MemoryQuantity.mebibytes(160);

    static Stream<String> overlays() {
        return OverlayRenders.overlays();
    }

    /** The overlays and the migration kustomization (token off): both must parse as the CLI parses. */
    static Stream<String> kustomizations() {
        return Stream.concat(overlays(), Stream.of("migration", "tls"));
    }

    private static RenderedManifests render(String kustomization) {
        return switch (kustomization) {
            case "migration" -> OverlayRenders.migration();
            case "tls" -> OverlayRenders.tls();
            default -> OverlayRenders.overlay(kustomization);
        };
    }

    private static StatefulSet mysql(RenderedManifests m) {
        return m.statefulSet("mysql");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void initContainerAndSidecarRunTheAgentJarInTheirModes(String overlay) throws Exception {
        RenderedManifests m = OverlayRenders.overlay(overlay);
        StatefulSet sts = mysql(m);
        assertEquals(List.of("init"), sts.initContainers().stream().map(Container::name).toList(),
                "the agent's init replaces both of the tutorial's init containers");
        assertEquals(List.of("mysql", "agent"), sts.containers().stream().map(Container::name).toList());
        Container init = sts.initContainer("init");
        Container agent = sts.container("agent");
        assertEquals("init", AgentCommandLine.of(init, m.secretValues("mysql")).mode());
        assertEquals("serve", AgentCommandLine.of(agent, m.secretValues("mysql")).mode());
        for (Container c : List.of(init, agent)) {
            assertEquals(AGENT_JAR, c.jar(), c.name());
            assertEquals(AGENT_IMAGE, ImageReference.parse(c.image()).name(), c.name());
        }
        assertEquals(init.image(), agent.image(), "init and serve come from one build");
        assertEquals(init.command(), agent.command(), "one JVM command line for both modes");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void agentImageTagIsTheProjectVersionAndTheOverlaysFlavor(String overlay) throws Exception {
        Properties p = new Properties();
        try (InputStream in = StatefulSetContractTest.class.getResourceAsStream("/agent-version.properties")) {
            p.load(in);
        }
        String tag = ImageReference.parse(mysql(OverlayRenders.overlay(overlay)).container("agent").image()).tag();
        assertEquals(p.getProperty("version") + "-" + overlay, tag, "docker build -t " + AGENT_IMAGE + ":<version>-<flavor>");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kustomizations")
    void everyFlagAndEnvVariableOfTheAgentExistsInTheCli(String kustomization) throws Exception {
        RenderedManifests m = render(kustomization);
        StatefulSet sts = mysql(m);
        for (Container c : List.of(sts.initContainer("init"), sts.container("agent"))) {
            // FlagCatalog.parse throws on a flag the mode does not know, a missing value or a repeated flag.
            AgentCommandLine cli = AgentCommandLine.of(c, m.secretValues("mysql"));
            Set<String> known = AgentCommandLine.knownEnvNames(cli.mode());
            for (String name : cli.envNames()) {
                assertTrue(known.contains(name), c.name() + " sets env " + name + ", which `agent.jar " + cli.mode()
                        + "` does not read; it reads " + known);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void tokenFileIsTheMountedSecretKeyInBothModes(String overlay) throws Exception {
        RenderedManifests m = OverlayRenders.overlay(overlay);
        StatefulSet sts = mysql(m);
        Map<String, String> secret = m.secretValues("mysql");
        String initToken = AgentCommandLine.of(sts.initContainer("init"), secret).given("token-file")
                .orElseThrow(() -> new AssertionError("init sends no token"));
        String serveToken = AgentCommandLine.of(sts.container("agent"), secret).given("token-file")
                .orElseThrow(() -> new AssertionError("serve requires no token: /backup is open to the cluster"));
        assertEquals(initToken, serveToken, "init must send the token serve checks");
        for (Container c : List.of(sts.initContainer("init"), sts.container("agent"))) {
            Container.VolumeMount mount = c.mountHolding(serveToken)
                    .orElseThrow(() -> new AssertionError(c.name() + " mounts nothing at " + serveToken));
            Map<?, ?> volume = (Map<?, ?>) sts.volumes().get(mount.name()).get("secret");
            assertEquals("mysql", volume.get("secretName"), c.name() + ": token volume");
            String file = serveToken.substring(mount.mountPath().length() + 1);
            String key = ((List<?>) volume.get("items")).stream().map(i -> (Map<?, ?>) i)
                    .filter(i -> file.equals(i.get("path"))).map(i -> (String) i.get("key")).findFirst()
                    .orElseThrow(() -> new AssertionError("the token volume has no item at " + file));
            assertTrue(secret.containsKey(key), "Secret mysql has no key " + key);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void passwordsComeFromSecretKeysTheAgentReads(String overlay) throws Exception {
        RenderedManifests m = OverlayRenders.overlay(overlay);
        StatefulSet sts = mysql(m);
        Map<String, String> secret = m.secretValues("mysql");
        for (Container c : sts.containers()) {
            for (Container.EnvVar e : c.env()) {
                if (e.name().contains("PASSWORD")) assertTrue(e.fromSecret(), c.name() + ": " + e.name() + " is a literal");
                if (e.fromSecret()) {
                    assertEquals("mysql", e.secretName(), c.name() + ": " + e.name());
                    assertTrue(secret.containsKey(e.secretKey()), c.name() + ": " + e.name() + " -> missing key " + e.secretKey());
                }
            }
        }
        Container agent = sts.container("agent");
        AgentCommandLine serve = AgentCommandLine.of(agent, secret);
        Container.EnvVar mysqlPassword = agent.envVar("MYSQL_PASSWORD")
                .orElseThrow(() -> new AssertionError("the agent gets no MYSQL_PASSWORD"));
        Container.EnvVar replicationPassword = agent.envVar("AGENT_REPLICATION_PASSWORD")
                .orElseThrow(() -> new AssertionError("the agent gets no AGENT_REPLICATION_PASSWORD"));
        assertEquals("root", serve.value("mysql-user"), "the agent logs in as root");
        assertEquals(rootPassword(sts.container("mysql")).secretKey(), mysqlPassword.secretKey(),
                "the agent's MYSQL_PASSWORD must be the password the server image gives root");
        String replicationUser = serve.given("replication-user")
                .orElseThrow(() -> new AssertionError("replicas would replicate as root"));
        assertNotEquals(serve.value("mysql-user"), replicationUser, "replication needs a user of its own");
        assertNotEquals(mysqlPassword.secretKey(), replicationPassword.secretKey(), "and a password of its own");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void rootPasswordIsSetTheWayTheServerImageReadsIt(String overlay) {
        StatefulSet sts = mysql(OverlayRenders.overlay(overlay));
        Container server = sts.container("mysql");
        boolean mariadb = ImageReference.parse(server.image()).name().equals("mariadb");
        String expected = mariadb ? "MARIADB_ROOT_PASSWORD" : "MYSQL_ROOT_PASSWORD";
        assertEquals(expected, rootPassword(server).name(), server.image());
        for (String forbidden : List.of("MYSQL_ALLOW_EMPTY_PASSWORD", "MARIADB_ALLOW_EMPTY_ROOT_PASSWORD",
                "MYSQL_RANDOM_ROOT_PASSWORD", "MARIADB_RANDOM_ROOT_PASSWORD")) {
            // Empty: anyone in the cluster is root. Random: the agent could never log in.
            assertTrue(server.envVar(forbidden).isEmpty(), server.image() + " sets " + forbidden);
        }
    }

    private static Container.EnvVar rootPassword(Container server) {
        List<Container.EnvVar> root = server.env().stream().filter(e -> e.name().endsWith("_ROOT_PASSWORD")).toList();
        assertEquals(1, root.size(), "the server container sets exactly one root password variable: " + root);
        assertTrue(root.get(0).fromSecret(), "root password from the Secret");
        return root.get(0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void portsProbesAndScrapeAnnotationsMatchTheWireProtocol(String overlay) throws Exception {
        RenderedManifests m = OverlayRenders.overlay(overlay);
        StatefulSet sts = mysql(m);
        Container agent = sts.container("agent");
        String listen = AgentCommandLine.of(agent, m.secretValues("mysql")).value("listen");
        assertEquals(BackupProtocol.DEFAULT_PORT, HostPort.parse(listen, BackupProtocol.DEFAULT_PORT).port());
        assertEquals(List.of(BackupProtocol.DEFAULT_PORT), agent.ports());

        Container server = sts.container("mysql");
        Container.HttpProbe readiness = server.readinessProbe().orElseThrow(() -> new AssertionError("no readiness probe"));
        Container.HttpProbe liveness = server.livenessProbe().orElseThrow(() -> new AssertionError("no liveness probe"));
        Container.HttpProbe startup = server.startupProbe().orElseThrow(() -> new AssertionError("no startup probe"));
        assertEquals(BackupProtocol.READYZ_PATH, readiness.path());
        assertEquals(BackupProtocol.HEALTHZ_PATH, liveness.path());
        assertEquals(BackupProtocol.HEALTHZ_PATH, startup.path());
        for (Container.HttpProbe probe : List.of(readiness, liveness, startup)) {
            assertEquals(BackupProtocol.DEFAULT_PORT, probe.port(), probe.path());
        }
        assertTrue(startup.toleranceSeconds() >= 15 * 60,
                "crash recovery of a big data dir needs time before liveness starts: " + startup.toleranceSeconds() + " s");
        assertTrue(liveness.toleranceSeconds() >= 30,
                "a restarting agent must not get mysqld killed: liveness gives up after " + liveness.toleranceSeconds() + " s");

        assertEquals("true", sts.podAnnotations().get("prometheus.io/scrape"));
        assertEquals(String.valueOf(BackupProtocol.DEFAULT_PORT), sts.podAnnotations().get("prometheus.io/port"));
        assertEquals(BackupProtocol.METRICS_PATH, sts.podAnnotations().get("prometheus.io/path"));

        Map<String, Object> headless = m.serviceSpec("mysql");
        assertEquals("None", headless.get("clusterIP"));
        assertEquals(Set.of(3306, BackupProtocol.DEFAULT_PORT), servicePorts(headless));
        assertEquals(Set.of(3306), servicePorts(m.serviceSpec("mysql-read")));
    }

    private static Set<Object> servicePorts(Map<String, Object> spec) {
        return Set.copyOf(((List<?>) spec.get("ports")).stream().map(p -> ((Map<?, ?>) p).get("port")).toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void initMysqlAndAgentShareTheDataDirAndInitWritesWhereMysqldReads(String overlay) throws Exception {
        RenderedManifests m = OverlayRenders.overlay(overlay);
        StatefulSet sts = mysql(m);
        Map<String, String> secret = m.secretValues("mysql");
        AgentCommandLine init = AgentCommandLine.of(sts.initContainer("init"), secret);
        AgentCommandLine serve = AgentCommandLine.of(sts.container("agent"), secret);
        Container.VolumeMount serverData = mount(sts.container("mysql"), SERVER_DATA_DIR);
        assertTrue(sts.claimTemplateNames().contains(serverData.name()), "the data dir is the pod's PVC");
        Container.VolumeMount initData = mount(sts.initContainer("init"), init.value("data-dir"));
        Container.VolumeMount serveData = mount(sts.container("agent"), serve.value("data-dir"));
        for (Container.VolumeMount other : List.of(initData, serveData)) {
            assertEquals(serverData.name(), other.name(), "one data volume");
            assertEquals(serverData.subPath(), other.subPath(), "one directory in it");
            assertEquals(SERVER_DATA_DIR, other.mountPath(), "xtrabackup finds the files where the server says they are");
        }

        Container.VolumeMount written = mount(sts.initContainer("init"), init.value("conf-dir"));
        Container.VolumeMount read = mount(sts.container("mysql"), SERVER_CONF_DIR);
        assertEquals(read.name(), written.name(), "init writes server-id.cnf into the dir mysqld includes");
        Container.VolumeMount lifted = mount(sts.container("agent"), serve.value("conf-dir"));
        assertEquals(read.name(), lifted.name(), "serve lifts a rebuild's fence in the dir mysqld includes");
        assertTrue(sts.volumes().get(read.name()).containsKey("emptyDir"), "conf is rebuilt by init at every pod start");

        Container.VolumeMount configMap = mount(sts.initContainer("init"), init.value("config-map-dir"));
        Map<?, ?> source = (Map<?, ?>) sts.volumes().get(configMap.name()).get("configMap");
        assertEquals(Set.of(MysqldConfig.PRIMARY_CNF, MysqldConfig.REPLICA_CNF), m.configMapData((String) source.get("name")).keySet());
    }

    private static Container.VolumeMount mount(Container c, String path) {
        return c.mountAt(path).orElseThrow(() -> new AssertionError(c.name() + " mounts nothing at " + path));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void sidecarKeepsTheTutorialsMemoryRequestAndTheJvmFitsTheLimits(String overlay) {
        StatefulSet sts = mysql(OverlayRenders.overlay(overlay));
        Container agent = sts.container("agent");
        assertEquals(MemoryQuantity.kubernetes("100Mi"), MemoryQuantity.kubernetes(agent.requests().get("memory")),
                "the tutorial's xtrabackup sidecar request");
        assertFits(agent, BACKUP_TOOL_BACKUP);
        assertFits(sts.initContainer("init"), BACKUP_TOOL_PREPARE);
    }

    private static void assertFits(Container c, long backupTool) {
        Object limit = c.limits().get("memory");
        assertTrue(limit != null, c.name() + " has no memory limit");
        long worstCase = JvmMemoryCaps.of(c.jvmOptions()).worstCase(JVM_THREADS, JVM_INTERNALS) + backupTool;
        assertTrue(worstCase <= MemoryQuantity.kubernetes(limit), c.name() + ": JVM ceilings + backup tool = "
                + worstCase / (1024 * 1024) + " MiB, over the limit " + limit);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void agentRunsAsTheServersUidWithoutRoot(String overlay) {
        StatefulSet sts = mysql(OverlayRenders.overlay(overlay));
        assertEquals(MYSQL_UID, sts.podSecurityContext().get("fsGroup"), "a fresh PVC must be writable by group 999");
        for (Container c : List.of(sts.initContainer("init"), sts.container("agent"))) {
            assertEquals(MYSQL_UID, c.securityContext().get("runAsUser"), c.name());
            assertEquals(true, c.securityContext().get("runAsNonRoot"), c.name());
            assertEquals(false, c.securityContext().get("allowPrivilegeEscalation"), c.name());
        }
    }
}
