package io.statefulset.agent.clone;

import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.common.protocol.BackupProtocol;
import io.statefulset.agent.common.protocol.PeerStatus;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link StatusAsk} over the JDK's HTTP client, every peer at once, each within {@code timeout}. A peer that is the
 * tutorial's ncat sidecar answers with an xbstream instead of HTTP; the client gives up on the first bytes and
 * closes, which ends the backup that connection started.
 */
public final class HttpStatusAsk implements StatusAsk {
    private static final Duration LOOKUP_GRACE = Duration.ofSeconds(1);

    private final HttpClient client;
    private final Duration timeout;

    public HttpStatusAsk(Duration timeout) {
        this.client = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
        this.timeout = timeout;
    }

    @Override
    public List<PeerReport> ask(List<HostPort> peers) throws InterruptedException {
        List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
        for (HostPort peer : peers) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + peer + BackupProtocol.STATUS_PATH))
                    .timeout(timeout).GET().build();
            pending.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        }
        List<PeerReport> reports = new ArrayList<>();
        // The request timeout does not cover a name lookup that hangs (an unreachable resolver): bound it all.
        long deadline = System.nanoTime() + timeout.toNanos() + LOOKUP_GRACE.toNanos();
        for (int i = 0; i < peers.size(); i++) {
            HostPort peer = peers.get(i);
            try {
                HttpResponse<String> r = pending.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (r.statusCode() != 200) {
                    reports.add(PeerReport.silent(peer, "/status answered " + r.statusCode() + " (an agent without /status?)"));
                    continue;
                }
                reports.add(PeerStatus.parse(r.body()).map(s -> PeerReport.answered(peer, s))
                        .orElseGet(() -> PeerReport.silent(peer, "/status answer is not a status")));
            } catch (ExecutionException e) {
                reports.add(PeerReport.silent(peer, why(e.getCause())));
            } catch (TimeoutException e) {
                pending.get(i).cancel(true);
                reports.add(PeerReport.silent(peer, "no answer within the timeout"));
            }
        }
        return reports;
    }

    private static String why(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof UnresolvedAddressException || c instanceof UnknownHostException) return "name does not resolve";
            if (c instanceof HttpTimeoutException) return "no answer within the timeout";
            if (c instanceof ConnectException) return "connection refused";
        }
        String message = t.getMessage() == null ? t.toString() : t.getMessage();
        if (message.contains("XBSTCK01")) return PeerReport.LEGACY_SIDECAR;
        // The message may quote what the peer sent: printable characters only, and not much of it.
        String printable = message.replaceAll("[^\\x20-\\x7e]", "?");
        printable = printable.length() > 120 ? printable.substring(0, 120) + "..." : printable;
        return t instanceof IOException ? "not HTTP (" + printable + ")" : printable;
    }
}
