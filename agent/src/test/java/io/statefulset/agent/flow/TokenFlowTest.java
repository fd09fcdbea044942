package io.statefulset.agent.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statefulset.agent.testing.ExternalCommand;
import io.statefulset.agent.testing.LogCapture;
import io.statefulset.agent.testing.DatabaseServer;
import io.statefulset.agent.testing.DatabaseServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code serve --token-file} on the primary: init with the same secret clones, a wrong one gets nothing, curl with it clones. */
class TokenFlowTest {
    static final String TOKEN = "flow-t0ken-4f9c2e";
    static Path tokenDir;
    static Primary primary;

    @RegisterExtension
    final DatabaseServerExtension servers = new DatabaseServerExtension();

    @BeforeAll
    static void startPrimary() throws Exception {
        tokenDir = Files.createTempDirectory("flow-token-");
        // As a Kubernetes Secret volume leaves it: with a trailing newline.
        Files.writeString(tokenDir.resolve("token"), TOKEN + "\n");
        Files.writeString(tokenDir.resolve("wrong"), "not-the-t0ken\n");
        primary = Primary.start(2000, "--token-file", tokenDir.resolve("token").toString());
    }

    @AfterAll
    static void stopPrimary() throws Exception {
        if (primary != null) primary.close();
        DatabaseServerExtension.deleteTree(tokenDir);
    }

    @Test
    void initWithTheSameTokenClonesAndWithAWrongOneFailsNamingTheToken() throws Exception {
        Pod pod = Pod.create("mysql-1", servers);
        double backupsBefore = primary.serve.backupsFinished();
        double bytesBefore = primary.serve.metric("mysql_agent_backup_bytes_total").orElseThrow();
        try (LogCapture logs = LogCapture.start()) {
            Pod.Result wrong = pod.init("--donor", primary.serve.address(), "--token-file", tokenDir.resolve("wrong").toString());
            assertEquals(1, wrong.exitCode());
            assertTrue(logs.text().contains("token rejected by donor " + primary.serve.address()
                    + " (HTTP 401): check --token-file on both sides"), logs.text());
            assertEquals(List.of(), pod.dataDirEntries(), "nothing that looks initialised, no staging left");
            assertEquals(backupsBefore, primary.serve.backupsFinished(), "a 401 starts no backup");
            assertEquals(bytesBefore, primary.serve.metric("mysql_agent_backup_bytes_total").orElseThrow(), "and sends no byte");

            Pod.Result right = pod.init("--donor", primary.serve.address(), "--token-file", tokenDir.resolve("token").toString());
            assertEquals(0, right.exitCode(), logs.text());
            assertFalse(logs.text().contains(TOKEN), "the token never reaches the logs");
            assertFalse(logs.text().contains("not-the-t0ken"), "nor a wrong one");
        }
        assertTrue(pod.dataDirEntries().contains("mysql"), pod.dataDirEntries().toString());
        DatabaseServer replica = pod.startMysqld(servers);
        assertEquals(AppTable.fingerprint(primary.db), AppTable.fingerprint(replica));
        assertEquals(backupsBefore + 1, primary.serve.backupsFinished());
    }


    @Test
    void curlWithTheBearerTokenPipedIntoMbstreamClones() throws Exception {
        Path work = servers.tempDir("curl-clone-");
        Path target = Files.createDirectories(work.resolve("data"));
        Path headers = work.resolve("headers.txt");
        ExternalCommand.succeed(ExternalCommand.bash("curl -sS --fail -D " + headers + " -H \"Authorization: Bearer $(cat " + tokenDir.resolve("token")
                + ")\" http://" + primary.serve.address() + "/backup | mbstream -x -C " + target), work.resolve("curl.log"));
        String received = Files.readString(headers);
        assertTrue(received.contains("X-Backup-Status: success"), received);
        ExternalCommand.succeed(List.of("mariadb-backup", "--prepare", "--target-dir=" + target, "--tmpdir=" + Files.createDirectories(work.resolve("tmp"))), work.resolve("prepare.log"));

        DatabaseServer copy = servers.startOn(target, 150);
        assertEquals(AppTable.fingerprint(primary.db), AppTable.fingerprint(copy));
        assertEquals(AppTable.checksum(primary.db), AppTable.checksum(copy));
    }
}
