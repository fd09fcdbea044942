package io.statefulset.agent.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.testing.LogCapture;
import io.statefulset.agent.testing.MariaDb;
import io.statefulset.agent.testing.MariaDbExtension;
import io.statefulset.agent.testing.SeededServer;
import io.statefulset.agent.testing.SeededServerExtension;
import io.statefulset.agent.testing.TestDonor;
import io.statefulset.agent.testing.TestDonor.Ending;
import io.statefulset.agent.testing.TestDonor.Script;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Donors that die, lie, stall, refuse or are busy: {@code init} exits 1 with a message that says what happened,
 * leaves nothing that looks initialised (or anything at all) in the data dir, and a rerun succeeds.
 */
class InitDonorFaultsTest {
    @RegisterExtension
    static final SeededServerExtension source = new SeededServerExtension(2000);
    static long size;

    @RegisterExtension
    MariaDbExtension servers = new MariaDbExtension();
    InitFixture init;

    @BeforeAll
    static void seed() throws Exception {
        size = Files.size(source.stream());
    }

    @BeforeEach
    void fixture() throws Exception {
        init = new InitFixture(servers.tempDir("init-"));
    }

    @Test
    void donorKilledAtSeveralPointsFailsCleanlyAndARerunSucceeds() throws Exception {
        // 0: right after the 200; 100: inside the first chunk header; 300: after mysql/'s first chunk began (the
        // point where the tutorial's bash already has mysql/); then mid-stream and one byte short of the end.
        for (long cut : List.of(0L, 100L, 300L, size / 2, size - 1)) {
            try (TestDonor donor = TestDonor.start(source.stream(), Script.http().stopAfter(cut, Ending.DROP));
                 LogCapture logs = LogCapture.start()) {
                assertEquals(1, init.donors(donor.address()).run(), "cut at " + cut);
                assertTrue(logs.text().contains("closed the connection after " + cut + " bytes, before the end of the backup"),
                        "cut at " + cut + ": " + logs.text());
            }
            assertNothingLeft();
        }
        try (TestDonor donor = TestDonor.start(source.stream(), Script.http())) {
            assertEquals(0, init.donors(donor.address()).run());
        }
        assertEquals(source.fingerprint(), servers.startOn(init.data, 101).queryOne(SeededServer.FINGERPRINT));
    }

    @Test
    void legacyDonorThatDiesMidFileIsRefused() throws Exception {
        try (TestDonor donor = TestDonor.start(source.stream(), Script.raw().stopAfter(size / 2, Ending.DROP));
             LogCapture logs = LogCapture.start()) {
            assertEquals(1, init.donors(donor.address()).run());
            assertTrue(logs.text().contains("legacy donor " + donor.address() + " closed the connection after " + size / 2), logs.text());
            assertTrue(logs.text().contains("is corrupt or incomplete, refused: the stream ended inside the payload of"), logs.text());
        }
        assertNothingLeft();
    }

    @Test
    void legacyDonorWhoseBackupFailedAtOnceIsRefused() throws Exception {
        // The tutorial's sidecar with a failing backup tool: the connection closes with 0 bytes (bash: exit 0).
        try (TestDonor donor = TestDonor.start(source.stream(), Script.raw().stopAfter(0, Ending.DROP));
             LogCapture logs = LogCapture.start()) {
            assertEquals(1, init.donors(donor.address()).run());
            assertTrue(logs.text().contains("closed the connection after 0 bytes without a reply"), logs.text());
        }
        assertNothingLeft();
    }

    @Test
    void theNextDonorIsTriedWhenOneDies() throws Exception {
        try (TestDonor dying = TestDonor.start(source.stream(), Script.http().stopAfter(size / 3, Ending.DROP));
             TestDonor good = TestDonor.start(source.stream(), Script.http());
             LogCapture logs = LogCapture.start()) {
            assertEquals(0, init.donors(dying.address(), good.address()).run());
            assertTrue(logs.text().contains("clone from " + dying.address() + " failed"), logs.text());
            assertTrue(logs.text().contains("wiped the staging area"), logs.text());
            assertEquals(1, good.requests());
        }
        MariaDb replica = servers.startOn(init.data, 101);
        assertEquals(source.fingerprint(), replica.queryOne(SeededServer.FINGERPRINT));
    }

    @Test
    void aBackupTheDonorReportsAsFailedIsRefusedWithItsErrorText() throws Exception {
        String error = "mariadb-backup: Error: failed to copy datafile ./shop/items.ibd";
        try (TestDonor donor = TestDonor.start(source.stream(), Script.http().stopAfter(size / 3, Ending.NORMAL).failed(error));
             LogCapture logs = LogCapture.start()) {
            assertEquals(1, init.donors(donor.address()).run());
            assertTrue(logs.text().contains("reported its backup failed: " + error), logs.text());
        }
        assertNothingLeft();
    }

    @Test
    void aWrongCrc32cIsRefused() throws Exception {
        try (TestDonor donor = TestDonor.start(source.stream(), Script.http().wrongCrc()); LogCapture logs = LogCapture.start()) {
            assertEquals(1, init.donors(donor.address()).run());
            assertTrue(logs.text().contains("but the donor computed"), logs.text());
        }
        assertNothingLeft();
    }

    @Test
    void aTokenIsSentAndAWrongOneIsNamedAsTheProblem() throws Exception {
        String secret = "s3cret-t0ken-xyz";
        try (TestDonor donor = TestDonor.start(source.stream(), Script.http().token(secret)); LogCapture logs = LogCapture.start()) {
            init.donors(donor.address());
            assertEquals(1, init.run());
            assertTrue(logs.text().contains("requires a token (HTTP 401)"), logs.text());
            init.token = java.util.Optional.of("wr0ng-t0ken-abc");
            assertEquals(1, init.run());
            assertTrue(logs.text().contains("token rejected by donor " + donor.address() + " (HTTP 401): check --token-file on both sides"),
                    logs.text());
            assertNothingLeft();
            init.token = java.util.Optional.of(secret);
            assertEquals(0, init.run());
            assertFalse(logs.text().contains(secret), "the token never reaches the logs");
            assertFalse(logs.text().contains("wr0ng-t0ken-abc"), "nor a wrong one");
        }
        assertTrue(init.looksInitialised());
    }

    @Test
    void aBusyDonorIsAskedAgainAfterRetryAfter() throws Exception {
        try (TestDonor donor = TestDonor.start(source.stream(), Script.http().busy(1)); LogCapture logs = LogCapture.start()) {
            assertEquals(0, init.donors(donor.address()).run());
            assertTrue(logs.text().contains("is busy with another clone (HTTP 503), retry after 1 s"), logs.text());
            assertEquals(2, donor.requests());
        }
        assertTrue(init.looksInitialised());
    }

    @Test
    void aStalledDonorIsAbandonedAfterTheStallTimeout() throws Exception {
        init.stallTimeout = Duration.ofSeconds(1);
        try (TestDonor donor = TestDonor.start(source.stream(), Script.http().stopAfter(1_000_000, Ending.STALL));
             LogCapture logs = LogCapture.start()) {
            assertEquals(1, init.donors(donor.address()).run());
            assertTrue(logs.text().contains("sent nothing for 1 s after 1000000 bytes"), logs.text());
        }
        assertNothingLeft();
    }

    @Test
    void everyAttemptIsSpentBeforeGivingUp() throws Exception {
        init.attempts = 2;
        try (TestDonor donor = TestDonor.start(source.stream(), Script.http().stopAfter(size / 2, Ending.DROP));
             LogCapture logs = LogCapture.start()) {
            assertEquals(1, init.donors(donor.address()).run());
            assertEquals(2, donor.requests());
            assertTrue(logs.text().contains("clone attempt 1 of 2 failed"), logs.text());
            assertTrue(logs.text().contains("clone failed after 2 attempts (--clone-attempts); last error per donor: " + donor.address()),
                    logs.text());
        }
        assertNothingLeft();
    }

    @Test
    void noDonorReachableBeforeTheDeadlineNamesEveryDonor() throws Exception {
        HostPort closed = new HostPort("127.0.0.1", MariaDb.freePort());
        HostPort unknown = new HostPort("no-such-donor.invalid", 3307);
        init.donorWait = Duration.ofSeconds(1);
        try (LogCapture logs = LogCapture.start()) {
            assertEquals(1, init.donors(closed, unknown).run());
            String text = logs.text();
            assertTrue(text.contains("no donor reachable within 1 s (--donor-wait)"), text);
            assertTrue(text.contains(closed + " (nothing listens on " + closed + " (connection refused))"), text);
            assertTrue(text.contains(unknown + " (name no-such-donor.invalid does not resolve yet)"), text);
        }
        assertNothingLeft();
    }

    @Test
    void thePrimaryIsNotCloned() throws Exception {
        init.hostname = "mysql-0";
        try (LogCapture logs = LogCapture.start()) {
            assertEquals(0, init.donors(new HostPort("127.0.0.1", MariaDb.freePort())).run());
            assertTrue(logs.text().contains("mysql-0 is the primary, no clone"), logs.text());
        }
        assertEquals("[mysqld]\nserver-id=100\nreport_host=mysql-0.mysql\n", Files.readString(init.conf.resolve("server-id.cnf")));
        assertTrue(Files.exists(init.conf.resolve("primary.cnf")));
        assertEquals(List.of(), init.dataDirEntries());
    }

    @Test
    void aHostnameWithoutOrdinalIsExitOne() throws Exception {
        init.hostname = "mysql";
        try (LogCapture logs = LogCapture.start()) {
            assertEquals(1, init.run());
            assertTrue(logs.text().contains("hostname 'mysql' is not <statefulset>-<ordinal>"), logs.text());
        }
        assertFalse(Files.exists(init.conf.resolve("server-id.cnf")));
    }

    @Test
    void aMissingReplicaCnfIsExitOneNamingThePath() throws Exception {
        Files.delete(init.configMap.resolve("replica.cnf"));
        try (LogCapture logs = LogCapture.start()) {
            assertEquals(1, init.run());
            assertTrue(logs.text().contains(init.configMap.resolve("replica.cnf") + " does not exist"), logs.text());
        }
    }

    private void assertNothingLeft() throws Exception {
        assertFalse(init.looksInitialised(), "no mysql/ in the data dir");
        assertEquals(List.of(), init.dataDirEntries(), "staging wiped");
        assertEquals(List.of(), init.strayFiles(), "nothing outside the data dir");
    }
}
