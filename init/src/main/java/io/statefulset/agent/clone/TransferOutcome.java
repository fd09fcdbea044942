package io.statefulset.agent.clone;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.ReferenceCountUtil;
import io.statefulset.agent.common.backuptool.FailureCause;
import io.statefulset.agent.xbstream.XbstreamException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Last handler: decides the transfer, once. A verified and extracted body is a {@link DonorTransfer}; every failure is
 * sorted into what the caller acts on: {@link DonorBusyException} (ask again later), {@link DonorFailedException}
 * (this donor's stream cannot be trusted: the message names what happened and what to check) or, for local disk
 * trouble, an {@link IOException}. Then the connection is closed. Runs on the event loop only.
 */
final class TransferOutcome extends ChannelInboundHandlerAdapter {
    private final Path target;
    private final TransferProgress progress;
    private final CompletableFuture<DonorTransfer> result;
    private ChannelHandlerContext ctx;
    private boolean legacy;
    private boolean responded;
    private boolean bodyEnded;

    TransferOutcome(Path target, TransferProgress progress, CompletableFuture<DonorTransfer> result) {
        this.target = target;
        this.progress = progress;
        this.result = result;
    }

    boolean decided() {
        return result.isDone();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpResponse) responded = true;
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == TransferEvent.LEGACY_DONOR) {
            legacy = true;
            responded = true;
        } else if (evt == TransferEvent.BODY_ENDED) {
            bodyEnded = true;
        }
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        for (Throwable c = cause; c != null; c = c.getCause()) {
            if (c instanceof DonorException d) {
                fail(d);
                return;
            }
        }
        fail(new DonorFailedException(FailureCause.CONNECTION_LOST, "connection to donor " + progress.donor() + " broke after " + progress.bytes()
                + " bytes (" + cause.getMessage() + "): the donor or its backup died, or the network was cut; check the donor's logs"));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (decided() || bodyEnded) return;
        if (!responded) {
            fail(new DonorFailedException(FailureCause.CONNECTION_LOST, "donor " + progress.donor() + " closed the connection after " + progress.bytes()
                    + " bytes without a reply: a legacy (ncat) donor whose backup failed at once looks like this; check the"
                    + " donor's backup log"));
        } else {
            fail(new DonorFailedException(FailureCause.CONNECTION_LOST, "donor " + progress.donor() + " closed the connection after " + progress.bytes()
                    + " bytes, before the end of the backup: the donor or its backup died, or the network was cut; check"
                    + " the donor's logs"));
        }
    }

    /** The extraction wrote and closed every file. Called on the event loop, also after the connection closed. */
    void extracted(int files) {
        decide(() -> result.complete(new DonorTransfer(progress.donor(), legacy, progress.bytes(), files,
                Duration.ofNanos(progress.elapsedNanos(System.nanoTime())))));
    }

    /** Called on the event loop, also after the connection closed. */
    void extractionFailed(Throwable e) {
        Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (c instanceof XbstreamException) {
            // The extractor's message says where in the stream and what to check.
            fail(new DonorFailedException(FailureCause.CORRUPT_STREAM, "the stream from donor " + progress.donor() + " is corrupt or incomplete, refused: "
                    + c.getMessage()));
        } else if (c instanceof IOException) {
            decide(() -> result.completeExceptionally(new IOException("cannot write the clone into " + target + ": "
                    + c.getMessage() + "; check free space and permissions on the data volume", c)));
        } else {
            fail(new DonorFailedException(FailureCause.AGENT, "extracting the stream from donor " + progress.donor() + " failed: " + c));
        }
    }

    private void fail(DonorException e) {
        decide(() -> result.completeExceptionally(e));
    }

    private void decide(Runnable completion) {
        if (decided()) return;
        completion.run();
        ctx.close();
    }
}
