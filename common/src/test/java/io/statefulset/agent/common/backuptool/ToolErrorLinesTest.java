package io.statefulset.agent.common.backuptool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** On real outputs of mariadb-backup 10.11 (recorded from this project's own runs, paths shortened). */
class ToolErrorLinesTest {
    static List<String> resource(String name) throws IOException {
        try (InputStream in = ToolErrorLinesTest.class.getResourceAsStream("/tool-output/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    @Test
    void aWrappedRedoLogIsTheToolsTwoLinesNotItsFileChatter() throws IOException {
        List<String> lines = ToolErrorLines.of(resource("mariadb-backup-10.11-redo-wrap.err"));
        assertEquals(List.of("Was only able to copy log from 240273823 to 243160115, not 247274645",
                "mariabackup: Try increasing the innodb_log_file_size."), lines);
    }

    @Test
    void filesNamedAfterErrorsAreChatterNotErrors() {
        ToolErrorLines lines = new ToolErrorLines();
        lines.add("[01] 2026-12-01 07:20:02 Streaming ./sys/x@0024statements_with_errors_or_warnings.frm to <STDOUT>");
        lines.add("[01] 2026-12-01 07:20:02         ...done");
        lines.add("[00] 2026-12-01 07:20:03 Copied file ./mysql/slow_log.CSV for log table `mysql`.`slow_log`, 0 bytes");
        assertFalse(lines.statedAnError());
        assertEquals(List.of(), lines.lines());
    }

    @Test
    void aFailedPrepareIsInnodbsErrorAndTheToolsVerdict() throws IOException {
        List<String> lines = ToolErrorLines.of(resource("mariadb-backup-10.11-prepare-small-log.out"));
        assertEquals(List.of("[ERROR] InnoDB: File ./ib_logfile0 is too small",
                "mariadb-backup: srv_start() returned 11 (Generic error)."), lines);
    }

    @Test
    void xtrabackupsWrapReportKeepsItsCauseAndItsVerdict() {
        List<String> lines = ToolErrorLines.of(List.of(
                "xtrabackup: error: log block numbers mismatch:",
                "xtrabackup: error: expected log block no. 293842034, but got no. 13324598 from the log file.",
                "xtrabackup: error: it looks like InnoDB log has wrapped around before xtrabackup could process all records"
                        + " due to either log copying being too slow, or log files being too small.",
                "xtrabackup: Error: xtrabackup_copy_logfile() failed."));
        assertEquals(4, lines.size(), lines.toString());
        assertTrue(RedoWrap.reportedIn(lines));
    }

    @Test
    void manyErrorsKeepTheFirstAndTheLastAndSayHowManyWereLeftOut() {
        ToolErrorLines lines = new ToolErrorLines();
        for (int i = 1; i <= 12; i++) lines.add("[0" + (i % 3) + "] 2026-12-01 07:18:36 Error: copy " + i + " failed");
        List<String> kept = lines.lines();
        assertEquals("Error: copy 1 failed", kept.get(0));
        assertEquals("(4 more)", kept.get(ToolErrorLines.HEAD));
        assertEquals("Error: copy 12 failed", kept.get(kept.size() - 1));
        assertEquals(ToolErrorLines.HEAD + 1 + ToolErrorLines.TAIL, kept.size());
    }

    @Test
    void aRepeatedLineIsKeptOnce() {
        ToolErrorLines lines = new ToolErrorLines();
        lines.add("mariadb-backup: Error writing file 'UNKNOWN' (errno: 32 \"Broken pipe\")");
        lines.add("[00] 2026-12-01 07:18:36 Error: copy_file() failed.");
        lines.add("mariadb-backup: Error writing file 'UNKNOWN' (errno: 32 \"Broken pipe\")");
        assertEquals(List.of("mariadb-backup: Error writing file 'UNKNOWN' (errno: 32 \"Broken pipe\")", "Error: copy_file() failed."),
                lines.lines());
    }

    @Test
    void aToolThatStatesNoErrorIsRepresentedByItsLastLines() {
        ToolErrorLines lines = new ToolErrorLines();
        for (int i = 1; i <= 6; i++) lines.add("step " + i);
        assertEquals(List.of("step 3", "step 4", "step 5", "step 6"), lines.lines());
    }

    @Test
    void aRunawayLineIsCut() {
        ToolErrorLines lines = new ToolErrorLines();
        lines.add("error: " + "x".repeat(1000));
        assertEquals(ToolErrorLines.MAX_LINE, lines.lines().get(0).length());
    }

    @Test
    void prefixesOfBothToolsAreDropped() {
        assertEquals("Was only able", ToolErrorLines.withoutPrefix("[00] 2026-12-01 07:19:25 Was only able"));
        assertEquals("[ERROR] InnoDB: x", ToolErrorLines.withoutPrefix("2026-12-01  7:20:16 0 [ERROR] InnoDB: x"));
        assertEquals("[ERROR] [MY-011825] [Xtrabackup] x",
                ToolErrorLines.withoutPrefix("2026-12-01T07:20:16.123456-00:00 0 [ERROR] [MY-011825] [Xtrabackup] x"));
    }
}
