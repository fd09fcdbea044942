package io.statefulset.agent.clone;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.ReferenceCountUtil;
import io.statefulset.agent.common.backuptool.FailureCause;
import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.common.protocol.BackupProtocol;
import java.time.Duration;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the donor's status line means: 200 lets the body through (and its size estimate to the progress line);
 * 401, 503 and anything else become a {@link DonorFailedException} or a {@link DonorBusyException} naming the fix,
 * and the body of such a reply is dropped, never extracted.
 */
final class ReplyStatus extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ReplyStatus.class);
    static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);

    private final HostPort donor;
    private final boolean tokenSent;
    private final TransferProgress progress;
    private boolean refused;

    ReplyStatus(HostPort donor, boolean tokenSent, TransferProgress progress) {
        this.donor = donor;
        this.tokenSent = tokenSent;
        this.progress = progress;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpResponse response) {
            DonorException refusal = refusal(response);
            if (refusal != null) {
                refused = true;
                ReferenceCountUtil.release(msg);
                ctx.fireExceptionCaught(refusal);
                return;
            }
            OptionalLong estimate = sizeEstimate(response.headers().get(BackupProtocol.SIZE_ESTIMATE_HEADER));
            estimate.ifPresent(progress::estimate);
            log.info("donor {} is sending its backup{}", donor, estimate.isPresent()
                    ? " (size estimate " + TransferProgress.megabytes(estimate.getAsLong()) + ")" : "");
        }
        ctx.fireChannelRead(msg);
    }

    /** Null for a 200. */
    private DonorException refusal(HttpResponse response) {
        if (response.decoderResult().isFailure()) {
            return new DonorFailedException(FailureCause.REFUSED, "donor " + donor + " sent a malformed HTTP reply ("
                    + response.decoderResult().cause().getMessage() + "): is --donor pointing at the agent's backup port?");
        }
        int code = response.status().code();
        if (code == 200) return null;
        if (code == 401) {
            return new DonorFailedException(FailureCause.REFUSED, tokenSent
                    ? "token rejected by donor " + donor + " (HTTP 401): check --token-file on both sides, init and serve must hold the same secret"
                    : "donor " + donor + " requires a token (HTTP 401): give init the donor's secret with --token-file");
        }
        if (code == 403) {
            return new DonorFailedException(FailureCause.REFUSED, "donor " + donor + " requires a client certificate for " + BackupProtocol.BACKUP_PATH
                    + " (HTTP 403, mutual TLS): give init --tls-cert-file and --tls-key-file signed by the donor's --tls-ca-file");
        }
        if (code == 400) {
            return new DonorFailedException(FailureCause.REFUSED, "donor " + donor + " answered HTTP 400 to GET " + BackupProtocol.BACKUP_PATH
                    + ": a donor with TLS on refuses plain HTTP (give init --tls-ca-file); otherwise is --donor pointing at"
                    + " the agent's backup port (3307)?");
        }
        if (code == 503) {
            Duration retryAfter = retryAfter(response.headers().get(HttpHeaderNames.RETRY_AFTER));
            return new DonorBusyException("donor " + donor + " is busy with another clone (HTTP 503), retry after "
                    + retryAfter.toSeconds() + " s", retryAfter);
        }
        if (code == 500) {
            // The agent's own answer when its backup tool cannot start: the body and the donor's serve log say why.
            return new DonorFailedException(FailureCause.REFUSED, "donor " + donor + " answered HTTP " + response.status() + " to GET "
                    + BackupProtocol.BACKUP_PATH + ": the donor could not start a backup (its serve log says why, a missing backup"
                    + " tool for instance; MySQL 8.0.17+ pods can be seeded without one: --clone-method clone-plugin)");
        }
        return new DonorFailedException(FailureCause.REFUSED, "donor " + donor + " answered HTTP " + response.status() + " to GET "
                + BackupProtocol.BACKUP_PATH + ": is --donor pointing at the agent's backup port (3307)?");
    }

    private static OptionalLong sizeEstimate(String header) {
        if (header == null) return OptionalLong.empty();
        try {
            return OptionalLong.of(Long.parseLong(header.trim()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty(); // only the ETA is lost; the trailers still check the transfer
        }
    }

    /** {@code Retry-After} in seconds (an HTTP date is not worth parsing for a busy donor); at least 1 s. */
    static Duration retryAfter(String header) {
        if (header == null) return DEFAULT_RETRY_AFTER;
        try {
            return Duration.ofSeconds(Math.max(1, Long.parseLong(header.trim())));
        } catch (NumberFormatException e) {
            return DEFAULT_RETRY_AFTER;
        }
    }
}
