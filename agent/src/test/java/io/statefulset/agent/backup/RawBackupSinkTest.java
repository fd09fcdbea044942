package io.statefulset.agent.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.statefulset.agent.common.backuptool.FailureCause;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The tutorial's format: bytes and nothing else. (That a failure resets the socket is pinned on a real one in LegacyRawStreamTest.) */
class RawBackupSinkTest {
    private final EmbeddedChannel ch = new EmbeddedChannel();
    private final RawBackupSink sink = new RawBackupSink(ch);

    @Test
    void theStreamIsTheBareBytesWithNoHead() {
        sink.begin(OptionalLong.of(10));
        ByteBuf piece = Unpooled.wrappedBuffer(new byte[] {'X', 'B'});
        sink.write(piece);
        assertSame(piece, ch.readOutbound(), "no framing, no head");
        assertNull(ch.readOutbound());
        piece.release();
    }

    @Test
    void aSuccessFlushesThenCloses() {
        sink.finish(new BackupOutcome(BackupOutcome.SUCCESS, "", 2, 0, 0, 1, Optional.empty()));
        ByteBuf flushed = ch.readOutbound();
        assertEquals(0, flushed.readableBytes(), "nothing is added to the stream");
        assertFalse(ch.isOpen());
    }

    @Test
    void aFailureOrRefusalClosesWithoutAnotherByte() {
        sink.finish(new BackupOutcome(BackupOutcome.FAILED, "tool died", 2, 0, 1, 1, Optional.of(FailureCause.BACKUP_TOOL)));
        assertNull(ch.readOutbound());
        assertFalse(ch.isOpen());

        EmbeddedChannel other = new EmbeddedChannel();
        new RawBackupSink(other).refuse("no tool");
        assertNull(other.readOutbound());
        assertFalse(other.isOpen());
    }
}
