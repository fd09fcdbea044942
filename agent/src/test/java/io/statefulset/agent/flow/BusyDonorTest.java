package io.statefulset.agent.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statefulset.agent.clone.CloneFailureRecord;
import io.statefulset.agent.common.backuptool.FailureCause;
import io.statefulset.agent.testing.LogCapture;
import io.statefulset.agent.testing.MariaDb;
import io.statefulset.agent.testing.MariaDbExtension;
import io.statefulset.agent.testing.SteadyWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Clones from donors that take writes while they back up. With the shipped redo size a clone holds a steady writer;
 * a donor with a deliberately small redo log (4 MiB, mariadbd's minimum) wraps it: the replica's log says so in
 * mariadb-backup's own words, with the cause and the setting to change, and init moves on to the next donor.
 */
class BusyDonorTest {
    /** The write rate README documents for the shipped settings: bytes of row data per second. */
    static final long WRITE_RATE = 8_000_000;
    /** Bounds the writer whatever happens to the clone. */
    static final long MAX_WRITES = 400_000_000;
    /** ~50 MB of rows in the donors, so that a backup lasts long enough for the writer to matter. */
    static final int SEED_ROWS = 12_000;
    static final String SMALL_REDO = "--innodb-log-file-size=4M";

    static Primary shipped;
    static Primary small;

    @RegisterExtension
    final MariaDbExtension servers = new MariaDbExtension();

    @BeforeAll
    static void startDonors() throws Exception {
        shipped = donor(ShippedServerConfig.innodbOptions());
        small = donor(List.of(SMALL_REDO));
    }

    private static Primary donor(List<String> mysqldArgs) throws Exception {
        Primary p = Primary.startWithoutServe(1000, mysqldArgs.toArray(String[]::new));
        try {
            SteadyWriter.seed(p.db, SEED_ROWS);
            p.serve = p.startServe();
            return p;
        } catch (Exception | Error e) {
            p.close();
            throw e;
        }
    }

    @AfterAll
    static void stopDonors() throws Exception {
        for (Primary p : new Primary[] {shipped, small}) if (p != null) p.close();
    }

    @Test
    void aCloneWhileAWriterLoadsTheSourceSucceedsWithTheShippedRedoLog() throws Exception {
        Pod pod = Pod.create("mysql-1", servers);
        long lsnBefore = SteadyWriter.lsn(shipped.db);
        Pod.Result init;
        long written;
        double rate;
        try (SteadyWriter writer = SteadyWriter.on(shipped.db, WRITE_RATE, MAX_WRITES)) {
            init = pod.init(shipped.donorFlag());
            written = writer.bytes();
            rate = writer.bytesPerSecond();
        }
        long redo = SteadyWriter.lsn(shipped.db) - lsnBefore;
        assertEquals(0, init.exitCode(), init.err());
        assertTrue(redo > 4L << 20, "the load produced " + redo + " bytes of redo during the clone, more than the small"
                + " donor's whole log (" + written + " bytes written at " + (long) rate + " B/s)");

        MariaDb replica = pod.startMysqld(servers);
        long cloned = SteadyWriter.maxId(replica);
        assertTrue(cloned >= SEED_ROWS, "the clone has the seeded rows: " + cloned);
        assertEquals(SteadyWriter.fingerprint(shipped.db, cloned), SteadyWriter.fingerprint(replica, cloned),
                "the clone holds exactly the source's rows up to its point in time");
        assertEquals(AppTable.fingerprint(shipped.db), AppTable.fingerprint(replica));
    }

    @Test
    void aDonorWhoseRedoLogWrapsIsReportedInTheToolsWordsAndInitMovesOnToTheNextDonor() throws Exception {
        Pod pod = Pod.create("mysql-2", servers);
        Pod.Result init;
        List<String> flags = new ArrayList<>(List.of(small.donorFlag()));
        flags.addAll(List.of(shipped.donorFlag()));
        try (LogCapture logs = LogCapture.start()) {
            try (SteadyWriter writer = SteadyWriter.on(small.db, WRITE_RATE, MAX_WRITES)) {
                init = pod.init(flags.toArray(String[]::new));
            }
            String log = logs.text();
            assertEquals(0, init.exitCode(), init.err());
            String failure = "clone from " + small.serve.address() + " failed [redo-wrap]: donor " + small.serve.address()
                    + " reported its backup failed: mariadb-backup failed (exit 1) [redo-wrap]: Was only able to copy log from ";
            assertTrue(log.contains(failure), "the small donor's redo log wrapped, in mariadb-backup's words:\n" + log);
            String line = log.lines().filter(l -> l.contains(failure)).findFirst().orElseThrow();
            assertTrue(line.contains("mariabackup: Try increasing the innodb_log_file_size."), "the tool's hint, whole: " + line);
            assertTrue(line.contains("the donor's redo log 4 MiB (innodb_log_file_size) wrapped: the backup needed "), line);
            assertTrue(line.matches(".*innodb_log_file_size=\\d+[MG] would have held.*"), line);
            assertTrue(!line.contains("Streaming ") && !line.contains("...done"), "no progress chatter: " + line);
            assertTrue(log.contains("wiped the staging area"), log);
            assertTrue(log.contains("from " + shipped.serve.address() + " in ") && log.contains("after 1 donor failure (redo-wrap 1)"), log);
            assertTrue(log.contains("backup for ") && log.contains("failed [redo-wrap]: "), "serve's own line names the cause: " + log);
        }
        assertEquals(1.0, small.serve.metric("mysql_agent_backup_failures_total{cause=\"redo-wrap\"}").orElseThrow());
        assertEquals(Map.of(FailureCause.REDO_WRAP, 1), CloneFailureRecord.read(pod.data), "what serve will export for this clone");
        MariaDb replica = pod.startMysqld(servers);
        assertEquals(AppTable.fingerprint(shipped.db), AppTable.fingerprint(replica), "cloned from the next donor");
    }
}
