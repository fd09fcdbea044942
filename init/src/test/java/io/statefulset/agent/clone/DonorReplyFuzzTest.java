package io.statefulset.agent.clone;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.common.protocol.BackupProtocol;
import io.statefulset.agent.common.secret.Secret;
import io.statefulset.agent.xbstream.XbstreamReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * {@code init}'s side of the wire: whatever a donor (or anything that answers on its port) sends, in pieces of
 * any size, then closes, the pipeline that {@link DonorPipeline} builds ends in a verdict: a transfer trusted
 * only with the success trailer, the byte count and the CRC32C of exactly the bytes handed to the extraction (or a
 * legacy raw stream that starts with the xbstream magic), or a {@link DonorException} that says what went wrong.
 * Never a hang, never an exception that escapes the pipeline.
 *
 * <p>Regression inputs (replayed by every test run): {@code src/test/resources/.../DonorReplyFuzzTestInputs/}.
 * Longer fuzzing: {@code bin/fuzz}.
 */
class DonorReplyFuzzTest {
    private static final HostPort DONOR = new HostPort("mysql-0.mysql", 3307);

    @FuzzTest(maxDuration = "30s")
    void anyReplyEndsInAVerifiedTransferOrAClearFailure(FuzzedDataProvider data) throws Exception {
        boolean withToken = data.consumeBoolean();
        int pieces = data.consumeInt(1, 4);
        byte[][] wire = new byte[pieces][];
        for (int i = 0; i < pieces - 1; i++) wire[i] = data.consumeBytes(data.consumeInt(0, 4096));
        wire[pieces - 1] = data.consumeRemainingAsBytes();

        // What the donor sent, as sent: the pipeline owns the buffers it is handed and may compact them in place.
        byte[] all = ByteBufUtil.getBytes(Unpooled.copiedBuffer(wire));
        FakeFeed feed = new FakeFeed();
        CompletableFuture<DonorTransfer> result = new CompletableFuture<>();
        EmbeddedChannel ch = new EmbeddedChannel(false, false);
        ch.config().setAutoRead(false);
        new DonorPipeline(DONOR, withToken ? Optional.of(Secret.of("t0ken", "fuzz")) : Optional.empty(),
                Duration.ofSeconds(30), Duration.ofSeconds(10)).install(ch.pipeline(), feed, Path.of("/clone"), result);
        ch.register();
        for (byte[] piece : wire) {
            if (!ch.isOpen()) break;
            ch.writeInbound(Unpooled.copiedBuffer(piece));
            ch.runPendingTasks();
        }
        if (ch.isOpen()) {
            ch.unsafe().close(ch.voidPromise()); // the donor closes its end
            ch.runPendingTasks();
        }
        if (feed.finished && !feed.completion.isDone()) {
            feed.completion.complete(null); // the extraction accepted everything it was handed
            ch.runPendingTasks();
        }
        ch.checkException();
        // The request the pipeline wrote and anything that reached the tail: released, or a long round runs out of
        // direct memory (a seeded round did, after ~246,000 runs).
        ch.finishAndReleaseAll();
        assertTrue(result.isDone(), "a closed donor connection always ends in a verdict");
        try {
            DonorTransfer t = result.get();
            byte[] body = feed.received.toByteArray();
            if (t.legacy()) {
                assertArrayEquals(XbstreamReader.MAGIC, Arrays.copyOf(body, XbstreamReader.MAGIC.length),
                        "a raw stream is trusted only when it starts with the xbstream magic");
            } else {
                // The trailers as HTTP reads them (Netty's decoder on its own, with the pipeline's limits), not as
                // the pipeline's handlers passed them on: Netty is lenient with responses (a name may end at a blank,
                // values are trimmed, counts may have leading zeros), so a text match would judge Netty, not us.
                HttpHeaders trailers = trailersOfTheFirstResponse(all);
                assertTrue(BackupProtocol.STATUS_SUCCESS.equalsIgnoreCase(trimmed(trailers.get(BackupProtocol.STATUS_TRAILER))),
                        "trusted without the success trailer");
                assertTrue(String.valueOf(body.length).equals(trimmed(trailers.get(BackupProtocol.BYTES_TRAILER)).replaceFirst("^0+(?=.)", "")),
                        "trusted without a byte count of exactly the body handed on (" + body.length + ")");
                assertTrue(DonorWire.crc32cHex(body).equalsIgnoreCase(trimmed(trailers.get(BackupProtocol.CRC32C_TRAILER))),
                        "trusted without the CRC32C of the body handed on");
            }
            assertTrue(t.bytes() == body.length, "the counted bytes are the bytes handed on");
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof DonorException d)) {
                fail("a donor's reply fails as a DonorException, not " + e.getCause(), e.getCause());
                return;
            }
            assertFalse(d.getMessage() == null || d.getMessage().isBlank(), "a failure says what went wrong");
            assertTrue(d.getMessage().contains(DONOR.toString()), "a failure names the donor: " + d.getMessage());
        }
    }

    private static HttpHeaders trailersOfTheFirstResponse(byte[] all) {
        EmbeddedChannel http = new EmbeddedChannel(new HttpResponseDecoder(4096, 64 << 10, 1 << 20));
        http.writeInbound(Unpooled.wrappedBuffer(all));
        http.finish();
        HttpHeaders trailers = null;
        for (Object o; (o = http.readInbound()) != null; ) {
            if (o instanceof LastHttpContent last && trailers == null) trailers = last.trailingHeaders().copy();
            ReferenceCountUtil.release(o);
        }
        return trailers == null ? EmptyHttpHeaders.INSTANCE : trailers;
    }

    private static String trimmed(String value) {
        return value == null ? "" : value.trim();
    }
}
