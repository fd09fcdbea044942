package io.statefulset.agent.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.statefulset.agent.common.secret.Secret;
import io.statefulset.agent.testing.LogCapture;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sweep at serve start: a scratch dir (with its password file) whose process was SIGKILLed is removed, one a live
 * process holds is not, whichever process (this JVM or another) and whatever PIDs; nothing else in TMPDIR is touched.
 */
class StaleScratchTest {
    private static final Optional<Secret> PASSWORD = Optional.of(Secret.of("pw", "test"));

    @TempDir
    Path parent;
    @TempDir
    Path elsewhere;

    @Test
    void theDirOfAKilledProcessGoesWhileALiveProcesssDirAndUnrelatedEntriesStay() throws Exception {
        Path log = elsewhere.resolve("children.log");
        try (ScratchProcess killed = ScratchProcess.start("hold", parent, log);
             ScratchProcess live = ScratchProcess.start("hold", parent, log)) {
            Path killedRoot = Path.of(killed.line());
            Path liveRoot = Path.of(live.line());
            assertTrue(Files.exists(killedRoot.resolve("client.cnf")), "the holder wrote its password file");
            killed.kill();
            assertTrue(Files.exists(killedRoot.resolve("client.cnf")), "SIGKILL leaves the password file behind");
            BackupScratch own = BackupScratch.create(parent, PASSWORD);
            List<Path> unrelated = unrelatedEntries();

            Path outsideFile = elsewhere.resolve("outside").resolve("keep");
            BackupScratch.Sweep sweep;
            try (LogCapture logs = LogCapture.start()) {
                sweep = BackupScratch.removeStale(parent);
                assertTrue(logs.text().contains("removed 1 stale backup scratch dir(s) left by a killed serve ("
                        + killedRoot.getFileName() + ")"), logs.text());
            }
            assertEquals(List.of(killedRoot.getFileName().toString()), sweep.removed());
            assertEquals(List.of(), sweep.failed());
            assertFalse(Files.exists(killedRoot, LinkOption.NOFOLLOW_LINKS));
            assertTrue(Files.exists(liveRoot.resolve("client.cnf")), "the live process's dir is left");
            assertTrue(Files.exists(own.defaultsFile()), "this JVM's own dir is left");
            for (Path p : unrelated) assertTrue(Files.exists(p, LinkOption.NOFOLLOW_LINKS), p + " is left");
            assertTrue(Files.exists(outsideFile), "a symlink named like a scratch dir is not followed");

            // Only the lock kept the live one: once its process is killed too, the next sweep takes it.
            live.kill();
            assertEquals(List.of(liveRoot.getFileName().toString()), BackupScratch.removeStale(parent).removed());
            assertTrue(Files.exists(own.defaultsFile()));
            own.delete();
            for (Path p : unrelated) assertTrue(Files.exists(p, LinkOption.NOFOLLOW_LINKS), p + " is left");
        }
    }

    /**
     * POSIX locks belong to the process: had this JVM's sweep opened and closed the lock file of a dir it holds, the
     * lock would be gone and another process's sweep would delete the dir of a running backup.
     */
    @Test
    void aSweepInThisJvmKeepsTheLocksOfItsOwnDirsForOtherProcesses() throws Exception {
        BackupScratch own = BackupScratch.create(parent, PASSWORD);
        assertEquals(List.of(), BackupScratch.removeStale(parent).removed());
        assertEquals(List.of(), BackupScratch.removeStale(parent.resolve(".")).removed(), "another spelling of the same dir");
        try (ScratchProcess other = ScratchProcess.start("sweep", parent, elsewhere.resolve("sweep.log"))) {
            assertEquals("[]", other.line());
            assertEquals(0, other.finish());
        }
        assertTrue(Files.exists(own.defaultsFile()));
        own.delete();
        assertFalse(Files.exists(own.root()));
    }

    /**
     * Two serves sharing TMPDIR (as tests do): one's start never takes a dir the other is creating or using. With the
     * dir made before its lock is taken, 600 backups against the pausing sweep loop failed 26 runs in 30 (300: 6 in 20).
     */
    @Test
    void aSweepLoopInAnotherProcessNeverTakesADirInUse() throws Exception {
        try (ScratchProcess sweeper = ScratchProcess.start("sweep-loop", parent, elsewhere.resolve("sweep.log"))) {
            assertEquals("sweeping", sweeper.line());
            for (int i = 0; i < 600; i++) {
                BackupScratch scratch = BackupScratch.create(parent, PASSWORD);
                assertTrue(Files.isDirectory(scratch.targetDir()) && Files.isDirectory(scratch.tmpDir())
                        && Files.readString(scratch.defaultsFile()).contains("password=\"pw\""), "backup " + i);
                scratch.delete();
            }
            assertTrue(sweeper.isAlive());
            assertEquals(0, sweeper.finish());
        }
        try (var s = Files.list(parent)) {
            assertEquals(List.of(), s.toList());
        }
    }

    @Test
    void aDirWhoseLockIsFreeIsStaleAndGoesWithItsLockFile() throws Exception {
        Path dir = Files.createDirectory(parent.resolve(BackupScratch.PREFIX + "123"));
        Path lockFile = Files.writeString(parent.resolve(dir.getFileName() + BackupScratch.LOCK_SUFFIX), "");
        Files.writeString(dir.resolve("client.cnf"), "[client]\npassword=\"x\"\n");
        Files.createDirectories(dir.resolve("target").resolve("deep"));
        assertEquals(List.of(dir.getFileName().toString()), BackupScratch.removeStale(parent).removed());
        assertFalse(Files.exists(dir));
        assertFalse(Files.exists(lockFile));
    }

    /** Agents before the lock files left dirs without one; a serve never has a dir without its lock file. */
    @Test
    void aDirWithoutALockFileIsStale() throws Exception {
        Path dir = Files.createDirectory(parent.resolve(BackupScratch.PREFIX + "456"));
        Files.writeString(dir.resolve("client.cnf"), "[client]\npassword=\"x\"\n");
        assertEquals(List.of(dir.getFileName().toString()), BackupScratch.removeStale(parent).removed());
        assertFalse(Files.exists(dir));
    }

    /** A lock file alone may be a serve's between making it and its dir: left, and no dir reported. */
    @Test
    void aLockFileWithoutItsDirIsLeft() throws Exception {
        Path lockFile = Files.writeString(parent.resolve(BackupScratch.PREFIX + "789" + BackupScratch.LOCK_SUFFIX), "");
        try (LogCapture logs = LogCapture.start()) {
            assertEquals(new BackupScratch.Sweep(List.of(), List.of()), BackupScratch.removeStale(parent));
            assertFalse(logs.text().contains("stale backup scratch"), logs.text());
        }
        assertTrue(Files.exists(lockFile));
    }

    @Test
    void nothingStaleMeansNoLineAndNothingRemoved() throws Exception {
        List<Path> unrelated = unrelatedEntries();
        try (LogCapture logs = LogCapture.start()) {
            BackupScratch.Sweep sweep = BackupScratch.removeStale(parent);
            assertEquals(new BackupScratch.Sweep(List.of(), List.of()), sweep);
            assertFalse(logs.text().contains("stale backup scratch"), logs.text());
        }
        for (Path p : unrelated) assertTrue(Files.exists(p, LinkOption.NOFOLLOW_LINKS), p + " is left");
        assertEquals(new BackupScratch.Sweep(List.of(), List.of()), BackupScratch.removeStale(parent.resolve("missing")));
    }

    @Test
    void aDirThatCannotBeCheckedIsNamedInOneWarningAndTheOthersAreStillRemoved() throws Exception {
        Path odd = Files.createDirectory(parent.resolve(BackupScratch.PREFIX + "a-odd"));
        // A lock file that is a symlink is never followed, so this dir's lock cannot be tested.
        Files.createSymbolicLink(parent.resolve(odd.getFileName() + BackupScratch.LOCK_SUFFIX), elsewhere);
        Path stale = Files.createDirectory(parent.resolve(BackupScratch.PREFIX + "b-stale"));
        try (LogCapture logs = LogCapture.start()) {
            BackupScratch.Sweep sweep = BackupScratch.removeStale(parent);
            assertEquals(List.of(stale.getFileName().toString()), sweep.removed());
            assertEquals(1, sweep.failed().size(), sweep.toString());
            assertTrue(sweep.failed().get(0).startsWith(odd.getFileName() + ": "), sweep.toString());
            assertEquals(1, logs.count("could not remove stale backup scratch dir " + odd + " "), logs.text());
            assertTrue(logs.text().contains("removed 1 stale backup scratch dir(s) left by a killed serve (" + stale.getFileName() + ")"),
                    logs.text());
        }
        assertTrue(Files.isDirectory(odd));
    }

    @Test
    void anotherUsersDirIsLeft() throws Exception {
        assumeTrue(Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid")), "changing owners needs root");
        Path foreign = Files.createDirectory(parent.resolve(BackupScratch.PREFIX + "foreign"));
        Files.setAttribute(foreign, "unix:uid", 54321, LinkOption.NOFOLLOW_LINKS);
        assertEquals(List.of(), BackupScratch.removeStale(parent).removed());
        assertTrue(Files.isDirectory(foreign));
    }

    /** What else lives in a TMPDIR, some of it named like a scratch dir but not one. */
    private List<Path> unrelatedEntries() throws Exception {
        Path outside = Files.createDirectories(elsewhere.resolve("outside"));
        Files.writeString(outside.resolve("keep"), "not ours");
        Path link = parent.resolve(BackupScratch.PREFIX + "link");
        if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) Files.createSymbolicLink(link, outside);
        Path file = Files.writeString(parent.resolve(BackupScratch.PREFIX + "plain-file"), "a file, not a dir");
        Path notes = Files.writeString(parent.resolve("notes.txt"), "someone else's");
        Path otherDir = Files.createDirectories(parent.resolve("mysql-tmp").resolve("sub"));
        return List.of(link, file, notes, otherDir);
    }
}
