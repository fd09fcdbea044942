package io.statefulset.agent.clone;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.statefulset.agent.common.backuptool.FailureCause;
import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.common.protocol.BackupProtocol;
import io.statefulset.agent.xbstream.XbstreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Looks at the donor's first 8 bytes and gets out of the way. {@code HTTP/1.} leaves the HTTP codec behind it in
 * charge; {@code XBSTCK01} is the tutorial's bash sidecar, which answers any connection with a raw xbstream without
 * reading the request, so the codec is removed, {@link TransferEvent#LEGACY_DONOR} fired, and the bytes flow on
 * untouched. Either way the bytes seen so far are passed on (ByteToMessageDecoder forwards its buffer when removed).
 */
final class DonorReplySniffer extends ByteToMessageDecoder {
    private static final byte[] HTTP = "HTTP/1.".getBytes(StandardCharsets.US_ASCII);
    private static final int SNIFF = XbstreamReader.MAGIC.length;

    private final HostPort donor;

    DonorReplySniffer(HostPort donor) {
        this.donor = donor;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws DonorFailedException {
        if (in.readableBytes() < SNIFF) return;
        if (startsWith(in, HTTP)) {
            ctx.pipeline().remove(this);
        } else if (startsWith(in, XbstreamReader.MAGIC)) {
            ctx.pipeline().remove(DonorPipeline.HTTP_CODEC);
            ctx.fireUserEventTriggered(TransferEvent.LEGACY_DONOR);
            ctx.pipeline().remove(this);
        } else {
            byte[] first = new byte[SNIFF];
            in.getBytes(in.readerIndex(), first);
            in.skipBytes(in.readableBytes());
            throw new DonorFailedException(FailureCause.REFUSED, "donor " + donor + " answered neither HTTP nor xbstream (first bytes '"
                    + printable(first) + "'): is --donor pointing at the agent's backup port (3307)?");
        }
    }

    private static boolean startsWith(ByteBuf in, byte[] prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if (in.getByte(in.readerIndex() + i) != prefix[i]) return false;
        }
        return true;
    }

    private static String printable(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) sb.append(b >= 0x20 && b < 0x7f ? (char) b : String.format("\\x%02x", b & 0xff));
        return sb.toString();
    }
}
