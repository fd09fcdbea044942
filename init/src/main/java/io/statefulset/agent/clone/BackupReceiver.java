package io.statefulset.agent.clone;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.common.protocol.BackupProtocol;
import io.statefulset.agent.common.secret.Secret;
import io.statefulset.agent.xbstream.XbstreamException;
import io.statefulset.agent.xbstream.XbstreamExtractor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last inbound handler of a donor connection: sends {@code GET /backup}, feeds the body (HTTP) or the whole
 * connection (legacy donor) into the extraction, and decides the outcome: a verified {@link DonorTransfer}, a
 * {@link DonorBusyException}, a {@link DonorFailedException} or, for local disk trouble, an {@link IOException}.
 * Runs on the event loop only.
 */
final class BackupReceiver extends ChannelInboundHandlerAdapter {
    static final String STALL_HANDLER = "stall";
    private static final Logger log = LoggerFactory.getLogger(BackupReceiver.class);
    private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);

    private final HostPort donor;
    private final Optional<Secret> token;
    private final ExtractionFeed feed;
    private final XbstreamExtractor extractor;
    private final Path target;
    private final Duration stallTimeout;
    private final Duration progressInterval;
    private final CompletableFuture<DonorTransfer> result;
    private final CRC32C crc = new CRC32C();
    private TransferProgress progress;
    private ScheduledFuture<?> ticker;
    private long startNanos;
    private boolean legacy;
    private boolean responded;
    private boolean bodyEnded;

    BackupReceiver(HostPort donor, Optional<Secret> token, ExtractionFeed feed, XbstreamExtractor extractor, Path target,
                   Duration stallTimeout, Duration progressInterval, CompletableFuture<DonorTransfer> result) {
        this.donor = donor;
        this.token = token;
        this.feed = feed;
        this.extractor = extractor;
        this.target = target;
        this.stallTimeout = stallTimeout;
        this.progressInterval = progressInterval;
        this.result = result;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        startNanos = System.nanoTime();
        progress = new TransferProgress(donor, startNanos);
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
                BackupProtocol.BACKUP_PATH, Unpooled.EMPTY_BUFFER);
        request.headers()
                .set(HttpHeaderNames.HOST, donor.toString())
                .set(HttpHeaderNames.TE, HttpHeaderValues.TRAILERS)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                .set(HttpHeaderNames.USER_AGENT, "mysql-statefulset-agent init");
        token.ifPresent(t -> request.headers().set(HttpHeaderNames.AUTHORIZATION, "Bearer " + t.reveal()));
        // A legacy donor never reads the request; a failed write shows up as a failed read, which words it better.
        ctx.writeAndFlush(request);
        feed.completion().whenComplete((v, e) -> {
            if (e != null) ctx.executor().execute(() -> extractionFailed(ctx, e));
        });
        long every = progressInterval.toMillis();
        ticker = ctx.executor().scheduleAtFixedRate(() -> log.info(progress.line(System.nanoTime())),
                every, every, TimeUnit.MILLISECONDS);
        ctx.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (result.isDone() || bodyEnded) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpResponse response) {
            onResponse(ctx, response);
            if (!(msg instanceof HttpContent) || result.isDone()) {
                ReferenceCountUtil.release(msg);
                return;
            }
        }
        if (msg instanceof HttpContent content) {
            onContent(ctx, content);
        } else if (msg instanceof ByteBuf raw) {
            accept(raw);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onResponse(ChannelHandlerContext ctx, HttpResponse response) {
        if (response.decoderResult().isFailure()) {
            fail(ctx, "donor " + donor + " sent a malformed HTTP reply (" + response.decoderResult().cause().getMessage()
                    + "): is --donor pointing at the agent's backup port?");
            return;
        }
        responded = true;
        int code = response.status().code();
        if (code == 200) {
            OptionalLong estimate = sizeEstimate(response.headers().get(BackupProtocol.SIZE_ESTIMATE_HEADER));
            estimate.ifPresent(progress::estimate);
            log.info("donor {} is sending its backup{}", donor, estimate.isPresent()
                    ? " (size estimate " + TransferProgress.megabytes(estimate.getAsLong()) + ")" : "");
        } else if (code == 401) {
            fail(ctx, token.isPresent()
                    ? "token rejected by donor " + donor + " (HTTP 401): check --token-file on both sides, init and serve must hold the same secret"
                    : "donor " + donor + " requires a token (HTTP 401): give init the donor's secret with --token-file");
        } else if (code == 503) {
            Duration retryAfter = retryAfter(response.headers().get(HttpHeaderNames.RETRY_AFTER));
            busy(ctx, new DonorBusyException("donor " + donor + " is busy with another clone (HTTP 503), retry after "
                    + retryAfter.toSeconds() + " s", retryAfter));
        } else {
            fail(ctx, "donor " + donor + " answered HTTP " + response.status() + " to GET " + BackupProtocol.BACKUP_PATH
                    + ": is --donor pointing at the agent's backup port (3307)?");
        }
    }

    private void onContent(ChannelHandlerContext ctx, HttpContent content) {
        if (content.decoderResult().isFailure()) {
            content.release();
            fail(ctx, "donor " + donor + " sent a malformed chunked body after " + progress.bytes() + " bytes ("
                    + content.decoderResult().cause().getMessage() + ")");
            return;
        }
        ByteBuf data = content.content();
        if (data.isReadable()) {
            accept(data);
        } else {
            content.release();
        }
        if (content instanceof LastHttpContent last) {
            bodyEnded = true;
            try {
                BackupTrailers.from(last.trailingHeaders()).verify(donor, progress.bytes(), (int) crc.getValue());
            } catch (DonorFailedException e) {
                failWith(ctx, e);
                return;
            }
            finishExtraction(ctx);
        }
    }

    /** Counts, checksums and hands over {@code data} (ownership included). */
    private void accept(ByteBuf data) {
        progress.received(data.readableBytes());
        if (data.nioBufferCount() == 1) {
            crc.update(data.nioBuffer());
        } else {
            for (ByteBuffer b : data.nioBuffers()) crc.update(b);
        }
        feed.offer(data);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (result.isDone() || bodyEnded) return;
        if (feed.hasRoom()) {
            ctx.read();
        } else {
            feed.pauseUntilDrained(() -> ctx.executor().execute(() -> {
                // The donor was not silent, we were not listening: restart the stall clock before reading again.
                IdleStateHandler stall = (IdleStateHandler) ctx.pipeline().get(STALL_HANDLER);
                if (stall != null) stall.resetReadTimeout();
                ctx.read();
            }));
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == DonorReplySniffer.LEGACY_DONOR) {
            legacy = true;
            responded = true;
            log.warn("donor {} is a legacy sidecar (the tutorial's ncat + backup tool): it sends a raw xbstream without"
                    + " trailers and cannot report its own failure, so the clone is trusted only if every file ends"
                    + " and prepare succeeds", donor);
        } else if (evt instanceof IdleStateEvent) {
            if (!result.isDone() && !bodyEnded && !feed.isPaused()) {
                fail(ctx, "donor " + donor + " sent nothing for " + stallTimeout.toSeconds() + " s after "
                        + progress.bytes() + " bytes: it stalled (frozen backup, hung mysqld or a network partition);"
                        + " check the donor's logs (limit: --stall-timeout)");
            }
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (!result.isDone() && !bodyEnded) {
            if (legacy) {
                // A raw stream has no end marker: EOF is the end, and the extractor's finish() is the only check left.
                bodyEnded = true;
                log.info("legacy donor {} closed the connection after {} bytes: end of its stream", donor, progress.bytes());
                finishExtraction(ctx);
            } else if (!responded) {
                fail(ctx, "donor " + donor + " closed the connection after " + progress.bytes() + " bytes without a reply:"
                        + " a legacy (ncat) donor whose backup failed at once looks like this; check the donor's backup log");
            } else {
                fail(ctx, "donor " + donor + " closed the connection after " + progress.bytes() + " bytes, before the end"
                        + " of the backup: the donor or its backup died, or the network was cut; check the donor's logs");
            }
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        for (Throwable c = cause; c != null; c = c.getCause()) {
            if (c instanceof DonorFailedException d) {
                failWith(ctx, d);
                return;
            }
        }
        fail(ctx, "connection to donor " + donor + " broke after " + progress.bytes() + " bytes (" + cause.getMessage()
                + "): the donor or its backup died, or the network was cut; check the donor's logs");
    }

    private void finishExtraction(ChannelHandlerContext ctx) {
        feed.finish().whenComplete((v, e) -> ctx.executor().execute(() -> {
            if (e == null) {
                succeed(ctx);
            } else {
                extractionFailed(ctx, e);
            }
        }));
    }

    private void succeed(ChannelHandlerContext ctx) {
        stopTicker();
        result.complete(new DonorTransfer(donor, legacy, progress.bytes(), extractor.filesCompleted(),
                Duration.ofNanos(System.nanoTime() - startNanos)));
        ctx.close();
    }

    private void extractionFailed(ChannelHandlerContext ctx, Throwable e) {
        Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (c instanceof XbstreamException) {
            // The extractor's message says where in the stream and what to check.
            fail(ctx, "the stream from donor " + donor + " is corrupt or incomplete, refused: " + c.getMessage());
        } else if (c instanceof IOException) {
            stopTicker();
            result.completeExceptionally(new IOException("cannot write the clone into " + target + ": " + c.getMessage()
                    + "; check free space and permissions on the data volume", c));
            ctx.close();
        } else {
            fail(ctx, "extracting the stream from donor " + donor + " failed: " + c);
        }
    }

    private void busy(ChannelHandlerContext ctx, DonorBusyException e) {
        stopTicker();
        result.completeExceptionally(e);
        ctx.close();
    }

    private void fail(ChannelHandlerContext ctx, String message) {
        failWith(ctx, new DonorFailedException(message));
    }

    private void failWith(ChannelHandlerContext ctx, DonorFailedException e) {
        stopTicker();
        result.completeExceptionally(e);
        ctx.close();
    }

    private void stopTicker() {
        if (ticker != null) ticker.cancel(false);
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
