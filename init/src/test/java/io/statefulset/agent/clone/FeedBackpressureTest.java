package io.statefulset.agent.clone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

class FeedBackpressureTest {
    private final FakeFeed feed = new FakeFeed();
    private final ReadCounter reads = new ReadCounter();
    private final EmbeddedChannel ch = new EmbeddedChannel(false, false, reads, new FeedBackpressure(feed));

    FeedBackpressureTest() throws Exception {
        ch.config().setAutoRead(false);
        ch.register();
    }

    @Test
    void theFirstReadIsAskedForOnConnect() {
        assertEquals(1, reads.reads);
    }

    @Test
    void whileTheFeedHasRoomEveryReadAsksForTheNext() {
        ch.pipeline().fireChannelReadComplete();
        ch.pipeline().fireChannelReadComplete();
        assertEquals(3, reads.reads);
        assertNull(feed.resume);
    }

    @Test
    void aFullFeedStopsReadingUntilItHasDrained() {
        feed.room = false;
        ch.pipeline().fireChannelReadComplete();
        assertEquals(1, reads.reads, "no read while the extraction is behind");
        assertNotNull(feed.resume);
        feed.resume.run(); // the feed's own thread, in production
        assertEquals(1, reads.reads, "the read is asked for on the event loop, not the feed's thread");
        ch.runPendingTasks();
        assertEquals(2, reads.reads);
    }

    @Test
    void nothingIsReadAfterTheBodyEnded() {
        ch.pipeline().fireUserEventTriggered(TransferEvent.BODY_ENDED);
        ch.pipeline().fireChannelReadComplete();
        assertEquals(1, reads.reads);
    }
}
