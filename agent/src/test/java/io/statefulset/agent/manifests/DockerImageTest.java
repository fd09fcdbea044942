package io.statefulset.agent.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.statefulset.agent.common.backuptool.BackupTool;
import io.statefulset.agent.testing.ExternalCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * docker/Dockerfile, built with FLAVOR=<overlay> as the overlay's image tag says, against that overlay: the backup
 * tool that can back its server up, found by the agent; the same JVM command line; the jar the build produces; no
 * root. (No Docker engine here: the file is read, not built.)
 */
class DockerImageTest {
    /** docs/architecture.md's compatibility matrix: server image -> the package whose backup tool can copy its data dir. */
    private static final Map<String, String> TOOL_PACKAGE = Map.of(
            "mariadb:10.11", "mariadb-backup",
            "mysql:5.7", "percona-xtrabackup-24",
            "mysql:8.0", "percona-xtrabackup-80",
            "mysql:8.4", "percona-xtrabackup-84");
    /** The program each of those packages puts on PATH. */
    private static final Map<String, Set<String>> PACKAGE_PROGRAMS = Map.of(
            "mariadb-backup", Set.of("mariadb-backup", "mariabackup"),
            "percona-xtrabackup-24", Set.of("xtrabackup"),
            "percona-xtrabackup-80", Set.of("xtrabackup"),
            "percona-xtrabackup-84", Set.of("xtrabackup"));
    private static final String UID = "999";

    static Stream<String> overlays() {
        return OverlayRenders.overlays();
    }

    private static Dockerfile dockerfile() throws IOException {
        return Dockerfile.read(OverlayRenders.TREE.dockerfile());
    }

    private static List<Dockerfile.Stage> imageOf(String overlay) throws IOException {
        return dockerfile().chain(Map.of("FLAVOR", overlay));
    }

    /** Overlays whose agents seed replicas with the CLONE plugin: the image carries no backup tool. */
    static boolean clonePlugin(String overlay) {
        try {
            RenderedManifests m = OverlayRenders.overlay(overlay);
            StatefulSet sts = m.statefulSet("mysql");
            return AgentCommandLine.of(sts.container("agent"), m.secretValues("mysql")).value("clone-method").equals("clone-plugin");
        } catch (Exception e) {
            throw new AssertionError(overlay + ": " + e.getMessage(), e);
        }
    }

    static Stream<String> toolOverlays() {
        return overlays().filter(o -> !clonePlugin(o));
    }

    static Stream<String> clonePluginOverlays() {
        return overlays().filter(DockerImageTest::clonePlugin);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clonePluginOverlays")
    void aClonePluginImageHasNoBackupToolAndBothAgentsUseThePlugin(String overlay) throws Exception {
        RenderedManifests m = OverlayRenders.overlay(overlay);
        StatefulSet sts = m.statefulSet("mysql");
        String server = sts.container("mysql").image();
        assertTrue(server.startsWith("mysql:8."), overlay + ": the CLONE plugin needs MySQL 8.0.17+, not " + server);
        List<String> packages = Dockerfile.aptPackages(imageOf(overlay));
        assertTrue(packages.stream().noneMatch(PACKAGE_PROGRAMS::containsKey), "FLAVOR=" + overlay + " installs a backup tool: " + packages);
        for (Container c : List.of(sts.initContainer("init"), sts.container("agent"))) {
            assertEquals("clone-plugin", AgentCommandLine.of(c, m.secretValues("mysql")).value("clone-method"), c.name());
        }
        for (String role : List.of("primary.cnf", "replica.cnf")) {
            assertTrue(m.configMapData("mysql").get(role).contains("plugin-load-add=mysql_clone.so"), role + " loads the plugin");
            assertTrue(m.configMapData("mysql").get(role).contains("gtid-mode=ON"), role + " runs with GTIDs");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("toolOverlays")
    void imageCarriesTheBackupToolOfTheOverlaysServerAndTheAgentFindsIt(String overlay) throws Exception {
        RenderedManifests m = OverlayRenders.overlay(overlay);
        StatefulSet sts = m.statefulSet("mysql");
        String server = sts.container("mysql").image();
        String wanted = TOOL_PACKAGE.get(server);
        assertTrue(wanted != null, "no backup tool known for " + server + ": extend the compatibility matrix");
        List<String> packages = Dockerfile.aptPackages(imageOf(overlay));
        assertTrue(packages.contains(wanted), "FLAVOR=" + overlay + " installs " + packages + ", not " + wanted);

        List<String> onPath = packages.stream().filter(PACKAGE_PROGRAMS::containsKey)
                .flatMap(p -> PACKAGE_PROGRAMS.get(p).stream()).toList();
        for (Container c : List.of(sts.initContainer("init"), sts.container("agent"))) {
            String choice = AgentCommandLine.of(c, m.secretValues("mysql")).value("backup-tool");
            String found = choice.equals("auto")
                    ? BackupTool.AUTO_ORDER.stream().filter(onPath::contains).findFirst().orElse("nothing")
                    : Path.of(choice).getFileName().toString();
            assertTrue(PACKAGE_PROGRAMS.get(wanted).contains(found), c.name() + ": --backup-tool " + choice + " finds "
                    + found + " in the image, but " + server + " needs " + PACKAGE_PROGRAMS.get(wanted));
        }
    }

    @Test
    void mariadbBackupIsTheDebian12PackageTheTestsRunAgainst() throws Exception {
        assertTrue(dockerfile().baseImage(Map.of("FLAVOR", "mariadb")).startsWith("debian:bookworm"),
                "Debian 12 (bookworm) ships mariadb-backup 10.11, the series of mariadb:10.11");
        Path dpkgQuery = Path.of("/usr/bin/dpkg-query");
        assumeTrue(Files.isExecutable(dpkgQuery), "not a Debian machine: the package's file list cannot be read");
        ExternalCommand dpkg = ExternalCommand.run(Path.of("."), List.of(dpkgQuery.toString(), "-L", "mariadb-backup"));
        String files = dpkg.output();
        assertEquals(0, dpkg.exitCode(), "mariadb-backup is not installed here (bin/setup-deps installs it): " + files);
        assertTrue(files.lines().anyMatch(f -> f.equals("/usr/bin/mariadb-backup")), files);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void entrypointIsTheManifestsJavaCommandAndServeIsTheDefault(String overlay) throws Exception {
        Dockerfile.Stage last = imageOf(overlay).get(0);
        List<String> entrypoint = YamlDocuments.parseStringList(last.last("ENTRYPOINT").orElseThrow(), "ENTRYPOINT");
        StatefulSet sts = OverlayRenders.overlay(overlay).statefulSet("mysql");
        assertEquals(entrypoint, sts.initContainer("init").command(), "JVM flags of the image and of init differ");
        assertEquals(entrypoint, sts.container("agent").command(), "JVM flags of the image and of the sidecar differ");
        assertEquals(List.of("serve"), YamlDocuments.parseStringList(last.last("CMD").orElseThrow(), "CMD"));
    }

    @Test
    void theImageTheBenchmarkAndTheLocalClusterRunTheSameJvmOptions() throws Exception {
        // docker/agent-jvm.options is the one list: the image's ENTRYPOINT (and so the manifests, checked above)
        // spell it out, bench/clone-bench.sh and the local cluster read it, so what is measured is what runs.
        Dockerfile.Stage last = dockerfile().stages().get(dockerfile().stages().size() - 1);
        List<String> entrypoint = YamlDocuments.parseStringList(last.last("ENTRYPOINT").orElseThrow(), "ENTRYPOINT");
        List<String> options = Files.readAllLines(OverlayRenders.TREE.resolve("docker/agent-jvm.options")).stream()
                .map(String::strip).filter(l -> !l.isEmpty()).toList();
        assertEquals(options, entrypoint.subList(1, entrypoint.indexOf("-jar")), "docker/agent-jvm.options vs ENTRYPOINT");
        for (String reader : List.of("bench/clone-bench.sh", "cluster/lib/settings.sh")) {
            assertTrue(Files.readString(OverlayRenders.TREE.resolve(reader)).contains("docker/agent-jvm.options"),
                    reader + " must take its default JVM options from docker/agent-jvm.options");
        }
    }

    @Test
    void aJava17StartsWithTheEntrypointsOptions() throws Exception {
        // A mistyped option (32mb for 32m) stops the JVM before main: both containers would crash-loop. The JVM
        // running the tests is a 17 (the project's release), like the images'.
        Dockerfile.Stage last = dockerfile().stages().get(dockerfile().stages().size() - 1);
        List<String> entrypoint = YamlDocuments.parseStringList(last.last("ENTRYPOINT").orElseThrow(), "ENTRYPOINT");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(entrypoint.subList(1, entrypoint.indexOf("-jar")));
        command.add("-version");
        ExternalCommand java = ExternalCommand.run(Path.of("."), command);
        assertEquals(0, java.exitCode(), command + "\n" + java.output());
    }

    @Test
    void imageHoldsTheJarTheBuildStageProduces() throws Exception {
        Dockerfile file = dockerfile();
        Dockerfile.Stage last = file.stages().get(file.stages().size() - 1);
        Dockerfile.Stage build = file.stage("build").orElseThrow(() -> new AssertionError("no build stage"));
        String workdir = build.last("WORKDIR").orElseThrow();
        assertTrue(build.arguments("RUN").stream().anyMatch(r -> r.contains("mvn") && r.contains("-pl agent -am package")));
        String builtJar = workdir + "/agent/target/agent.jar";
        String copy = last.arguments("COPY").stream().filter(c -> c.startsWith("--from=agent-jar ")).findFirst().orElseThrow();
        String[] parts = copy.split("\\s+");
        assertEquals(builtJar, parts[1], "the shaded jar of agent/pom.xml");
        assertTrue(Files.readString(OverlayRenders.TREE.resolve("agent/pom.xml")).contains("<finalName>agent</finalName>"));
        List<String> entrypoint = YamlDocuments.parseStringList(last.last("ENTRYPOINT").orElseThrow(), "ENTRYPOINT");
        assertEquals(parts[2], entrypoint.get(entrypoint.indexOf("-jar") + 1));

        List<String> ignored = Files.readAllLines(OverlayRenders.TREE.resolve(".dockerignore")).stream()
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        for (String source : build.arguments("COPY")) {
            String path = source.split("\\s+")[0];
            assertTrue(Files.exists(OverlayRenders.TREE.resolve(path)), "COPY " + path + ": no such file in the repository");
            assertFalse(ignored.stream().anyMatch(i -> path.equals(i) || path.startsWith(i + "/")), ".dockerignore drops " + path);
        }
    }

    @Test
    void aPrebuiltJarTakesTheBuildStagesPlaceAndIsTheOnlyFileOfTargetInTheContext() throws Exception {
        // AGENT_JAR=build|prebuilt picks the stage agent-jar continues from: both must hold the jar at one path.
        Dockerfile file = dockerfile();
        for (String choice : List.of("build", "prebuilt")) {
            List<Dockerfile.Stage> chain = file.chainOf("agent-jar", Map.of("AGENT_JAR", choice));
            assertEquals(choice, chain.get(chain.size() - 1).name(), "AGENT_JAR=" + choice + " builds " + chain);
        }
        assertEquals("build", file.globalArgs().get("AGENT_JAR"), "docker build without build args compiles the jar");
        Dockerfile.Stage prebuilt = file.stage("prebuilt").orElseThrow();
        assertEquals("scratch", prebuilt.from());
        assertEquals(List.of("agent/target/agent.jar /src/agent/target/agent.jar"), prebuilt.arguments("COPY"));
        assertEquals("/src", file.stage("build").orElseThrow().last("WORKDIR").orElseThrow());
        List<String> ignore = Files.readAllLines(OverlayRenders.TREE.resolve(".dockerignore")).stream()
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        // The exception must follow the pattern it excepts from: .dockerignore's last matching line wins.
        assertTrue(ignore.indexOf("!agent/target/agent.jar") > ignore.indexOf("**/target"), ignore.toString());
        assertEquals(1, ignore.stream().filter(l -> l.startsWith("!")).count(), "only the jar is let through: " + ignore);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void runsAsTheServersUidNotRoot(String overlay) throws Exception {
        List<Dockerfile.Stage> chain = imageOf(overlay);
        assertEquals(UID + ":" + UID, chain.get(0).last("USER").orElseThrow(() -> new AssertionError("runs as root")));
        assertEquals(Integer.parseInt(UID), OverlayRenders.overlay(overlay).statefulSet("mysql").container("agent")
                .securityContext().get("runAsUser"), "the manifests run the image as the same uid");
        // Base stage first: the user must exist before packages install, so that no package's system user takes 999.
        List<String> runs = new ArrayList<>();
        List<Dockerfile.Stage> baseFirst = new ArrayList<>(chain);
        Collections.reverse(baseFirst);
        baseFirst.forEach(s -> runs.addAll(s.arguments("RUN")));
        int useradd = indexOf(runs, "useradd --system --uid " + UID + " --gid " + UID);
        int install = indexOf(runs, "apt-get install");
        assertTrue(useradd >= 0, "no user " + UID + " is created: " + runs);
        assertTrue(install < 0 || useradd < install, "uid " + UID + " is created after packages are installed");
    }

    private static int indexOf(List<String> runs, String text) {
        for (int i = 0; i < runs.size(); i++) if (runs.get(i).contains(text)) return i;
        return -1;
    }
}
