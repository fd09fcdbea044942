package io.statefulset.agent.flow;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statefulset.agent.testing.ExternalCommand;
import io.statefulset.agent.testing.LogCapture;
import io.statefulset.agent.testing.DatabaseServerExtension;
import io.statefulset.agent.testing.PausedDownload;
import io.statefulset.agent.testing.SecretVolume;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Secrets rotated the way Kubernetes rotates a mounted Secret, under a running {@code serve}. */
class SecretRotationTest {
    static final String OLD = "old-t0ken-7c1";
    static final String NEW = "new-t0ken-9e4";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @RegisterExtension
    final DatabaseServerExtension servers = new DatabaseServerExtension();

    @Test
    void aRotatedTokenIsRequiredAfterTheGraceAndABackupStartedWithTheOldOneFinishes() throws Exception {
        Path dir = servers.tempDir("token-volume-");
        SecretVolume volume = SecretVolume.create(dir, Map.of("token", bytes(OLD)));
        try (LogCapture logs = LogCapture.start();
             Primary primary = Primary.start(2000, "--token-file", volume.file("token").toString(), "--token-grace", "3s",
                     "--send-stall-timeout", "5m")) {
            InProcessServe serve = primary.serve;
            double loaded = serve.metric("mysql_agent_secret_loaded_timestamp_seconds{secret=\"token\"}").orElseThrow();
            try (PausedDownload running = PausedDownload.start(null, "127.0.0.1", serve.port(), "Authorization: Bearer " + OLD)) {
                assertEquals("HTTP/1.1 200 OK", running.statusLine());
                assertEquals(401, backup(serve, NEW), "not yet rotated");

                volume.update(Map.of("token", bytes(NEW)));
                // 503 means the token passed and the one slot is busy; 401 means the token was refused.
                await("the new token to be accepted").atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> backup(serve, NEW) == 503);
                await("the old token to be refused after the grace period").atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> backup(serve, OLD) == 401);
                assertEquals(503, backup(serve, NEW));
                assertEquals(1.0, serve.metric("mysql_agent_backup_in_progress").orElseThrow(), "the first backup still runs");

                PausedDownload.Finished done = running.finish();
                assertTrue(done.succeeded(), "the backup started with the old token finishes: " + done);
            }
            assertEquals(200, curlBackup(serve, NEW), "the new token clones");
            assertTrue(serve.metric("mysql_agent_secret_loaded_timestamp_seconds{secret=\"token\"}").orElseThrow() > loaded,
                    "the metric shows the reload");
            String text = logs.text();
            assertEquals(1, text.lines().filter(l -> l.contains("the /backup token in") && l.contains("changed")).count(), text);
            assertFalse(text.contains(OLD) || text.contains(NEW), "no token in the log");
        }
    }

    @Test
    void aRotatedMysqlPasswordIsUsedByTheNextBackupAndReadiness() throws Exception {
        Path dir = servers.tempDir("password-volume-");
        SecretVolume volume = SecretVolume.create(dir, Map.of("password", bytes("first-pw")));
        try (Primary primary = Primary.startWithoutServe(2000)) {
            primary.db.execute("CREATE USER 'agent'@'127.0.0.1' IDENTIFIED BY 'first-pw'", "GRANT ALL ON *.* TO 'agent'@'127.0.0.1' WITH GRANT OPTION");
            primary.serve = primary.startServe("--mysql-user", "agent", "--mysql-password-file", volume.file("password").toString());
            InProcessServe serve = primary.serve;
            serve.awaitStatus("/readyz", 200, Duration.ofSeconds(30));
            assertEquals(200, curlBackup(serve, null));
            double loaded = serve.metric("mysql_agent_secret_loaded_timestamp_seconds{secret=\"mysql-password\"}").orElseThrow();

            primary.db.execute("ALTER USER 'agent'@'127.0.0.1' IDENTIFIED BY 'second-pw'");
            volume.update(Map.of("password", bytes("second-pw")));
            await("serve to load the new password").atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> serve.metric("mysql_agent_secret_loaded_timestamp_seconds{secret=\"mysql-password\"}").orElseThrow() > loaded);

            assertEquals(200, curlBackup(serve, null), "the next backup's defaults file holds the new password");
            serve.awaitStatus("/readyz", 200, Duration.ofSeconds(30));
        }
    }

    private static byte[] bytes(String s) {
        return (s + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The status of {@code GET /backup} with {@code token}; the body is not read (a 200 is closed at once). */
    private static int backup(InProcessServe serve, String token) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://" + serve.address() + "/backup"))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).GET().build();
        HttpResponse<java.io.InputStream> response = HTTP.send(r, HttpResponse.BodyHandlers.ofInputStream());
        response.body().close();
        return response.statusCode();
    }

    /** A whole backup through curl; 200 only with the success trailer. */
    private static int curlBackup(InProcessServe serve, String token) throws Exception {
        Path work = Files.createTempDirectory("rotation-curl-");
        try {
            String auth = token == null ? "" : " -H 'Authorization: Bearer " + token + "'";
            ExternalCommand.succeed(ExternalCommand.bash("curl -sS -D " + work.resolve("headers") + auth + " -o /dev/null http://"
                    + serve.address() + "/backup"), work.resolve("curl.log"));
            String headers = Files.readString(work.resolve("headers"));
            if (!headers.contains("X-Backup-Status: success")) throw new AssertionError(headers);
            return Integer.parseInt(headers.lines().findFirst().orElseThrow().split(" ")[1]);
        } finally {
            DatabaseServerExtension.deleteTree(work);
        }
    }
}
