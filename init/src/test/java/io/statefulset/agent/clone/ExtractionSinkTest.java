package io.statefulset.agent.clone;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.statefulset.agent.common.backuptool.FailureCause;
import io.statefulset.agent.common.identity.HostPort;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import static io.statefulset.agent.clone.DonorWire.ascii;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExtractionSinkTest {
    private final FakeFeed feed = new FakeFeed();
    private final CompletableFuture<DonorTransfer> result = new CompletableFuture<>();
    private final TransferOutcome outcome = new TransferOutcome(Path.of("/data/clone"),
            new TransferProgress(new HostPort("db-0", 3307)), result);
    private final Recorder downstream = new Recorder();
    private final EmbeddedChannel ch = new EmbeddedChannel(new ExtractionSink(feed, outcome), outcome);

    @Test
    void bytesGoToTheFeedAndAnythingElsePassesOn() {
        EmbeddedChannel open = new EmbeddedChannel(new ExtractionSink(feed, outcome), downstream);
        var head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        open.writeInbound(head, Unpooled.wrappedBuffer(ascii("abc")));
        assertEquals("abc", feed.received.toString(StandardCharsets.ISO_8859_1));
        assertSame(head, downstream.messages.get(0));
        assertEquals(1, downstream.messages.size());
    }

    @Test
    void theEndOfTheBodyFinishesTheExtractionAndItsFileCountIsTheResult() throws Exception {
        ch.writeInbound(Unpooled.wrappedBuffer(ascii("abc")));
        ch.pipeline().fireUserEventTriggered(TransferEvent.BODY_ENDED);
        assertTrue(feed.finished);
        feed.files = 7;
        feed.completion.complete(null);
        assertFalse(result.isDone(), "the verdict is given on the event loop");
        ch.runPendingTasks();
        assertEquals(7, result.get().files());
    }

    @Test
    void anExtractionErrorMidStreamIsReportedWithoutWaitingForTheEnd() {
        feed.completion.completeExceptionally(new java.io.IOException("No space left on device"));
        ch.runPendingTasks();
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, result::get);
        assertEquals("cannot write the clone into /data/clone: No space left on device; check free space and"
                + " permissions on the data volume", e.getCause().getMessage());
    }

    @Test
    void bytesAfterTheVerdictAreReleasedNotExtracted() {
        // As when the codec hands on what it still held while the connection closes after a failure.
        EmbeddedChannel open = new EmbeddedChannel(new ExtractionSink(feed, outcome), downstream);
        result.completeExceptionally(new DonorFailedException(FailureCause.STALL, "stalled"));
        ByteBuf late = Unpooled.copiedBuffer(ascii("late"));
        open.writeInbound(late);
        assertEquals(0, late.refCnt());
        assertEquals(0, feed.received.size());
    }

    @Test
    void bytesAfterTheEndAreReleasedNotExtracted() {
        ch.pipeline().fireUserEventTriggered(TransferEvent.BODY_ENDED);
        ByteBuf late = Unpooled.copiedBuffer(ascii("late"));
        ch.writeInbound(late);
        assertEquals(0, late.refCnt());
        assertEquals(0, feed.received.size());
    }
}
