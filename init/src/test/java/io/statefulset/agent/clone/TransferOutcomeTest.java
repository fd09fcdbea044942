package io.statefulset.agent.clone;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.statefulset.agent.common.backuptool.FailureCause;
import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.xbstream.XbstreamException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransferOutcomeTest {
    private final TransferProgress progress = new TransferProgress(new HostPort("db-0", 3307));
    private final CompletableFuture<DonorTransfer> result = new CompletableFuture<>();
    private final TransferOutcome outcome = new TransferOutcome(Path.of("/data/clone"), progress, result);
    private final EmbeddedChannel ch = new EmbeddedChannel(outcome);

    TransferOutcomeTest() {
        progress.begin(System.nanoTime());
    }

    private Throwable failure() {
        assertFalse(ch.isOpen(), "a decided transfer closes its connection");
        return assertThrows(ExecutionException.class, result::get).getCause();
    }

    private void donorCloses() {
        ch.unsafe().close(ch.voidPromise());
        ch.runPendingTasks();
    }

    @Test
    void anExtractedBodyIsTheTransferWithTheCountedBytes() throws Exception {
        progress.received(4096);
        ch.pipeline().fireUserEventTriggered(TransferEvent.BODY_ENDED);
        outcome.extracted(12);
        DonorTransfer t = result.get();
        assertEquals(new HostPort("db-0", 3307), t.donor());
        assertEquals(4096, t.bytes());
        assertEquals(12, t.files());
        assertFalse(t.legacy());
        assertTrue(t.elapsed().compareTo(Duration.ZERO) >= 0);
        assertFalse(ch.isOpen());
    }

    @Test
    void aLegacyDonorsTransferSaysSo() throws Exception {
        ch.pipeline().fireUserEventTriggered(TransferEvent.LEGACY_DONOR);
        ch.pipeline().fireUserEventTriggered(TransferEvent.BODY_ENDED);
        donorCloses();
        assertFalse(result.isDone(), "after the end, the close waits for the extraction");
        outcome.extracted(1);
        assertTrue(result.get().legacy());
    }

    @Test
    void aDonorFailureAnywhereInTheCauseChainIsTakenAsIs() {
        DonorFailedException cause = new DonorFailedException(FailureCause.REFUSED, "donor db-0:3307 answered neither HTTP nor xbstream");
        ch.pipeline().fireExceptionCaught(new DecoderException(cause));
        assertSame(cause, failure());
    }

    @Test
    void aBusyDonorIsTakenAsIs() {
        DonorBusyException busy = new DonorBusyException("busy", Duration.ofSeconds(3));
        ch.pipeline().fireExceptionCaught(busy);
        assertSame(busy, failure());
    }

    @Test
    void aBrokenConnectionIsTheDonorsFailureWithTheBytesSoFar() {
        progress.received(512);
        ch.pipeline().fireExceptionCaught(new IOException("Connection reset by peer"));
        Throwable e = assertInstanceOf(DonorFailedException.class, failure());
        assertEquals("connection to donor db-0:3307 broke after 512 bytes (Connection reset by peer): the donor or its"
                + " backup died, or the network was cut; check the donor's logs", e.getMessage());
    }

    @Test
    void aCloseBeforeAnyReplyPointsAtALegacyDonorsFailedBackup() {
        donorCloses();
        assertEquals("donor db-0:3307 closed the connection after 0 bytes without a reply: a legacy (ncat) donor whose"
                + " backup failed at once looks like this; check the donor's backup log", failure().getMessage());
    }

    @Test
    void aCloseAfterTheReplyButBeforeTheEndIsACutTransfer() {
        ch.writeInbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        progress.received(10);
        donorCloses();
        assertEquals("donor db-0:3307 closed the connection after 10 bytes, before the end of the backup: the donor or"
                + " its backup died, or the network was cut; check the donor's logs", failure().getMessage());
    }

    @Test
    void aCorruptStreamIsTheDonorsFailure() {
        outcome.extractionFailed(new CompletionException(new XbstreamException("the stream ended inside the payload of ./ibdata1")));
        Throwable e = assertInstanceOf(DonorFailedException.class, failure());
        assertEquals("the stream from donor db-0:3307 is corrupt or incomplete, refused: the stream ended inside the"
                + " payload of ./ibdata1", e.getMessage());
    }

    @Test
    void aLocalWriteErrorIsAnIoExceptionAboutTheDataVolumeNotTheDonor() {
        IOException disk = new IOException("No space left on device");
        outcome.extractionFailed(disk);
        Throwable e = failure();
        assertFalse(e instanceof DonorException, "the next donor would not help");
        assertInstanceOf(IOException.class, e);
        assertSame(disk, e.getCause());
    }

    @Test
    void anythingElseFromTheExtractionIsTheDonorsFailureNamingIt() {
        outcome.extractionFailed(new IllegalStateException("boom"));
        assertEquals("extracting the stream from donor db-0:3307 failed: java.lang.IllegalStateException: boom",
                failure().getMessage());
    }

    @Test
    void theFirstVerdictStands() throws Exception {
        ch.pipeline().fireUserEventTriggered(TransferEvent.BODY_ENDED);
        outcome.extracted(2);
        outcome.extractionFailed(new XbstreamException("late"));
        ch.pipeline().fireExceptionCaught(new IOException("late too"));
        assertEquals(2, result.get().files());
    }
}
