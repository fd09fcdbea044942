package io.statefulset.agent.clone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.common.protocol.PeerStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeedMethodTest {
    static final HostPort M0 = new HostPort("mysql-0.mysql", 3307);

    static PeerReport primary(PeerStatus.Seeding seeding) {
        return PeerReport.answered(M0, new PeerStatus(PeerStatus.PRIMARY, true, false, OptionalLong.empty(), "u:1-5", false, seeding));
    }

    @Test
    void aDonorOfferingTheClonePluginGetsTheCloneOnItsMysqldPort() {
        SeedMethod m = SeedMethod.decide(primary(new PeerStatus.Seeding(true, false, 3306)));
        assertEquals(Optional.of(new HostPort("mysql-0.mysql", 3306)), m.clonePluginDonor());
        assertTrue(m.reason().startsWith("seeding method: clone-plugin from mysql-0.mysql:3306 (--clone-method auto; donor"
                + " mysql-0.mysql:3307 offers it: clone plugin yes, backup tool no)"), m.reason());
    }

    @Test
    void withoutThePluginOrAnyStatusTheXbstreamCloneRunsAsBefore() {
        SeedMethod noPlugin = SeedMethod.decide(primary(new PeerStatus.Seeding(false, true, 3306)));
        assertEquals(Optional.empty(), noPlugin.clonePluginDonor());
        assertTrue(noPlugin.reason().contains("offers no CLONE plugin (clone plugin no, backup tool yes)"), noPlugin.reason());
        // An agent from before the seeding keys: reads as no plugin.
        PeerStatus old = PeerStatus.parse("role=primary\nmysql=up\ngtid_position=u:1-5\n").orElseThrow();
        assertEquals(Optional.empty(), SeedMethod.decide(PeerReport.answered(M0, old)).clonePluginDonor());
        SeedMethod sidecar = SeedMethod.decide(PeerReport.legacySidecar(M0));
        assertEquals(Optional.empty(), sidecar.clonePluginDonor());
        assertTrue(sidecar.reason().contains("gave no status (the tutorial's sidecar"), sidecar.reason());
        SeedMethod down = SeedMethod.decide(PeerReport.answered(M0, new PeerStatus(PeerStatus.PRIMARY, false, false,
                OptionalLong.empty(), "", false, new PeerStatus.Seeding(true, false, 3306))));
        assertEquals(Optional.empty(), down.clonePluginDonor(), "a donor whose mysqld is down cannot serve a CLONE");
        assertEquals(Optional.empty(), SeedMethod.decide(PeerReport.silent(M0, "connection refused")).clonePluginDonor());
    }

    @Test
    void theNoteReadsBackAndANoteThatIsNotOursNamesTheFile(@TempDir Path dataDir) throws Exception {
        assertEquals(Optional.empty(), SeedNote.read(dataDir));
        SeedNote note = new SeedNote(SeedNote.Purpose.REBUILD_PRIMARY, new HostPort("mysql-2.mysql", 3306));
        note.write(dataDir);
        assertEquals(Optional.of(note), SeedNote.read(dataDir));
        try (var entries = Files.list(dataDir)) {
            assertTrue(entries.allMatch(p -> p.getFileName().toString().startsWith(".")), "only dot-files: mysqld --initialize ignores them");
        }
        Files.writeString(SeedNote.path(dataDir), "purpose=replica\n");
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> SeedNote.read(dataDir));
        assertTrue(e.getMessage().contains(SeedNote.path(dataDir) + " is not a clone hand-over") && e.getMessage().contains("delete it"),
                e.getMessage());
        SeedNote.delete(dataDir);
        assertEquals(Optional.empty(), SeedNote.read(dataDir));
    }
}
