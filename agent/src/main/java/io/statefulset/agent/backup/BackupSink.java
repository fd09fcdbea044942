package io.statefulset.agent.backup;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.util.OptionalLong;

/** Where the stream goes: an HTTP response with trailers, or a raw socket for the tutorial's ncat. */
interface BackupSink {
    Channel channel();

    /** "http, zstd-1", "http, identity" or "raw", for logs. */
    String mode();

    /** The backup could not start (no tool, no scratch dir): tell the client if the protocol can. */
    void refuse(String reason);

    /** Before the first byte: the response head. */
    void begin(OptionalLong sizeEstimate);

    ChannelFuture write(ByteBuf chunk);

    /** After the last byte: the verdict, then the connection closes. */
    ChannelFuture finish(BackupOutcome outcome);
}
