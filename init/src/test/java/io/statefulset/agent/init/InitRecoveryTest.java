package io.statefulset.agent.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statefulset.agent.clone.CloneStaging;
import io.statefulset.agent.clone.HandOver;
import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.testing.LogCapture;
import io.statefulset.agent.testing.MariaDb;
import io.statefulset.agent.testing.MariaDbExtension;
import io.statefulset.agent.testing.SeededServer;
import io.statefulset.agent.testing.SeededServerExtension;
import io.statefulset.agent.testing.TestDonor;
import io.statefulset.agent.testing.TestDonor.Ending;
import io.statefulset.agent.testing.TestDonor.Script;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An init killed mid-clone: the next init redoes a clone that was still receiving, and finishes one that was
 * prepared, without asking a donor again; mariadbd then starts on the result and holds the donor's rows.
 */
class InitRecoveryTest {
    @RegisterExtension
    static final SeededServerExtension source = new SeededServerExtension(2000);

    @RegisterExtension
    MariaDbExtension servers = new MariaDbExtension();
    InitFixture init;

    @BeforeEach
    void fixture() throws Exception {
        init = new InitFixture(servers.tempDir("init-"));
    }

    @Test
    void anInitKilledWhileReceivingIsWipedAndRedoneByTheNext() throws Exception {
        long half = Files.size(source.stream()) / 2;
        Path log = init.base.resolve("child.log");
        try (TestDonor frozen = TestDonor.start(source.stream(), Script.http().stopAfter(half, Ending.STALL))) {
            Process child = new ProcessBuilder(javaCommand(init, frozen.address())).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            try {
                Path staged = init.data.resolve(CloneStaging.DIR).resolve("data");
                awaitBytesOnDisk(staged, half / 2, child, log);
            } finally {
                child.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL: no cleanup of any kind runs
            }
        }
        assertFalse(init.looksInitialised(), "a killed clone never leaves mysql/ behind");
        assertTrue(init.dataDirEntries().contains(CloneStaging.DIR));

        try (TestDonor donor = TestDonor.start(source.stream(), Script.http()); LogCapture logs = LogCapture.start()) {
            assertEquals(0, init.donors(donor.address()).run());
            assertTrue(logs.text().contains("holds an unfinished clone (interrupted while receiving or preparing): wiping it"),
                    logs.text());
        }
        assertRowsMatch();
    }

    @Test
    void killedBetweenPrepareAndHandOverTheNextInitFinishesWithoutADonor() throws Exception {
        interruptHandOverAt(0);
    }

    @Test
    void killedMidHandOverTheNextInitFinishesWithoutADonor() throws Exception {
        interruptHandOverAt(4);
    }

    @Test
    void killedJustBeforeMysqlMovesTheNextInitFinishesWithoutADonor() throws Exception {
        interruptHandOverAt(-1);
    }

    /** Stops the hand-over before its {@code k}-th move (-1: before mysql/, the last one), then reruns with no donor. */
    private void interruptHandOverAt(int k) throws Exception {
        int[] moves = {0};
        HandOver crashing = new HandOver(entry -> {
            boolean last = entry.getFileName().toString().equals(CloneStaging.MYSQL_DIR);
            if (k == -1 ? last : moves[0] == k) throw new IOException("simulated kill before moving " + entry.getFileName());
            moves[0]++;
        });
        try (TestDonor donor = TestDonor.start(source.stream(), Script.http())) {
            assertEquals(1, init.donors(donor.address()).run(crashing));
        }
        assertFalse(init.looksInitialised(), "mysql/ is the last to move");
        List<String> staged = list(init.data.resolve(CloneStaging.DIR).resolve("data"));
        assertTrue(staged.contains(CloneStaging.MYSQL_DIR), staged.toString());
        if (k >= 0) assertEquals(k, init.dataDirEntries().size() - 1, "moved before the kill: " + init.dataDirEntries());

        try (LogCapture logs = LogCapture.start()) {
            assertEquals(0, init.donors(new HostPort("127.0.0.1", MariaDb.freePort())).run());
            assertTrue(logs.text().contains("holds a prepared clone whose hand-over was interrupted: finishing the hand-over"),
                    logs.text());
        }
        assertFalse(init.dataDirEntries().contains(CloneStaging.DIR));
        assertRowsMatch();
    }

    private void assertRowsMatch() throws Exception {
        MariaDb replica = servers.startOn(init.data, 101);
        assertEquals(source.fingerprint(), replica.queryOne(SeededServer.FINGERPRINT));
    }

    private static List<String> javaCommand(InitFixture init, HostPort donor) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return List.of(java, "-cp", System.getProperty("java.class.path"), InitProcessMain.class.getName(),
                "mysql-1", init.configMap.toString(), init.conf.toString(), init.data.toString(), donor.toString(), "60");
    }

    /** Polls until {@code bytes} have reached the staging dir (the child is mid-clone), failing if the child exits. */
    private static void awaitBytesOnDisk(Path dir, long bytes, Process child, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!child.isAlive()) throw new AssertionError("init exited early (" + child.exitValue() + "): " + Files.readString(log));
            if (Files.isDirectory(dir) && size(dir) >= bytes) return;
            child.waitFor(20, TimeUnit.MILLISECONDS);
        }
        throw new AssertionError("init did not write " + bytes + " bytes into " + dir + ": " + Files.readString(log));
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
