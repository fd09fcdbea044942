package io.statefulset.agent.backup;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import java.util.OptionalLong;

/**
 * The tutorial's wire format: the bare xbstream, then close. The only way to say "failed" here is to reset the
 * connection instead of closing it: ncat then exits 1 ("Connection reset by peer"), so the tutorial's
 * {@code set -e} pipeline stops, where the bash sidecar let a failed backup pass as a short, clean stream.
 */
final class RawBackupSink implements BackupSink {
    private final Channel channel;

    RawBackupSink(Channel channel) {
        this.channel = channel;
    }

    @Override
    public Channel channel() {
        return channel;
    }

    @Override
    public String mode() {
        return "raw";
    }

    @Override
    public void begin(OptionalLong sizeEstimate) {}

    @Override
    public ChannelFuture write(ByteBuf chunk) {
        return channel.writeAndFlush(chunk);
    }

    @Override
    public ChannelFuture finish(BackupOutcome outcome) {
        if (outcome.succeeded()) return channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        return reset();
    }

    @Override
    public void refuse(String reason) {
        reset();
    }

    private ChannelFuture reset() {
        channel.config().setOption(ChannelOption.SO_LINGER, 0);
        return channel.close();
    }
}
