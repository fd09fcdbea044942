package io.statefulset.agent.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statefulset.agent.clone.SetAside;
import io.statefulset.agent.testing.LogCapture;
import io.statefulset.agent.testing.MariaDb;
import io.statefulset.agent.testing.MariaDbExtension;
import io.statefulset.agent.testing.SeededServer;
import io.statefulset.agent.testing.SeededServerExtension;
import io.statefulset.agent.testing.TestDonor;
import io.statefulset.agent.testing.TestDonor.Ending;
import io.statefulset.agent.testing.TestDonor.Script;
import io.statefulset.agent.xbstream.ChunkHeader;
import io.statefulset.agent.xbstream.ChunkListener;
import io.statefulset.agent.xbstream.XbstreamReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Data dirs the tutorial's bash left behind, on real MariaDB: its {@code clone-mysql} runs
 * {@code ncat --recv-only <peer> 3307 | mbstream -x -C /var/lib/mysql} and skips the clone whenever {@code mysql/}
 * exists, so a cut stream stays a broken replica for good. init must re-clone those (moving them aside) and never
 * touch a data dir mariadbd created and ran on.
 */
class InitHealTest {
    @RegisterExtension
    static final SeededServerExtension source = new SeededServerExtension(5000);

    @RegisterExtension
    MariaDbExtension servers = new MariaDbExtension();
    InitFixture init;

    @BeforeEach
    void fixture() throws Exception {
        init = new InitFixture(servers.tempDir("heal-"));
    }

    @ParameterizedTest(name = "stream cut at {0} %")
    @ValueSource(ints = {20, 60, 90})
    void aTutorialCloneCutMidStreamIsMovedAsideAndClonedAgain(int percent) throws Exception {
        long cut = Files.size(source.stream()) * percent / 100;
        tutorialClone(Script.raw().stopAfter(cut, Ending.DROP));
        assertTrue(init.looksInitialised(), "the cut clone left mysql/, so the tutorial's clone-mysql would skip it from now on");
        List<String> left = init.dataDirEntries();
        tryToStartLikeTheTutorialPod();
        healAndCheck(left);
    }

    @Test
    void aTutorialCloneCutJustBeforeItsLastFilesIsMovedAsideAndClonedAgain() throws Exception {
        // Everything but xtrabackup_checkpoints, backup-my.cnf and xtrabackup_info: the redo log is whole.
        tutorialClone(Script.raw().stopAfter(streamOffsetOf("xtrabackup_checkpoints"), Ending.DROP));
        assertTrue(Files.exists(init.data.resolve("ib_logfile0")) && Files.exists(init.data.resolve("xtrabackup_binlog_info")));
        assertFalse(Files.exists(init.data.resolve("xtrabackup_checkpoints")));
        healAndCheck(init.dataDirEntries());
    }

    @Test
    void aTutorialCloneExtractedButNeverPreparedIsMovedAsideAndClonedAgain() throws Exception {
        tutorialClone(Script.raw());
        assertTrue(Files.readString(init.data.resolve("xtrabackup_checkpoints")).contains("backup_type = full-backuped"));
        healAndCheck(init.dataDirEntries());
    }

    @Test
    void anUnpreparedCloneThatAServerRanOnStopsInitUntilTheOperatorChooses() throws Exception {
        tutorialClone(Script.raw());
        // MariaDB recovers an unprepared backup by itself: this replica has been serving, it may hold a database.
        MariaDb ran = servers.startOn(init.data, 101);
        assertEquals(source.fingerprint(), ran.queryOne(SeededServer.FINGERPRINT));
        ran.stop();
        Map<String, String> before = snapshot(init.data);
        try (TestDonor donor = TestDonor.start(source.stream(), Script.http()); LogCapture logs = LogCapture.start()) {
            assertEquals(1, init.donors(donor.address()).run());
            String text = logs.text();
            assertTrue(text.contains("cannot tell a database from an unfinished clone"), text);
            assertTrue(text.contains("backup_type = full-backuped") && text.contains("multi-master.info"), "names what it found: " + text);
            assertTrue(text.contains(init.data.resolve(".agent-keep").toString())
                    && text.contains(init.data.resolve(".agent-reclone").toString()), "names both ways out: " + text);
            assertEquals(0, donor.requests(), "nothing was cloned");
        }
        assertEquals(before, snapshot(init.data), "untouched");

        Files.writeString(init.data.resolve(".agent-keep"), "");
        try (LogCapture logs = LogCapture.start()) {
            assertEquals(0, init.run());
            assertTrue(logs.text().contains("already initialised (the operator's .agent-keep file)"), logs.text());
        }
        Files.delete(init.data.resolve(".agent-keep"));
        assertEquals(before, snapshot(init.data), "kept as it was");

        Files.writeString(init.data.resolve(".agent-reclone"), "");
        List<String> left = init.dataDirEntries();
        healAndCheck(left);
    }

    @ParameterizedTest(name = "rows {0}, binary logs {1}, {2} shutdown")
    @CsvSource({"true, true, clean", "true, false, killed", "false, true, killed", "false, false, clean"})
    void aDataDirMariadbdCreatedAndRanOnIsLeftAlone(boolean rows, boolean binlog, String shutdown) throws Exception {
        MariaDb db = binlog ? servers.start(101) : servers.start(101, "--skip-log-bin");
        if (rows) {
            db.execute("CREATE DATABASE shop", "CREATE TABLE shop.items (id INT PRIMARY KEY, name VARCHAR(64)) ENGINE=InnoDB",
                    "INSERT INTO shop.items VALUES (1, 'one'), (2, 'two')");
        }
        String fingerprint = rows ? db.queryOne(SeededServer.FINGERPRINT) : null;
        if (shutdown.equals("clean")) db.stop(); else db.kill();
        Path dataDir = db.dataDir();
        assertEquals(binlog, Files.exists(dataDir.resolve("mysql-bin.index")), "binary logs as asked");
        InitFixture onServerDir = new InitFixture(servers.tempDir("heal-real-"), dataDir);
        Map<String, String> before = snapshot(dataDir);
        try (LogCapture logs = LogCapture.start()) {
            assertEquals(0, onServerDir.run());
            assertTrue(logs.text().contains("already initialised (a data dir a server has run on"), logs.text());
        }
        assertEquals(before, snapshot(dataDir), "not a file added, removed or changed");
        if (rows) {
            MariaDb again = servers.startOn(dataDir, 101);
            assertEquals(fingerprint, again.queryOne(SeededServer.FINGERPRINT));
        }
    }

    /** The tutorial's clone-mysql pipeline, literally, against a donor that sends {@code script}'s bytes. */
    private void tutorialClone(Script script) throws Exception {
        try (TestDonor donor = TestDonor.start(source.stream(), script)) {
            Path log = init.base.resolve("clone-mysql.log");
            Process p = new ProcessBuilder("bash", "-c", "ncat --recv-only 127.0.0.1 " + donor.address().port()
                    + " | mbstream -x -C " + init.data).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the pipeline ends when the donor closes");
            Files.delete(log);
        }
    }

    /**
     * After the cut the tutorial's pod restarts, skips the clone and starts mariadbd on what is there (it aborts on
     * these: no redo log, no privilege tables), which adds the files a starting server writes.
     */
    private void tryToStartLikeTheTutorialPod() throws Exception {
        try {
            servers.startOn(init.data, 101).kill();
        } catch (IllegalStateException refused) {
            // the usual outcome; what matters is what it left in the data dir
        }
    }

    /** init with a donor of the whole stream: it moves {@code left} aside and clones; the result holds every row. */
    private void healAndCheck(List<String> left) throws Exception {
        try (TestDonor donor = TestDonor.start(source.stream(), Script.http()); LogCapture logs = LogCapture.start()) {
            assertEquals(0, init.donors(donor.address()).run());
            assertTrue(logs.text().contains("aside to " + init.data.resolve(SetAside.DIR)), logs.text());
            assertEquals(1, donor.requests());
        }
        Path aside;
        try (Stream<Path> s = Files.list(init.data.resolve(SetAside.DIR))) {
            List<Path> all = s.toList();
            assertEquals(1, all.size(), all.toString());
            aside = all.get(0);
        }
        assertTrue(aside.getFileName().toString().endsWith("-unfinished-clone"), aside.toString());
        try (Stream<Path> s = Files.list(aside)) {
            List<String> moved = s.map(p -> p.getFileName().toString()).sorted().toList();
            assertTrue(moved.containsAll(left), "everything the broken clone left is kept: " + moved + " vs " + left);
        }
        assertTrue(init.dataDirEntries().containsAll(List.of("mysql", "shop", "xtrabackup_checkpoints", SetAside.DIR)));
        assertTrue(Files.readString(init.data.resolve("xtrabackup_checkpoints")).contains("log-applied"));
        MariaDb replica = servers.startOn(init.data, 101);
        assertEquals(source.fingerprint(), replica.queryOne(SeededServer.FINGERPRINT));
        assertEquals("aria tables travel too", replica.queryOne("SELECT note FROM shop.notes WHERE id = 1"));
        replica.stop();
        try (LogCapture logs = LogCapture.start()) {
            assertEquals(0, init.run());
            assertTrue(logs.text().contains("already initialised (a prepared clone"), logs.text());
            assertTrue(logs.text().contains("still in " + init.data.resolve(SetAside.DIR)), "reminds where the old data is");
        }
        assertFalse(Files.exists(init.data.resolve(".agent-reclone")), "the operator's marker went aside with the rest");
    }

    /** Where the first chunk of {@code path} starts in the stored stream. */
    private static long streamOffsetOf(String path) throws IOException {
        long[] found = {-1};
        XbstreamReader reader = new XbstreamReader(new ChunkListener() {
            @Override
            public void chunkStart(ChunkHeader h) {
                if (found[0] < 0 && h.path().equals(path)) found[0] = h.streamOffset();
            }

            @Override
            public void payload(ChunkHeader h, ByteBuffer slice) {
                slice.position(slice.limit());
            }

            @Override
            public void chunkEnd(ChunkHeader h) {}
        });
        reader.write(ByteBuffer.wrap(Files.readAllBytes(source.stream())));
        reader.finish();
        assertTrue(found[0] > 0, path + " is in the stream");
        return found[0];
    }

    /** Every path under {@code dir} with its size and modification time. */
    private static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.toList()) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                out.put(dir.relativize(p).toString(), a.isDirectory() ? "dir" : a.size() + " bytes " + a.lastModifiedTime());
            }
        }
        return out;
    }
}
