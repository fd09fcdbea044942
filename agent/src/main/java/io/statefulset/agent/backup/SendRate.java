package io.statefulset.agent.backup;

import io.netty.channel.Channel;
import io.netty.handler.traffic.ChannelTrafficShapingHandler;

/**
 * The first handler (socket side) of a connection that streams a backup: counts the bytes that reach the wire
 * (after compression) and, with {@code --max-rate}, holds them to that many bytes per second. Netty's shaper turns
 * the connection unwritable while it holds writes back, so the pump, which writes only while the connection is
 * writable, slows down to the cap with at most {@link #MAX_HELD} bytes held here.
 */
final class SendRate {
    static final String HANDLER = "send-rate";
    /** How often the shaper recomputes the rate. */
    private static final long CHECK_INTERVAL_MS = 250;
    private static final long MAX_HELD = 1 << 20;

    private final ChannelTrafficShapingHandler shaper;
    private final long maxRate;

    private SendRate(ChannelTrafficShapingHandler shaper, long maxRate) {
        this.shaper = shaper;
        this.maxRate = maxRate;
    }

    /** Installs it in front of everything on {@code channel}; {@code maxRate} 0 counts without a cap. */
    static SendRate install(Channel channel, long maxRate) {
        ChannelTrafficShapingHandler shaper = new ChannelTrafficShapingHandler(maxRate, 0, CHECK_INTERVAL_MS);
        shaper.setMaxWriteSize(MAX_HELD);
        channel.pipeline().addFirst(HANDLER, shaper);
        return new SendRate(shaper, maxRate);
    }

    /** Bytes written to the socket so far. */
    long wireBytes() {
        return shaper.trafficCounter().cumulativeWrittenBytes();
    }

    /** The cap in bytes per second, 0 for none. */
    long maxRate() {
        return maxRate;
    }

    /** For logs. */
    String describe() {
        return BackupSettings.describeRate(maxRate);
    }
}
