package io.statefulset.agent.clone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statefulset.agent.common.backuptool.BackupTool;
import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.testing.MariaDb;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The clone's on-disk state machine, killed at every step: each state a crash can leave is built on disk, then the
 * recovery (the next init) runs. {@code mysql/} must never be in the data dir while anything else of the clone is
 * still missing, and every state must end as the full clone or as an empty data dir.
 */
class HandOverRecoveryTest {
    /** A prepared clone's top-level layout, small but shaped like mariadb-backup's. */
    private static final Map<String, String> CLONE = new TreeMap<>(Map.ofEntries(
            Map.entry("ibdata1", "system tablespace"),
            Map.entry("ib_logfile0", "redo"),
            Map.entry("aria_log_control", "aria"),
            Map.entry("backup-my.cnf", "[mysqld]\n"),
            Map.entry("xtrabackup_checkpoints", "backup_type = log-applied\nfrom_lsn = 0\nto_lsn = 11484828\n"),
            Map.entry("xtrabackup_binlog_info", "mysql-bin.000001\t1240\t0-100-5\n"),
            Map.entry("shop/items.ibd", "rows"),
            Map.entry("shop/db.opt", "default-character-set=utf8mb4\n"),
            Map.entry("mysql/user.MAD", "users"),
            Map.entry("mysql/db.opt", "default-character-set=utf8mb4\n"),
            Map.entry("performance_schema/db.opt", "default-character-set=utf8mb4\n")));
    /** Top-level entries of {@link #CLONE}. */
    private static final List<String> TOP = List.of("aria_log_control", "backup-my.cnf", "ib_logfile0", "ibdata1", "mysql",
            "performance_schema", "shop", "xtrabackup_binlog_info",
            "xtrabackup_checkpoints");

    @TempDir
    Path tmp;

    @Test
    void mysqlDirIsMovedLastAndOnlyAfterEverythingElse() throws IOException {
        CloneStaging staging = prepared(tmp.resolve("data"));
        List<String> order = new ArrayList<>();
        new HandOver(entry -> {
            String name = entry.getFileName().toString();
            assertFalse(Files.exists(staging.dataDir().resolve("mysql")), "mysql/ appeared before " + name);
            if (name.equals("mysql")) {
                assertEquals(List.of("mysql"), list(staging.data()), "mysql/ goes when it is the only thing left");
            }
            order.add(name);
        }).run(staging.data(), staging.dataDir());
        assertEquals("mysql", order.get(order.size() - 1));
        assertEquals(TOP.size(), order.size());
        assertEquals(List.of(), list(staging.data()));
        staging.discard();
        assertCloneComplete(staging.dataDir());
    }

    @Test
    void killedBeforeEachMoveTheNextInitFinishesTheHandOver() throws Exception {
        for (int k = 0; k < TOP.size(); k++) {
            Path dataDir = tmp.resolve("data-" + k);
            CloneStaging staging = prepared(dataDir);
            int stopAt = k;
            int[] moves = {0};
            IOException crash = assertThrows(IOException.class, () -> new HandOver(entry -> {
                if (moves[0]++ == stopAt) throw new IOException("simulated crash before moving " + entry.getFileName());
            }).run(staging.data(), dataDir));
            assertTrue(crash.getMessage().startsWith("simulated crash"));

            assertEquals(k, list(dataDir).size() - 1, "k entries moved, plus the staging dir");
            if (Files.exists(dataDir.resolve("mysql"))) {
                assertEquals(List.of(), list(staging.data()), "mysql/ in the data dir only once the rest is there");
            }
            assertFalse(Files.exists(dataDir.resolve("mysql")), "with one entry or more left, mysql/ is still staged");
            assertEquals(DataDirState.PREPARED, inspect(staging));

            CloneOutcome outcome = recovery(staging).run();
            assertEquals(DataDirState.PREPARED, outcome.found());
            assertFalse(outcome.cloned(), "finished from disk, no donor needed");
            assertCloneComplete(dataDir);
        }
    }

    @Test
    void killedAfterTheLastMoveBeforeTheStagingWasRemoved() throws Exception {
        CloneStaging staging = prepared(tmp.resolve("data"));
        new HandOver().run(staging.data(), staging.dataDir());
        assertEquals(DataDirState.PREPARED, inspect(staging), "staging still says prepared");
        assertEquals(DataDirState.PREPARED, recovery(staging).run().found());
        assertCloneComplete(staging.dataDir());
        assertEquals(DataDirState.INITIALISED, inspect(staging));
    }

    @Test
    void killedWhileRemovingTheStaging() throws Exception {
        CloneStaging staging = prepared(tmp.resolve("data"));
        new HandOver().run(staging.data(), staging.dataDir());
        // discard() renames the staging dir before deleting it: this is the state in between.
        Files.move(staging.root(), staging.dataDir().resolve(CloneStaging.DISCARDING));
        CloneOutcome outcome = recovery(staging).run();
        assertEquals(DataDirState.INITIALISED, outcome.found());
        assertCloneComplete(staging.dataDir());
    }

    @Test
    void killedWhileCreatingTheStaging() throws Exception {
        Path dataDir = Files.createDirectories(tmp.resolve("data"));
        Files.createDirectories(dataDir.resolve(CloneStaging.CREATING).resolve("data"));
        CloneStaging staging = new CloneStaging(dataDir);
        assertEquals(DataDirState.EMPTY, inspect(staging));
        assertEquals(List.of(), list(dataDir));
    }

    @Test
    void killedWhileReceivingTheCloneIsWipedEvenWithMysqlStaged() throws Exception {
        Path dataDir = Files.createDirectories(tmp.resolve("data"));
        CloneStaging staging = new CloneStaging(dataDir);
        staging.create();
        write(staging.data(), Map.of("ibdata1", "half", "mysql/user.MAD", "users"));
        assertEquals(DataDirState.INTERRUPTED, inspect(staging));
        CloneException e = assertThrows(CloneException.class, () -> recovery(staging).run());
        assertTrue(e.getMessage().startsWith("no donor reachable"), e.getMessage());
        assertEquals(List.of(), list(dataDir), "wiped, and nothing looks initialised");
    }

    @Test
    void aStagingDirWithoutStateIsTreatedAsInterrupted() throws Exception {
        Path dataDir = Files.createDirectories(tmp.resolve("data"));
        Files.createDirectories(dataDir.resolve(CloneStaging.DIR).resolve("data").resolve("mysql"));
        CloneStaging staging = new CloneStaging(dataDir);
        assertEquals(DataDirState.INTERRUPTED, inspect(staging));
        assertThrows(CloneException.class, () -> recovery(staging).run());
        assertEquals(List.of(), list(dataDir));
    }

    @Test
    void anInitialisedDataDirIsLeftAlone() throws Exception {
        Path dataDir = Files.createDirectories(tmp.resolve("data"));
        write(dataDir, CLONE);
        CloneStaging staging = new CloneStaging(dataDir);
        CloneOutcome outcome = recovery(staging).run();
        assertEquals(DataDirState.INITIALISED, outcome.found());
        assertCloneComplete(dataDir);
    }

    @Test
    void debrisWithoutMysqlIsClearedButLostAndFoundIsKept() throws Exception {
        Path dataDir = Files.createDirectories(tmp.resolve("data"));
        write(dataDir, Map.of("ibdata1", "old", "xtrabackup_slave_info", "stale position", "lost+found/x", "fsck's"));
        CloneStaging staging = new CloneStaging(dataDir);
        assertEquals(DataDirState.EMPTY, inspect(staging));
        assertThrows(CloneException.class, () -> recovery(staging).run());
        assertEquals(List.of("lost+found"), list(dataDir));
        assertEquals("fsck's", Files.readString(dataDir.resolve("lost+found/x")));
    }

    /** A data dir holding a staging area in state "prepared" with {@link #CLONE} in it. */
    private static CloneStaging prepared(Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        CloneStaging staging = new CloneStaging(dataDir);
        staging.create();
        write(staging.data(), CLONE);
        staging.markPrepared("donor=test");
        return staging;
    }

    /** The next init: no donor answers, so only what is on disk can finish the job. */
    private static ReplicaClone recovery(CloneStaging staging) throws IOException {
        DonorRounds nobody = new DonorRounds(List.of(new HostPort("127.0.0.1", MariaDb.freePort())), Duration.ofMillis(300), 1,
                new Backoff(Duration.ofMillis(50), Duration.ofMillis(100)), new Backoff(Duration.ofMillis(50), Duration.ofMillis(100)));
        DonorClient client = new DonorClient(Optional.empty(), Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(1));
        return new ReplicaClone(staging, nobody, client, () -> new BackupPrepare(BackupTool.resolve("auto", System.getenv())),
                new HandOver());
    }

    private static DataDirState inspect(CloneStaging staging) throws IOException {
        staging.removeLeftovers();
        return staging.inspect();
    }

    private static void assertCloneComplete(Path dataDir) throws IOException {
        assertEquals(TOP, list(dataDir), "exactly the clone, no staging left");
        for (Map.Entry<String, String> e : CLONE.entrySet()) {
            assertEquals(e.getValue(), Files.readString(dataDir.resolve(e.getKey())), e.getKey());
        }
    }

    private static void write(Path root, Map<String, String> files) throws IOException {
        for (Map.Entry<String, String> e : files.entrySet()) {
            Path p = root.resolve(e.getKey());
            Files.createDirectories(p.getParent());
            Files.writeString(p, e.getValue(), StandardCharsets.UTF_8);
        }
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
