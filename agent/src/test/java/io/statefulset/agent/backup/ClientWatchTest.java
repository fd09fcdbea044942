package io.statefulset.agent.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClientWatchTest {
    private final EmbeddedChannel ch = new EmbeddedChannel();
    private final BackupRun run = new BackupRun(ch);
    private int writabilityChanges;

    ClientWatchTest() {
        ch.pipeline().addLast(new ClientWatch(run), new ChannelInboundHandlerAdapter() {
            @Override
            public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                writabilityChanges++;
            }
        });
    }

    @Test
    void aClientThatGoesAwayAbortsTheBackup() {
        assertEquals(Optional.empty(), run.abortReason());
        ch.close();
        assertEquals(Optional.of("client went away"), run.abortReason());
    }

    @Test
    void aBrokenConnectionAbortsWithItsReasonAndCloses() {
        ch.pipeline().fireExceptionCaught(new java.io.IOException("Connection reset by peer"));
        assertEquals(Optional.of("client connection failed (Connection reset by peer)"), run.abortReason());
        assertFalse(ch.isOpen());
    }

    @Test
    void whatTheClientSendsDuringTheStreamIsDropped() {
        ByteBuf more = Unpooled.copiedBuffer(new byte[] {'G', 'E', 'T'});
        ch.writeInbound(more);
        assertEquals(0, more.refCnt());
        assertNull(ch.readInbound(), "nothing goes further");
        assertEquals(Optional.empty(), run.abortReason(), "talking is not leaving");
    }

    @Test
    void writabilityChangesPassOnAndAWritableChannelLetsThePumpGoOn() throws Exception {
        ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(4, 8));
        ch.write(Unpooled.wrappedBuffer(new byte[16]));
        assertFalse(ch.isWritable());
        ch.flush();
        assertTrue(ch.isWritable());
        assertEquals(2, writabilityChanges);
        assertTrue(run.awaitWritable(), "a writable channel lets the pump go on");
        for (Object m; (m = ch.readOutbound()) != null; ) ((ByteBuf) m).release();
    }
}
