package io.statefulset.agent.clone;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.statefulset.agent.common.backuptool.FailureCause;
import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.xbstream.XbstreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * In front of the {@code SslHandler} of a {@code /status} question: a peer that answers TLS with plaintext is named
 * before TLS turns it into "not an SSL/TLS record" (Netty quotes no bytes). A TLS record's first byte is its
 * content type (20 to 24), which no plaintext answer starts with; on one this handler leaves. Plaintext is either the
 * tutorial's sidecar ({@code XBSTCK01}: {@link TransferEvent#LEGACY_DONOR}), an agent without TLS ({@code HTTP/1.}:
 * a {@link DonorFailedException} that says so), or anything else, left to the {@code SslHandler}'s verdict.
 */
final class PlaintextAnswer extends ByteToMessageDecoder {
    static final String NAME = "plaintext";
    private static final byte[] HTTP = "HTTP/1.".getBytes(StandardCharsets.US_ASCII);
    private static final int FIRST_TLS_TYPE = 20;
    private static final int LAST_TLS_TYPE = 24;

    private final HostPort peer;

    PlaintextAnswer(HostPort peer) {
        this.peer = peer;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws DonorFailedException {
        if (!in.isReadable()) return;
        int first = in.getUnsignedByte(in.readerIndex());
        if (first >= FIRST_TLS_TYPE && first <= LAST_TLS_TYPE) {
            ctx.pipeline().remove(this);
            return;
        }
        if (in.readableBytes() < XbstreamReader.MAGIC.length) return;
        if (startsWith(in, XbstreamReader.MAGIC)) {
            in.skipBytes(in.readableBytes());
            ctx.fireUserEventTriggered(TransferEvent.LEGACY_DONOR);
        } else if (startsWith(in, HTTP)) {
            in.skipBytes(in.readableBytes());
            throw new DonorFailedException(FailureCause.REFUSED, "TLS handshake failed: " + peer + " answered in plain"
                    + " HTTP, its agent runs without TLS (init has --tls-ca-file; the peer's serve needs --tls-cert-file"
                    + " and --tls-key-file)");
        } else {
            ctx.pipeline().remove(this);
        }
    }

    private static boolean startsWith(ByteBuf in, byte[] prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if (in.getByte(in.readerIndex() + i) != prefix[i]) return false;
        }
        return true;
    }
}
