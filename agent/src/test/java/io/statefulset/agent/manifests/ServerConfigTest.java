package io.statefulset.agent.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statefulset.agent.config.MysqldConfig;
import io.statefulset.agent.common.identity.PodIdentity;
import io.statefulset.agent.testing.ExternalCommand;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The role configs of the ConfigMap do what the tutorial's do, for each server: the primary writes a binlog, a
 * replica refuses writes. For MariaDB the real init code builds the conf dir from the rendered ConfigMap and the real
 * mariadbd reads it: it refuses unknown options (such as MySQL's super-read-only) and prints the values it would run
 * with. MySQL's configs are compared with the tutorial's.
 */
class ServerConfigTest {
    static Stream<String> mariadbOverlays() {
        return OverlayRenders.overlays().filter(ServerConfigTest::isMariaDb);
    }

    static Stream<String> mysqlOverlays() {
        return OverlayRenders.overlays().filter(o -> !isMariaDb(o) && !DockerImageTest.clonePlugin(o));
    }

    static Stream<String> clonePluginOverlays() {
        return OverlayRenders.overlays().filter(DockerImageTest::clonePlugin);
    }

    private static boolean isMariaDb(String overlay) {
        String image = OverlayRenders.overlay(overlay).statefulSet("mysql").container("mysql").image();
        return ImageReference.parse(image).name().equals("mariadb");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mariadbOverlays")
    void mariadbdRunsTheConfDirInitBuildsPrimaryWithBinlogReplicaReadOnly(String overlay, @TempDir Path dir)
            throws Exception {
        Map<String, String> primary = effectiveOptions(overlay, "mysql-0", dir.resolve("mysql-0"));
        Map<String, String> replica = effectiveOptions(overlay, "mysql-1", dir.resolve("mysql-1"));
        assertEquals("100", primary.get("server-id"));
        assertEquals("101", replica.get("server-id"));
        assertEquals("mysql-1.mysql", replica.get("report-host"));
        assertTrue(binlogEnabled(primary.get("log-bin")), "primary without a binlog: " + primary.get("log-bin"));
        assertEquals("FALSE", primary.get("read-only"), "the primary takes the writes");
        assertEquals("TRUE", replica.get("read-only"), "replica must refuse writes");
        assertFalse(binlogEnabled(replica.get("log-bin")), "as in the tutorial, only the primary writes a binlog");
        // Every pod donates clones: its redo log must hold the writes during a backup (README, write load).
        assertEquals(SHIPPED_REDO_BYTES, primary.get("innodb-log-file-size"));
        assertEquals(SHIPPED_REDO_BYTES, replica.get("innodb-log-file-size"));
    }

    /** 256 MiB: the redo size README's write-load section documents. */
    static final String SHIPPED_REDO_BYTES = Long.toString(256L << 20);

    @ParameterizedTest(name = "{0}")
    @MethodSource("mysqlOverlays")
    void mysqlRoleConfigsAreTheTutorialsWithARedoLogForClonesUnderLoad(String overlay) {
        Map<String, String> cnf = OverlayRenders.overlay(overlay).configMapData("mysql");
        // Bare log-bin, as in the tutorial: a migrated primary keeps writing <hostname>-bin.* that its replicas follow.
        // Plus the redo size for clones under write load (MySQL 8.0.30+ derives innodb_redo_log_capacity from it).
        assertEquals(List.of("log-bin", "innodb_log_file_size=256M"), mysqldOptions(cnf.get(MysqldConfig.PRIMARY_CNF)));
        assertEquals(List.of("super-read-only", "innodb_log_file_size=256M"), mysqldOptions(cnf.get(MysqldConfig.REPLICA_CNF)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clonePluginOverlays")
    void clonePluginRoleConfigsAreTheTutorialsWithGtidsAndThePlugin(String overlay) {
        Map<String, String> cnf = OverlayRenders.overlay(overlay).configMapData("mysql");
        List<String> clone = List.of("gtid-mode=ON", "enforce-gtid-consistency=ON", "plugin-load-add=mysql_clone.so");
        List<String> primary = new ArrayList<>(List.of("log-bin"));
        primary.addAll(clone);
        List<String> replica = new ArrayList<>(List.of("super-read-only"));
        replica.addAll(clone);
        assertEquals(primary, mysqldOptions(cnf.get(MysqldConfig.PRIMARY_CNF)));
        assertEquals(replica, mysqldOptions(cnf.get(MysqldConfig.REPLICA_CNF)));
    }

    private static boolean binlogEnabled(String logBin) {
        return logBin != null && !logBin.equals("(No default value)");
    }

    /** The [mysqld] options of a cnf file, comments dropped. */
    private static List<String> mysqldOptions(String cnf) {
        String section = "";
        List<String> options = new ArrayList<>();
        for (String line : cnf.split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) continue;
            if (l.startsWith("[")) section = l;
            else if (section.equals("[mysqld]")) options.add(l);
        }
        return options;
    }

    /**
     * What mariadbd would run with in pod {@code pod}: the real init code ({@link MysqldConfig}, with the init
     * container's flags) copies the rendered ConfigMap into a conf dir, which is included the way the server image's
     * my.cnf includes /etc/mysql/conf.d.
     */
    private static Map<String, String> effectiveOptions(String overlay, String pod, Path dir) throws Exception {
        RenderedManifests m = OverlayRenders.overlay(overlay);
        AgentCommandLine init = AgentCommandLine.of(m.statefulSet("mysql").initContainer("init"), m.secretValues("mysql"));
        Path configMap = Files.createDirectories(dir.resolve("config-map"));
        for (Map.Entry<String, String> file : m.configMapData("mysql").entrySet()) {
            Files.writeString(configMap.resolve(file.getKey()), file.getValue());
        }
        Path confD = dir.resolve("conf.d");
        new MysqldConfig(configMap, confD).apply(PodIdentity.fromHostname(pod, init.value("service")),
                Integer.parseInt(init.value("server-id-offset")));
        Path myCnf = Files.writeString(dir.resolve("my.cnf"), "!includedir " + confD + "\n");
        Path out = dir.resolve("help.txt");
        Process p = new ProcessBuilder(ExternalCommand.program("mariadbd").toString(), "--defaults-file=" + myCnf, "--user=" + System.getProperty("user.name"),
                "--datadir=" + dir, "--help", "--verbose").redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "mariadbd --help did not finish");
        String text = Files.readString(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "mariadbd refuses the conf dir of " + pod + ":\n" + text);
        Map<String, String> values = new TreeMap<>();
        Matcher matcher = Pattern.compile("(?m)^([a-z][a-z0-9-]*)\\s+(\\S.*)$").matcher(text);
        while (matcher.find()) values.put(matcher.group(1), matcher.group(2).strip());
        return values;
    }

}
