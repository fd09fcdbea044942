package io.statefulset.agent.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import io.statefulset.agent.testing.ExternalCommand;
import io.statefulset.agent.testing.LogCapture;
import io.statefulset.agent.testing.DatabaseServer;
import io.statefulset.agent.testing.DatabaseServerExtension;
import io.statefulset.agent.testing.NcatLegacyDonor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A cluster migrated pod by pod, with the tutorial's bash on one side and the agent on the other: each replica ends
 * up replicating, set up by the agent's {@code serve} from whatever files the clone left. (Init from the ncat sidecar
 * alone is InitCloneTest's; the raw stream alone is LegacyRawStreamTest's.)
 */
class TutorialInteropTest {
    static final Duration READY = Duration.ofSeconds(30);
    static Primary primary;

    @RegisterExtension
    final DatabaseServerExtension servers = new DatabaseServerExtension();

    @BeforeAll
    static void startPrimary() throws Exception {
        primary = Primary.start(2000, "--legacy-raw-stream");
    }

    @AfterAll
    static void stopPrimary() throws Exception {
        if (primary != null) primary.close();
    }

    @Test
    void theTutorialsCloneContainerClonesFromServeAndServeSetsTheReplicaUp() throws Exception {
        Pod pod = Pod.create("mysql-1", servers);
        // clone-mysql, as the tutorial writes it (mbstream being MariaDB's xbstream): no request, no token.
        try (LogCapture logs = LogCapture.start()) {
            ExternalCommand.succeed(ExternalCommand.bash("ncat --recv-only 127.0.0.1 " + primary.serve.port() + " | mbstream -x -C " + pod.data),
                    pod.base.resolve("ncat.log"));
            assertTrue(logs.text().contains("(raw) succeeded"), "the primary's serve sent the raw stream: " + logs.text());
        }
        ExternalCommand.succeed(List.of("mariadb-backup", "--prepare", "--target-dir=" + pod.data, "--tmpdir=" + pod.tmp), pod.base.resolve("prepare.log"));
        assertTrue(pod.dataDirEntries().contains("xtrabackup_binlog_info"), pod.dataDirEntries().toString());

        DatabaseServer replica = servers.startOn(pod.data, 101);
        try (LogCapture logs = LogCapture.start(); InProcessServe serve = pod.serve(replica, primary.db.port())) {
            serve.awaitStatus("/readyz", 200, READY);
            logs.awaitLine("replication setup: CONFIGURED: GTID 0-100-", READY);
            AppTable.writeAndAwait(primary.db, 300_001, replica);
            assertEquals(AppTable.checksum(primary.db), AppTable.checksum(replica));
        }
    }

    @Test
    void initClonesFromTheTutorialsSidecarAndServeSetsTheReplicaUpFromWhatItLeft() throws Exception {
        Pod pod = Pod.create("mysql-1", servers);
        Path backupLog = pod.base.resolve("sidecar-backup.log");
        try (NcatLegacyDonor sidecar = NcatLegacyDonor.start(primary.db, backupLog); LogCapture logs = LogCapture.start()) {
            Pod.Result init = pod.init("--donor", sidecar.address().toString());
            assertEquals(0, init.exitCode(), logs.text());
            assertTrue(logs.text().contains("is a legacy sidecar"), logs.text());
        }
        String binlogInfo = Files.readString(pod.data.resolve("xtrabackup_binlog_info"));
        assertEquals(3, binlogInfo.strip().split("\t").length, "MariaDB's three fields, which broke the tutorial's regex: " + binlogInfo);

        DatabaseServer replica = pod.startMysqld(servers);
        try (LogCapture logs = LogCapture.start(); InProcessServe serve = pod.serve(replica, primary.db.port())) {
            serve.awaitStatus("/readyz", 200, READY);
            String configured = "replication setup: CONFIGURED: GTID " + binlogInfo.strip().split("\t")[2]
                    + " from xtrabackup_binlog_info";
            logs.awaitLine(configured, READY);
            Map<String, String> status = AppTable.slaveStatus(replica);
            assertEquals(String.valueOf(primary.db.port()), status.get("Master_Port"), status.toString());
            AppTable.writeAndAwait(primary.db, 300_002, replica);
            assertEquals(AppTable.checksum(primary.db), AppTable.checksum(replica));
        }
    }
}
