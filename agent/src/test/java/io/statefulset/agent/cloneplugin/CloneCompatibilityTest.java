package io.statefulset.agent.cloneplugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statefulset.agent.replication.dialect.ServerVersion;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CloneCompatibilityTest {
    private static Optional<String> refusal(String donor, String recipient) {
        return CloneCompatibility.refusal(ServerVersion.parse(donor), ServerVersion.parse(recipient));
    }

    @Test
    void theSameReleaseClones() {
        assertEquals(Optional.empty(), refusal("8.0.33", "8.0.33"));
        assertEquals(Optional.empty(), refusal("8.4.3", "8.4.0"), "8.4 LTS clones across point releases");
        assertEquals(Optional.empty(), refusal("8.0.39", "8.0.37"), "8.0.37+ clones across point releases");
    }

    @Test
    void refusalsNameBothVersionsAndTheFix() {
        assertTrue(refusal("8.0.32", "8.0.33").orElseThrow().contains("MySQL 8.0.32 and this replica MySQL 8.0.33"));
        assertTrue(refusal("8.0.36", "8.0.37").orElseThrow().contains("same point release"), "below 8.0.37 the patch must match");
        assertTrue(refusal("8.4.3", "8.0.33").orElseThrow().contains("one release series"));
        assertTrue(refusal("9.1.1", "9.1.0").orElseThrow().contains("same point release"), "innovation releases match exactly");
        assertTrue(refusal("10.11.19-MariaDB-0+deb12u1-log", "8.0.33").orElseThrow().contains("runs MariaDB 10.11.19"));
        assertTrue(refusal("8.0.16", "8.0.16").orElseThrow().contains("8.0.17 or later"));
        assertTrue(refusal("5.7.44-log", "8.0.33").orElseThrow().contains("--clone-method xbstream"));
    }

    @Test
    void theFirstCloneReleaseIs8017() {
        assertTrue(CloneCompatibility.supportsClone(ServerVersion.parse("8.0.17")));
        assertFalse(CloneCompatibility.supportsClone(ServerVersion.parse("8.0.16")));
        assertFalse(CloneCompatibility.supportsClone(ServerVersion.parse("11.4.5-MariaDB")));
    }
}
