package io.statefulset.agent.flow;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statefulset.agent.testing.LogCapture;
import io.statefulset.agent.testing.DatabaseServer;
import io.statefulset.agent.testing.DatabaseServerExtension;
import io.statefulset.agent.testing.PausedDownload;
import io.statefulset.agent.testing.SecretVolume;
import io.statefulset.agent.testing.TestPki;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code serve} with mutual TLS and a token on top, its certificate in a Secret-like volume; {@code init} clones over
 * it, and every wrong way in is refused without starting a backup.
 */
class TlsFlowTest {
    static final String TOKEN = "tls-flow-t0ken";
    static TestPki ca;
    static TestPki otherCa;
    static Path dir;
    static SecretVolume serverVolume;
    static TestPki.PemFiles client;
    static Primary primary;

    @RegisterExtension
    final DatabaseServerExtension servers = new DatabaseServerExtension();

    @BeforeAll
    static void startPrimary() throws Exception {
        ca = TestPki.ca("agent-ca");
        otherCa = TestPki.ca("someone-elses-ca");
        dir = Files.createTempDirectory("flow-tls-");
        serverVolume = SecretVolume.create(dir.resolve("server"), ca.leaf("mysql-0", List.of("localhost")).secretFiles());
        client = ca.leaf("mysql-1", List.of("mysql-1.mysql")).writeTo(dir.resolve("client"));
        Files.writeString(dir.resolve("token"), TOKEN + "\n");
        primary = Primary.startWithoutServe(2000);
        primary.serve = primary.startServeTls(ca.leaf("probe", List.of("probe")).clientContext(),
                "--tls-cert-file", serverVolume.file("tls.crt").toString(), "--tls-key-file", serverVolume.file("tls.key").toString(),
                "--tls-ca-file", serverVolume.file("ca.crt").toString(), "--token-file", dir.resolve("token").toString(),
                "--send-stall-timeout", "5m");
    }

    @AfterAll
    static void stopPrimary() throws Exception {
        if (primary != null) primary.close();
        if (dir != null) DatabaseServerExtension.deleteTree(dir);
    }

    private String donor() {
        return "localhost:" + primary.serve.port();
    }

    @Test
    void initClonesOverMutualTlsWithTheTokenAndTheReplicaMatches() throws Exception {
        Pod pod = Pod.create("mysql-1", servers);
        try (LogCapture logs = LogCapture.start()) {
            Pod.Result r = pod.init("--donor", donor(), "--token-file", dir.resolve("token").toString(),
                    "--tls-ca-file", client.ca().toString(), "--tls-cert-file", client.cert().toString(),
                    "--tls-key-file", client.key().toString());
            assertEquals(0, r.exitCode(), logs.text());
            assertFalse(logs.text().contains(TOKEN));
        }
        DatabaseServer replica = pod.startMysqld(servers);
        assertEquals(AppTable.fingerprint(primary.db), AppTable.fingerprint(replica));
    }

    @Test
    void aPrimaryThatLostItsDataIsRebuiltOverTlsAndNeverStartsEmptyBecauseTheQuestionLackedTls() throws Exception {
        String token = dir.resolve("token").toString();
        Pod lost = Pod.create("mysql-0", servers);
        try (LogCapture logs = LogCapture.start()) {
            // No TLS flags: the peer's port answers the plain /status with 400 (it requires TLS).
            Pod.Result r = lost.init("--donor", donor(), "--token-file", token, "--rebuild-wait", "1s");
            String text = logs.text();
            assertEquals(1, r.exitCode(), text);
            assertTrue(text.contains("1 of 1 peers answered without a readable /status (" + donor() + " (no status: /status"
                    + " answered 400: this port requires TLS"), text);
            assertTrue(text.contains("To start an empty primary anyway: --rebuild-primary false"), text);
            assertFalse(text.contains("first start of the cluster"), text);
        }
        TestPki.PemFiles foreign = otherCa.leaf("mysql-0", List.of("mysql-0.mysql")).writeTo(dir.resolve("foreign-0"));
        try (LogCapture logs = LogCapture.start()) {
            // TLS flags, but a CA that did not sign the peer's certificate: the handshake fails, and says so.
            Pod.Result r = lost.init("--donor", donor(), "--token-file", token, "--rebuild-wait", "1s",
                    "--tls-ca-file", foreign.ca().toString());
            String text = logs.text();
            assertEquals(1, r.exitCode(), text);
            assertTrue(text.contains("(no status: TLS handshake with donor " + donor() + " failed ("), text);
            assertFalse(text.contains("first start of the cluster"), text);
        }
        try (java.util.stream.Stream<Path> left = Files.list(lost.data)) {
            assertEquals(List.of(), left.toList(), "no empty database was started");
        }
        try (LogCapture logs = LogCapture.start()) {
            Pod.Result r = lost.init("--donor", donor(), "--token-file", token, "--rebuild-wait", "10s",
                    "--tls-ca-file", client.ca().toString(), "--tls-cert-file", client.cert().toString(),
                    "--tls-key-file", client.key().toString());
            String text = logs.text();
            assertEquals(0, r.exitCode(), text);
            assertTrue(text.contains("rebuild: data dir was empty and 1 of 1 peers hold data: cloned the primary from "
                    + donor()), text);
        }
        DatabaseServer rebuilt = lost.startMysqld(servers);
        assertEquals(AppTable.fingerprint(primary.db), AppTable.fingerprint(rebuilt));
    }

    @Test
    void everyWrongWayInIsRefusedAndStartsNoBackup() throws Exception {
        double before = primary.serve.backupsFinished();
        TestPki.PemFiles foreign = otherCa.leaf("mysql-1", List.of("mysql-1.mysql")).writeTo(dir.resolve("foreign"));
        TestPki.PemFiles expired = ca.expiredLeaf("mysql-1", List.of("mysql-1.mysql")).writeTo(dir.resolve("expired"));
        String token = dir.resolve("token").toString();
        try (LogCapture logs = LogCapture.start()) {
            assertInitRefused(logs, "certificate from another CA", REFUSED_CERT, "--donor", donor(), "--token-file", token,
                    "--tls-ca-file", client.ca().toString(), "--tls-cert-file", foreign.cert().toString(), "--tls-key-file", foreign.key().toString());
            assertInitRefused(logs, "expired certificate", REFUSED_CERT, "--donor", donor(), "--token-file", token,
                    "--tls-ca-file", client.ca().toString(), "--tls-cert-file", expired.cert().toString(), "--tls-key-file", expired.key().toString());
            assertInitRefused(logs, "no client certificate", "requires a client certificate", "--donor", donor(), "--token-file", token,
                    "--tls-ca-file", client.ca().toString());
            assertInitRefused(logs, "init trusting another CA", "TLS handshake with donor", "--donor", donor(), "--token-file", token,
                    "--tls-ca-file", foreign.ca().toString(), "--tls-cert-file", client.cert().toString(), "--tls-key-file", client.key().toString());
            // The certificate names localhost; dialled as 127.0.0.1 the name check fails.
            assertInitRefused(logs, "a donor name the certificate does not hold", "TLS handshake with donor", "--donor", "127.0.0.1:" + primary.serve.port(),
                    "--token-file", token, "--tls-ca-file", client.ca().toString(), "--tls-cert-file", client.cert().toString(),
                    "--tls-key-file", client.key().toString());
            assertTrue(logs.text().contains("TLS handshake from"), "serve logs the refused handshakes: " + logs.text());

            Pod plain = Pod.create("mysql-1", servers);
            Pod.Result r = plain.init("--donor", donor(), "--token-file", token);
            assertEquals(1, r.exitCode(), "plain HTTP to the TLS port");
        }
        HttpResponse<String> plaintext = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + primary.serve.port() + "/backup")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, plaintext.statusCode());
        assertTrue(plaintext.body().contains("this port requires TLS"), plaintext.body());

        HttpResponse<String> noToken = primary.serve.get("/backup");
        assertEquals(401, noToken.statusCode(), "mutual TLS alone is not enough when a token is configured");
        HttpClient noCertificate = HttpClient.newBuilder().sslContext(trustOnly()).build();
        HttpResponse<String> health = noCertificate.send(HttpRequest.newBuilder(URI.create("https://" + primary.serve.address()
                + "/healthz")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode(), "a probe without a certificate (kubelet) reaches the health endpoints");
        HttpResponse<String> backup = noCertificate.send(HttpRequest.newBuilder(URI.create("https://" + primary.serve.address()
                + "/backup")).header("Authorization", "Bearer " + TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, backup.statusCode(), "but not /backup");
        assertEquals(before, primary.serve.backupsFinished(), "none of these started a backup");
    }

    /** A presented client certificate the donor does not accept: refused in the handshake or, sent as none, with 403. */
    private static final String REFUSED_CERT = "client certificate|TLS handshake with donor";

    private static void assertInitRefused(LogCapture logs, String why, String expected, String... flags) throws Exception {
        int from = logs.text().length();
        Pod.Result r = Pod.create("mysql-1", Files.createTempDirectory(dir, "pod-")).init(flags);
        String log = logs.text().substring(from);
        assertEquals(1, r.exitCode(), why + ": " + log);
        assertTrue(java.util.regex.Pattern.compile(expected).matcher(log).find(), why + ": " + log);
    }

    @Test
    void aCertificateRotatedDuringABackupServesNewConnectionsAndTheBackupFinishes() throws Exception {
        double succeeded = primary.serve.metric("mysql_agent_backups_total{status=\"success\"}").orElseThrow();
        TestPki.Leaf renewed = ca.leaf("mysql-0-renewed", List.of("localhost"));
        try (LogCapture logs = LogCapture.start();
             PausedDownload running = PausedDownload.start(client(), "localhost", primary.serve.port(), "Authorization: Bearer " + TOKEN)) {
            assertEquals("HTTP/1.1 200 OK", running.statusLine());
            serverVolume.update(renewed.secretFiles());
            await("new connections to present the renewed certificate").atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> presented().getSerialNumber().equals(renewed.cert().getSerialNumber()));
            assertEquals(1.0, primary.serve.metric("mysql_agent_backup_in_progress").orElseThrow(), "the backup still runs");
            PausedDownload.Finished done = running.finish();
            assertTrue(done.succeeded(), done.toString());
            assertTrue(logs.text().contains("TLS certificate reloaded"), logs.text());
        }
        await("the backup to be counted").atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> primary.serve.metric("mysql_agent_backups_total{status=\"success\"}").orElseThrow() == succeeded + 1);
    }

    private static javax.net.ssl.SSLContext trustOnly() throws Exception {
        javax.net.ssl.SSLContext c = javax.net.ssl.SSLContext.getInstance("TLS");
        c.init(null, ca.trustManagers(), null);
        return c;
    }

    private static javax.net.ssl.SSLContext client() throws Exception {
        return ca.leaf("mysql-2", List.of("mysql-2.mysql")).clientContext();
    }

    private static X509Certificate presented() throws Exception {
        try (SSLSocket s = (SSLSocket) client().getSocketFactory().createSocket("localhost", primary.serve.port())) {
            s.startHandshake();
            return (X509Certificate) s.getSession().getPeerCertificates()[0];
        } catch (IOException e) {
            throw new AssertionError("handshake failed: " + e, e);
        }
    }

}
