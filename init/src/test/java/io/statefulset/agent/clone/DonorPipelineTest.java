package io.statefulset.agent.clone;

import static io.statefulset.agent.clone.DonorWire.ascii;
import static io.statefulset.agent.clone.DonorWire.chunk;
import static io.statefulset.agent.clone.DonorWire.okHead;
import static io.statefulset.agent.clone.DonorWire.successTrailers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.common.secret.Secret;
import io.statefulset.agent.xbstream.XbstreamException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** The whole client pipeline as {@link DonorPipeline} builds it, fed with a donor's bytes: the handlers in concert. */
class DonorPipelineTest {
    private static final HostPort DONOR = new HostPort("mysql-0.mysql", 3307);
    private static final String BODY = "XBSTCK01 pretend this is a whole backup";

    private final FakeFeed feed = new FakeFeed();
    private final CompletableFuture<DonorTransfer> result = new CompletableFuture<>();

    private EmbeddedChannel connect(Optional<Secret> token) throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel(false, false);
        ch.config().setAutoRead(false);
        new DonorPipeline(DONOR, token, Duration.ofSeconds(30), Duration.ofSeconds(10))
                .install(ch.pipeline(), feed, Path.of("/data/clone"), result);
        ch.register();
        return ch;
    }

    private static void donorSends(EmbeddedChannel ch, String wire) {
        ch.writeInbound(Unpooled.wrappedBuffer(ascii(wire)));
    }

    /** The donor closing its end: not a close of ours, so it does not pass the handlers' close(). */
    private static void donorCloses(EmbeddedChannel ch) {
        ch.unsafe().close(ch.voidPromise());
        ch.runPendingTasks();
    }

    private static Throwable failure(CompletableFuture<?> f) {
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, f::get);
        return e.getCause();
    }

    @Test
    void aVerifiedBodyIsExtractedAndTheTransferCounted() throws Exception {
        EmbeddedChannel ch = connect(Optional.of(Secret.of("s3cret", "test")));
        ByteBuf request = ch.readOutbound();
        String wire = request.toString(StandardCharsets.US_ASCII);
        request.release();
        assertTrue(wire.startsWith("GET /backup HTTP/1.1\r\n"), wire);
        assertTrue(wire.contains("te: trailers\r\n") && wire.contains("authorization: Bearer s3cret\r\n"), wire);

        String first = BODY.substring(0, 10);
        String rest = BODY.substring(10);
        donorSends(ch, okHead(BODY.length()) + chunk(first));
        donorSends(ch, chunk(rest) + successTrailers(BODY));
        assertTrue(feed.finished, "the end of a verified body ends the extraction");
        assertFalse(result.isDone(), "no verdict before the extractor has finished");

        feed.files = 3;
        feed.completion.complete(null);
        ch.runPendingTasks();
        DonorTransfer transfer = result.get();
        assertEquals(BODY, feed.received.toString(StandardCharsets.ISO_8859_1));
        assertEquals(BODY.length(), transfer.bytes());
        assertEquals(3, transfer.files());
        assertFalse(transfer.legacy());
        assertFalse(ch.isOpen(), "the connection is closed once decided");
    }

    @Test
    void aLegacyDonorsRawStreamEndsWhenTheDonorCloses() throws Exception {
        EmbeddedChannel ch = connect(Optional.empty());
        donorSends(ch, "XBSTCK01");
        donorSends(ch, "and the rest of the raw stream");
        assertFalse(feed.finished);
        donorCloses(ch);
        assertTrue(feed.finished, "EOF is the end of a raw stream");

        feed.completion.complete(null);
        ch.runPendingTasks();
        DonorTransfer transfer = result.get();
        assertTrue(transfer.legacy());
        assertEquals("XBSTCK01and the rest of the raw stream", feed.received.toString(StandardCharsets.ISO_8859_1));
        assertEquals(38, transfer.bytes());
    }

    @Test
    void aBusyDonorIsReportedWithItsRetryAfterAndNothingIsExtracted() throws Exception {
        EmbeddedChannel ch = connect(Optional.empty());
        donorSends(ch, "HTTP/1.1 503 Service Unavailable\r\nretry-after: 7\r\ncontent-length: 5\r\n\r\nbusy\n");
        DonorBusyException busy = assertInstanceOf(DonorBusyException.class, failure(result));
        assertEquals(Duration.ofSeconds(7), busy.retryAfter());
        assertEquals(0, feed.received.size(), "a refusal's body is never extracted");
        assertFalse(ch.isOpen());
    }

    @Test
    void aDonorThatDiesMidBodyIsAFailureNamingTheBytes() throws Exception {
        EmbeddedChannel ch = connect(Optional.empty());
        donorSends(ch, okHead(1000) + chunk("0123456789"));
        donorCloses(ch);
        DonorFailedException e = assertInstanceOf(DonorFailedException.class, failure(result));
        assertEquals("donor mysql-0.mysql:3307 closed the connection after 10 bytes, before the end of the backup: the"
                + " donor or its backup died, or the network was cut; check the donor's logs", e.getMessage());
        assertFalse(feed.finished, "a cut body is not handed on as a whole one");
    }

    @Test
    void aCorruptStreamFoundByTheExtractorIsTheDonorsFailure() throws Exception {
        EmbeddedChannel ch = connect(Optional.empty());
        donorSends(ch, okHead(1000) + chunk("0123456789"));
        feed.completion.completeExceptionally(new XbstreamException("bad chunk magic at offset 0"));
        ch.runPendingTasks();
        DonorFailedException e = assertInstanceOf(DonorFailedException.class, failure(result));
        assertEquals("the stream from donor mysql-0.mysql:3307 is corrupt or incomplete, refused: bad chunk magic at offset 0",
                e.getMessage());
        assertFalse(ch.isOpen());
    }

    @Test
    void aReplyThatIsNeitherHttpNorXbstreamNamesTheFirstBytes() throws Exception {
        EmbeddedChannel ch = connect(Optional.empty());
        donorSends(ch, "SSH-2.0-OpenSSH\r\n");
        DonorFailedException e = assertInstanceOf(DonorFailedException.class, failure(result));
        assertTrue(e.getMessage().contains("answered neither HTTP nor xbstream (first bytes 'SSH-2.0-')"), e.getMessage());
    }

    @Test
    void theHandlersAreInstalledInTheDocumentedOrder() throws Exception {
        EmbeddedChannel ch = connect(Optional.empty());
        List<String> names = ch.pipeline().names();
        assertEquals(List.of("stall", "sniffer", "http", "progress", "status", "legacy-end", "body-check", "backpressure",
                "extraction", "outcome"), names.subList(0, names.size() - 1), "the request handler has left after sending");
    }
}
