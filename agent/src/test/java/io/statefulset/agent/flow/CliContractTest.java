package io.statefulset.agent.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statefulset.agent.cli.FlagCatalog;
import io.statefulset.agent.cli.FlagSpec;
import io.statefulset.agent.testing.LogCapture;
import io.statefulset.agent.testing.MariaDb;
import io.statefulset.agent.testing.MariaDbExtension;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The command-line contract of docs/architecture.md through {@code Main.run}: help, version, exit codes 0/1/2 with a message
 * saying why, and the {@code AGENT_*} env mirrors reaching both modes. (Flag parsing on its own is FlagsTest's.)
 */
class CliContractTest {
    @RegisterExtension
    final MariaDbExtension servers = new MariaDbExtension();

    private static Pod.Result run(Map<String, String> env, String... args) {
        return Pod.Result.of(List.of(args), env);
    }

    private static Pod.Result run(String... args) {
        return run(Map.of("PATH", System.getenv("PATH")), args);
    }

    @Test
    void helpListsEveryFlagWithItsEnvNameAndExitsZero() {
        Pod.Result help = run("--help");
        assertEquals(0, help.exitCode());
        assertTrue(help.out().contains("usage: java -jar agent.jar init|serve [flags]"), help.out());
        for (FlagSpec flag : FlagCatalog.ALL) {
            assertTrue(help.out().contains("--" + flag.name()), "--help lists --" + flag.name());
            assertTrue(help.out().contains("env " + flag.envName()), "--help names " + flag.envName());
        }
        assertEquals("", help.err());
    }

    @Test
    void modeHelpListsThatModesFlagsOnly() {
        for (String mode : List.of("init", "serve")) {
            Pod.Result help = run(mode, "--help");
            assertEquals(0, help.exitCode());
            List<String> expected = FlagCatalog.ALL.stream().filter(f -> f.modes().contains(mode)).map(FlagSpec::name).sorted().toList();
            assertEquals(expected, listedFlags(help.out()), mode + " --help:\n" + help.out());
        }
    }

    /** The flags a help text lists: its lines {@code "  --name ..."}. */
    private static List<String> listedFlags(String help) {
        return help.lines().filter(l -> l.startsWith("  --")).map(l -> l.substring(4).split("\\s+")[0]).sorted().toList();
    }

    @Test
    void noArgumentsPrintsTheUsageAndIsAUsageError() {
        Pod.Result none = run();
        assertEquals(2, none.exitCode());
        assertTrue(none.out().contains("usage: java -jar agent.jar"), none.out());
    }

    @Test
    void versionIsTheBuiltVersion() {
        Pod.Result version = run("--version");
        assertEquals(0, version.exitCode());
        assertTrue(version.out().strip().matches("mysql-statefulset-agent \\d+\\.\\d+\\.\\d+\\S*"), version.out());
    }

    @Test
    void unknownModeFlagsAndBadValuesAreUsageErrorsNamingTheCulprit() {
        Pod.Result mode = run("clone", "--donor", "x:1");
        assertEquals(2, mode.exitCode());
        assertTrue(mode.err().contains("unknown mode 'clone'"), mode.err());

        for (String m : List.of("init", "serve")) {
            Pod.Result flag = run(m, "--hostname", "mysql-1", "--no-such-flag", "1");
            assertEquals(2, flag.exitCode(), m);
            assertTrue(flag.err().startsWith("usage error:") && flag.err().contains("--no-such-flag"), m + ": " + flag.err());
        }
        Pod.Result otherMode = run("init", "--hostname", "mysql-1", "--listen", "0.0.0.0:3307");
        assertEquals(2, otherMode.exitCode());
        assertTrue(otherMode.err().contains("--listen"), otherMode.err());
        Pod.Result attempts = run("init", "--hostname", "mysql-1", "--clone-attempts", "0");
        assertEquals(2, attempts.exitCode());
        assertTrue(attempts.err().contains("--clone-attempts"), attempts.err());
        Pod.Result lag = run("serve", "--hostname", "mysql-1", "--max-lag", "soon");
        assertEquals(2, lag.exitCode());
        assertTrue(lag.err().contains("max-lag"), lag.err());
    }

    @Test
    void aHostnameWithoutOrdinalIsExitOneNamingItInBothModes() throws Exception {
        Pod pod = Pod.create("db-primary", servers);
        try (LogCapture logs = LogCapture.start()) {
            Pod.Result init = pod.init();
            assertEquals(1, init.exitCode());
            assertTrue(logs.text().contains("hostname 'db-primary' is not <statefulset>-<ordinal>"), logs.text());
        }
        assertEquals(List.of(), Files.list(pod.conf).toList(), "no config written for a pod without an identity");

        int port = MariaDb.freePort();
        Pod.Result serve = run(pod.env(), "serve", "--hostname", "db-primary", "--listen", "127.0.0.1:" + port);
        assertEquals(1, serve.exitCode());
        assertTrue(serve.err().contains("agent serve failed: hostname 'db-primary' is not <statefulset>-<ordinal>"), serve.err());
        try (ServerSocket free = new ServerSocket(port)) {
            assertEquals(port, free.getLocalPort(), "serve bound nothing before it gave up");
        }
    }

    @Test
    void initTakesEveryFlagFromItsEnvMirrorAndFlagsWin() throws Exception {
        Pod pod = Pod.create("unused-0", servers);
        Map<String, String> env = new HashMap<>(pod.env());
        env.put("HOSTNAME", "mysql-0");
        env.put("AGENT_CONFIG_MAP_DIR", pod.configMap.toString());
        env.put("AGENT_CONF_DIR", pod.conf.toString());
        env.put("AGENT_DATA_DIR", pod.data.toString());
        env.put("AGENT_SERVER_ID_OFFSET", "200");
        env.put("AGENT_SERVICE", "db");
        assertEquals(0, run(env, "init").exitCode());
        assertEquals("[mysqld]\nserver-id=200\nreport_host=mysql-0.db\n", Files.readString(pod.conf.resolve("server-id.cnf")));
        assertEquals(Pod.PRIMARY_CNF, Files.readString(pod.conf.resolve("primary.cnf")));

        // AGENT_HOSTNAME beats the pod's HOSTNAME, a flag beats AGENT_*. A prepared clone needs no donor.
        Files.createDirectories(pod.data.resolve("mysql"));
        Files.writeString(pod.data.resolve("xtrabackup_checkpoints"), "backup_type = log-applied\n");
        env.put("AGENT_HOSTNAME", "mysql-2");
        assertEquals(0, run(env, "init", "--server-id-offset", "300").exitCode());
        assertEquals("[mysqld]\nserver-id=302\nreport_host=mysql-2.db\n", Files.readString(pod.conf.resolve("server-id.cnf")));
        assertEquals(Pod.REPLICA_CNF, Files.readString(pod.conf.resolve("replica.cnf")));
    }

    @Test
    void serveTakesEveryFlagFromItsEnvMirror() throws Exception {
        MariaDb db = servers.start(100);
        Pod pod = Pod.create("mysql-0", servers);
        Path token = pod.base.resolve("token");
        Files.writeString(token, "env-t0ken\n");
        int port = MariaDb.freePort();
        Map<String, String> env = new HashMap<>(pod.env());
        env.put("AGENT_HOSTNAME", "mysql-0");
        env.put("AGENT_LISTEN", "127.0.0.1:" + port);
        env.put("AGENT_MYSQL_PORT", Integer.toString(db.port()));
        env.put("AGENT_DATA_DIR", db.dataDir().toString());
        env.put("AGENT_TOKEN_FILE", token.toString());
        env.put("AGENT_MYSQL_WAIT", "20s");
        try (InProcessServe serve = InProcessServe.startWithArgs(port, env, new ArrayList<>())) {
            serve.awaitStatus("/healthz", 200, InProcessServe.START);
            assertEquals(401, serve.get("/backup").statusCode(), "AGENT_TOKEN_FILE applies");
            assertEquals(200, serve.get("/readyz").statusCode(), "AGENT_HOSTNAME mysql-0: a primary, ready while mysqld answers");
            assertEquals(0, serve.stop());
        }
    }
}
