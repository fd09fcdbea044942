package io.statefulset.agent.backup;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statefulset.agent.testing.ExternalCommand;
import io.statefulset.agent.testing.LogCapture;
import io.statefulset.agent.testing.DatabaseServer;
import io.statefulset.agent.testing.DatabaseServerExtension;
import io.statefulset.agent.testing.PausedDownload;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The port on a hostile network: probes, slow and idle clients, too many connections, a receiver that stops reading. */
class PortLimitsTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @RegisterExtension
    final DatabaseServerExtension servers = new DatabaseServerExtension();

    @Test
    void connectAndCloseProbesAndASilentClientStartNoBackup() throws Exception {
        DatabaseServer db = servers.start(1);
        try (TestDonor donor = TestDonor.on(db, servers.tempDir("scratch-")).requestTimeout(Duration.ofSeconds(1)).start()) {
            for (int i = 0; i < 3; i++) {
                try (Socket probe = connect(donor)) {
                    assertTrue(probe.isConnected());
                }
            }
            try (Socket silent = connect(donor)) {
                // Longer than --legacy-wait (500 ms), after which the tutorial's rule would have started the tool.
                assertEquals(-1, readUntilClosed(silent, Duration.ofSeconds(10)), "the donor closes a silent connection");
            }
            assertTrue(BackupToolProcesses.running().isEmpty());
            assertTrue(donor.scratchDirs().isEmpty());
            String metrics = get(donor, "/metrics").body();
            for (String status : List.of("success", "failed", "aborted")) {
                assertTrue(metrics.contains("mysql_agent_backups_total{status=\"" + status + "\"} 0.0"), metrics);
            }
        }
    }

    @Test
    void aSlowlorisClientIsCutOffWhileHealthAnswers() throws Exception {
        DatabaseServer db = servers.start(1);
        try (TestDonor donor = TestDonor.on(db, servers.tempDir("scratch-")).requestTimeout(Duration.ofSeconds(2)).start();
             Socket slow = connect(donor)) {
            byte[] request = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: ".getBytes(StandardCharsets.US_ASCII);
            slow.getOutputStream().write(request);
            slow.setSoTimeout(100);
            boolean closed = false;
            // One header byte per 100 ms, never the blank line: a read timeout alone would never fire.
            for (int i = 0; i < 300 && !closed; i++) {
                try {
                    slow.getOutputStream().write('a');
                    closed = slow.getInputStream().read() == -1;
                } catch (SocketTimeoutException stillOpen) {
                    if (i % 5 == 0) assertEquals(200, get(donor, "/healthz").statusCode());
                } catch (IOException reset) {
                    closed = true;
                }
            }
            assertTrue(closed, "the donor closed the connection before its headers were complete");
        }
    }

    @Test
    void twoHundredIdleConnectionsAndReadyzStillAnswers() throws Exception {
        DatabaseServer db = servers.start(1);
        List<Socket> idle = new ArrayList<>();
        try (TestDonor donor = TestDonor.on(db, servers.tempDir("scratch-")).start()) {
            for (int i = 0; i < 200; i++) idle.add(connect(donor));
            HttpResponse<String> ready = get(donor, "/readyz");
            assertEquals(200, ready.statusCode(), ready.body());
        } finally {
            for (Socket s : idle) s.close();
        }
    }

    @Test
    void connectionsBeyondTheLimitAreClosedAtOnce() throws Exception {
        DatabaseServer db = servers.start(1);
        List<Socket> held = new ArrayList<>();
        try (LogCapture logs = LogCapture.start();
             TestDonor donor = TestDonor.on(db, servers.tempDir("scratch-")).maxConnections(5).start()) {
            // Each held connection gets an answer first, so that the donor has surely accepted and counted it.
            for (int i = 0; i < 5; i++) held.add(answeredKeepAlive(donor));
            try (Socket extra = connect(donor)) {
                assertEquals(-1, readUntilClosed(extra, Duration.ofSeconds(5)));
            }
            for (Socket s : held) s.close();
            held.clear();
            await("the port to accept again").atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
                try {
                    return get(donor, "/healthz").statusCode() == 200;
                } catch (IOException closedStill) {
                    return false;
                }
            });
            assertTrue(logs.text().contains("5 connections open (--max-connections)"), logs.text());
            assertTrue(logs.text().contains("accepting; "), logs.text());
        } finally {
            for (Socket s : held) s.close();
        }
    }

    @Test
    void oversizedHeadersGetA400() throws Exception {
        DatabaseServer db = servers.start(1);
        try (TestDonor donor = TestDonor.on(db, servers.tempDir("scratch-")).start(); Socket s = connect(donor)) {
            String request = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(10_000) + "\r\n\r\n";
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            s.setSoTimeout(10_000);
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
            assertTrue(answer.contains("too long"), answer);
        }
    }

    @Test
    void aClientThatStopsReadingIsCutOffAndTheNextCloneSucceeds() throws Exception {
        DatabaseServer db = servers.start(1);
        Shop.fill(db, 30_000); // bigger than every buffer between the tool and a client that stops reading
        Path work = servers.tempDir("next-");
        try (LogCapture logs = LogCapture.start();
             TestDonor donor = TestDonor.on(db, servers.tempDir("scratch-")).sendStallTimeout(Duration.ofSeconds(2)).start()) {
            String client;
            try (PausedDownload frozen = PausedDownload.start(null, "127.0.0.1", donor.port())) {
                assertEquals("HTTP/1.1 200 OK", frozen.statusLine());
                client = frozen.localPort();
                HttpResponse<String> busy = get(donor, "/backup");
                if (busy.statusCode() == 503) {
                    long retry = Long.parseLong(busy.headers().firstValue("Retry-After").orElseThrow());
                    assertTrue(retry >= 1 && retry <= BackupRun.MAX_RETRY_AFTER_SECONDS, "Retry-After " + retry);
                }
                assertEquals(200, get(donor, "/readyz").statusCode(), "health answers while a backup runs");
                await("the stalled backup to be aborted").atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> donor.registry.scrape().contains("mysql_agent_backups_total{status=\"aborted\"} 1.0"));
            }
            await("the backup tool to be killed").atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> BackupToolProcesses.running().isEmpty());
            await("the scratch dir to go").atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> donor.scratchDirs().isEmpty());
            List<String> lines = logs.text().lines().filter(l -> l.contains("client accepted no data for 2 s")).toList();
            assertEquals(1, lines.size(), logs.text());
            assertTrue(lines.get(0).contains(":" + client), "the line names the client: " + lines.get(0));

            ExternalCommand next = ExternalCommand.pipeline(work, "mkdir clone && curl -sS -D headers.txt "
                    + donor.url("/backup") + " | mbstream -x -C clone");
            assertEquals(0, next.exitCode(), next.output());
            assertEquals("success", CurlDump.read(work.resolve("headers.txt")).trailer("X-Backup-Status").orElseThrow());
        }
    }

    private static Socket connect(TestDonor donor) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", donor.port()), 5000);
        return s;
    }

    private static Socket answeredKeepAlive(TestDonor donor) throws IOException {
        Socket s = connect(donor);
        s.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        s.setSoTimeout(10_000);
        StringBuilder seen = new StringBuilder();
        InputStream in = s.getInputStream();
        while (!seen.toString().endsWith("ok")) {
            int b = in.read();
            if (b < 0) throw new AssertionError("the donor closed a keep-alive connection: " + seen);
            seen.append((char) b);
        }
        return s;
    }

    /** Reads until the peer closes; returns what the last read returned (-1) or fails after {@code timeout}. */
    private static int readUntilClosed(Socket s, Duration timeout) throws IOException {
        s.setSoTimeout((int) timeout.toMillis());
        InputStream in = s.getInputStream();
        try {
            int b;
            while ((b = in.read()) >= 0) {
                // the donor sent something: keep reading until it closes
            }
            return b;
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the donor kept the connection open for " + timeout.toSeconds() + " s");
        } catch (IOException reset) {
            return -1;
        }
    }

    private static HttpResponse<String> get(TestDonor donor, String path) throws IOException {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(donor.url(path))).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
