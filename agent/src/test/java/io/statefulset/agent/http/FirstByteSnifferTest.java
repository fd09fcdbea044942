package io.statefulset.agent.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FirstByteSnifferTest {
    private static final Duration WAIT = Duration.ofMillis(800);

    private final List<Object> httpSaw = new ArrayList<>();
    private final List<Channel> raw = new ArrayList<>();
    private int httpInstalls;
    private final EmbeddedChannel ch = new EmbeddedChannel();

    FirstByteSnifferTest() {
        ch.freezeTime();
        ch.pipeline().addLast("sniffer", new FirstByteSniffer(WAIT, this::installHttp, raw::add));
        ch.pipeline().fireChannelActive(); // the sniffer arms its timer when the connection comes up
    }

    private void installHttp(ChannelHandlerContext ctx) {
        httpInstalls++;
        ctx.pipeline().addLast("http", new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext c, Object msg) {
                httpSaw.add(msg);
            }
        });
    }

    private void waitFor(Duration d) {
        ch.advanceTimeBy(d.toNanos(), TimeUnit.NANOSECONDS);
        ch.runScheduledPendingTasks();
    }

    @Test
    void theFirstByteInstallsHttpAndIsHandedToIt() {
        ByteBuf first = Unpooled.wrappedBuffer(new byte[] {'G'});
        ch.writeInbound(first);
        assertEquals(1, httpInstalls);
        assertEquals(List.of(first), httpSaw, "the byte that decided goes to the HTTP codec, not lost");
        assertNull(ch.pipeline().get("sniffer"), "out of the way once decided");
        waitFor(WAIT.multipliedBy(2));
        assertEquals(List.of(), raw, "a client that spoke is never served the raw stream");
        first.release();
    }

    @Test
    void silenceForTheLegacyWaitSelectsTheRawStream() {
        waitFor(WAIT.minusMillis(1));
        assertEquals(List.of(), raw);
        waitFor(Duration.ofMillis(1));
        assertEquals(List.of(ch), raw);
        assertEquals(0, httpInstalls);
        assertNull(ch.pipeline().get("sniffer"));
    }

    @Test
    void aClientThatHalfClosesWithoutAWordGetsTheRawStreamAtOnce() {
        ch.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertEquals(List.of(ch), raw, "ncat with stdin at EOF");
        waitFor(WAIT.multipliedBy(2));
        assertEquals(1, raw.size(), "decided once");
    }

    @Test
    void aClientThatLeavesBeforeDecidingGetsNothing() {
        ch.close();
        waitFor(WAIT.multipliedBy(2));
        assertEquals(List.of(), raw);
        assertEquals(0, httpInstalls);
    }

    @Test
    void otherEventsPassThrough() {
        List<Object> events = new ArrayList<>();
        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                events.add(evt);
            }
        });
        Object other = "some event";
        ch.pipeline().fireUserEventTriggered(other);
        assertSame(other, events.get(0));
        assertTrue(raw.isEmpty());
    }
}
