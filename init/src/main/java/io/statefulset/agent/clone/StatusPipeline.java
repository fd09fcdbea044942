package io.statefulset.agent.clone;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.statefulset.agent.common.identity.HostPort;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The handlers of one {@code /status} question, in order: with TLS, {@code plaintext} ({@link PlaintextAnswer}: a
 * peer without TLS named as such), then {@code tls} and {@code tls-handshake} exactly as a clone's
 * ({@link DonorTls#install}); {@code sniffer} ({@link DonorReplySniffer}: HTTP, or the tutorial's backup
 * stream); {@code http} (Netty's codec); {@code aggregator} (the whole small answer); {@code question}
 * ({@link StatusQuestion}: the request, and the answer as a {@link PeerReport}).
 */
final class StatusPipeline {
    /** A status is a few hundred bytes; an error text a line. */
    static final int MAX_ANSWER_BYTES = 16 << 10;

    private StatusPipeline() {}

    static void install(ChannelPipeline pipeline, HostPort peer, Optional<DonorTls> tls, CompletableFuture<PeerReport> report) {
        tls.ifPresent(t -> t.install(pipeline.addLast(PlaintextAnswer.NAME, new PlaintextAnswer(peer)), peer));
        pipeline.addLast(DonorPipeline.SNIFFER, new DonorReplySniffer(peer))
                .addLast(DonorPipeline.HTTP_CODEC, new HttpClientCodec())
                .addLast("aggregator", new HttpObjectAggregator(MAX_ANSWER_BYTES))
                .addLast("question", new StatusQuestion(peer, report));
    }
}
