package io.statefulset.agent.flow;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statefulset.agent.clone.SeedNote;
import io.statefulset.agent.config.RebuildFence;
import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.testing.DatabaseServer;
import io.statefulset.agent.testing.DatabaseServerExtension;
import io.statefulset.agent.testing.LogCapture;
import io.statefulset.agent.testing.ServerFlavor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * serve seeding real MySQL 8.0.33 replicas with the CLONE plugin, then replicating by GTID; and the ways a clone
 * goes wrong: a refused donor, the donor killed mid-clone, the recipient's mysqld killed mid-clone, the agent
 * killed mid-clone. mysqld runs unsupervised, as in a container: after the clone it exits (error 3707), and
 * {@link Kubelet} starts it again. (The supervised restart, exit 16, runs in the local cluster's mysql80 flavor.)
 */
@Tag("slow")
class ClonePluginFlowTest {
    @RegisterExtension
    static final DatabaseServerExtension servers = new DatabaseServerExtension(ServerFlavor.MYSQL_8_0);

    /** What a pod's config gives every MySQL server: the plugin, and performance_schema for its status tables. */
    static final String[] CLONE_READY = {"--performance-schema=ON", "--plugin-load-add=mysql_clone.so"};
    static final Duration CLONED = Duration.ofSeconds(150);
    static final String CLONE_USER = "cloner";
    static final Map<String, String> ENV = Map.of("AGENT_CLONE_PASSWORD", "clone-secret");
    /** The donor's pace through a {@link ShapedLink} while the test waits to kill something: ~100 MB take ~25 s. */
    static final long SLOW = 4L << 20;

    static DatabaseServer primary;
    static String tableChecksum;

    private final List<Kubelet> kubelets = new ArrayList<>();
    private final List<AutoCloseable> agents = new ArrayList<>();

    /** A primary with ~16 MB of rows, and the clone account that serve on the primary creates. */
    @BeforeAll
    static void primary() throws Exception {
        primary = servers.start(1, CLONE_READY);
        primary.execute("CREATE DATABASE app", "CREATE TABLE app.t (id INT AUTO_INCREMENT PRIMARY KEY, pad VARCHAR(1000))",
                "INSERT INTO app.t (pad) VALUES (REPEAT('x', 1000))");
        for (int i = 0; i < 14; i++) primary.execute("INSERT INTO app.t (pad) SELECT REPEAT(MD5(RAND()), 30) FROM app.t");
        // A fence an earlier rebuild left in the conf dir (no rebuild note now) goes, or the next mysqld start would
        // listen on 127.0.0.1 only, out of its replicas' reach.
        RebuildFence stale = RebuildFence.of(servers.tempDir("primary-conf-"), primary.dataDir());
        stale.raise();
        try (LogCapture logs = LogCapture.start();
             InProcessServe serve = InProcessServe.start(DatabaseServer.freePort(), ENV, "--hostname", "mysql-0",
                     "--data-dir", primary.dataDir().toString(), "--mysql-port", String.valueOf(primary.port()),
                     "--clone-user", CLONE_USER, "--conf-dir", stale.path().getParent().toString())) {
            logs.awaitLine("clone plugin accounts: created '" + CLONE_USER + "'@'%', granted BACKUP_ADMIN", Duration.ofSeconds(60));
            assertTrue(logs.text().contains("removed " + stale.path() + " (no rebuild of the primary is pending)"), logs.text());
            serve.stop();
        }
        assertFalse(stale.present());
        assertTrue(primary.query("SHOW GRANTS FOR 'cloner'@'%'").stream().anyMatch(g -> g.contains("BACKUP_ADMIN")));
        tableChecksum = primary.checksum("app.t");
    }

    @AfterEach
    void stopAll() throws Exception {
        for (AutoCloseable a : agents) a.close();
        for (Kubelet k : kubelets) k.close();
    }

    @Test
    void aFreshReplicaIsClonedRestartedAndReplicatesByGtid() throws Exception {
        DatabaseServer replica = servers.start(2, replicaArgs());
        kubelet(replica);
        try (LogCapture logs = LogCapture.start()) {
            InProcessServe serve = serve(replica, "mysql-1", "--clone-require-ssl", "true");
            assertNotEquals(200, serve.status("/readyz").orElse(0), "ready before the clone was done");
            serve.awaitStatus("/readyz", 200, CLONED);
            logs.awaitLine("replication setup: CONFIGURED: GTID (as restored) from performance_schema.clone_status", CLONED);
            assertTrue(logs.text().contains("error 3707: not supervised"), "the unsupervised server shut down to finish the clone");
            assertTrue(logs.text().contains("clone done: cloned "), logs.text());
            assertTrue(logs.text().contains("with the CLONE plugin as 'cloner', REQUIRE SSL"), "the clone ran over TLS (REQUIRE SSL)");
            assertEquals(tableChecksum, replica.checksum("app.t"));
            assertEquals(1.0, serve.metric("mysql_agent_clones_total{status=\"success\"}").orElseThrow());
            assertEquals(0.0, serve.metric("mysql_agent_clone_in_progress").orElseThrow());

            primary.execute("INSERT INTO app.t (pad) VALUES ('after the clone')");
            await("the row written after the clone to reach the replica").atMost(Duration.ofSeconds(30)).ignoreExceptionsInstanceOf(Exception.class).until(() -> replica.queryOne("SELECT COUNT(*) FROM app.t WHERE pad = 'after the clone'").equals("1"));
            assertEquals("1", replica.queryOne("SELECT Auto_Position FROM performance_schema.replication_connection_configuration"));

            // A restarted agent finds the marker: no second clone, no second setup.
            serve.stop();
            InProcessServe again = serve(replica, "mysql-1");
            logs.awaitLine("replication setup: ALREADY_CONFIGURED", Duration.ofSeconds(60));
            again.awaitStatus("/readyz", 200, Duration.ofSeconds(30));
            assertEquals(1, logs.count("cloning root@"), "one CLONE statement in all");
        } finally {
            primary.execute("DELETE FROM app.t WHERE pad = 'after the clone'");
        }
    }

    /**
     * init in {@code auto} asks the donor's /status; a MySQL 8.0 donor with the plugin and no backup tool offers
     * CLONE, so init writes the hand-over note and leaves the data dir to mysqld --initialize, and serve in
     * {@code auto} clones from the donor the note names.
     */
    @Test
    void initInAutoAsksTheDonorAndHandsTheEmptyDataDirToServesClone() throws Exception {
        int donorAgent = DatabaseServer.freePort();
        agents.add(InProcessServe.start(donorAgent, ENV, "--hostname", "mysql-0", "--data-dir", primary.dataDir().toString(),
                "--mysql-port", String.valueOf(primary.port()), "--clone-user", CLONE_USER, "--backup-tool", "xtrabackup"));
        Path base = servers.tempDir("auto-init-");
        Path data = Files.createDirectories(base.resolve("data"));
        Path configMap = Files.createDirectories(base.resolve("config-map"));
        Files.writeString(configMap.resolve("primary.cnf"), "[mysqld]\nlog-bin=mysql-bin\n");
        Files.writeString(configMap.resolve("replica.cnf"), "[mysqld]\nsuper-read-only=1\n");
        try (LogCapture logs = LogCapture.start()) {
            Pod.Result init = Pod.Result.of(List.of("init", "--hostname", "mysql-1", "--config-map-dir", configMap.toString(),
                    "--conf-dir", Files.createDirectories(base.resolve("conf.d")).toString(), "--data-dir", data.toString(),
                    "--donor", "127.0.0.1:" + donorAgent, "--donor-wait", "10s", "--clone-attempts", "1"), Map.of());
            assertEquals(0, init.exitCode(), logs.text());
            String chosen = logs.text().lines().filter(l -> l.contains("seeding method: ")).findFirst().orElseThrow();
            assertTrue(chosen.contains("seeding method: clone-plugin from 127.0.0.1:" + primary.port()) && chosen.contains("backup tool no"),
                    chosen);
        }
        try (var entries = Files.list(data)) {
            assertEquals(List.of(".agent-seed-by-clone"), entries.map(e -> e.getFileName().toString()).toList(),
                    "nothing but the note: mysqld initialises the data dir");
        }
        // The mysql container's first boot: --initialize accepts the data dir with the dot-file note in it.
        DatabaseServer replica = DatabaseServer.fresh(ServerFlavor.MYSQL_8_0, base, 9, replicaArgs());
        try {
            kubelet(replica);
            try (LogCapture logs = LogCapture.start()) {
                int port = DatabaseServer.freePort();
                agents.add(InProcessServe.start(port, ENV, "--hostname", "mysql-1", "--data-dir", data.toString(),
                        "--mysql-port", String.valueOf(replica.port()), "--source-host", "127.0.0.1", "--source-port",
                        String.valueOf(primary.port()), "--clone-user", CLONE_USER, "--progress-interval", "1s"));
                logs.awaitLine("replication setup: CONFIGURED: GTID (as restored) from performance_schema.clone_status", CLONED);
                assertTrue(logs.text().contains("init handed this server over for a CLONE"), logs.text());
                assertTrue(logs.text().contains("cloning root@127.0.0.1:" + replica.port() + " from 127.0.0.1:" + primary.port()), logs.text());
                assertFalse(Files.exists(data.resolve(".agent-seed-by-clone")), "the note is removed once the clone completed");
                assertEquals(tableChecksum, replica.checksum("app.t"));
                primary.execute("INSERT INTO app.t (pad) VALUES ('after the auto clone')");
                await("the row written after the clone to reach the replica").atMost(Duration.ofSeconds(30))
                        .ignoreExceptionsInstanceOf(Exception.class)
                        .until(() -> replica.queryOne("SELECT COUNT(*) FROM app.t WHERE pad = 'after the auto clone'").equals("1"));
            }
        } finally {
            for (Kubelet k : kubelets) k.close();
            kubelets.clear();
            replica.close();
            primary.execute("DELETE FROM app.t WHERE pad = 'after the auto clone'");
        }
    }

    /** The recipient side, which init cannot see: a handed-over replica whose server cannot clone fails loudly. */
    @Test
    void aHandedOverReplicaWithoutThePluginFailsNamingTheFixAndNeverReplicates() throws Exception {
        DatabaseServer replica = servers.start(10, "--performance-schema=ON");
        new SeedNote(SeedNote.Purpose.REPLICA,
                new HostPort("127.0.0.1", primary.port())).write(replica.dataDir());
        try (LogCapture logs = LogCapture.start()) {
            InProcessServe serve = InProcessServe.launch(DatabaseServer.freePort(), ENV, "--hostname", "mysql-1",
                    "--data-dir", replica.dataDir().toString(), "--mysql-port", String.valueOf(replica.port()),
                    "--source-host", "127.0.0.1", "--source-port", String.valueOf(primary.port()), "--clone-user", CLONE_USER);
            agents.add(serve);
            assertEquals(1, serve.awaitExit(Duration.ofSeconds(60)), logs.text());
            String failure = logs.text().lines().filter(l -> l.contains("replication setup failed")).findFirst().orElseThrow();
            assertTrue(failure.contains("init chose the CLONE plugin") && failure.contains("has no active CLONE plugin: add"
                    + " plugin-load-add=mysql_clone.so"), failure);
        }
        assertEquals(List.of(), replica.query("SELECT HOST FROM performance_schema.replication_connection_configuration"),
                "no replication on the empty server");
        assertTrue(Files.exists(replica.dataDir().resolve(".agent-seed-by-clone")), "the note stays until a clone completes");
    }

    /**
     * A primary rebuilt by CLONE is fenced to 127.0.0.1 by init until the clone; a serve that cannot reach init's
     * conf dir could not lift the fence, and the cloned primary would come back unreachable for its replicas.
     */
    @Test
    void aRebuildWhoseFenceServeCannotLiftIsRefusedBeforeAnyClone() throws Exception {
        DatabaseServer rebuilt = servers.start(11, CLONE_READY);
        new SeedNote(SeedNote.Purpose.REBUILD_PRIMARY, new HostPort("127.0.0.1", primary.port())).write(rebuilt.dataDir());
        Path elsewhere = servers.tempDir("not-the-conf-dir-");
        try (LogCapture logs = LogCapture.start()) {
            InProcessServe serve = InProcessServe.launch(DatabaseServer.freePort(), ENV, "--hostname", "mysql-0",
                    "--data-dir", rebuilt.dataDir().toString(), "--mysql-port", String.valueOf(rebuilt.port()),
                    "--conf-dir", elsewhere.toString(), "--clone-user", CLONE_USER);
            agents.add(serve);
            assertEquals(1, serve.awaitExit(Duration.ofSeconds(60)), logs.text());
            String failure = logs.text().lines().filter(l -> l.contains("replication setup failed")).findFirst().orElseThrow();
            assertTrue(failure.contains("--conf-dir " + elsewhere + " holds no server-id.cnf: mount the pod's conf volume"), failure);
            assertEquals(0, logs.count("cloning root@"), "no CLONE statement");
        }
        assertEquals("0", rebuilt.queryOne("SELECT COUNT(*) FROM performance_schema.clone_status"), "never cloned");
        assertTrue(Files.exists(rebuilt.dataDir().resolve(SeedNote.FILE)), "the note stays for the next serve");
    }

    @Test
    void refusedDonorsGetOneLineNamingTheDonorAndTheFixAndTheReplicaIsUntouched() throws Exception {
        DatabaseServer replica = servers.start(3, replicaArgs());
        DatabaseServer noPlugin = servers.start(4, "--performance-schema=ON");
        DatabaseServer mariadb = servers.start(ServerFlavor.MARIADB_10_11, 5);
        // The account exists on both, so that what is refused is the server, not the login.
        noPlugin.execute("CREATE USER cloner@'%' IDENTIFIED BY 'clone-secret'", "GRANT BACKUP_ADMIN ON *.* TO cloner@'%'");
        mariadb.execute("CREATE USER cloner@'%' IDENTIFIED BY 'clone-secret'");
        record Case(String donor, Map<String, String> env, String expected) {}
        List<Case> cases = List.of(
                new Case("127.0.0.1:" + primary.port(), Map.of("AGENT_CLONE_PASSWORD", "wrong"), "refused the clone user 'cloner'"),
                new Case("127.0.0.1:" + noPlugin.port(), ENV, "has no active CLONE plugin (not installed): add plugin-load-add=mysql_clone.so"),
                new Case("127.0.0.1:" + mariadb.port(), ENV, "the CLONE plugin needs MySQL 8.0.17 or later on both sides"));
        for (Case c : cases) {
            try (LogCapture logs = LogCapture.start()) {
                // launch, not start: serve may exit 1 before its port ever answers.
                InProcessServe serve = InProcessServe.launch(DatabaseServer.freePort(), c.env(), "--hostname", "mysql-1",
                        "--data-dir", replica.dataDir().toString(), "--mysql-port", String.valueOf(replica.port()),
                        "--clone-method", "clone-plugin", "--clone-donor", c.donor(), "--clone-user", CLONE_USER,
                        "--clone-attempts", "1", "--donor-wait", "5s");
                agents.add(serve);
                assertEquals(1, serve.awaitExit(Duration.ofSeconds(60)), logs.text());
                String failure = logs.text().lines().filter(l -> l.contains("replication setup failed")).findFirst().orElseThrow();
                assertTrue(failure.contains(c.expected()) && failure.contains(c.donor()), failure);
                assertFalse(failure.contains("clone-secret"), "no password in the log");
            }
        }
        assertEquals(List.of(), replica.query("SELECT STATE FROM performance_schema.clone_status"), "no clone was started");
        assertEquals("0", replica.queryOne("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'app'"));
    }

    @Test
    void aDonorKilledMidCloneIsRetriedAndOnlyTheCompleteCloneReplicates() throws Exception {
        DatabaseServer replica = servers.start(6, replicaArgs());
        kubelet(replica);
        try (LogCapture logs = LogCapture.start(); ShapedLink link = new ShapedLink(primary.port(), SLOW)) {
            // A cap far above the link's pace: set on the recipient, and no brake on the retry.
            InProcessServe serve = serve(replica, "mysql-1", link.port(), "--clone-max-network-bandwidth", "900");
            awaitCloneCopying(replica);
            assertEquals("900", replica.queryOne("SELECT @@GLOBAL.clone_max_network_bandwidth"), "the cap is set on the recipient");
            primary.kill();
            link.unthrottle();
            primary.start();
            serve.awaitStatus("/readyz", 200, CLONED);
            String text = logs.text();
            assertTrue(text.lines().anyMatch(l -> l.contains("clone from 127.0.0.1:" + link.port() + " failed [clone-plugin]: error ")), text);
            assertEquals(tableChecksum, replica.checksum("app.t"));
            assertEquals(1.0, serve.metric("mysql_agent_clones_total{status=\"failed\"}").orElseThrow());
            assertEquals(1.0, serve.metric("mysql_agent_clones_total{status=\"success\"}").orElseThrow());
        }
    }

    @Test
    void aRecipientKilledMidCloneComesBackWithItsOwnDataAndIsClonedAgain() throws Exception {
        DatabaseServer replica = servers.start(7, replicaArgs());
        Kubelet kubelet = kubelet(replica);
        try (LogCapture logs = LogCapture.start(); ShapedLink link = new ShapedLink(primary.port(), SLOW)) {
            InProcessServe serve = serve(replica, "mysql-1", link.port());
            awaitCloneCopying(replica);
            kubelet.kill();
            link.unthrottle();
            serve.awaitStatus("/readyz", 200, CLONED);
            assertTrue(logs.text().contains("the clone did not complete: mysqld root@127.0.0.1:" + replica.port()
                    + " came back with clone_status In Progress"), logs.text());
            assertEquals(tableChecksum, replica.checksum("app.t"));
            assertEquals(2, logs.count("cloning root@"), "cloned again after the failed attempt");
        }
    }

    @Test
    void anAgentKilledMidCloneLeavesTheCloneToTheServerAndTheNextAgentPicksUp() throws Exception {
        DatabaseServer replica = servers.start(8, replicaArgs());
        kubelet(replica);
        Path log = servers.tempDir("killed-agent-").resolve("serve.log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.statefulset.agent.cli.Main"));
        try (ShapedLink link = new ShapedLink(primary.port(), SLOW)) {
            cmd.addAll(serveArgs(replica, "mysql-1", link.port()));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().putAll(ENV);
            Process agent = pb.start();
            try {
                awaitCloneCopying(replica);
            } finally {
                agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            assertTrue(Files.readString(log).contains("cloning root@"), Files.readString(log));
            try (LogCapture logs = LogCapture.start()) {
                InProcessServe serve = serve(replica, "mysql-1", link.port());
                // Still throttled: the clone the killed agent started is running when this agent looks.
                logs.awaitLine("is already running in root@127.0.0.1:" + replica.port(), Duration.ofSeconds(60));
                link.unthrottle();
                serve.awaitStatus("/readyz", 200, CLONED);
                logs.awaitLine("replication setup: CONFIGURED", CLONED);
                assertEquals(0, logs.count("cloning root@"), "the second agent did not start a clone of its own");
                assertEquals(tableChecksum, replica.checksum("app.t"));
            }
        }
    }

    private static String[] replicaArgs() {
        List<String> args = new ArrayList<>(List.of(CLONE_READY));
        args.add("--super-read-only=ON"); // as replica.cnf has it: serve lifts it for the CLONE, the restart restores it
        return args.toArray(String[]::new);
    }

    private static List<String> serveArgs(DatabaseServer replica, String hostname, int donorPort, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("serve", "--listen", "127.0.0.1:" + DatabaseServer.freePort(),
                "--hostname", hostname, "--data-dir", replica.dataDir().toString(), "--mysql-port", String.valueOf(replica.port()),
                "--source-host", "127.0.0.1", "--source-port", String.valueOf(primary.port()), "--clone-method", "clone-plugin",
                "--clone-donor", "127.0.0.1:" + donorPort, "--clone-user", CLONE_USER, "--progress-interval", "1s"));
        args.addAll(List.of(extra));
        return args;
    }

    private InProcessServe serve(DatabaseServer replica, String hostname, String... extra) throws Exception {
        return serve(replica, hostname, primary.port(), extra);
    }

    private InProcessServe serve(DatabaseServer replica, String hostname, int donorPort, String... extra) throws Exception {
        List<String> args = serveArgs(replica, hostname, donorPort, extra);
        int port = Integer.parseInt(args.get(2).substring(args.get(2).lastIndexOf(':') + 1));
        InProcessServe serve = InProcessServe.startWithArgs(port, ENV, args.subList(1, args.size()));
        agents.add(serve);
        return serve;
    }

    private Kubelet kubelet(DatabaseServer db) {
        Kubelet k = new Kubelet(db);
        kubelets.add(k);
        return k;
    }

    /** The clone is in its file copy and has moved data: the moment to kill something. */
    private static void awaitCloneCopying(DatabaseServer replica) throws Exception {
        await("the clone into port " + replica.port() + " to copy data").atMost(Duration.ofSeconds(60)).ignoreExceptionsInstanceOf(Exception.class).until(() -> !replica
                .query("SELECT STAGE FROM performance_schema.clone_progress WHERE STATE = 'In Progress' AND STAGE = 'FILE COPY'"
                        + " AND DATA > 0").isEmpty());
    }

    /**
     * The container runtime for a replica's mysqld: whenever the server has exited (3707 after a clone, or killed),
     * it is started again on the same data dir and port, as the kubelet restarts a container.
     */
    static final class Kubelet implements AutoCloseable {
        private final DatabaseServer db;
        private final Thread thread;
        private volatile boolean running = true;

        Kubelet(DatabaseServer db) {
            this.db = db;
            thread = new Thread(this::watch, "kubelet-" + db.port());
            thread.setDaemon(true);
            thread.start();
        }

        private void watch() {
            while (running) {
                try {
                    synchronized (this) {
                        if (running && !db.isRunning()) db.start();
                    }
                    Thread.sleep(100); // the kubelet's own pace, not a synchronisation
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    System.err.println("kubelet: restarting mysqld on port " + db.port() + " failed: " + e.getMessage());
                }
            }
        }

        /** SIGKILL to mysqld; the watch starts it again. */
        synchronized void kill() throws InterruptedException {
            db.kill();
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.interrupt();
            thread.join(TimeUnit.SECONDS.toMillis(70));
        }
    }
}
