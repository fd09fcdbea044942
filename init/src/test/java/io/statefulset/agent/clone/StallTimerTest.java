package io.statefulset.agent.clone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import io.statefulset.agent.common.identity.HostPort;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The idle clock itself is Netty's (IdleStateHandler, which reads System.nanoTime); these tests pin what an idle
 * period means by handing the timer its idle event, the way IdleStateHandler does.
 */
class StallTimerTest {
    private final TransferProgress progress = new TransferProgress(new HostPort("db-0", 3307));
    private final StallTimer timer = new StallTimer(Duration.ofSeconds(2), progress);
    private final Recorder recorder = new Recorder();
    private final EmbeddedChannel ch = new EmbeddedChannel(timer, recorder);
    private final ChannelHandlerContext ctx = ch.pipeline().context(timer);

    StallTimerTest() {
        ch.config().setAutoRead(false);
    }

    private void idle() {
        timer.channelIdle(ctx, IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
    }

    @Test
    void theStallTimeoutIsTheReaderIdleTime() {
        assertEquals(2000, timer.getReaderIdleTimeInMillis());
        assertEquals(0, timer.getWriterIdleTimeInMillis());
    }

    @Test
    void silenceWhileAReadIsAskedForIsAStallNamingTheBytesSoFar() {
        progress.received(1000);
        ch.read();
        idle();
        DonorFailedException e = assertInstanceOf(DonorFailedException.class, recorder.exceptions.get(0));
        assertEquals("donor db-0:3307 sent nothing for 2 s after 1000 bytes: it stalled (frozen backup, hung mysqld or a"
                + " network partition); check the donor's logs (limit: --stall-timeout)", e.getMessage());
    }

    @Test
    void silenceWhileNotReadingIsOursNotTheDonors() {
        ch.read();
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {1, 2, 3}));
        // Nobody asked for more (the extraction is behind, or the body ended): the donor is not to blame.
        idle();
        assertTrue(recorder.exceptions.isEmpty());
        ch.read();
        idle();
        assertEquals(1, recorder.exceptions.size(), "once reading again, silence counts");
    }
}
