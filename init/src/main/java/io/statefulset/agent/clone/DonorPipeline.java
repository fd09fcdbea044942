package io.statefulset.agent.clone;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpClientCodec;
import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.common.secret.Secret;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The one place that builds a donor connection's pipeline, one job per handler, in this order (inbound):
 * <ol>
 * <li>{@code stall}: {@link StallTimer}, nothing received for --stall-timeout while reading;</li>
 * <li>{@code sniffer}: {@link DonorReplySniffer}, HTTP or the tutorial's raw stream (removes {@code http});</li>
 * <li>{@code http}: Netty's {@link HttpClientCodec};</li>
 * <li>{@code decoding}: {@link BodyDecoding}, undoes the body's zstd or lz4 content-coding;</li>
 * <li>{@code request}: {@link BackupRequest}, sends {@code GET /backup} and leaves;</li>
 * <li>{@code progress}: {@link ProgressTicker}, the periodic progress line;</li>
 * <li>{@code status}: {@link ReplyStatus}, what the status line means;</li>
 * <li>{@code legacy-end}: {@link LegacyStreamEnd}, a legacy donor's close ends its body;</li>
 * <li>{@code body-check}: {@link BodyCheck}, byte count and CRC32C against the trailers;</li>
 * <li>{@code backpressure}: {@link FeedBackpressure}, reads while the extraction keeps up;</li>
 * <li>{@code extraction}: {@link ExtractionSink}, the body into the extractor;</li>
 * <li>{@code outcome}: {@link TransferOutcome}, the verdict, once.</li>
 * </ol>
 * With {@code --tls-ca-file}, {@code tls} (Netty's {@code SslHandler}, donor name checked) and {@code tls-handshake}
 * ({@link DonorTls.Handshake}, a TLS refusal as one {@link DonorFailedException}) go in front of {@code stall}.
 */
final class DonorPipeline {
    static final String STALL = "stall";
    static final String SNIFFER = "sniffer";
    static final String HTTP_CODEC = "http";
    private static final int MAX_INITIAL_LINE = 4096;
    /** Headers and trailers; X-Backup-Error carries a stderr tail. */
    private static final int MAX_HEADER_BYTES = 64 << 10;
    /** Body pieces are handed on as they arrive; this only caps one piece. */
    private static final int MAX_CHUNK_BYTES = 1 << 20;

    static final String TLS = "tls";
    static final String TLS_HANDSHAKE = "tls-handshake";

    private final HostPort donor;
    private final Optional<Secret> token;
    private final Optional<DonorTls> tls;
    private final Duration stallTimeout;
    private final Duration progressInterval;

    DonorPipeline(HostPort donor, Optional<Secret> token, Duration stallTimeout, Duration progressInterval) {
        this(donor, token, Optional.empty(), stallTimeout, progressInterval);
    }

    DonorPipeline(HostPort donor, Optional<Secret> token, Optional<DonorTls> tls, Duration stallTimeout, Duration progressInterval) {
        this.tls = tls;
        this.donor = donor;
        this.token = token;
        this.stallTimeout = stallTimeout;
        this.progressInterval = progressInterval;
    }

    /** Installs the handlers for one transfer into {@code target} through {@code feed}; {@code result} gets the verdict. */
    void install(ChannelPipeline pipeline, BodyFeed feed, Path target, CompletableFuture<DonorTransfer> result) {
        TransferProgress progress = new TransferProgress(donor);
        TransferOutcome outcome = new TransferOutcome(target, progress, result);
        tls.ifPresent(t -> t.install(pipeline, donor));
        pipeline
                .addLast(STALL, new StallTimer(stallTimeout, progress))
                .addLast(SNIFFER, new DonorReplySniffer(donor))
                .addLast(HTTP_CODEC, new HttpClientCodec(MAX_INITIAL_LINE, MAX_HEADER_BYTES, MAX_CHUNK_BYTES))
                .addLast("decoding", new BodyDecoding(progress))
                .addLast("request", new BackupRequest(donor, token))
                .addLast("progress", new ProgressTicker(progress, progressInterval))
                .addLast("status", new ReplyStatus(donor, token.isPresent(), progress))
                .addLast("legacy-end", new LegacyStreamEnd(progress))
                .addLast("body-check", new BodyCheck(progress))
                .addLast("backpressure", new FeedBackpressure(feed))
                .addLast("extraction", new ExtractionSink(feed, outcome))
                .addLast("outcome", outcome);
    }
}
