package io.statefulset.agent.clone;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.channel.embedded.EmbeddedChannel;
import io.statefulset.agent.common.identity.HostPort;
import java.util.List;
import org.junit.jupiter.api.Test;

class LegacyStreamEndTest {
    private final TransferProgress progress = new TransferProgress(new HostPort("db-0", 3307));
    private final Recorder recorder = new Recorder();
    private final EmbeddedChannel ch = new EmbeddedChannel(new LegacyStreamEnd(progress), recorder);

    /** The donor closing its end: the close does not pass the pipeline's outbound side. */
    private void donorCloses() {
        ch.unsafe().close(ch.voidPromise());
        ch.runPendingTasks();
    }

    @Test
    void aLegacyDonorClosingIsTheEndOfItsBodyAnnouncedBeforeTheClose() {
        ch.pipeline().fireUserEventTriggered(TransferEvent.LEGACY_DONOR);
        donorCloses();
        assertEquals(List.of(TransferEvent.LEGACY_DONOR, TransferEvent.BODY_ENDED), recorder.events);
        assertEquals(1, recorder.inactive);
    }

    @Test
    void ourOwnCloseAfterAFailureIsNoEnd() {
        ch.pipeline().fireUserEventTriggered(TransferEvent.LEGACY_DONOR);
        ch.close();
        assertEquals(List.of(TransferEvent.LEGACY_DONOR), recorder.events);
    }

    @Test
    void anHttpDonorClosingIsNoEnd() {
        donorCloses();
        assertEquals(List.of(), recorder.events, "over HTTP only the trailers end a body");
        assertEquals(1, recorder.inactive);
    }
}
