package io.statefulset.agent.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statefulset.agent.testing.LogCapture;
import io.statefulset.agent.testing.DatabaseServer;
import io.statefulset.agent.testing.DatabaseServerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real clone (mariadb-backup on a real mariadbd, {@code --parallel=2}, so files arrive interleaved) through
 * each {@code serve --compression}: init decodes, verifies and prepares it, the replica starts with the primary's
 * rows, and the donor's log and metrics name the coding and the rate cap.
 */
class WireCompressionFlowTest {
    static Primary primary;

    @RegisterExtension
    final DatabaseServerExtension servers = new DatabaseServerExtension();

    @BeforeAll
    static void startPrimary() throws Exception {
        primary = Primary.startWithoutServe(3000);
    }

    @AfterAll
    static void stopPrimary() throws Exception {
        if (primary != null) primary.close();
    }

    @ParameterizedTest(name = "--compression {0}")
    @CsvSource({
            "zstd, zstd-1, zstd",
            "lz4, lz4, lz4",
            "none, identity, identity",
            // init and serve share 127.0.0.1 here: auto sends a same-host client plain bytes.
            "auto, identity, identity"})
    void initClonesThroughEachCoding(String mode, String logged, String encoding) throws Exception {
        try (InProcessServe serve = primary.startServe("--compression", mode, "--max-rate", "2G", "--backup-parallel", "2");
             LogCapture logs = LogCapture.start()) {
            Pod pod = Pod.create("mysql-1", servers);
            Pod.Result result = pod.init("--donor", serve.address());
            assertEquals(0, result.exitCode(), logs.text());
            assertTrue(logs.text().contains("(http, " + logged + ", max rate 2000.0 MB/s) started: mariadb-backup pid"), logs.text());
            assertTrue(logs.text().contains(", --parallel=2,"), logs.text());

            double raw = serve.metric("mysql_agent_backup_bytes_total").orElseThrow();
            double wire = serve.metric("mysql_agent_backup_wire_bytes_total{encoding=\"" + encoding + "\"}").orElseThrow();
            if (encoding.equals("identity")) {
                assertTrue(wire >= raw, "plain bytes plus the HTTP framing: " + wire + " for " + raw);
            } else {
                assertTrue(wire > 0 && wire < raw / 2, "InnoDB files shrink on the wire: " + wire + " for " + raw);
            }
            assertEquals(2e9, serve.metric("mysql_agent_backup_max_rate_bytes_per_second").orElseThrow());

            DatabaseServer replica = pod.startMysqld(servers);
            assertEquals(AppTable.fingerprint(primary.db), AppTable.fingerprint(replica));
        }
    }
}
