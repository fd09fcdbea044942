package io.statefulset.agent.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
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
 * replica refuses writes. MariaDB's are checked by the real mariadbd, which refuses unknown options (such as
 * MySQL's super-read-only) and prints the values it would run with.
 */
class ServerConfigTest {
    static Stream<String> mariadbOverlays() {
        return OverlayRenders.overlays().filter(ServerConfigTest::isMariaDb);
    }

    static Stream<String> mysqlOverlays() {
        return OverlayRenders.overlays().filter(o -> !isMariaDb(o));
    }

    private static boolean isMariaDb(String overlay) {
        String image = OverlayRenders.overlay(overlay).statefulSet("mysql").container("mysql").image();
        return ImageReference.parse(image).name().equals("mariadb");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mariadbOverlays")
    void mariadbdAcceptsTheRoleConfigsAndRunsPrimaryWithBinlogAndReplicaReadOnly(String overlay, @TempDir Path dir)
            throws Exception {
        Map<String, String> cnf = OverlayRenders.overlay(overlay).configMapData("mysql");
        Map<String, String> primary = effectiveOptions(dir.resolve("primary"), cnf.get("primary.cnf"));
        Map<String, String> replica = effectiveOptions(dir.resolve("replica"), cnf.get("replica.cnf"));
        assertTrue(binlogEnabled(primary.get("log-bin")), "primary without a binlog: " + primary.get("log-bin"));
        assertEquals("TRUE", replica.get("read-only"), "replica must refuse writes");
        assertEquals("FALSE", primary.get("read-only"), "the primary takes the writes");
        assertTrue(!binlogEnabled(replica.get("log-bin")), "as in the tutorial, only the primary writes a binlog");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mysqlOverlays")
    void mysqlRoleConfigsAreTheTutorials(String overlay) {
        Map<String, String> cnf = OverlayRenders.overlay(overlay).configMapData("mysql");
        // Bare log-bin, as in the tutorial: a migrated primary keeps writing <hostname>-bin.* that its replicas follow.
        assertEquals(List.of("log-bin"), mysqldOptions(cnf.get("primary.cnf")));
        assertEquals(List.of("super-read-only"), mysqldOptions(cnf.get("replica.cnf")));
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
     * What mariadbd would run with, given the conf dir the init container builds (server-id.cnf + one role cnf)
     * included the way the server image's my.cnf includes /etc/mysql/conf.d.
     */
    private static Map<String, String> effectiveOptions(Path dir, String roleCnf) throws IOException, InterruptedException {
        Path confD = Files.createDirectories(dir.resolve("conf.d"));
        Files.writeString(confD.resolve("server-id.cnf"), "[mysqld]\nserver-id=101\n");
        Files.writeString(confD.resolve("role.cnf"), roleCnf);
        Path myCnf = Files.writeString(dir.resolve("my.cnf"), "!includedir " + confD + "\n");
        Path out = dir.resolve("help.txt");
        Process p = new ProcessBuilder(mariadbd(), "--defaults-file=" + myCnf, "--user=" + System.getProperty("user.name"),
                "--datadir=" + dir, "--help", "--verbose").redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "mariadbd --help did not finish");
        String text = Files.readString(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "mariadbd refuses this config:\n" + roleCnf + "\n" + text);
        Map<String, String> values = new TreeMap<>();
        Matcher m = Pattern.compile("(?m)^([a-z][a-z0-9-]*)\\s+(\\S.*)$").matcher(text);
        while (m.find()) values.put(m.group(1), m.group(2).strip());
        assertEquals("101", values.get("server-id"), "the conf dir was not read");
        return values;
    }

    /** Debian installs mariadbd in /usr/sbin, which is not on every user's PATH. */
    private static String mariadbd() {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin";
        Optional<Path> found = Stream.of(path.split(":")).filter(d -> !d.isEmpty()).map(d -> Path.of(d, "mariadbd"))
                .filter(Files::isExecutable).findFirst();
        return found.orElseThrow(() -> new AssertionError("mariadbd not found: run bin/setup-deps")).toString();
    }
}
