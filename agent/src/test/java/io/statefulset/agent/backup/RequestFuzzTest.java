package io.statefulset.agent.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.common.secret.Secret;
import io.statefulset.agent.common.secret.SecretSource;
import io.statefulset.agent.http.PortSettings;
import io.statefulset.agent.http.ServerPipeline;
import io.statefulset.agent.health.CachedProbe;
import io.statefulset.agent.health.HealthEndpoints;
import io.statefulset.agent.health.StartCheck;
import io.statefulset.agent.health.MysqlProbe;
import io.statefulset.agent.health.ReplicaState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code serve}'s request handling, fed whatever a client on the pod network sends, as the port builds it
 * ({@link ServerPipeline} in front of the real {@link BackupEndpoint} with a token): every answer is well-formed
 * HTTP (or the connection just closes), and {@code /backup} gets past the token only with the token. The one slot
 * is held by another client, so an authorised request is answered 503 and nothing is ever streamed: a 503 is the
 * trace of a request that passed the token check, and a backup body (octet-stream) never appears.
 *
 * <p>Regression inputs (replayed by every test run): {@code src/test/resources/.../RequestFuzzTestInputs/}.
 * Longer fuzzing: {@code bin/fuzz}.
 */
class RequestFuzzTest {
    private static final String TOKEN = "t0ken-for-fuzzing";
    private static final PrometheusMeterRegistry REGISTRY = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private static final BackupSlot SLOT = new BackupSlot();
    private static final BackupEndpoint BACKUP;
    private static final HealthEndpoints HEALTH;
    static {
        SecretSource token = SecretSource.fixed(Secret.of(TOKEN, "fuzz"));
        BackupSettings settings = new BackupSettings(Path.of("/nonexistent-data-dir"), new HostPort("127.0.0.1", 1),
                "root", Optional.empty(), "/nonexistent/backup-tool", Optional.of(token), Duration.ofMinutes(10), false,
                Duration.ofSeconds(60), List.of(),
                new WireCompression(WireCompression.Mode.AUTO, WireCompression.DEFAULT_ZSTD_LEVEL), 0, 1);
        BACKUP = new BackupEndpoint(Optional.of(new BearerToken(token, Duration.ofMinutes(10), java.time.Clock.systemUTC())), false, SLOT,
                new BackupStreamer(settings, Map.of(), Path.of("/nonexistent-tmp"), new BackupMetrics(REGISTRY, 0), SLOT),
                settings.compression(), settings.maxRate());
        SLOT.tryAcquire(new EmbeddedChannel()).orElseThrow(); // another client's backup holds the slot
        MysqlProbe alive = new MysqlProbe() {
            @Override
            public boolean alive() {
                return true;
            }

            @Override
            public Optional<ReplicaState> replicaState() {
                return Optional.empty();
            }

            @Override
            public boolean replicationConfigured() {
                return false;
            }

            @Override
            public Optional<String> gtidPosition() {
                return Optional.of("0-100-1");
            }
        };
        HEALTH = HealthEndpoints.of(new CachedProbe(alive, Duration.ofHours(1)), true, Duration.ofSeconds(60),
                StartCheck.notNeeded(REGISTRY), REGISTRY);
    }

    @FuzzTest(maxDuration = "30s")
    void anyRequestGetsAWellFormedAnswerAndNoBackupWithoutTheToken(FuzzedDataProvider data) throws Exception {
        int pieces = data.consumeInt(1, 3);
        byte[][] wire = new byte[pieces][];
        for (int i = 0; i < pieces - 1; i++) wire[i] = data.consumeBytes(data.consumeInt(0, 2048));
        wire[pieces - 1] = data.consumeRemainingAsBytes();

        // What the client sent, as sent: the pipeline owns the buffers it is handed and may compact them in place.
        // A folded header line (obs-fold: line break + space) continues the header, as Netty's decoder reads it:
        // one space, then the continuation with every byte up to 0x20 but CR and LF before it dropped (String.trim()), so
        // "Bearer", a fold, NULs and the token are the token (finding-nul-bytes-before-the-token).
        String sent = new String(ByteBufUtil.getBytes(Unpooled.copiedBuffer(wire)), StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT)
                .replaceAll("\r?\n[ \t][\\x00-\\x09\\x0b\\x0c\\x0e-\\x20]*", " ");
        EmbeddedChannel server = new EmbeddedChannel(false, false);
        new ServerPipeline(new PortSettings(Optional.empty(), Optional.empty(), Duration.ofHours(1), 512), BACKUP, HEALTH,
                Runnable::run).install(server.pipeline());
        server.register();
        for (byte[] piece : wire) {
            if (!server.isOpen()) break;
            server.writeInbound(Unpooled.copiedBuffer(piece));
            server.runPendingTasks();
        }
        server.checkException();

        EmbeddedChannel client = new EmbeddedChannel(new HttpResponseDecoder());
        for (ByteBuf out; (out = server.readOutbound()) != null; ) client.writeInbound(out);
        client.finish();
        for (Object o; (o = client.readInbound()) != null; ) {
            HttpObject http = (HttpObject) o;
            assertTrue(http.decoderResult().isSuccess(), "a malformed answer: " + http.decoderResult());
            if (http instanceof HttpResponse r) {
                String type = String.valueOf(r.headers().get(HttpHeaderNames.CONTENT_TYPE));
                assertFalse(type.contains("octet-stream"), "a backup body was streamed: " + r);
                if (r.status().code() == 503 && r.headers().contains(HttpHeaderNames.RETRY_AFTER)) {
                    assertTrue(sent.contains("bearer " + TOKEN.toLowerCase(Locale.ROOT)),
                            "a /backup request got past the token check without the token");
                }
            }
            io.netty.util.ReferenceCountUtil.release(o);
        }
        server.finishAndReleaseAll();
        assertEquals(0.0, REGISTRY.get("mysql.agent.backup.in.progress").gauge().value(), "no backup ever started");
    }
}
