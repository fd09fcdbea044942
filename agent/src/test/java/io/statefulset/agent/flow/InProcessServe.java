package io.statefulset.agent.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.awaitility.Awaitility.await;
import io.statefulset.agent.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code agent serve} through the CLI entry point, on a thread of the test JVM, stopped the way SIGTERM stops it.
 * Only HTTP requests touch its port: with --legacy-raw-stream a bare TCP connection would get a backup.
 */
final class InProcessServe implements AutoCloseable {
    static final Duration START = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private final int port;
    private final HttpClient http;
    private final String scheme;
    private final ManualStop stop = new ManualStop();
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private InProcessServe(int port, HttpClient http, String scheme) {
        this.port = port;
        this.http = http;
        this.scheme = scheme;
    }

    /**
     * Runs {@code agent serve --listen 127.0.0.1:<port> <flags>} and returns once its port answers HTTP.
     *
     * @throws AssertionError when serve ends (or never answers) first, with its exit code and output
     */
    static InProcessServe start(int port, Map<String, String> env, String... flags) throws Exception {
        List<String> args = new ArrayList<>(List.of("--listen", "127.0.0.1:" + port));
        args.addAll(List.of(flags));
        return startWithArgs(port, env, args);
    }

    /** Runs {@code agent serve <args>}, which must make it listen on 127.0.0.1:{@code port}, and waits until it does. */
    static InProcessServe startWithArgs(int port, Map<String, String> env, List<String> args) throws Exception {
        return awaitAnswer(launch(port, env, args, HTTP, "http"));
    }

    /** As {@link #start}, for a serve with TLS on: its endpoints are asked over https with {@code client}. */
    static InProcessServe startTls(int port, Map<String, String> env, javax.net.ssl.SSLContext client, String... flags) throws Exception {
        List<String> args = new ArrayList<>(List.of("--listen", "127.0.0.1:" + port));
        args.addAll(List.of(flags));
        HttpClient https = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(client)
                .connectTimeout(Duration.ofSeconds(2)).build();
        return awaitAnswer(launch(port, env, args, https, "https"));
    }

    private static InProcessServe awaitAnswer(InProcessServe serve) throws Exception {
        await("serve to answer on 127.0.0.1:" + serve.port).atMost(START).ignoreExceptionsInstanceOf(Exception.class).until(() -> {
            if (serve.exit.isDone()) throw new AssertionError("serve ended with " + serve.exit.get() + ": " + serve.errText());
            return serve.status("/healthz").isPresent();
        });
        return serve;
    }

    /** Runs {@code agent serve --listen 127.0.0.1:<port> <flags>} without waiting for it (for serve that must exit). */
    static InProcessServe launch(int port, Map<String, String> env, String... flags) {
        List<String> args = new ArrayList<>(List.of("--listen", "127.0.0.1:" + port));
        args.addAll(List.of(flags));
        return launch(port, env, args, HTTP, "http");
    }

    private static InProcessServe launch(int port, Map<String, String> env, List<String> serveArgs, HttpClient http, String scheme) {
        InProcessServe serve = new InProcessServe(port, http, scheme);
        List<String> args = new ArrayList<>(List.of("serve"));
        args.addAll(serveArgs);
        Thread thread = new Thread(() -> {
            try (PrintStream errStream = new PrintStream(serve.err, true, StandardCharsets.UTF_8)) {
                serve.exit.complete(Main.run(args.toArray(String[]::new), env, errStream, errStream, serve.stop));
            } catch (Throwable t) {
                serve.exit.completeExceptionally(t);
            }
        }, "serve-" + port);
        thread.setDaemon(true);
        thread.start();
        return serve;
    }

    int port() {
        return port;
    }

    /** host:port as a client dials it; with TLS the name the test certificates hold. */
    String address() {
        return (scheme.equals("https") ? "localhost:" : "127.0.0.1:") + port;
    }

    /** The HTTP status of {@code GET path}, or empty when nothing answers on the port. */
    Optional<Integer> status(String path) {
        try {
            return Optional.of(get(path).statusCode());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    HttpResponse<String> get(String path) throws IOException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(scheme + "://" + address() + path)).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Polls {@code GET path} until it answers {@code status}; the failure shows the last body. */
    void awaitStatus(String path, int status, Duration timeout) throws Exception {
        await(path + " on " + address() + " to answer " + status).atMost(timeout).ignoreExceptionsInstanceOf(Exception.class)
                .untilAsserted(() -> {
                    HttpResponse<String> r = get(path);
                    assertEquals(status, r.statusCode(), () -> "last body: " + r.body().strip());
                });
    }

    /** One sample from {@code /metrics}, e.g. {@code mysql_agent_backup_in_progress}; empty when it is not listed. */
    OptionalDouble metric(String sample) throws IOException {
        for (String line : get("/metrics").body().split("\n")) {
            if (line.startsWith(sample + " ")) return OptionalDouble.of(Double.parseDouble(line.substring(sample.length() + 1).trim()));
        }
        return OptionalDouble.empty();
    }

    /** Backups this serve finished, whatever their status. */
    double backupsFinished() throws IOException {
        double sum = 0;
        for (String status : List.of("success", "failed", "aborted")) {
            sum += metric("mysql_agent_backups_total{status=\"" + status + "\"}").orElseThrow();
        }
        return sum;
    }

    /** SIGTERM's equivalent; returns serve's exit code. */
    int stop() throws Exception {
        if (!exit.isDone()) stop.request();
        return awaitExit(Duration.ofSeconds(30));
    }

    int awaitExit(Duration timeout) throws Exception {
        return exit.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** What serve wrote to its err stream (usage and flag errors; logs go to System.err). */
    String errText() {
        synchronized (err) {
            return err.toString(StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() throws Exception {
        if (!exit.isDone() && stop.watched()) stop();
    }
}
