package io.statefulset.agent.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.traffic.ChannelTrafficShapingHandler;
import org.junit.jupiter.api.Test;

class SendRateTest {
    @Test
    void theCapSitsOnTheSocketSideWithItsLimit() {
        EmbeddedChannel ch = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
        SendRate rate = SendRate.install(ch, 100_000_000);
        ChannelTrafficShapingHandler shaper = assertInstanceOf(ChannelTrafficShapingHandler.class, ch.pipeline().first());
        assertEquals(SendRate.HANDLER, ch.pipeline().names().get(0));
        assertEquals(100_000_000, shaper.getWriteLimit());
        assertEquals(0, shaper.getReadLimit(), "what the client sends is never held back");
        assertEquals("max rate 100.0 MB/s", rate.describe());
        ch.finishAndReleaseAll();
    }

    @Test
    void withoutACapItOnlyCountsTheBytesOnTheWire() {
        EmbeddedChannel ch = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
        SendRate rate = SendRate.install(ch, 0);
        ch.writeAndFlush(Unpooled.wrappedBuffer(new byte[12345]));
        assertEquals(12345, rate.wireBytes());
        assertEquals("no rate cap", rate.describe());
        ch.finishAndReleaseAll();
    }
}
