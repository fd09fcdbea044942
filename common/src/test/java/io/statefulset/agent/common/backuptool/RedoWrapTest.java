package io.statefulset.agent.common.backuptool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RedoWrapTest {
    @Test
    void mariadbBackupsLsnsAreParsed() {
        List<String> lines = List.of("Was only able to copy log from 240273823 to 243160115, not 247274645",
                "mariabackup: Try increasing the innodb_log_file_size.");
        RedoWrap wrap = RedoWrap.parse(lines).orElseThrow();
        assertEquals(new RedoWrap(240273823L, 243160115L, 247274645L), wrap);
        assertEquals(247274645L - 240273823L, wrap.redoWritten());
        assertEquals(FailureCause.REDO_WRAP, RedoWrap.causeOf(lines));
    }

    @Test
    void otherFailuresAreTheToolsOwn() {
        List<String> lines = List.of("Error: copy_file() failed.", "Access denied for user 'root'@'localhost'");
        assertFalse(RedoWrap.reportedIn(lines));
        assertEquals(Optional.empty(), RedoWrap.parse(lines));
        assertEquals(FailureCause.BACKUP_TOOL, RedoWrap.causeOf(lines));
    }

    @Test
    void xtrabackupsWordsAreAWrapWithoutNumbers() {
        List<String> lines = List.of("xtrabackup: error: log block numbers mismatch:");
        assertTrue(RedoWrap.reportedIn(lines));
        assertEquals(Optional.empty(), RedoWrap.parse(lines));
    }

    @Test
    void labelsRoundTrip() {
        for (FailureCause c : FailureCause.values()) assertEquals(Optional.of(c), FailureCause.ofLabel(c.label()));
        assertEquals(Optional.empty(), FailureCause.ofLabel("from-the-future"));
    }
}
