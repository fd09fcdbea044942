package io.statefulset.agent.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statefulset.agent.clone.CloneStaging;
import io.statefulset.agent.testing.LogCapture;
import io.statefulset.agent.testing.DatabaseServer;
import io.statefulset.agent.testing.DatabaseServerExtension;
import io.statefulset.agent.testing.NcatLegacyDonor;
import io.statefulset.agent.testing.SeededServer;
import io.statefulset.agent.testing.SeededServerExtension;
import io.statefulset.agent.testing.TestDonor;
import io.statefulset.agent.testing.TestDonor.Ending;
import io.statefulset.agent.testing.TestDonor.Script;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code init} against real donors: a real mariadb-backup stream in, a data dir mariadbd starts on out. */
class InitCloneTest {
    @RegisterExtension
    static final SeededServerExtension source = new SeededServerExtension(5000);

    @RegisterExtension
    DatabaseServerExtension servers = new DatabaseServerExtension();
    InitFixture init;

    @BeforeEach
    void fixture() throws Exception {
        init = new InitFixture(servers.tempDir("init-"));
    }

    @Test
    void clonesFromAnHttpDonorAndTheCloneHoldsTheSameRows() throws Exception {
        try (TestDonor donor = TestDonor.start(source.stream(), Script.http()); LogCapture logs = LogCapture.start()) {
            assertEquals(0, init.donors(donor.address()).run());
            assertTrue(logs.text().contains("byte count and CRC32C verified"), "the HTTP trailers were checked");
            assertTrue(logs.text().contains("init done: cloned " + Files.size(source.stream()) + " bytes"), "summary line");
        }
        assertDataDirIsAClone();
        DatabaseServer replica = servers.startOn(init.data, 101);
        assertEquals(source.fingerprint(), replica.queryOne(SeededServer.FINGERPRINT));
        assertEquals("aria tables travel too", replica.queryOne("SELECT note FROM shop.notes WHERE id = 1"));
    }

    @Test
    void secondInitOnAFinishedDataDirDoesNothingAndSaysSo() throws Exception {
        try (TestDonor donor = TestDonor.start(source.stream(), Script.http())) {
            assertEquals(0, init.donors(donor.address()).run());
            List<String> before = init.dataDirEntries();
            FileTime mysqlTime = Files.getLastModifiedTime(init.data.resolve("mysql"));
            try (LogCapture logs = LogCapture.start()) {
                assertEquals(0, init.run());
                assertTrue(logs.text().contains("already initialised"), logs.text());
            }
            assertEquals(1, donor.requests(), "no second backup was asked for");
            assertEquals(before, init.dataDirEntries());
            assertEquals(mysqlTime, Files.getLastModifiedTime(init.data.resolve("mysql")));
        }
    }

    @Test
    void clonesFromTheTutorialsNcatSidecar() throws Exception {
        Path backupLog = init.base.resolveSibling(init.base.getFileName() + "-ncat-backup.log");
        try (NcatLegacyDonor donor = NcatLegacyDonor.start(source.db(), backupLog); LogCapture logs = LogCapture.start()) {
            assertEquals(0, init.donors(donor.address()).run());
            assertTrue(logs.text().contains("is a legacy sidecar"), "the user is warned that nothing vouches for the stream");
        } finally {
            Files.deleteIfExists(backupLog);
        }
        assertDataDirIsAClone();
        DatabaseServer replica = servers.startOn(init.data, 101);
        assertEquals(source.fingerprint(), replica.queryOne(SeededServer.FINGERPRINT));
    }

    private void assertDataDirIsAClone() throws Exception {
        List<String> entries = init.dataDirEntries();
        assertTrue(entries.contains("mysql"), entries.toString());
        assertTrue(entries.contains("shop"), entries.toString());
        assertTrue(entries.contains("xtrabackup_binlog_info"), entries.toString());
        assertFalse(entries.contains(CloneStaging.DIR), "staging removed: " + entries);
        assertTrue(entries.stream().noneMatch(e -> e.startsWith(".agent-clone")), entries.toString());
        assertEquals(List.of(), init.strayFiles(), "nothing written outside the data dir");
        assertEquals("[mysqld]\nserver-id=101\nreport_host=mysql-1.mysql\n", Files.readString(init.conf.resolve("server-id.cnf")));
    }
}
