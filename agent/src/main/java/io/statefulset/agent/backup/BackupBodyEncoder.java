package io.statefulset.agent.backup;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContentEncoder;
import io.netty.handler.codec.http.HttpResponse;

/**
 * Compresses the one answer {@link BackupEndpoint} chose a coding for, with Netty's encoders, between the HTTP
 * codec and the routes; every other answer (health, metrics, refusals) passes as it is. Netty's
 * {@link HttpContentEncoder} sets {@code Content-Encoding}, keeps the chunked framing and the trailers of the last
 * chunk, so the verdict trailers still describe the raw xbstream that {@link BackupStreamer} counted.
 */
final class BackupBodyEncoder extends HttpContentEncoder {
    private final int zstdLevel;
    private ChannelHandlerContext ctx;
    private BodyEncoding next = BodyEncoding.IDENTITY;

    BackupBodyEncoder(int zstdLevel) {
        this.zstdLevel = zstdLevel;
    }

    /** The next answer on this connection (the backup's) goes out in {@code encoding}. Event loop only. */
    void encodeNext(BodyEncoding encoding) {
        next = encoding;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        this.ctx = ctx;
        super.handlerAdded(ctx);
    }

    @Override
    protected Result beginEncode(HttpResponse response, String acceptEncoding) {
        BodyEncoding encoding = next;
        next = BodyEncoding.IDENTITY;
        if (encoding == BodyEncoding.IDENTITY) return null;
        return new Result(encoding.token(), new EmbeddedChannel(ctx.channel().id(), ctx.channel().metadata().hasDisconnect(),
                ctx.channel().config(), encoding.newEncoder(zstdLevel)));
    }
}
