package io.statefulset.agent.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statefulset.agent.clone.SeedNote;
import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.common.protocol.PeerStatus;
import io.statefulset.agent.config.RebuildFence;
import io.statefulset.agent.rebuild.RebuildMarker;
import io.statefulset.agent.testing.LogCapture;
import io.statefulset.agent.testing.DatabaseServer;
import io.statefulset.agent.testing.DatabaseServerExtension;
import io.statefulset.agent.testing.SeededServer;
import io.statefulset.agent.testing.SeededServerExtension;
import io.statefulset.agent.testing.TestDonor;
import io.statefulset.agent.testing.TestDonor.Script;
import java.nio.file.Files;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Donor choice and the primary's rebuild, with peers that answer /status over real sockets and real backups. */
class InitRebuildTest {
    @RegisterExtension
    static final SeededServerExtension source = new SeededServerExtension(2000);

    @RegisterExtension
    DatabaseServerExtension servers = new DatabaseServerExtension();
    InitFixture init;

    @BeforeEach
    void fixture() throws Exception {
        init = new InitFixture(servers.tempDir("init-"));
    }

    private static PeerStatus replica(boolean replicating, long lag, String gtid) {
        return new PeerStatus(PeerStatus.REPLICA, true, replicating, replicating ? OptionalLong.of(lag) : OptionalLong.empty(),
                gtid, false);
    }

    @Test
    void aLaggingPreviousPeerIsPassedOverForACurrentOne() throws Exception {
        try (TestDonor lagging = TestDonor.start(source.stream(), Script.http()).answerStatus(replica(true, 300, "0-100-40"));
             TestDonor current = TestDonor.start(source.stream(), Script.http()).answerStatus(replica(true, 0, "0-100-50"));
             LogCapture logs = LogCapture.start()) {
            init.hostname = "mysql-2";
            assertEquals(0, init.donors(lagging.address(), current.address()).run());
            assertEquals(0, lagging.requests(), "no backup asked of the lagging peer");
            assertEquals(1, current.requests());
            assertTrue(logs.text().contains("donor " + current.address() + " (replica, replicating, lag 0 s, gtid 0-100-50):"
                    + " replicating, lag 0 s; then " + lagging.address()), logs.text());
        }
    }

    @Test
    void thePrimaryWithAnEmptyDataDirIsRebuiltFromTheMostAdvancedPeer() throws Exception {
        try (TestDonor behind = TestDonor.start(source.stream(), Script.http()).answerStatus(replica(false, 0, "0-100-7"));
             TestDonor ahead = TestDonor.start(source.stream(), Script.http()).answerStatus(replica(false, 0, "0-100-9"));
             LogCapture logs = LogCapture.start()) {
            init.hostname = "mysql-0";
            assertEquals(0, init.donors(behind.address(), ahead.address()).run());
            assertEquals(0, behind.requests());
            assertEquals(1, ahead.requests());
            String text = logs.text();
            assertTrue(text.contains("init done: mysql-0 is the primary; rebuild: data dir was empty and 2 of 2 peers hold data:"
                    + " cloned the primary from " + ahead.address() + " (" + Files.size(source.stream()) + " bytes); donor "
                    + ahead.address() + " (replica, not replicating, gtid 0-100-9): no peer replicates; the most advanced"
                    + " that holds data (9 transactions)"), text);
        }
        List<String> entries = init.dataDirEntries();
        assertTrue(entries.contains("mysql") && entries.contains(RebuildMarker.FILE), entries.toString());
        assertTrue(Files.readString(init.data.resolve(RebuildMarker.FILE)).contains("donor_gtid_position=0-100-9"));
        assertFalse(entries.contains("master.info") || entries.contains("relay-log.info"), entries.toString());
        assertEquals("[mysqld]\nserver-id=100\nreport_host=mysql-0.mysql\n", Files.readString(init.conf.resolve("server-id.cnf")));
        DatabaseServer rebuilt = servers.startOn(init.data, 100);
        assertEquals(source.fingerprint(), rebuilt.queryOne(SeededServer.FINGERPRINT));
    }

    private static PeerStatus offeringClone(PeerStatus s) {
        return new PeerStatus(s.role(), s.mysqlUp(), s.replicating(), s.lagSeconds(), s.gtidPosition(), s.backupRunning(),
                new PeerStatus.Seeding(true, false, 13306));
    }

    @Test
    void inAutoAReplicaWhoseDonorOffersTheClonePluginIsHandedToServeWithNoBackupAsked() throws Exception {
        try (TestDonor donor = TestDonor.start(source.stream(), Script.http()).answerStatus(offeringClone(replica(true, 0, "u:1-9")));
             LogCapture logs = LogCapture.start()) {
            init.hostname = "mysql-1";
            assertEquals(0, init.donors(donor.address()).run());
            assertEquals(1, donor.statusRequests(), "a single donor is asked in auto");
            assertEquals(0, donor.requests(), "no xbstream asked");
            assertTrue(logs.text().contains("seeding method: clone-plugin from " + donor.address().host() + ":13306"), logs.text());
            assertEquals(List.of(SeedNote.FILE), init.dataDirEntries());
            assertEquals(new SeedNote(SeedNote.Purpose.REPLICA, new HostPort(donor.address().host(), 13306)),
                    SeedNote.read(init.data).orElseThrow(), "the donor's mysqld: its agent's host, the port its status gave");
        }
    }

    @Test
    void inAutoThePrimaryRebuildFromAPeerOfferingTheClonePluginIsHandedToServe() throws Exception {
        try (TestDonor behind = TestDonor.start(source.stream(), Script.http()).answerStatus(offeringClone(replica(false, 0, "u:1-7")));
             TestDonor ahead = TestDonor.start(source.stream(), Script.http()).answerStatus(offeringClone(replica(false, 0, "u:1-9")));
             LogCapture logs = LogCapture.start()) {
            init.hostname = "mysql-0";
            assertEquals(0, init.donors(behind.address(), ahead.address()).run());
            assertEquals(0, behind.requests() + ahead.requests(), "no xbstream asked");
            assertTrue(logs.text().contains("rebuild: data dir was empty and 2 of 2 peers hold data: the primary is rebuilt by"
                    + " serve's CLONE from " + ahead.address().host() + ":13306"), logs.text());
        }
        assertEquals(List.of(RebuildMarker.FILE, SeedNote.FILE), init.dataDirEntries(), "dot-files only: mysqld initialises beside them");
        SeedNote note = SeedNote.read(init.data).orElseThrow();
        assertEquals(SeedNote.Purpose.REBUILD_PRIMARY, note.purpose());
        assertTrue(Files.readString(init.data.resolve(RebuildMarker.FILE)).contains("donor_gtid_position=u:1-9"));
        RebuildFence fence = RebuildFence.of(init.conf, init.data);
        assertTrue(Files.readString(fence.path()).contains("[mysqld]\nbind-address=127.0.0.1\n"),
                "the empty server mysqld starts is out of the replicas' reach until serve's CLONE");

        // The pod restarted after mysqld initialised beside the note but before the CLONE: init (whose conf dir
        // lost the fence with the pod) fences it again, because the note still says a rebuild is pending.
        Files.writeString(init.data.resolve("ibdata1"), "mysqld's own files");
        Files.delete(fence.path());
        try (LogCapture logs = LogCapture.start()) {
            assertEquals(0, init.run(), logs.text());
            assertTrue(logs.text().contains("wrote " + fence.path() + ": mysqld listens on 127.0.0.1 only"), logs.text());
        }
        assertTrue(fence.present());

        // serve lifted it for its CLONE, then the pod was replaced before serve removed the note (a new pod's conf
        // dir is empty): the server may hold the clone, and a fence now would keep it from its replicas for good.
        fence.liftForClone();
        assertEquals(0, init.run());
        assertFalse(fence.present(), "no fence while serve's clone may have filled the server");
        assertTrue(SeedNote.read(init.data).isPresent(), "the note is serve's to remove");

        // That clone did not complete: serve raised the fence again; a new pod's init fences the empty server too.
        fence.raise();
        Files.delete(fence.path());
        assertEquals(0, init.run());
        assertTrue(fence.present(), "a failed clone leaves an empty server: fenced again");
    }

    @Test
    void peersWithoutDataLeaveThePrimaryEmpty() throws Exception {
        PeerStatus empty = new PeerStatus(PeerStatus.REPLICA, true, false, OptionalLong.empty(), "", false);
        try (TestDonor peer = TestDonor.start(source.stream(), Script.http()).answerStatus(empty);
             LogCapture logs = LogCapture.start()) {
            init.hostname = "mysql-0";
            init.rebuildWait = java.time.Duration.ofSeconds(30);
            RebuildFence.of(Files.createDirectories(init.conf), init.data).raise();
            assertEquals(0, init.donors(peer.address()).run());
            assertEquals(1, peer.statusRequests(), "every peer answered without data: asked once, not polled for 30 s");
            assertEquals(0, peer.requests());
            assertTrue(logs.text().contains("rebuild: no peer holds data"), logs.text());
            assertTrue(logs.text().contains("removed " + RebuildFence.of(init.conf, init.data).path() + " (left by an earlier rebuild"), logs.text());
        }
        assertEquals(List.of(), init.dataDirEntries());
        assertFalse(RebuildFence.of(init.conf, init.data).present(), "a fence left in the conf dir (an emptyDir) goes: the first start listens everywhere");
    }

    @Test
    void aPeerThatIsThereButCannotSayKeepsThePrimaryFromStartingEmpty() throws Exception {
        // The tutorial's sidecar answers the question with a backup stream: a pod with data that cannot report it.
        try (TestDonor sidecar = TestDonor.start(source.stream(), Script.raw());
             LogCapture logs = LogCapture.start()) {
            init.hostname = "mysql-0";
            assertEquals(1, init.donors(sidecar.address()).run());
            String text = logs.text();
            assertTrue(text.contains("has no database and no peer reported data, but 1 of 1 peers answered without a"
                    + " readable /status (" + sidecar.address() + " (no status: the tutorial's sidecar"), text);
            assertTrue(text.contains("To start an empty primary anyway: --rebuild-primary false"), text);
            assertFalse(text.contains("first start of the cluster"), text);
        }
        assertEquals(List.of(), init.dataDirEntries(), "nothing cloned, nothing initialised");
        assertFalse(Files.exists(init.conf.resolve("server-id.cnf")) && init.dataDirEntries().contains("mysql"));
    }
}
